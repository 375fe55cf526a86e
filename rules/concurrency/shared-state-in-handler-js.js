const express = require("express");
const { pool, User } = require("./db");
const [first] = require("./defaults");

const app = express();
app.use(express.json({ limit: "100kb" }));

let orderCount = 0;
const carts = {};
const sessions = new Map();
const PAGE_SIZE = 50;
let lastLogin;

app.post("/orders", async (req, res) => {
  // ruleid: shared-state-in-handler-js
  orderCount++;
  // ruleid: shared-state-in-handler-js
  carts[req.body.userId] = [];
  res.status(201).json({ number: orderCount });
});

app.post("/login", (req, res) => {
  const id = crypto.randomUUID();
  // ruleid: shared-state-in-handler-js
  sessions.set(id, { user: req.body.user });
  res.json({ id });
});

app.get("/orders", async (req, res) => {
  // ok: shared-state-in-handler-js
  let page = Number(req.query.page || 0);
  // ok: shared-state-in-handler-js
  page += 1;
  const items = [];
  // ok: shared-state-in-handler-js
  items.push(...(await db.orders(page, PAGE_SIZE)));
  res.json(items);
});

app.post("/count", async (req, res) => {
  // ok: shared-state-in-handler-js
  const { rows } = await db.query("UPDATE counters SET n = n + 1 WHERE id = $1 RETURNING n", ["orders"]);
  res.json(rows[0]);
});

app.get("/users/:id", requireUser, async (req, res) => {
  // ok: shared-state-in-handler-js
  const { rows } = await pool.query("SELECT id, name FROM users WHERE id = $1", [req.params.id]);
  // ok: shared-state-in-handler-js
  const [user] = rows;
  // ok: shared-state-in-handler-js
  let { name } = user;
  res.json({ name, first });
});

app.post("/sessions", requireUser, async (req, res) => {
  // ruleid: shared-state-in-handler-js
  lastLogin = req.body.user;
  res.json({ ok: true });
});
