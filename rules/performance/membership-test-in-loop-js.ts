type Order = { id: string; customerId: string; sku: string };
type Customer = { id: string; name: string; active: boolean };

const STATUSES = ["new", "paid", "shipped"];

export function uniqueCustomers(orders: Order[]): string[] {
  const seen: string[] = [];
  for (const order of orders) {
    // ruleid: membership-test-in-loop-js
    if (!seen.includes(order.customerId)) {
      seen.push(order.customerId);
    }
  }
  return seen;
}

export function withCustomers(orders: Order[], customers: Customer[]) {
  return orders.map((order) => ({
    ...order,
    // ruleid: membership-test-in-loop-js
    customer: customers.find((c) => c.id === order.customerId),
  }));
}

export function missingSkus(ordered: string[], catalog: { sku: string }[]): string[] {
  const known = catalog.map((row) => row.sku);
  // ruleid: membership-test-in-loop-js
  return ordered.filter((sku) => known.indexOf(sku) === -1);
}

export function dedupe<T>(items: T[]): T[] {
  // ruleid: membership-test-in-loop-js
  return items.filter((item, index) => items.indexOf(item) === index);
}

export function uniqueCustomersFast(orders: Order[]): string[] {
  const seen = new Set<string>();
  for (const order of orders) {
    // ok: membership-test-in-loop-js
    seen.add(order.customerId);
  }
  return [...seen];
}

export function withCustomersFast(orders: Order[], customers: Customer[]) {
  const byId = new Map(customers.map((c) => [c.id, c]));
  // ok: membership-test-in-loop-js
  return orders.map((order) => ({ ...order, customer: byId.get(order.customerId) }));
}

export function missingSkusFast(ordered: string[], catalog: { sku: string }[]): string[] {
  const known = new Set(catalog.map((row) => row.sku));
  // ok: membership-test-in-loop-js
  return ordered.filter((sku) => !known.has(sku));
}

export function validStatuses(rows: { status: string }[]) {
  // ok: membership-test-in-loop-js
  return rows.filter((row) => STATUSES.includes(row.status));
}

export function taggedLines(lines: string[], tag: string) {
  // ok: membership-test-in-loop-js
  return lines.filter((line) => line.includes(tag));
}

export function hasAuthHeader(headers: [string, string][]) {
  // ok: membership-test-in-loop-js
  return headers.some(([name]) => ["authorization", "x-api-key"].includes(name.toLowerCase()));
}

export function matchesAllWords(nodes: { text: string; shown: boolean }[], query: string) {
  const words = query.toLowerCase().split(/\s+/);
  for (const node of nodes) {
    const text = node.text.toLowerCase();
    // ok: membership-test-in-loop-js
    node.shown = words.every((word) => text.includes(word));
  }
}
