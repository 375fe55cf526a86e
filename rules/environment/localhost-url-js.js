const { Pool } = require("pg");
const mongoose = require("mongoose");
const axios = require("axios");
const Redis = require("ioredis");

// ruleid: localhost-url-js
const pool = new Pool({ connectionString: "postgres://orders:orders@localhost:5432/orders" });
// ruleid: localhost-url-js
mongoose.connect("mongodb://127.0.0.1:27017/shop");
// ruleid: localhost-url-js
const PAYMENTS_API = "http://localhost:4000/api";
// ruleid: localhost-url-js
const redis = new Redis("redis://0.0.0.0:6379");

async function charge(orderId, port) {
  // ruleid: localhost-url-js
  return axios.post(`http://localhost:${port}/charges`, { orderId }, { timeout: 5000 });
}

// ok: localhost-url-js
const db = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
// ok: localhost-url-js
const api = process.env.PAYMENTS_API_URL;

function start(app, port) {
  app.listen(port, () => {
    // ok: localhost-url-js
    console.log(`listening on http://localhost:${port}`);
  });
}

function isLocal(origin) {
  // ok: localhost-url-js
  return origin.startsWith("http://localhost");
}

const config = {
  // ok: localhost-url-js
  development: "http://localhost:3000",
  production: process.env.PUBLIC_URL,
};

function resolve(path) {
  // ok: localhost-url-js
  return new URL(path, "http://localhost").pathname;
}
