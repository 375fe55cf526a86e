const xpath = require("xpath");
const { DOMParser } = require("@xmldom/xmldom");
const doc = new DOMParser().parseFromString(fs.readFileSync("users.xml", "utf8"), "text/xml");

app.get("/user", (req, res) => {
  const name = req.query.name;
  // ruleid: xpath-injection-js
  const nodes = xpath.select(`//user[@name='${name}']`, doc);
  res.json(nodes.length);
});

app.post("/login", (req, res) => {
  const expr = "//user[@name='" + req.body.user + "' and @pass='" + req.body.pass + "']";
  // ruleid: xpath-injection-js
  const node = xpath.select1(expr, doc);
  res.json({ ok: !!node });
});

app.get("/eval", (req, res) => {
  // ruleid: xpath-injection-js
  const r = xpath.evaluate("//item[@id=" + req.params.id + "]", doc, null, xpath.XPathResult.ANY_TYPE, null);
  res.json(!!r);
});

// ---- safe ----
app.get("/user-bound", (req, res) => {
  // ok: xpath-injection-js
  const nodes = xpath.parse("//user[@name=$name]").select({ node: doc, variables: { name: req.query.name } });
  res.json(nodes.length);
});

app.get("/const", (req, res) => {
  // ok: xpath-injection-js
  const nodes = xpath.select("//user[@active='true']", doc);
  res.json(nodes.filter((n) => n.getAttribute("name") === req.query.name).length);
});

app.get("/num", (req, res) => {
  const id = parseInt(req.query.id, 10);
  // ok: xpath-injection-js
  res.json(xpath.select(`//item[@id=${id}]`, doc).length);
});

app.get("/cfg", (req, res) => {
  // ok: xpath-injection-js
  const v = cache.get(req.query.key);
  res.json(v);
});
