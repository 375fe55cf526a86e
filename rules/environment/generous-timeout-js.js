const axios = require("axios");
const http = require("http");
const { Pool } = require("pg");
const express = require("express");

const app = express();

const billing = axios.create({
  baseURL: process.env.BILLING_URL,
  // ruleid: generous-timeout-js
  timeout: 600000,
});

// ruleid: generous-timeout-js
const legacy = axios.create({ baseURL: process.env.LEGACY_URL, timeout: 0 });

const server = http.createServer(app);
// ruleid: generous-timeout-js
server.requestTimeout = 0;

app.post("/reports", (req, res) => {
  // ruleid: generous-timeout-js
  req.setTimeout(3600000);
  res.sendStatus(202);
});

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  // ruleid: generous-timeout-js
  statement_timeout: 900000,
  // ok: generous-timeout-js
  idleTimeoutMillis: 300000,
});

const payments = axios.create({
  baseURL: process.env.PAYMENTS_URL,
  // ok: generous-timeout-js
  timeout: 5000,
});

// ok: generous-timeout-js
server.headersTimeout = 65000 - 5000;

// ok: generous-timeout-js
server.keepAliveTimeout = 61000;

// ok: generous-timeout-js
const SESSION_TTL = { maxAge: 86400000 };

// ok: generous-timeout-js
const search = axios.create({ baseURL: process.env.SEARCH_URL, timeout: Number(process.env.SEARCH_TIMEOUT_MS) || 3000 });

module.exports = { billing, legacy, pool, payments, search, SESSION_TTL };
