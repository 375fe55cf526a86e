const express = require("express");
const User = require("./models/user");
const Order = require("./models/order");

const router = express.Router();

router.post("/login", async (req, res) => {
  // ruleid: nosql-injection-request-object
  const user = await User.findOne({ email: req.body.email, password: req.body.password });
  if (!user) return res.status(401).end();
  res.json({ id: user.id });
});

router.get("/orders", async (req, res) => {
  // ruleid: nosql-injection-request-object
  const orders = await Order.find(req.query).limit(50);
  res.json(orders);
});

router.post("/reset", async (req, res) => {
  const { email } = req.body;
  // ruleid: nosql-injection-request-object
  const user = await User.findOne({ email });
  res.json({ found: Boolean(user) });
});

router.post("/login-safe", async (req, res) => {
  const { email, password } = req.body;
  if (typeof email !== "string" || typeof password !== "string") return res.status(400).end();
  // ok: nosql-injection-request-object
  const user = await User.findOne({ email });
  res.json({ found: Boolean(user) });
});

router.get("/orders/:id", async (req, res) => {
  // ok: nosql-injection-request-object
  const order = await Order.findById(req.params.id);
  res.json(order);
});

router.get("/by-status", async (req, res) => {
  // ok: nosql-injection-request-object
  const orders = await Order.find({ status: String(req.query.status) }).limit(50);
  res.json(orders);
});
