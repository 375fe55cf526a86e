const express = require("express");
const cors = require("cors");

const app = express();

// ruleid: cors-credentials-any-origin
app.use(cors({ origin: "*", credentials: true }));

// ruleid: cors-credentials-any-origin
app.use("/api", cors({ origin: true, credentials: true, maxAge: 600 }));

function reflect(req, res, next) {
  // ruleid: cors-credentials-any-origin
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
}

// ok: cors-credentials-any-origin
app.use(cors({ origin: process.env.ALLOWED_ORIGINS.split(","), credentials: true }));

// ok: cors-credentials-any-origin
app.use("/public", cors({ origin: "*" }));

// ok: cors-credentials-any-origin
app.use(cors({ origin: ["https://shop.example.com"], credentials: true }));
