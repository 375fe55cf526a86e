const Stripe = require("stripe");
const jwt = require("jsonwebtoken");
const AWS = require("aws-sdk");

// ruleid: hardcoded-secret-js
const stripe = Stripe("sk_live_51HqLyjWDarjtT1zdp7dcQwErTyUiOp");
// ruleid: hardcoded-secret-js
const AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
// ruleid: hardcoded-secret-js
const JWT_SECRET = "s3cr3t-jwt-k3y-2024";
// ruleid: hardcoded-secret-js
const sessionSecret = process.env.SESSION_SECRET || "keyboard-cat-dev";

const s3 = new AWS.S3({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID,
  // ruleid: hardcoded-secret-js
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
});

const dbConfig = {
  user: "orders",
  // ruleid: hardcoded-secret-js
  password: "Pa55w0rd!2024",
  host: process.env.DB_HOST,
};

function issue(user) {
  // ruleid: hardcoded-secret-js
  return jwt.sign({ sub: user.id }, "my-very-secret-signing-key", { expiresIn: "1h" });
}

// ok: hardcoded-secret-js
const stripeLive = Stripe(process.env.STRIPE_SECRET_KEY);
// ok: hardcoded-secret-js
const PASSWORD_FIELD = "password";
// ok: hardcoded-secret-js
const form = { username: "", password: "" };
// ok: hardcoded-secret-js
const tokenHeader = { apiKey: "x-api-key" };
// ok: hardcoded-secret-js
const passwordResetUrl = "https://shop.example.com/reset";
// ok: hardcoded-secret-js
const secret = process.env.JWT_SECRET;

function verify(token) {
  // ok: hardcoded-secret-js
  return jwt.verify(token, process.env.JWT_PUBLIC_KEY, { algorithms: ["RS256"] });
}
