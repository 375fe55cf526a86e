const https = require("https");
const { Pool } = require("pg");
const fs = require("fs");

// ruleid: tls-verification-disabled-js
const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

// ruleid: tls-verification-disabled-js
const pool = new Pool({ connectionString: process.env.DATABASE_URL, ssl: { rejectUnauthorized: false } });

// ruleid: tls-verification-disabled-js
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

// ok: tls-verification-disabled-js
const safeAgent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(process.env.API_CA_PATH) });

// ok: tls-verification-disabled-js
const safePool = new Pool({
  connectionString: process.env.DATABASE_URL,
  ssl: { rejectUnauthorized: true, ca: fs.readFileSync(process.env.DB_CA_PATH).toString() },
});
