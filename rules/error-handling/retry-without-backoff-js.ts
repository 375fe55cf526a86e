import axios from "axios";
import axiosRetry from "axios-retry";
import pRetry from "p-retry";
import { setTimeout as sleep } from "node:timers/promises";

const MAX_ATTEMPTS = 5;
const api = axios.create({ baseURL: process.env.RATES_URL, timeout: 5000 });

export async function fetchRates(currency: string): Promise<Record<string, number>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      // ruleid: retry-without-backoff-js
      const res = await api.get(`/rates/${currency}`);
      return res.data;
    } catch (err) {
      console.warn(`rates fetch failed (attempt ${attempt})`, err);
    }
  }
  throw new Error("rates service unavailable");
}

export async function publish(channel: any, message: Buffer): Promise<void> {
  while (true) {
    try {
      // ruleid: retry-without-backoff-js
      await channel.publish("events", "orders", message);
      break;
    } catch {
      continue;
    }
  }
}

export async function connectDb(pool: any) {
  let attempts = 0;
  do {
    try {
      // ruleid: retry-without-backoff-js
      return await pool.connect();
    } catch (err) {
      attempts += 1;
      if (attempts >= 3) {
        throw err;
      }
    }
  } while (true);
}

export async function fetchWithBackoff(url: string): Promise<unknown> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      // ok: retry-without-backoff-js
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.ok) return await res.json();
    } catch (err) {
      if (attempt === MAX_ATTEMPTS - 1) throw err;
    }
    await sleep(Math.min(30_000, 500 * 2 ** attempt) + Math.random() * 250);
  }
  throw new Error("unreachable");
}

export async function fetchWithPRetry(url: string) {
  return pRetry(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    },
    { retries: 5, factor: 2, randomize: true },
  );
}

axiosRetry(api, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

export async function firstReachable(mirrors: string[]): Promise<Response> {
  // trying alternatives, not retrying one dependency
  for (let i = 0; i < mirrors.length; i++) {
    try {
      // ok: retry-without-backoff-js
      return await fetch(mirrors[i], { signal: AbortSignal.timeout(3000) });
    } catch {
      continue;
    }
  }
  throw new Error("no mirror reachable");
}

export async function sendOnce(client: any, body: unknown) {
  while (true) {
    try {
      // ok: retry-without-backoff-js
      const res = await client.send(body);
      if (res.done) break;
    } catch (err) {
      client.close();
      throw err;
    }
  }
}
