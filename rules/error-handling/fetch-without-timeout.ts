export async function getRates(base: string) {
  // ruleid: fetch-without-timeout
  const res = await fetch(`${process.env.RATES_URL}/latest?base=${base}`);
  if (!res.ok) throw new Error(`rates: ${res.status}`);
  return res.json();
}

export async function postEvent(event: object) {
  // ruleid: fetch-without-timeout
  const res = await fetch(process.env.EVENTS_URL!, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(event),
  });
  if (!res.ok) throw new Error(`events: ${res.status}`);
}

export async function getStock(sku: string) {
  // ok: fetch-without-timeout
  const res = await fetch(`${process.env.STOCK_URL}/${sku}`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`stock: ${res.status}`);
  return res.json();
}

export async function withController(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    // ok: fetch-without-timeout
    return await fetch(url, { method: "GET", signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

export async function send(request: Request) {
  // ok: fetch-without-timeout
  return fetch(request);
}
