const express = require("express");
const pino = require("pino");
const logger = pino();
const app = express();

app.post("/login", (req, res) => {
  const user = req.body.username;
  // ruleid: log-injection-js
  console.log(`login failed for ${user}`);
  // ruleid: log-injection-js
  logger.warn("login failed for " + req.query.name);
  // ok: log-injection-js
  logger.info({ user }, "login failed");
  // ok: log-injection-js
  logger.info(`login failed for ${JSON.stringify(user)}`);
  // ok: log-injection-js
  console.log(`login failed for ${user.replace(/[\r\n]/g, " ")}`);
  const requestId = req.get("X-Request-Id");
  // ok: log-injection-js
  logger.info(`handling ${requestId}`);
  // ruleid: log-injection-js
  req.log.info(`search for ${req.params.term}`);
  const count = Number(req.query.count);
  // ok: log-injection-js
  logger.info(`count ${count}`);
  // ok: log-injection-js
  logger.info(`served ${res.statusCode}`);
  res.sendStatus(401);
});

app.post("/session", (req, res) => {
  // ruleid: log-injection-js
  logger.info("login from " + req.get("user-agent"));
  // ruleid: log-injection-js
  logger.warn(`came from ${req.headers["referer"]}`);
  const fwd = req.header("X-Forwarded-For");
  // ruleid: log-injection-js
  console.log(`client ${fwd}`);
  // ok: log-injection-js
  logger.info({ userAgent: req.get("user-agent") }, "login");
  // ok: log-injection-js
  logger.info(`trace ${req.get("traceparent")} request ${req.headers["x-request-id"]}`);
  // ok: log-injection-js
  logger.info(`ua ${req.get("user-agent").replace(/[\r\n]/g, " ")}`);
  res.sendStatus(204);
});

export async function GET(request) {
  // ruleid: log-injection-js
  logger.info(`search from ${request.headers.get("user-agent")}`);
  // ok: log-injection-js
  logger.info(`search ${request.headers.get("x-request-id")}`);
  return new Response("ok");
}

const koaRouter = require("@koa/router")();
koaRouter.get("/ping", (ctx) => {
  // ruleid: log-injection-js
  ctx.log.info(`ping from ${ctx.get("User-Agent")}`);
  ctx.body = "pong";
});
