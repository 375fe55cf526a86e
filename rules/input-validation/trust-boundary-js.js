const express = require("express");
const session = require("express-session");

const app = express();
const ALLOWED_THEMES = new Set(["light", "dark"]);

app.post("/prefs", (req, res) => {
  // ruleid: trust-boundary-js
  req.session.userId = req.body.userId;
  const role = req.query.role;
  // ruleid: trust-boundary-js
  req.session.role = role;
  // ruleid: trust-boundary-js
  req.session[req.query.key] = "1";
  // ruleid: trust-boundary-js
  Object.assign(req.session, req.body);
  res.send("ok");
});

app.post("/safe", async (req, res) => {
  // ok: trust-boundary-js
  req.session.pageSize = parseInt(req.query.pageSize, 10);
  const theme = req.body.theme;
  if (ALLOWED_THEMES.has(theme)) {
    // ok: trust-boundary-js
    req.session.theme = theme;
  }
  const user = await User.findOne({ email: req.body.email });
  // ok: trust-boundary-js
  req.session.userId = user.id;
  // ok: trust-boundary-js
  req.session.visits = (req.session.visits || 0) + 1;
  const prefs = prefsSchema.parse(req.body);
  // ok: trust-boundary-js
  req.session.prefs = prefs;
  res.send("ok");
});
