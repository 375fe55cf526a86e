const express = require("express");
const router = express.Router();

router.post("/counters/:id/hit", async (req, res) => {
  const counter = await Counter.findById(req.params.id);
  // ruleid: read-modify-write-js
  counter.hits++;
  await counter.save();
  res.json(counter);
});

router.post("/accounts/:id/withdraw", async (req, res) => {
  const account = await Account.findByPk(req.params.id);
  // ruleid: read-modify-write-js
  account.balance -= req.body.amount;
  await account.save();
  res.json(account);
});

router.post("/products/:id/buy", async (req, res) => {
  const product = await prisma.product.findUnique({ where: { id: req.params.id } });
  // ruleid: read-modify-write-js
  await prisma.product.update({ where: { id: product.id }, data: { stock: product.stock - 1 } });
  res.sendStatus(204);
});

router.post("/wallets/:id/topup", async (req, res) => {
  const wallet = await Wallet.findOne({ owner: req.user.id }).lean();
  // ruleid: read-modify-write-js
  await Wallet.updateOne({ _id: wallet._id }, { $set: { credits: wallet.credits + req.body.credits } });
  res.sendStatus(204);
});

async function countView(redis, key) {
  const views = await redis.get(key);
  // ruleid: read-modify-write-js
  await redis.set(key, Number(views || 0) + 1);
}

async function sendOnce(redis, orderId) {
  if (!(await redis.get(`mailed:${orderId}`))) {
    // ruleid: read-modify-write-js
    await redis.set(`mailed:${orderId}`, "1");
    await mailReceipt(orderId);
  }
}

// --- atomic alternatives ----------------------------------------------------------------
router.post("/v2/counters/:id/hit", async (req, res) => {
  // ok: read-modify-write-js
  await Counter.updateOne({ _id: req.params.id }, { $inc: { hits: 1 } });
  res.sendStatus(204);
});

router.post("/v2/accounts/:id/withdraw", async (req, res) => {
  await sequelize.transaction(async (t) => {
    const account = await Account.findByPk(req.params.id, { transaction: t, lock: t.LOCK.UPDATE });
    // ok: read-modify-write-js
    account.balance -= req.body.amount;
    await account.save({ transaction: t });
  });
  res.sendStatus(204);
});

router.post("/v2/products/:id/buy", async (req, res) => {
  const product = await prisma.product.findUnique({ where: { id: req.params.id } });
  // ok: read-modify-write-js
  await prisma.product.update({ where: { id: product.id }, data: { stock: { decrement: 1 } } });
  res.sendStatus(204);
});

router.put("/users/:id", async (req, res) => {
  const user = await User.findById(req.params.id);
  // ok: read-modify-write-js
  user.name = req.body.name;
  await user.save();
  res.json(user);
});

async function countViewAtomic(redis, key) {
  // ok: read-modify-write-js
  return redis.incr(key);
}

async function takeLock(redis, job) {
  // ok: read-modify-write-js
  const got = await redis.set(`lock:${job}`, "1", "NX", "EX", 60);
  return got === "OK";
}

async function cachedProfile(redis, id) {
  const hit = await redis.get(`profile:${id}`);
  if (!hit) {
    const profile = await loadProfile(id);
    // ok: read-modify-write-js
    await redis.set(`profile:${id}`, JSON.stringify(profile), "EX", 300);
    return profile;
  }
  return JSON.parse(hit);
}

router.post("/:id/pay", async (req, res) => {
  const order = await Order.findById(req.params.id);
  // ruleid: read-modify-write-js
  order.status = order.status === "open" ? "paid" : order.status;
  await order.save();
  res.json(order);
});

router.post("/:id/ship", async (req, res) => {
  const order = await Order.findOne({ _id: req.params.id });
  // ruleid: read-modify-write-js
  if (order.status === "paid") {
    order.status = "shipped";
    await order.save();
  }
  res.json(order);
});

router.post("/:id/refund", async (req, res) => {
  const order = await Order.findById(req.params.id);
  if (order.status !== "paid") return res.status(409).json({ error: "not paid" });
  // ruleid: read-modify-write-js
  order.status = "refunded";
  await order.save();
  res.json(order);
});

router.post("/:id/pay-atomic", async (req, res) => {
  // ok: read-modify-write-js
  const order = await Order.findOneAndUpdate({ _id: req.params.id, status: "open" }, { $set: { status: "paid" } }, { new: true });
  res.json(order);
});

router.post("/:id/rename", async (req, res) => {
  const user = await User.findById(req.params.id);
  // ok: read-modify-write-js
  user.name = String(req.body.name);
  await user.save();
  res.json(user);
});

async function bumpViews(redis, id) {
  const views = Number(await redis.get(`views:${id}`));
  // ruleid: read-modify-write-js
  await redis.set(`views:${id}`, views + 1);
}

async function bumpViewsAtomic(redis, id) {
  // ok: read-modify-write-js
  await redis.incr(`views:${id}`);
}

async function cacheProfile(redis, id, load) {
  const cached = JSON.parse(await redis.get(`profile:${id}`));
  // ok: read-modify-write-js
  if (!cached) await redis.set(`profile:${id}`, JSON.stringify(await load(id)));
}
