const express = require("express");
const vm = require("vm");

const app = express();
app.use(express.json({ limit: "100kb" }));

app.post("/calc", (req, res) => {
  // ruleid: eval-on-request-data
  const result = eval(req.body.expression);
  res.json({ result });
});

app.get("/filter", (req, res) => {
  const body = `return item.${req.query.field} > 10;`;
  // ruleid: eval-on-request-data
  const predicate = new Function("item", body);
  res.json(items().filter(predicate));
});

app.post("/template", (req, res) => {
  // ruleid: eval-on-request-data
  const out = vm.runInNewContext(req.body.code, { items: items() }, { timeout: 50 });
  res.json({ out });
});

app.post("/settings", (req, res) => {
  // ok: eval-on-request-data
  const settings = JSON.parse(req.body.raw);
  res.json(settings);
});

const OPS = { add: (a, b) => a + b, mul: (a, b) => a * b };
app.post("/op", (req, res) => {
  const op = OPS[req.body.op];
  if (!op) return res.status(400).json({ error: "unknown op" });
  // ok: eval-on-request-data
  res.json({ result: op(Number(req.body.a), Number(req.body.b)) });
});

app.post("/later", (req, res) => {
  // ok: eval-on-request-data
  setTimeout(() => notify(req.body.userId), 1000);
  res.sendStatus(202);
});

function items() {
  return [];
}
function notify() {}
