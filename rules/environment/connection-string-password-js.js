const mongoose = require("mongoose");
const { Pool } = require("pg");
const { createClient } = require("redis");
const amqp = require("amqplib");
const { Sequelize } = require("sequelize");

// ruleid: connection-string-password-js
mongoose.connect("mongodb+srv://shop:Xk29fLq7@cluster0.ab1cd.mongodb.net/shop?retryWrites=true");
// ruleid: connection-string-password-js
const pool = new Pool({ connectionString: "postgres://orders:s3cr3t-pa55@orders-db.prod.internal:5432/orders" });
// ruleid: connection-string-password-js
const redis = createClient({ url: "redis://:r3d1s-pw@cache.internal:6379/0" });
// ruleid: connection-string-password-js
const sequelize = new Sequelize(`mysql://root:toor@mysql.prod.example.com/shop`);
// ruleid: connection-string-password-js
const DATABASE_URL = process.env.DATABASE_URL || "postgres://app:app-pass-2024@db.prod.internal/app";

async function broker() {
  // ruleid: connection-string-password-js
  return amqp.connect("amqp://guest:guest@rabbitmq:5672");
}

// ok: connection-string-password-js
const pool2 = new Pool({ connectionString: process.env.DATABASE_URL });
// ok: connection-string-password-js
mongoose.connect(process.env.MONGODB_URI);
// ok: connection-string-password-js
const url = `postgres://${process.env.DB_USER}:${process.env.DB_PASSWORD}@${process.env.DB_HOST}/orders`;
// ok: connection-string-password-js
const half = `mongodb://shop:${encodeURIComponent(process.env.MONGO_PASSWORD)}@mongo.internal/shop`;
// ok: connection-string-password-js
const noAuth = createClient({ url: "redis://cache.internal:6379/0" });
// ok: connection-string-password-js
const emptyPw = "amqp://orders:@rabbitmq:5672";
// ok: connection-string-password-js
const example = "postgres://user:<password>@db.example.com/orders";
// ok: connection-string-password-js
const redacted = "postgres://orders:***@db.internal/orders";
// localhost DSNs are reported by localhost-url-default-js
// ok: connection-string-password-js
const local = process.env.DATABASE_URL || "postgres://postgres:postgres@localhost:5432/orders";
// ok: connection-string-password-js
const help = "Set DATABASE_URL, e.g. postgres://user:secret@host/db";

// ruleid: connection-string-password-js
const withHost = `postgres://orders:Qm7rT2vw@${process.env.DB_HOST}:5432/orders`;
// ok: connection-string-password-js
const withHostOk = `postgres://orders:${process.env.DB_PASSWORD}@${process.env.DB_HOST}:5432/orders`;
