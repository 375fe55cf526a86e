const http = require("node:http");
const https = require("node:https");
const { Pool } = require("pg");
const mongoose = require("mongoose");
const mysql = require("mysql2/promise");
const knex = require("knex");

// ruleid: unbounded-connection-pool-js
const upstreamAgent = new https.Agent({ keepAlive: true, maxSockets: Infinity });

// ruleid: unbounded-connection-pool-js
http.globalAgent.maxSockets = Infinity;

// ruleid: unbounded-connection-pool-js
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Infinity });

async function connectMongo() {
  // ruleid: unbounded-connection-pool-js
  await mongoose.connect(process.env.MONGO_URL, { maxPoolSize: 0, serverSelectionTimeoutMS: 5000 });
}

// ruleid: unbounded-connection-pool-js
const legacyUrl = "mongodb://db.internal:27017/app?maxPoolSize=0&w=majority";

const db = knex({
  client: "pg",
  connection: process.env.DATABASE_URL,
  // ruleid: unbounded-connection-pool-js
  pool: { min: 2, max: Number.MAX_SAFE_INTEGER },
});

// ruleid: unbounded-connection-pool-js
const mysqlPool = mysql.createPool({ uri: process.env.MYSQL_URL, connectionLimit: Infinity });

// ok: unbounded-connection-pool-js
const boundedAgent = new https.Agent({ keepAlive: true, maxSockets: 50, timeout: 10000 });

// ok: unbounded-connection-pool-js
const boundedPool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });

async function connectBoundedMongo() {
  // ok: unbounded-connection-pool-js
  await mongoose.connect(process.env.MONGO_URL, { maxPoolSize: 20, serverSelectionTimeoutMS: 5000 });
}

// ok: unbounded-connection-pool-js
const boundedMysql = mysql.createPool({ uri: process.env.MYSQL_URL, connectionLimit: 10, queueLimit: 100 });

// ok: unbounded-connection-pool-js
const retryPolicy = { retries: 3, maxDelay: Infinity };

module.exports = { upstreamAgent, pool, legacyUrl, db, mysqlPool, boundedAgent, boundedPool, boundedMysql, retryPolicy, connectMongo, connectBoundedMongo };
