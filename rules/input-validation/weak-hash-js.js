const crypto = require("crypto");
const md5 = require("md5");

function storePassword(user, password) {
  // ruleid: weak-hash-js
  user.passwordHash = crypto.createHash("md5").update(password).digest("hex");
}

function checkLogin(user, plainPassword) {
  // ruleid: weak-hash-js
  return user.hash === crypto.createHash("sha1").update(user.salt + plainPassword).digest("hex");
}

function verifyWebhook(body, header) {
  // ruleid: weak-hash-js
  const expected = crypto.createHash("sha1").update(WEBHOOK_SECRET + body).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(header, "hex"));
}

const makeResetToken = (user) => {
  // ruleid: weak-hash-js
  const h = crypto.createHash("md5");
  h.update(`${user.id}:${user.email}:${Date.now()}`);
  return h.digest("hex");
};

function legacyApiKey(apiKey) {
  // ruleid: weak-hash-js
  return md5(apiKey);
}

function etag(body) {
  // ok: weak-hash-js
  return '"' + crypto.createHash("md5").update(body).digest("base64") + '"';
}

function cacheKey(url) {
  // ok: weak-hash-js
  const key = crypto.createHash("sha1").update(url).digest("hex");
  return "page:" + key;
}

function hashPassword(password, salt) {
  // ok: weak-hash-js
  return crypto.scryptSync(password, salt, 64).toString("hex");
}

function signPayload(payload, key) {
  // ok: weak-hash-js
  return crypto.createHmac("sha256", key).update(payload).digest("hex");
}

function tokenDigest(token) {
  // ok: weak-hash-js
  return crypto.createHash("sha256").update(token).digest("hex");
}

function tokenizeWords(text) {
  // a lexer, not an auth token
  // ok: weak-hash-js
  return text.split(" ").map((w) => crypto.createHash("md5").update(w).digest("hex"));
}
