const fs = require("fs");
const os = require("os");
const path = require("path");
const { tmpdir } = require("os");

async function writeReport(rows) {
  // ruleid: fixed-temp-path-js
  await fs.promises.writeFile("/tmp/report.csv", rows.join("\n"));
}

// ruleid: fixed-temp-path-js
const CACHE_FILE = path.join(os.tmpdir(), "orders-cache.json");
// ruleid: fixed-temp-path-js
const LOCK = os.tmpdir() + "/orders-sync.lock";
// ruleid: fixed-temp-path-js
const UPLOADS = `${os.tmpdir()}/uploads/current.bin`;
// ruleid: fixed-temp-path-js
const SQLITE = "/var/tmp/sessions.sqlite";
// ruleid: fixed-temp-path-js
const PID = process.env.PIDFILE || "/tmp/worker.pid";
// ruleid: fixed-temp-path-js
const THUMB = path.join(tmpdir(), "thumbnail.png");

function saveSync(data) {
  // ruleid: fixed-temp-path-js
  fs.writeFileSync(`/tmp/session-store.json`, JSON.stringify(data));
}

// --- safe: a unique folder from mkdtemp, or a folder from configuration ----------------
async function scratch(rows) {
  // ok: fixed-temp-path-js
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "orders-"));
  // ok: fixed-temp-path-js
  const file = path.join(dir, "report.csv");
  await fs.promises.writeFile(file, rows.join("\n"));
  return file;
}

// ok: fixed-temp-path-js
const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "thumbs-"));
// ok: fixed-temp-path-js
const prefix = path.join(os.tmpdir(), "export-");
// ok: fixed-temp-path-js
const cacheDir = process.env.CACHE_DIR || os.tmpdir();
// ok: fixed-temp-path-js
const perProcess = path.join(os.tmpdir(), `orders-${process.pid}-${Date.now()}.lock`);
// ok: fixed-temp-path-js
const socket = "/tmp/mysql.sock";
// ok: fixed-temp-path-js
const root = "/tmp";
// ok: fixed-temp-path-js
const help = "Set EXPORT_PATH, for example /tmp/export.csv";
// ok: fixed-temp-path-js
const perJob = (jobId) => `/tmp/jobs/${jobId}/out.csv`;

function isScratch(p) {
  // ok: fixed-temp-path-js
  return p.startsWith("/tmp/orders");
}

// ok: fixed-temp-path-js
const parent = "/tmp/..";
