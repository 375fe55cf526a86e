import os
import sqlite3

from flask import Flask, g, jsonify, request
from sqlalchemy import select

from .models import Order, db

app = Flask(__name__)
PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "50"))


@app.get("/orders")
def list_orders():
    cur = g.db.cursor()
    cur.execute("SELECT id, total, status FROM orders WHERE customer_id = ?", (request.args["customer"],))
    # ruleid: unbounded-query
    return jsonify(cur.fetchall())


@app.get("/v2/orders")
def list_orders_paged():
    after = int(request.args.get("after", 0))
    cur = g.db.cursor()
    cur.execute("SELECT id, total FROM orders WHERE id > ? ORDER BY id LIMIT ?", (after, PAGE_SIZE))
    # ok: unbounded-query
    return jsonify(cur.fetchall())


@app.get("/customers")
def list_customers():
    # ruleid: unbounded-query
    customers = db.session.execute(select(Order.customer_id).distinct()).scalars().all()
    return jsonify(customers)


@app.get("/v2/customers")
def list_customers_paged():
    stmt = select(Order).order_by(Order.id).limit(PAGE_SIZE)
    # ok: unbounded-query
    return jsonify([o.id for o in db.session.scalars(stmt).all()])


def export_orders(conn: sqlite3.Connection) -> list[tuple]:
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders")
    # ruleid: unbounded-query
    return cur.fetchall()


def export_orders_streamed(conn: sqlite3.Connection):
    cur = conn.execute("SELECT * FROM orders")
    # ok: unbounded-query
    while rows := cur.fetchmany(1000):
        yield from rows
