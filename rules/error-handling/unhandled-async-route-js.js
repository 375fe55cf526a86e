const express = require("express");

const router = express.Router();

// ruleid: unhandled-async-route-js
router.get("/orders/:id", async (req, res) => {
  const order = await db.orders.findById(req.params.id);
  const shipping = await fetch(`https://shipping.internal/status/${order.id}`);
  res.json({ order, shipping: await shipping.json() });
});

// ruleid: unhandled-async-route-js
router.post("/charge", authenticate, async function (req, res) {
  const charge = await payments.charge(req.body.amount);
  res.status(201).json(charge);
});

// ok: unhandled-async-route-js
router.get("/users/:id", async (req, res, next) => {
  try {
    const user = await db.users.findById(req.params.id);
    res.json(user);
  } catch (err) {
    next(err);
  }
});

// ok: unhandled-async-route-js
router.get("/health", async (req, res) => {
  const ok = await db.ping().catch(() => false);
  res.status(ok ? 200 : 503).end();
});

// ok: unhandled-async-route-js
router.get("/report", asyncHandler(async (req, res) => {
  res.json(await reports.build());
}));

// ok: unhandled-async-route-js
router.get("/sync", (req, res) => {
  res.json({ ok: true });
});

// ok: unhandled-async-route-js
router.get("/batch", async (req, res) => {
  try {
    const items = await Promise.all(req.query.ids.split(",").map(async (id) => db.items.findById(id)));
    res.json(items);
  } catch (err) {
    res.status(502).json({ error: "items unavailable" });
  }
});

function authenticate(req, res, next) {
  next();
}

function asyncHandler(fn) {
  return (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
}

const db = { orders: {}, users: {}, items: {}, ping: async () => true };
const payments = {};
const reports = {};

module.exports = router;
