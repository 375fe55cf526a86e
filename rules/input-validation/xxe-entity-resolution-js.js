const libxmljs = require("libxmljs");
const libxml2 = require("libxmljs2");
const { XMLParser } = require("fast-xml-parser");
const xml2js = require("xml2js");

app.post("/import", (req, res) => {
  // ruleid: xxe-entity-resolution-js
  const doc = libxmljs.parseXml(req.body, { noent: true });
  res.json({ root: doc.root().name() });
});

app.post("/saml", (req, res) => {
  // ruleid: xxe-entity-resolution-js
  const doc = libxml2.parseXmlString(req.body.SAMLResponse, { dtdload: true, noblanks: true });
  res.json({ ok: !!doc });
});

function loadFeed(text) {
  const opts = { noblanks: true, dtdvalid: true };
  // ruleid: xxe-entity-resolution-js
  return libxmljs.parseXml(text, opts);
}

function loadConfig(text) {
  const opts = { noblanks: true };
  opts.noent = true;
  // ruleid: xxe-entity-resolution-js
  return libxmljs.parseXmlString(text, opts);
}

// ---- safe ----
app.post("/import-safe", (req, res) => {
  // ok: xxe-entity-resolution-js
  const doc = libxmljs.parseXml(req.body);
  // ok: xxe-entity-resolution-js
  const doc2 = libxmljs.parseXml(req.body, { noent: false, noblanks: true });
  // ok: xxe-entity-resolution-js
  const doc3 = libxml2.parseXmlString(req.body, { noblanks: true, nonet: true });
  res.json({ a: !!doc, b: !!doc2, c: !!doc3 });
});

app.post("/fxp", (req, res) => {
  const parser = new XMLParser({ ignoreAttributes: false, processEntities: true });
  // ok: xxe-entity-resolution-js
  const data = parser.parse(req.body);
  // ok: xxe-entity-resolution-js
  xml2js.parseString(req.body, { explicitArray: false }, (err, out) => res.json(out));
});
