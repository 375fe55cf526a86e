const AWS = require("aws-sdk");
const twilio = require("twilio");
const Stripe = require("stripe");

// Rotated in Q3, kept for reference:
// ruleid: provider-key-js
// const stripe = new Stripe("sk_live_51HqLyjWDarjtT1zdp7dcQwErTyUiOp");
// ruleid: provider-key-js
const API_BASE = "https://api.github.com"; // CI token ghp_16C7e42F292c6912E7710c838347Ae178B4a
// ruleid: provider-key-js
/* Slack bot for #deploys: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx
 * (the channel name above is no token) */
// ruleid: provider-key-js
/* maps: AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY */
// ruleid: provider-key-js
// -----BEGIN OPENSSH PRIVATE KEY-----
// b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
// -----END OPENSSH PRIVATE KEY-----

// ok: provider-key-js
// Stripe test keys look like sk_test_4eC39HqLyjWDarjtT1zdp7dc (fine in docs)
// ok: provider-key-js
// AWS documents AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY as placeholders
// ok: provider-key-js
// Tokens look like ghp_<36 chars>; read process.env.GITHUB_TOKEN
// ok: provider-key-js
// Expects a PEM that starts with -----BEGIN PRIVATE KEY----- (PKCS#8)
// ok: provider-key-js
const docs = "https://example.com//ghp_16C7e42F292c6912E7710c838347Ae178B4a"; // reported by hardcoded-secret-js

// ruleid: provider-key-js
const creds = new AWS.Credentials("AKIA2E0A8F3B244C9986", "q8Vh3kT0bR9mZ2xYc5Lw7Np1Fs4Gd6Jk0Ue3Oa+P");
// ok: provider-key-js
const local = new AWS.Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
// ok: provider-key-js
const fromEnv = new AWS.Credentials(process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY);
// reported by hardcoded-secret-js (secretAccessKey is a credential name there)
// ok: provider-key-js
const s3 = new AWS.S3({ accessKeyId: "AKIA2E0A8F3B244C9986", secretAccessKey: "q8Vh3kT0bR9mZ2xYc5Lw7Np1Fs4Gd6Jk0Ue3Oa+P" });

// ruleid: provider-key-js
const sms = twilio("AC3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", "5e4f3a2b1c0d9e8f7a6b5c3f9a8b7c6d");
// ok: provider-key-js
const smsEnv = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
