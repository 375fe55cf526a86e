import { Pool } from "pg";

// ruleid: localhost-url-default-js
const DATABASE_URL = process.env.DATABASE_URL || "postgres://app:app@localhost:5432/app";
// ruleid: localhost-url-default-js
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
// ruleid: localhost-url-default-js
const apiBase: string = process.env["PAYMENTS_URL"] || "http://localhost:4000";
// ruleid: localhost-url-default-js
const host = process.env.DB_HOST || "localhost";

// ok: localhost-url-default-js
const port = Number(process.env.PORT || 3000);
// ok: localhost-url-default-js
const bindHost = process.env.HOST || "0.0.0.0";
// ok: localhost-url-default-js
const listenOn = process.env["BIND_HOST"] ?? '0.0.0.0';
// ruleid: localhost-url-default-js
const bindLoopback = process.env.BIND_HOST || "127.0.0.1";
// ruleid: localhost-url-default-js
const searchUrl = process.env.SEARCH_URL || `http://0.0.0.0:9200`;
// ok: localhost-url-default-js
const region = process.env.AWS_REGION || "eu-west-1";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}
// ok: localhost-url-default-js
export const pool = new Pool({ connectionString: required("DATABASE_URL"), max: 20 });
