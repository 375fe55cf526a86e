const express = require("express");
const pino = require("pino");

const logger = pino({ redact: ["req.headers.authorization"] });
const router = express.Router();

function mask(value) {
  return value.slice(0, 4) + "...";
}

router.post("/login", async (req, res) => {
  const { username, password } = req.body;
  // ruleid: secret-in-log-js
  console.log("login attempt", username, password);
  // ruleid: secret-in-log-js
  logger.info(`login attempt ${username} with ${req.body.password}`);
  // ruleid: secret-in-log-js
  console.log("incoming request", req.headers);
  // ruleid: secret-in-log-js
  logger.debug("body: " + JSON.stringify(req.body));
  // ruleid: secret-in-log-js
  logger.info({ user: username, auth: req.headers["authorization"] }, "login");
  // ok: secret-in-log-js
  logger.info({ requestId: req.id, userId: username }, "login attempt");
  // ok: secret-in-log-js
  console.log(`password length ${password.length}`);
  // ok: secret-in-log-js
  logger.info("user agent %s", req.get("user-agent"));
  res.sendStatus(204);
});

async function callApi(client) {
  const apiKey = process.env.PAYMENTS_API_KEY;
  // ruleid: secret-in-log-js
  console.log("key", apiKey);
  // ruleid: secret-in-log-js
  logger.warn("using " + process.env.STRIPE_SECRET_KEY + " for payments");
  const { accessToken, tokenType, expiresIn } = await client.auth();
  // ok: secret-in-log-js
  logger.info(`got ${tokenType} token ${mask(accessToken)}, expires in ${expiresIn}s`);
  // ok: secret-in-log-js
  logger.info("token prefix", accessToken.slice(0, 4));
  // ok: secret-in-log-js
  logger.info("next page", client.nextPageToken);
  return accessToken;
}

module.exports = { router, callApi };
