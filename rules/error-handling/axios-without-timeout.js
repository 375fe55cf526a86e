const axios = require("axios");

async function getUser(id) {
  // ruleid: axios-without-timeout
  const { data } = await axios.get(`${process.env.USERS_API}/users/${id}`);
  return data;
}

async function notify(order) {
  // ruleid: axios-without-timeout
  await axios.post(process.env.WEBHOOK_URL, { orderId: order.id }, { headers: { "x-sig": order.sig } });
}

// ruleid: axios-without-timeout
const payments = axios.create({ baseURL: process.env.PAYMENTS_URL });

async function refund(id) {
  // ruleid: axios-without-timeout
  return axios({ method: "post", url: `${process.env.PAYMENTS_URL}/refunds`, data: { id } });
}

// ok: axios-without-timeout
const users = axios.create({ baseURL: process.env.USERS_URL, timeout: 5000 });

async function getOrder(id) {
  // ok: axios-without-timeout
  const { data } = await axios.get(`${process.env.ORDERS_API}/orders/${id}`, { timeout: 3000 });
  return data;
}

async function ship(order) {
  // ok: axios-without-timeout
  await axios.post(process.env.SHIPPING_URL, order, { timeout: 5000, headers: { "x-id": order.id } });
}

async function stock(sku) {
  // ok: axios-without-timeout
  return axios.get(`${process.env.STOCK_URL}/${sku}`, { signal: AbortSignal.timeout(2000) });
}

async function viaInstance(id) {
  // ok: axios-without-timeout
  return users.get(`/users/${id}`);
}
