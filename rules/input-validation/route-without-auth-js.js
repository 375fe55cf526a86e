const express = require("express");
const { requireAuth, requireRole } = require("./auth");
const orders = require("./orders");
const users = require("./users");

const app = express();
const router = express.Router();
app.use(express.json({ limit: "100kb" }));

// ruleid: route-without-auth-js
router.delete("/orders/:orderId", async (req, res) => {
  await orders.remove(req.params.orderId);
  res.sendStatus(204);
});

// ruleid: route-without-auth-js
app.put("/users/:id/role", async (req, res) => {
  await users.setRole(req.params.id, req.body.role);
  res.json({ ok: true });
});

// ruleid: route-without-auth-js
app.get("/admin/exports", async (req, res) => {
  res.json(await orders.exportAll());
});

// ruleid: route-without-auth-js
router.patch("/users/:id", users.update);

// ok: route-without-auth-js
router.delete("/orders/:orderId", requireAuth, async (req, res) => {
  await orders.remove(req.params.orderId, { owner: req.user.id });
  res.sendStatus(204);
});

// ok: route-without-auth-js
app.put("/users/:id/role", requireAuth, requireRole("admin"), async (req, res) => {
  await users.setRole(req.params.id, req.body.role);
  res.json({ ok: true });
});

// ok: route-without-auth-js
app.post("/orders/:orderId/cancel", async (req, res) => {
  if (!req.user) return res.sendStatus(401);
  res.json(await orders.cancel(req.params.orderId, req.user.id));
});

// ok: route-without-auth-js
app.post("/password/reset/:token", async (req, res) => {
  res.json({ ok: await users.resetPassword(req.params.token, req.body.password) });
});

// ok: route-without-auth-js
app.get("/orders/:orderId", async (req, res) => {
  res.json(await orders.publicView(req.params.orderId));
});

// ok: route-without-auth-js
app.post("/orders", async (req, res) => {
  res.status(201).json(await orders.createGuest(req.body));
});

async function purge(api, id) {
  // ok: route-without-auth-js
  return api.client.delete(`/users/${id}`, { timeout: 5000 });
}

app.use("/api", router);
module.exports = { app, purge };
