const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const zlib = require("zlib");
const bcrypt = require("bcrypt");
const { execSync, execFile } = require("child_process");
const { promisify } = require("util");
const express = require("express");

const app = express();
const REPORT_DIR = process.env.REPORT_DIR;
// ok: blocking-call-in-async-js
const TEMPLATE = fs.readFileSync(path.join(__dirname, "template.html"), "utf8");
const execFileAsync = promisify(execFile);
const pbkdf2 = promisify(crypto.pbkdf2);

app.get("/reports/:id", (req, res) => {
  // ruleid: blocking-call-in-async-js
  const body = fs.readFileSync(path.join(REPORT_DIR, `${Number(req.params.id)}.json`));
  res.type("json").send(body);
});

app.post("/login", async (req, res) => {
  const user = await findUser(req.body.email);
  // ruleid: blocking-call-in-async-js
  const hash = crypto.pbkdf2Sync(req.body.password, user.salt, 310000, 32, "sha256");
  res.json({ ok: crypto.timingSafeEqual(hash, user.hash) });
});

async function exportArchive(rows) {
  // ruleid: blocking-call-in-async-js
  return zlib.gzipSync(Buffer.from(JSON.stringify(rows)));
}

async function gitVersion() {
  // ruleid: blocking-call-in-async-js
  return execSync("git rev-parse HEAD").toString().trim();
}

class UserService {
  async register(email, password) {
    // ruleid: blocking-call-in-async-js
    const hash = bcrypt.hashSync(password, 12);
    return this.repo.insert({ email, hash });
  }
}

app.get("/reports-ok/:id", async (req, res) => {
  // ok: blocking-call-in-async-js
  const body = await fs.promises.readFile(path.join(REPORT_DIR, `${Number(req.params.id)}.json`));
  res.type("json").send(body);
});

app.post("/login-ok", async (req, res) => {
  const user = await findUser(req.body.email);
  // ok: blocking-call-in-async-js
  const hash = await pbkdf2(req.body.password, user.salt, 310000, 32, "sha256");
  res.json({ ok: crypto.timingSafeEqual(hash, user.hash) });
});

async function gitVersionOk() {
  // ok: blocking-call-in-async-js
  const { stdout } = await execFileAsync("git", ["rev-parse", "HEAD"], { timeout: 5000 });
  return stdout.trim();
}

function buildAtStartup() {
  // ok: blocking-call-in-async-js
  return fs.readdirSync(path.join(__dirname, "migrations")).sort();
}

async function findUser(email) {
  return { email, salt: "s", hash: Buffer.alloc(32) };
}

app.get("/", (req, res) => {
  // ok: blocking-call-in-async-js
  res.send(TEMPLATE);
});

function exportCsv(req, res) {
  // ruleid: blocking-call-in-async-js
  const rows = fs.readFileSync(path.join(REPORT_DIR, "latest.csv"), "utf8");
  res.type("csv").send(rows);
}

function formatRow(row) {
  // ok: blocking-call-in-async-js
  return JSON.stringify(row);
}

module.exports = { exportCsv, formatRow, exportArchive, gitVersion, gitVersionOk, buildAtStartup };
