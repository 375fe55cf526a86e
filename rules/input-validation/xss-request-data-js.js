const express = require("express");
const escapeHtml = require("escape-html");
const he = require("he");
const validator = require("validator");
const DOMPurify = require("dompurify");
const app = express();

app.get("/hello", (req, res) => {
  const q = req.query.name;
  // ruleid: xss-request-data-js
  res.send(`<h1>Hello ${q}</h1>`);
});

app.get("/concat", (req, res) => {
  // ruleid: xss-request-data-js
  res.send("<p>" + req.params.id + "</p>");
});

app.get("/status", (req, res) => {
  // ruleid: xss-request-data-js
  res.status(400).send("Unknown user " + req.body.user);
});

app.get("/plain-echo", (req, res) => {
  const name = req.query.name;
  // ruleid: xss-request-data-js
  res.send(name);
});

app.get("/write", (req, res) => {
  res.write("<html><body>");
  // ruleid: xss-request-data-js
  res.write(`<div>${req.get("Referer")}</div>`);
  res.end();
});

app.get("/end", (req, res) => {
  const msg = "<b>" + req.cookies.flash + "</b>";
  // ruleid: xss-request-data-js
  res.end(msg);
});

app.get("/typed-html", (req, res) => {
  // ruleid: xss-request-data-js
  res.type("html").send(req.query.body);
});

// ---- safe ----
app.get("/json", (req, res) => {
  // ok: xss-request-data-js
  res.json({ name: req.query.name });
});

app.get("/echo-body", (req, res) => {
  // ok: xss-request-data-js
  res.send(req.body);
});

app.get("/escaped", (req, res) => {
  const q = escapeHtml(req.query.q);
  // ok: xss-request-data-js
  res.send(`<h1>${q}</h1>`);
});

app.get("/he", (req, res) => {
  // ok: xss-request-data-js
  res.send("<p>" + he.encode(req.query.q) + "</p>");
});

app.get("/validator", (req, res) => {
  // ok: xss-request-data-js
  res.send(`<p>${validator.escape(req.body.comment)}</p>`);
});

app.get("/purify", (req, res) => {
  // ok: xss-request-data-js
  res.send(DOMPurify.sanitize(req.body.html));
});

app.get("/text", (req, res) => {
  res.type("text/plain");
  // ok: xss-request-data-js
  res.send(`you searched ${req.query.q}`);
});

app.get("/count", (req, res) => {
  const n = parseInt(req.query.n, 10);
  // ok: xss-request-data-js
  res.send(`<p>${n} items</p>`);
});

app.get("/render", (req, res) => {
  // ok: xss-request-data-js
  res.render("search", { q: req.query.q });
});

app.get("/const", (req, res) => {
  // ok: xss-request-data-js
  res.send("<h1>Hello</h1>");
});

// a file stream is not a response
app.post("/upload", (req, res) => {
  const out = fs.createWriteStream("/tmp/x");
  // ok: xss-request-data-js
  out.write(req.body.data);
  res.json({ ok: true });
});

// ---- Koa ----
router.get("/koa", async (ctx) => {
  const q = ctx.request.query.q;
  // ruleid: xss-request-data-js
  ctx.body = "<p>" + q + "</p>";
});

router.get("/koa-json", async (ctx) => {
  // ok: xss-request-data-js
  ctx.body = { q: ctx.request.query.q };
});

router.get("/koa-escaped", async (ctx) => {
  // ok: xss-request-data-js
  ctx.body = `<p>${escapeHtml(ctx.request.query.q)}</p>`;
});

// ---- DOM ----
function showQuery() {
  const params = new URLSearchParams(location.search);
  const el = document.getElementById("out");
  // ruleid: xss-request-data-js
  el.innerHTML = "Results for " + location.hash.slice(1);
  // ruleid: xss-request-data-js
  document.write(window.location.search);
  // ruleid: xss-request-data-js
  el.insertAdjacentHTML("beforeend", `<li>${location.hash}</li>`);
  // ok: xss-request-data-js
  el.textContent = location.hash;
  // ok: xss-request-data-js
  el.innerHTML = DOMPurify.sanitize(location.hash);
}

// ---- React / Next.js ----
export default function SearchPage({ searchParams }) {
  const q = searchParams.q;
  // ruleid: xss-request-data-js
  const bad = <p dangerouslySetInnerHTML={{ __html: q }} />;
  // ok: xss-request-data-js
  const good = <p dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(q) }} />;
  // ok: xss-request-data-js
  const text = <p>{q}</p>;
  return <div>{bad}{good}{text}</div>;
}
