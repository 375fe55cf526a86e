const axios = require("axios");
const got = require("got");
const https = require("https");
const superagent = require("superagent");

const ALLOWED_HOSTS = new Set(["images.example.com", "cdn.example.com"]);

app.get("/proxy", async (req, res) => {
  // ruleid: ssrf-js
  const r = await axios.get(req.query.url);
  res.send(r.data);
});

app.post("/webhook-test", async (req, res) => {
  const { target } = req.body;
  // ruleid: ssrf-js
  const r = await fetch(target, { method: "POST" });
  res.json({ status: r.status });
});

app.get("/avatar", async (req, res) => {
  // ruleid: ssrf-js
  const r = await got(`https://${req.query.host}/avatar.png`);
  res.send(r.body);
});

app.get("/status", (req, res) => {
  // ruleid: ssrf-js
  https.get({ hostname: req.params.host, path: "/health" }, (r) => res.sendStatus(r.statusCode));
});

app.get("/sa", async (req, res) => {
  // ruleid: ssrf-js
  const r = await superagent.get(req.body.callbackUrl);
  res.json(r.body);
});

app.get("/cfg", async (req, res) => {
  // ruleid: ssrf-js
  const r = await axios({ method: "get", url: req.query.u });
  res.json(r.data);
});

// ---- safe ----
app.get("/item", async (req, res) => {
  // ok: ssrf-js
  const r = await axios.get(`https://api.example.com/items/${req.params.id}`);
  res.json(r.data);
});

app.get("/item2", async (req, res) => {
  // ok: ssrf-js
  const r = await fetch("https://api.example.com/search/" + encodeURIComponent(req.query.q));
  res.json(await r.json());
});

app.get("/search", async (req, res) => {
  // ok: ssrf-js
  const r = await axios.get("https://api.example.com/search", { params: { q: req.query.q } });
  res.json(r.data);
});

app.get("/base", async (req, res) => {
  // ok: ssrf-js
  const r = await axios.get(`${API_BASE}/users/${req.params.id}`);
  res.json(r.data);
});

app.get("/image", async (req, res) => {
  const u = new URL(req.query.src);
  if (!ALLOWED_HOSTS.has(u.hostname)) {
    return res.status(400).end();
  }
  // ok: ssrf-js
  const r = await axios.get(u.toString(), { responseType: "arraybuffer" });
  res.send(r.data);
});
