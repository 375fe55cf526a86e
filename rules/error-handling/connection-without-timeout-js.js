const pg = require("pg");
const { Pool, Client } = require("pg");
const mongoose = require("mongoose");
const { MongoClient } = require("mongodb");
const { createClient } = require("redis");
const mysql = require("mysql2/promise");
const { Sequelize } = require("sequelize");

const dbConfig = { connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 };
const mongoOptions = { serverSelectionTimeoutMS: 5000 };

// ruleid: connection-without-timeout-js
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
// ruleid: connection-without-timeout-js
const client = new pg.Client({ host: process.env.PGHOST, database: "shop" });
// ok: connection-without-timeout-js
const pool2 = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });
// ok: connection-without-timeout-js
const pool3 = new Pool(dbConfig);
// ok: connection-without-timeout-js
const pool4 = new Pool({ ...dbConfig, max: 20 });
// ok: connection-without-timeout-js
const pool5 = new Pool({ connectionString: "postgres://app@db/shop?connect_timeout=5" });

async function connectMongo() {
  // ruleid: connection-without-timeout-js
  await mongoose.connect(process.env.MONGO_URL);
  // ruleid: connection-without-timeout-js
  await mongoose.connect(process.env.MONGO_URL, { maxPoolSize: 20 });
  // ok: connection-without-timeout-js
  await mongoose.connect(process.env.MONGO_URL, { serverSelectionTimeoutMS: 5000, socketTimeoutMS: 10000 });
  // ok: connection-without-timeout-js
  await mongoose.connect("mongodb://db:27017/shop?serverSelectionTimeoutMS=5000");
  // ok: connection-without-timeout-js
  await mongoose.connect(process.env.MONGO_URL, mongoOptions);
  // ruleid: connection-without-timeout-js
  const mc = new MongoClient(process.env.MONGO_URL);
  // ok: connection-without-timeout-js
  const mc2 = new MongoClient(process.env.MONGO_URL, { serverSelectionTimeoutMS: 5000 });
  return [mc, mc2];
}

// ruleid: connection-without-timeout-js
const cache = createClient({ url: process.env.REDIS_URL });
// ok: connection-without-timeout-js
const cache2 = createClient({ url: process.env.REDIS_URL, socket: { connectTimeout: 2000 }, disableOfflineQueue: true });

// ruleid: connection-without-timeout-js
const db = mysql.createPool({ host: process.env.DB_HOST, user: "app", database: "shop" });
// ok: connection-without-timeout-js
const db2 = mysql.createPool({ host: process.env.DB_HOST, connectTimeout: 5000, queueLimit: 100 });

// ruleid: connection-without-timeout-js
const sequelize = new Sequelize(process.env.DATABASE_URL);
// ruleid: connection-without-timeout-js
const sequelize2 = new Sequelize("shop", "app", process.env.DB_PASSWORD, { host: "db", dialect: "postgres" });
// ok: connection-without-timeout-js
const sequelize3 = new Sequelize(process.env.DATABASE_URL, { pool: { max: 10, acquire: 10000 }, dialectOptions: { connectTimeout: 5000 } });
// ok: connection-without-timeout-js
const sequelize4 = new Sequelize("sqlite::memory:");

// ok: connection-without-timeout-js
const worker = new Worker("./job.js");

module.exports = { pool, client, pool2, pool3, pool4, pool5, connectMongo, cache, cache2, db, db2, sequelize, sequelize2, sequelize3, sequelize4, worker };
