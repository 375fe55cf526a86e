const ldap = require("ldapjs");
const ldapEscape = require("ldap-escape");
const { EqualityFilter, AndFilter } = require("ldapjs");

const client = ldap.createClient({ url: process.env.LDAP_URL });

app.get("/users", (req, res) => {
  const uid = req.query.uid;
  // ruleid: ldap-injection-js
  client.search("ou=people,dc=example,dc=com", { filter: `(uid=${uid})`, scope: "sub" }, (err, r) => {
    r.on("end", () => res.end());
  });
});

app.post("/login", (req, res) => {
  const opts = {
    // ruleid: ldap-injection-js
    filter: "(&(uid=" + req.body.username + ")(objectClass=person))",
    scope: "sub",
  };
  client.search("dc=example,dc=com", opts, (err, r) => res.end());
});

app.get("/group", (req, res) => {
  const opts = { scope: "one" };
  // ruleid: ldap-injection-js
  opts.filter = `(cn=${req.params.group})`;
  client.search("ou=groups,dc=example,dc=com", opts, () => res.end());
});

app.get("/dn", (req, res) => {
  // ruleid: ldap-injection-js
  client.search(`uid=${req.query.uid},ou=people,dc=example,dc=com`, { filter: "(objectClass=*)" }, () => res.end());
});

app.get("/parse", (req, res) => {
  // ruleid: ldap-injection-js
  const f = ldap.parseFilter(`(mail=${req.query.mail})`);
  res.json({ filter: f.toString() });
});

// ---- safe ----
app.get("/users-escaped", (req, res) => {
  // ok: ldap-injection-js
  client.search("ou=people,dc=example,dc=com", { filter: ldapEscape.filter`(uid=${req.query.uid})` }, () => res.end());
});

app.get("/users-object", (req, res) => {
  const filter = new AndFilter({
    filters: [
      new EqualityFilter({ attribute: "uid", value: req.query.uid }),
      new ldap.EqualityFilter({ attribute: "objectClass", value: "person" }),
    ],
  });
  // ok: ldap-injection-js
  client.search("ou=people,dc=example,dc=com", { filter, scope: "sub" }, () => res.end());
  // ok: ldap-injection-js
  client.search("ou=people,dc=example,dc=com", { filter: filter, scope: "sub" }, () => res.end());
});

app.get("/users-helper", (req, res) => {
  const uid = escapeLdapFilter(req.query.uid);
  // ok: ldap-injection-js
  client.search("ou=people,dc=example,dc=com", { filter: `(uid=${uid})` }, () => res.end());
});

app.get("/const", (req, res) => {
  // ok: ldap-injection-js
  client.search("ou=people,dc=example,dc=com", { filter: "(objectClass=person)", attributes: [req.query.attr] }, () => res.end());
});
