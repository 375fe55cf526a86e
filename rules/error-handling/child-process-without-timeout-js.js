const { execFile, execFileSync } = require("child_process");
const cp = require("node:child_process");

function thumbnail(src, dest, cb) {
  // ruleid: child-process-without-timeout-js
  execFile("convert", [src, "-resize", "200x200", dest], cb);
}

function gitSha() {
  // ruleid: child-process-without-timeout-js
  return cp.execSync("git rev-parse HEAD").toString().trim();
}

function pdf(src, dest, cb) {
  // ok: child-process-without-timeout-js
  execFile("wkhtmltopdf", [src, dest], { timeout: 30000, killSignal: "SIGKILL" }, cb);
}

function version() {
  // ok: child-process-without-timeout-js
  return execFileSync("ffmpeg", ["-version"], { timeout: 5000 }).toString();
}

function spawnWorker() {
  // ok: child-process-without-timeout-js
  return cp.spawn("node", ["worker.js"], { stdio: "inherit" });
}
