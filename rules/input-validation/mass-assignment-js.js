const _ = require("lodash");
const { z } = require("zod");

app.post("/users", async (req, res) => {
  // ruleid: mass-assignment-js
  const user = await User.create(req.body);
  res.json(user);
});

app.post("/posts", async (req, res) => {
  // ruleid: mass-assignment-js
  const post = new Post(req.body);
  await post.save();
  res.json(post);
});

app.put("/me", async (req, res) => {
  const user = await User.findById(req.user.id);
  // ruleid: mass-assignment-js
  Object.assign(user, req.body);
  await user.save();
  res.json(user);
});

app.put("/users/:id", async (req, res) => {
  // ruleid: mass-assignment-js
  await User.update(req.body, { where: { id: req.params.id } });
  res.sendStatus(204);
});

app.patch("/items/:id", async (req, res) => {
  // ruleid: mass-assignment-js
  await Item.findByIdAndUpdate(req.params.id, { ...req.body }, { new: true });
  res.sendStatus(204);
});

app.post("/prisma", async (req, res) => {
  const data = req.body;
  // ruleid: mass-assignment-js
  res.json(await prisma.user.create({ data: data }));
});

// ---- safe ----
app.post("/users-picked", async (req, res) => {
  // ok: mass-assignment-js
  const user = await User.create({ name: req.body.name, email: req.body.email });
  res.json(user);
});

app.post("/users-lodash", async (req, res) => {
  // ok: mass-assignment-js
  const user = await User.create(_.pick(req.body, ["name", "email"]));
  res.json(user);
});

const UserInput = z.object({ name: z.string(), email: z.string().email() }).strict();
app.post("/users-zod", async (req, res) => {
  const input = UserInput.parse(req.body);
  // ok: mass-assignment-js
  res.json(await User.create(input));
});

app.put("/me-name", async (req, res) => {
  const { name } = req.body;
  const user = await User.findById(req.user.id);
  // ok: mass-assignment-js
  Object.assign(user, { name });
  res.json(await user.save());
});

app.get("/error", (req, res) => {
  // ok: mass-assignment-js
  const err = new Error(req.body.message);
  // ok: mass-assignment-js
  const copy = Object.assign({}, req.body);
  res.json({ e: err.message, copy });
});
