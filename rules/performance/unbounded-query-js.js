const { Pool } = require("pg");
const Order = require("./models/order");

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

async function listOrders(req, res) {
  // ruleid: unbounded-query-js
  const { rows } = await pool.query("SELECT * FROM orders");
  res.json(rows);
}

async function listProducts(req, res) {
  // ruleid: unbounded-query-js
  const products = await Order.find({}).sort({ createdAt: -1 });
  res.json(products);
}

async function allCustomers(sequelize) {
  // ruleid: unbounded-query-js
  return sequelize.models.Customer.findAll();
}

async function pageOrders(req, res) {
  // ok: unbounded-query-js
  const { rows } = await pool.query("SELECT id, total FROM orders WHERE id > $1 ORDER BY id LIMIT $2", [req.query.after || 0, 50]);
  res.json(rows);
}

async function recentProducts(req, res) {
  // ok: unbounded-query-js
  const products = await Order.find({}).sort({ createdAt: -1 }).limit(50);
  res.json(products);
}

function firstAdmin(users) {
  // ok: unbounded-query-js
  return users.find((u) => u.role === "admin");
}

async function countOrders() {
  // ok: unbounded-query-js
  return pool.query("SELECT count(*) FROM orders");
}

async function usersOfOrders(orders) {
  // ok: unbounded-query-js
  const users = await User.find({ _id: { $in: orders.map((o) => o.userId) } });
  // ok: unbounded-query-js
  const active = await User.find({ active: true }, { name: 1 });
  return [users, active];
}

async function everyone() {
  // ruleid: unbounded-query-js
  return User.find({}, { name: 1 });
}
