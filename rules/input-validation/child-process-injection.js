const { exec, execFile, spawn } = require("child_process");
const express = require("express");

const app = express();

app.post("/convert", (req, res) => {
  // ruleid: child-process-injection
  exec(`convert ${req.body.file} -resize 200x200 out.png`, { timeout: 30000 }, (err) => {
    if (err) return res.status(500).json({ error: "conversion failed" });
    res.sendStatus(204);
  });
});

function ping(host, cb) {
  // ruleid: child-process-injection
  exec("ping -c 1 " + host, { timeout: 5000 }, cb);
}

function archive(dir) {
  // ruleid: child-process-injection
  return spawn(`tar czf backup.tgz ${dir}`, { shell: true, timeout: 60000 });
}

function safeConvert(file, cb) {
  // ok: child-process-injection
  execFile("convert", [file, "-resize", "200x200", "out.png"], { timeout: 30000 }, cb);
}

function diskUsage(cb) {
  // ok: child-process-injection
  exec("df -h /data", { timeout: 5000 }, cb);
}

function tarball(dir) {
  // ok: child-process-injection
  return spawn("tar", ["czf", "backup.tgz", dir], { timeout: 60000 });
}
