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
