const fs = require("fs");
const path = require("path");

function saveUpload(dir, name, data) {
  const target = path.join(dir, path.basename(name));
  if (!fs.existsSync(target)) {
    // ruleid: check-then-write-file-js
    fs.writeFileSync(target, data);
  }
}

function removeLock(lockFile) {
  // ruleid: check-then-write-file-js
  if (fs.existsSync(lockFile)) fs.unlinkSync(lockFile);
}

function saveUploadAtomically(dir, name, data) {
  const target = path.join(dir, path.basename(name));
  try {
    // ok: check-then-write-file-js
    fs.writeFileSync(target, data, { flag: "wx" });
  } catch (err) {
    if (err.code !== "EEXIST") throw err;
  }
}

function readConfig(file) {
  if (fs.existsSync(file)) {
    // ok: check-then-write-file-js
    return JSON.parse(fs.readFileSync(file, "utf8"));
  }
  return {};
}

function ensureUploadDir(dir) {
  if (!fs.existsSync(dir)) {
    // ruleid: check-then-write-file-js
    fs.mkdirSync(dir);
  }
}

function ensureUploadDirAtomic(dir) {
  // ok: check-then-write-file-js
  fs.mkdirSync(dir, { recursive: true });
}

function seedConfig(file, template) {
  // ruleid: check-then-write-file-js
  if (!fs.existsSync(file)) fs.copyFileSync(template, file);
}
