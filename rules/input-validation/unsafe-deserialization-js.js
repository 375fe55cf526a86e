const express = require("express");
const serialize = require("node-serialize");
const yaml = require("js-yaml");
const cookieParser = require("cookie-parser");

const app = express();
app.use(cookieParser());
app.use(express.text({ limit: "100kb" }));

app.get("/profile", (req, res) => {
  const raw = Buffer.from(req.cookies.profile, "base64").toString();
  // ruleid: unsafe-deserialization-js
  const profile = serialize.unserialize(raw);
  res.json({ name: profile.name });
});

app.post("/import", (req, res) => {
  // ruleid: unsafe-deserialization-js
  const doc = yaml.load(req.body, { schema: yaml.DEFAULT_FULL_SCHEMA });
  res.json(doc);
});

app.post("/import-all", (req, res) => {
  // ruleid: unsafe-deserialization-js
  const docs = yaml.loadAll(req.body, null, { schema: yaml.DEFAULT_FULL_SCHEMA });
  res.json(docs);
});

app.get("/profile-ok", (req, res) => {
  const raw = Buffer.from(req.cookies.profile, "base64").toString();
  // ok: unsafe-deserialization-js
  const profile = JSON.parse(raw);
  res.json({ name: String(profile.name) });
});

app.post("/import-ok", (req, res) => {
  // ok: unsafe-deserialization-js
  const doc = yaml.load(req.body);
  res.json(doc);
});

app.post("/import-v3-ok", (req, res) => {
  // ok: unsafe-deserialization-js
  const doc = yaml.safeLoad(req.body, { schema: yaml.JSON_SCHEMA });
  res.json(doc);
});

app.get("/export", (req, res) => {
  // ok: unsafe-deserialization-js
  res.send(serialize.serialize({ ok: true }));
});
