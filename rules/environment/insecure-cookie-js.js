const express = require("express");
const session = require("express-session");
const cookieSession = require("cookie-session");

const app = express();

app.use(
  // ruleid: insecure-cookie-js
  session({ secret: process.env.SESSION_SECRET, resave: false, cookie: { secure: false, httpOnly: true } })
);
// ruleid: insecure-cookie-js
app.use(cookieSession({ name: "session", keys: [process.env.KEY], secure: false }));
// ok: insecure-cookie-js
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true } }));
// ok: insecure-cookie-js
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: process.env.NODE_ENV === "production" } }));

app.post("/login", (req, res) => {
  // ruleid: insecure-cookie-js
  res.cookie("auth_token", token, { httpOnly: true, secure: false });
  // ruleid: insecure-cookie-js
  res.cookie("sid", token);
  // ruleid: insecure-cookie-js
  res.cookie("remember", "1", { httpOnly: true, maxAge: 86400000 });
  // ok: insecure-cookie-js
  res.cookie("sid", token, { httpOnly: true, secure: true, sameSite: "lax" });
  // ok: insecure-cookie-js
  res.cookie("sid", token, { httpOnly: true, secure: config.cookieSecure });
  // ok: insecure-cookie-js
  res.cookie("sid", token, { ...cookieDefaults, httpOnly: true });
  // ok: insecure-cookie-js
  res.cookie("sid", token, cookieOptions);
  // ok: insecure-cookie-js
  res.clearCookie("sid");
  res.send("ok");
});

function koaHandler(ctx) {
  // ruleid: insecure-cookie-js
  ctx.cookies.set("session", id, { httpOnly: true, secure: false });
  // ok: insecure-cookie-js
  ctx.cookies.set("session", id, { httpOnly: true, secure: true });
}

// client-side jQuery cookie plugin: not a response
// ok: insecure-cookie-js
$.cookie("theme", "dark");
