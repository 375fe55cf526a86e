const fs = require("fs");
const path = require("path");

function saveUpload(dir, name, data) {
  const target = path.join(dir, path.basename(name));
  // ruleid: check-then-write-file-js
  if (!fs.existsSync(target)) {
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
  // ok: check-then-write-file-js
  if (fs.existsSync(file)) {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  }
  return {};
}

function ensureUploadDir(dir) {
  // ruleid: check-then-write-file-js
  if (!fs.existsSync(dir)) {
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

router.post("/:id/bio", async (req, res) => {
  const file = path.join(BIO_DIR, `${Number(req.params.id)}.bio`);
  // ruleid: check-then-write-file-js
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, String(req.body.bio || ""));
  }
  res.json({ ok: true });
});

function rotate(file, archive) {
  // ruleid: check-then-write-file-js
  if (fs.existsSync(archive)) {
    fs.unlinkSync(archive);
  } else {
    console.log("no archive yet");
  }
}

function writeDefault(file, other) {
  // ok: check-then-write-file-js
  if (!fs.existsSync(file)) {
    fs.writeFileSync(other, "{}");
  }
}
