const express = require("express");

const router = express.Router();

router.post("/orders", async (req, res, next) => {
  // ruleid: console-only-in-catch
  try {
    const order = await orders.create(req.body);
    res.status(201).json(order);
  } catch (err) {
    console.log(err);
  }
});

function warmCache(cache) {
  // ruleid: console-only-in-catch
  cache.load().catch((err) => console.error(err));
}

router.post("/payments", async (req, res, next) => {
  // ok: console-only-in-catch
  try {
    const payment = await payments.charge(req.body);
    res.status(201).json(payment);
  } catch (err) {
    console.error(err);
    next(err);
  }
});

const orders = { create: async (x) => x };
const payments = { charge: async (x) => x };
