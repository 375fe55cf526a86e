const fs = require("fs");
const { readFile } = require("fs/promises");
const path = require("path");
const express = require("express");

const app = express();
const FILES_DIR = path.resolve(process.env.FILES_DIR || "/srv/files");

app.get("/files/:name", (req, res) => {
  // ruleid: path-traversal-js
  res.sendFile(path.join(FILES_DIR, req.params.name));
});

app.get("/download", (req, res) => {
  const file = path.join(FILES_DIR, req.query.file);
  // ruleid: path-traversal-js
  fs.createReadStream(file).pipe(res);
});

app.get("/avatars/:user", async (req, res) => {
  // ruleid: path-traversal-js
  const data = await fs.promises.readFile(`${FILES_DIR}/avatars/${req.params.user}.png`);
  res.type("png").send(data);
});

app.delete("/files/:name", (req, res) => {
  // ruleid: path-traversal-js
  fs.unlinkSync(FILES_DIR + "/" + req.params.name);
  res.sendStatus(204);
});

app.get("/ok/files/:name", (req, res) => {
  // ok: path-traversal-js
  res.sendFile(req.params.name, { root: FILES_DIR, dotfiles: "deny" });
});

app.get("/ok/download", (req, res) => {
  const file = path.join(FILES_DIR, path.basename(req.query.file));
  // ok: path-traversal-js
  fs.createReadStream(file).pipe(res);
});

app.get("/ok/docs/:name", async (req, res) => {
  const target = path.resolve(FILES_DIR, req.params.name);
  if (!target.startsWith(FILES_DIR + path.sep)) {
    return res.status(400).json({ error: "invalid path" });
  }
  // ok: path-traversal-js
  const data = await fs.promises.readFile(target);
  res.send(data);
});

app.get("/ok/report/:id", (req, res) => {
  const id = Number(req.params.id);
  // ok: path-traversal-js
  res.sendFile(path.join(FILES_DIR, "reports", `${id}.pdf`));
});

app.get("/ok/static", (req, res) => {
  // ok: path-traversal-js
  res.sendFile(path.join(__dirname, "public", "index.html"));
});

app.get("/notes/:file", async (req, res) => {
  const { file } = req.params;
  // ruleid: path-traversal-js
  const text = await readFile(path.join(FILES_DIR, "notes", file), "utf8");
  res.type("text").send(text);
});
