"""Orders API: /api/orders"""
import logging
import pickle

import psycopg2
from flask import Blueprint, jsonify, request

from . import config
from .payments import charge

logger = logging.getLogger(__name__)

bp = Blueprint("orders", __name__, url_prefix="/api/orders")

ORDER_COUNTER = 0
CUSTOMER_CACHE = {}


def get_db():
    return psycopg2.connect(config.DATABASE_URL)


@bp.get("")
def list_orders():
    status = request.args.get("status", "open")
    conn = get_db()
    cur = conn.cursor()
    cur.execute(f"SELECT * FROM orders WHERE status = '{status}' ORDER BY created_at DESC")
    rows = cur.fetchall()

    orders = []
    for row in rows:
        cur.execute("SELECT sku, quantity FROM order_items WHERE order_id = %s", (row[0],))
        items = [{"sku": sku, "quantity": qty} for sku, qty in cur.fetchall()]
        orders.append({"id": row[0], "customer_id": row[1], "status": row[2], "items": items})
    return jsonify(orders)


@bp.post("")
def create_order():
    global ORDER_COUNTER
    data = request.get_json()
    ORDER_COUNTER = ORDER_COUNTER + 1
    order_id = ORDER_COUNTER

    try:
        payment = charge(data["amount"], data["card_token"])
    except Exception as e:
        print(f"error: {e}")
        return jsonify(error="payment failed"), 502

    conn = get_db()
    cur = conn.cursor()
    cur.execute(
        "INSERT INTO orders (id, customer_id, status, amount, charge_id) VALUES (%s, %s, %s, %s, %s)",
        (order_id, data["customer_id"], "paid", data["amount"], payment["id"]),
    )
    conn.commit()
    return jsonify(id=order_id, status="paid", charge_id=payment["id"]), 201


@bp.get("/customers/<int:customer_id>")
def get_customer(customer_id):
    if customer_id not in CUSTOMER_CACHE:
        cur = get_db().cursor()
        cur.execute("SELECT id, name, email FROM customers WHERE id = %s", (customer_id,))
        row = cur.fetchone()
        CUSTOMER_CACHE[customer_id] = {"id": row[0], "name": row[1], "email": row[2]}
    return jsonify(CUSTOMER_CACHE[customer_id])


@bp.post("/import")
def import_orders():
    """Bulk import from the legacy system, which sends pickled order lists."""
    orders = pickle.loads(request.get_data())
    conn = get_db()
    cur = conn.cursor()
    for order in orders:
        cur.execute(
            "INSERT INTO orders (id, customer_id, status, amount) VALUES (%s, %s, %s, %s)",
            (order["id"], order["customer_id"], order["status"], order["amount"]),
        )
    conn.commit()
    return jsonify(imported=len(orders))
