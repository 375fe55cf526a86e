import express from "express";
import Koa from "koa";
import { NextRequest, NextResponse } from "next/server";

const app = express();
const ALLOWED_HOSTS = new Set(["example.com", "www.example.com"]);

app.get("/login", (req, res) => {
  // ruleid: open-redirect-js
  res.redirect(req.query.next as string);
});

app.post("/logout", (req, res) => {
  const target = req.body.returnTo || "/";
  // ruleid: open-redirect-js
  res.redirect(302, target);
});

app.get("/back", (req, res) => {
  // ruleid: open-redirect-js
  res.location(req.get("Referer") + "?from=app").sendStatus(302);
});

app.get("/raw", (req, res) => {
  // ruleid: open-redirect-js
  res.writeHead(302, { Location: req.query.url });
  res.end();
});

const koa = new Koa();
koa.use(async (ctx) => {
  // ruleid: open-redirect-js
  ctx.redirect(ctx.query.return_to);
});

export function middleware(request: NextRequest) {
  const next = request.nextUrl.searchParams.get("next");
  // ruleid: open-redirect-js
  return NextResponse.redirect(new URL(next, request.url));
}

// ---- safe idioms ----

app.get("/local", (req, res) => {
  const next = String(req.query.next || "/");
  if (!next.startsWith("/") || next.startsWith("//")) {
    return res.redirect("/");
  }
  // ok: open-redirect-js
  res.redirect(next);
});

app.get("/out", (req, res) => {
  const target = req.query.url as string;
  const parsed = new URL(target, "https://example.com");
  if (!ALLOWED_HOSTS.has(parsed.host)) {
    return res.status(400).send("bad target");
  }
  // ok: open-redirect-js
  res.redirect(target);
});

app.get("/user", (req, res) => {
  // ok: open-redirect-js
  res.redirect("/users/" + encodeURIComponent(req.params.id));
});

app.get("/profile", (req, res) => {
  // ok: open-redirect-js
  res.redirect(`/profile/${req.params.id}`);
});

app.get("/listed", (req, res) => {
  const next = req.query.next;
  if (["/", "/dashboard"].includes(next)) {
    // ok: open-redirect-js
    return res.redirect(next);
  }
  res.redirect("/");
});

app.get("/config", (req, res) => {
  // ok: open-redirect-js
  res.redirect(process.env.LOGIN_URL);
});

app.get("/checked", (req, res) => {
  const next = req.query.next;
  if (isSafeRedirect(next)) {
    // ok: open-redirect-js
    return res.redirect(next);
  }
  res.redirect("/");
});

const ALLOWED_RETURN = new Set(["/", "/account", "/orders"]);

app.get("/logout/continue", (req, res) => {
  // ok: open-redirect-js
  res.redirect(ALLOWED_RETURN.has(req.query.returnTo) ? req.query.returnTo : "/");
});

app.get("/logout/continue2", (req, res) => {
  const to = req.query.returnTo as string;
  // ok: open-redirect-js
  res.redirect(["/", "/account"].includes(to) ? to : "/");
});

app.get("/logout/continue3", (req, res) => {
  const to = req.query.returnTo as string;
  // ok: open-redirect-js
  res.redirect(!ALLOWED_RETURN.has(to) ? "/" : to);
});

app.get("/logout/continue4", (req, res) => {
  const to = req.query.returnTo as string;
  // ok: open-redirect-js
  res.redirect(isAllowedReturn(to) ? to : "/");
});

app.get("/logout/continue5", (req, res) => {
  // ok: open-redirect-js
  res.redirect(safeReturnUrl(req.query.returnTo));
});

app.get("/logout/fallback-tainted", (req, res) => {
  const to = req.query.returnTo as string;
  // ruleid: open-redirect-js
  res.redirect(ALLOWED_RETURN.has(to) ? to : req.query.fallback);
});

app.get("/truthy", (req, res) => {
  const to = req.query.returnTo as string;
  if (to) {
    // ruleid: open-redirect-js
    return res.redirect(to);
  }
  res.redirect("/");
});

app.get("/any-call", (req, res) => {
  const to = req.query.returnTo as string;
  if (String(to)) {
    // ruleid: open-redirect-js
    return res.redirect(to);
  }
  res.redirect("/");
});
