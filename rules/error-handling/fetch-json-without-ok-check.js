async function getPrice(sku) {
  const res = await fetch(`${process.env.PRICES_URL}/${sku}`, { signal: AbortSignal.timeout(3000) });
  // ruleid: fetch-json-without-ok-check
  const body = await res.json();
  return body.price;
}

function getUser(id) {
  // ruleid: fetch-json-without-ok-check
  return fetch(`/api/users/${id}`).then((r) => r.json());
}

async function getOrder(id) {
  const res = await fetch(`${process.env.ORDERS_URL}/${id}`, { signal: AbortSignal.timeout(3000) });
  if (!res.ok) {
    throw new Error(`orders: HTTP ${res.status}`);
  }
  // ok: fetch-json-without-ok-check
  return res.json();
}

async function getStock(sku) {
  const response = await fetch(`${process.env.STOCK_URL}/${sku}`, { signal: AbortSignal.timeout(3000) });
  if (response.status === 404) return 0;
  if (response.status !== 200) throw new Error(`stock: ${response.status}`);
  // ok: fetch-json-without-ok-check
  const { quantity } = await response.json();
  return quantity;
}

async function assertOk(res) {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
}

async function getRates() {
  const res = await fetch(process.env.RATES_URL, { signal: AbortSignal.timeout(3000) });
  await assertOk(res);
  // ok: fetch-json-without-ok-check
  return res.json();
}
