import axios from "axios";

export class PaymentsClient {
  // ruleid: high-entropy-secret-js
  constructor(private readonly apiKey: string = "Zx9LmQ2pR7vT4wYb8nK3sD6fH1jG5cA0", private timeoutMs = 5000) {}
}

// ruleid: high-entropy-secret-js
export function connect({ host, authToken = "q8Vh3kT0bR9mZ2xYc5Lw7Np1Fs4Gd6J" }: { host: string; authToken?: string }) {
  return { host, authToken };
}

// ruleid: high-entropy-secret-js
export const signer = (secret = "R7vT4wYb8nK3sD6fH1jG5cA0Zx9LmQ2p") => secret.length;

// ruleid: high-entropy-secret-js
const STRIPE_KEY_PROD = "nK3sD6fH1jG5cA0Zx9LmQ2pR7vT4wYb8";
// ruleid: high-entropy-secret-js
const config = { apiKeyLive: "b8nK3sD6fH1jG5cA0Zx9LmQ2pR7vT4wY" };

// ruleid: high-entropy-secret-js
const github = axios.create({ headers: { Authorization: "token 3sD6fH1jG5cA0Zx9LmQ2pR7vT4wYb8nK" } });
// ruleid: high-entropy-secret-js
const okta = { headers: { "Authorization": "SSWS 00QCjAl4MlV-WPXM7bCd4FbYxK2n8qLp9sTz" } };

export function addAuth(headers: Headers) {
  // ruleid: high-entropy-secret-js
  headers.set("Authorization", "Api-Key fH1jG5cA0Zx9LmQ2pR7vT4wYb8nK3sD6");
}

// --- safe --------------------------------------------------------------------------
// ok: high-entropy-secret-js
export function fetchWith(token: string = process.env.PARTNER_TOKEN ?? "") {
  return token;
}

// ok: high-entropy-secret-js
export function paginate(pageToken = "AAAAAAAAAAAAAAAAAAAAAA", nextToken?: string) {
  return pageToken;
}

// ok: high-entropy-secret-js
export function header(authHeader = "Authorization") {
  return authHeader;
}

// ok: high-entropy-secret-js
export function secretPath(secretName = "payments/prod/webhook-signing-secret") {
  return secretName;
}

// ok: high-entropy-secret-js
const cacheKeyV2 = "orders:list:9f3a7c2b1d4e5f6a7b8c9d0e";
// ok: high-entropy-secret-js
const STRIPE_KEY_PROD_ENV = process.env.STRIPE_KEY_PROD;
// ok: high-entropy-secret-js
const gh = { headers: { Authorization: `token ${process.env.GITHUB_TOKEN}` } };
// reported by hardcoded-secret-js (Bearer is a scheme it parses; apiKey is a credential name)
// ok: high-entropy-secret-js
const bearer = { headers: { Authorization: "Bearer 3sD6fH1jG5cA0Zx9LmQ2pR7vT4wYb8nK" } };
// ok: high-entropy-secret-js
const apiKey = "Zx9LmQ2pR7vT4wYb8nK3sD6fH1jG5cA0";
// ok: high-entropy-secret-js
const negotiate = { headers: { Authorization: "Negotiate" } };
// ok: high-entropy-secret-js
const placeholderKeyProd = "your-api-key-goes-here-1234567";

// ok: high-entropy-secret-js
export function lookup(token = "access_token_for_2024_v2") {
  return token;
}

// ok: high-entropy-secret-js
export function stub(apiKey = "test-api-key-1234567890") {
  return apiKey;
}
