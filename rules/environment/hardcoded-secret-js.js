const Stripe = require("stripe");
const jwt = require("jsonwebtoken");
const AWS = require("aws-sdk");

// ruleid: hardcoded-secret-js
const stripe = Stripe("sk_live_51HqLyjWDarjtT1zdp7dcQwErTyUiOp");
// ruleid: hardcoded-secret-js
const AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
// ruleid: hardcoded-secret-js
const JWT_SECRET = "s3cr3t-jwt-k3y-2024";
// ruleid: hardcoded-secret-js
const sessionSecret = process.env.SESSION_SECRET || "keyboard-cat-dev";

const s3 = new AWS.S3({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID,
  // ruleid: hardcoded-secret-js
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
});

const dbConfig = {
  user: "orders",
  // ruleid: hardcoded-secret-js
  password: "Pa55w0rd!2024",
  host: process.env.DB_HOST,
};

function issue(user) {
  // ruleid: hardcoded-secret-js
  return jwt.sign({ sub: user.id }, "my-very-secret-signing-key", { expiresIn: "1h" });
}

// ok: hardcoded-secret-js
const stripeLive = Stripe(process.env.STRIPE_SECRET_KEY);
// ok: hardcoded-secret-js
const PASSWORD_FIELD = "password";
// ok: hardcoded-secret-js
const form = { username: "", password: "" };
// ok: hardcoded-secret-js
const tokenHeader = { apiKey: "x-api-key" };
// ok: hardcoded-secret-js
const passwordResetUrl = "https://shop.example.com/reset";
// ok: hardcoded-secret-js
const secret = process.env.JWT_SECRET;

function verify(token) {
  // ok: hardcoded-secret-js
  return jwt.verify(token, process.env.JWT_PUBLIC_KEY, { algorithms: ["RS256"] });
}

// --- keys handed inline to an API ------------------------------------------------------
const crypto = require("crypto");
const express = require("express");
const session = require("express-session");
const cookieParser = require("cookie-parser");
const mysql = require("mysql2");
const axios = require("axios");

const app = express();
// ruleid: hardcoded-secret-js
app.use(session({ secret: "keyboard cat", resave: false, saveUninitialized: false }));
// ok: hardcoded-secret-js
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
// ruleid: hardcoded-secret-js
app.use(cookieParser("cookie-signing-secret"));
// ok: hardcoded-secret-js
app.use(cookieParser(process.env.COOKIE_SECRET));

function signWebhook(body) {
  // ruleid: hardcoded-secret-js
  return crypto.createHmac("sha256", "whk").update(body).digest("hex");
}

function signWebhookOk(body) {
  // ok: hardcoded-secret-js
  return crypto.createHmac("sha256", process.env.WEBHOOK_SECRET).update(body).digest("hex");
}

// ruleid: hardcoded-secret-js
const stripeClient = new Stripe("sk_live_51HqLyjWDarjtT1zdp7dcQwErTyUiOp");

const pool = mysql.createConnection({
  host: process.env.DB_HOST,
  user: "orders",
  // ruleid: hardcoded-secret-js
  password: "mysql-pa55",
});

// ok: hardcoded-secret-js
const poolOk = mysql.createConnection({ host: process.env.DB_HOST, password: process.env.DB_PASSWORD });

async function listOrders() {
  const res = await axios.get("https://api.example.com/orders", {
    // ruleid: hardcoded-secret-js
    headers: { Authorization: "Bearer 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c" },
    timeout: 5000,
  });
  return res.data;
}

async function listOrdersOk(token) {
  const res = await axios.get("https://api.example.com/orders", {
    // ok: hardcoded-secret-js
    headers: { Authorization: `Bearer ${token}`, "x-api-key": process.env.ORDERS_API_KEY },
    timeout: 5000,
  });
  return res.data;
}

// --- provider formats and high-entropy values --------------------------------------------
// ruleid: hardcoded-secret-js
const githubToken = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";
// ruleid: hardcoded-secret-js
const MAILGUN_KEY = "Zx9LmQ2pR7vT4wYb8nK3sD6fH1jG5cA0";
// ruleid: hardcoded-secret-js
const serviceAccount = { private_key: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n" };
// ok: hardcoded-secret-js
const cacheKey = "orders:list:v2";
// ok: hardcoded-secret-js
const idempotencyKey = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
// ok: hardcoded-secret-js
const buildHash = "9b74c9897bac770ffc029102a200c5de";
// ok: hardcoded-secret-js
const stripePublishable = { publicKey: "Zx9LmQ2pR7vT4wYb8nK3sD6fH1jG5cA0" };

// --- placeholders and field names are not secrets -----------------------------------------
// ok: hardcoded-secret-js
const example = { apiKey: "<your-api-key>", password: "changeme", secret: "" };
// ok: hardcoded-secret-js
const fields = { passwordField: "newPassword", tokenHeader: "x-auth-token" };
// ok: hardcoded-secret-js
const limits = { reset_password: "20/m/ip" };
