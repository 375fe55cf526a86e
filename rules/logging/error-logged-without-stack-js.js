const logger = require("pino")();

async function charge(order) {
  try {
    return await stripe.charges.create(order);
  } catch (err) {
    // ruleid: error-logged-without-stack-js
    logger.error(`charge failed: ${err}`);
    return null;
  }
}

async function refund(order) {
  try {
    return await stripe.refunds.create(order);
  } catch (e) {
    // ruleid: error-logged-without-stack-js
    console.error("refund failed", e.message);
    return null;
  }
}

async function ship(order) {
  try {
    return await carrier.ship(order);
  } catch (err) {
    // ok: error-logged-without-stack-js
    logger.error({ err, orderId: order.id }, "shipping failed");
    // ok: error-logged-without-stack-js
    console.error("shipping failed", err);
    return null;
  }
}

async function notify(order) {
  try {
    return await mailer.send(order);
  } catch (err) {
    // ok: error-logged-without-stack-js
    logger.warn(`mail failed: ${err.message}`);
    throw new Error("mail failed", { cause: err });
  }
}

async function audit(order) {
  try {
    await db.insert(order);
  } catch (err) {
    // ok: error-logged-without-stack-js
    logger.info(`audit skipped: ${err.message}`);
  }
}
