async function chargeOrder(order, payments, logger) {
  // ruleid: empty-catch-js
  try {
    await payments.charge(order.id, order.total);
  } catch (err) {}

  // ruleid: empty-catch-js
  sendReceipt(order).catch(() => {});

  // ok: empty-catch-js
  try {
    await payments.capture(order.id);
  } catch (err) {
    logger.error({ err, orderId: order.id }, "capture failed");
    throw err;
  }
}

function parseOptional(text) {
  // ok: empty-catch-js
  try {
    return JSON.parse(text);
  } catch {
    // not JSON: treat it as plain text
  }
  return text;
}

function sendReceipt() {
  return Promise.resolve();
}
