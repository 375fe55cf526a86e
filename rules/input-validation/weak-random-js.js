const crypto = require("crypto");

function generateToken(length = 32) {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < length; i++) {
    out += chars[Math.floor(Math.random() * chars.length)];
  }
  // ruleid: weak-random-js
  return out;
}

// ruleid: weak-random-js
const makeSessionId = () => Math.random().toString(36).slice(2);

app.post("/login", (req, res) => {
  const value = Math.random().toString(36).substring(2);
  // ruleid: weak-random-js
  req.session.sid = value;
  // ruleid: weak-random-js
  res.cookie("remember", Math.random().toString(36));
  res.send("ok");
});

async function startReset(user) {
  // ruleid: weak-random-js
  user.resetToken = Math.random().toString(36).substring(2, 15);
  // ruleid: weak-random-js
  const otp = Math.floor(100000 + Math.random() * 900000);
  await sendSms(user.phone, otp);
  // ruleid: weak-random-js
  await db.users.update(user.id, { apiKey: Math.random().toString(16).slice(2) });
}

function safeToken() {
  // ok: weak-random-js
  return crypto.randomBytes(32).toString("base64url");
}

function safeSession(req) {
  // ok: weak-random-js
  req.session.sid = crypto.randomUUID();
  // ok: weak-random-js
  const otp = crypto.randomInt(0, 1000000);
  return otp;
}

async function retry(fn, attempt) {
  // jitter in backoff is not a secret
  // ok: weak-random-js
  const delay = Math.min(30000, 2 ** attempt * 100) * (0.5 + Math.random());
  await new Promise((r) => setTimeout(r, delay));
  return fn();
}

function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    // ok: weak-random-js
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function pickColor(colors) {
  // ok: weak-random-js
  const color = colors[Math.floor(Math.random() * colors.length)];
  return color;
}

function tokenizeLine(line) {
  // ok: weak-random-js
  const id = Math.random();
  return line.split(" ").map((t) => ({ t, id }));
}
