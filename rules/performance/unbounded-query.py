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


# --- repositories and services: whole tables loaded outside handlers ---------------------------
from sqlalchemy import select

from shop.models import Customer, Order


class UserRepository:
    def __init__(self, session):
        self.session = session

    def list_all(self):
        # ruleid: unbounded-query
        return self.session.query(User).all()

    def list_all_v2(self):
        # ruleid: unbounded-query
        return self.session.scalars(select(User)).all()

    def page(self, after_id: int, size: int = 100):
        # ok: unbounded-query
        return self.session.scalars(select(User).where(User.id > after_id).order_by(User.id).limit(size)).all()

    def for_team(self, team_id: int):
        # ok: unbounded-query
        return self.session.query(User).filter_by(team_id=team_id).all()

    def first_page(self):
        # .all() returns a Python list: every row is fetched and turned into an object, then the
        # list is sliced. Slicing the Query itself (or .limit()) is what puts LIMIT in the SQL.
        # ruleid: unbounded-query
        return self.session.query(User).order_by(User.id).all()[:100]

    def first_page_limited(self):
        # ok: unbounded-query
        return self.session.query(User).order_by(User.id)[:100]

    def first_page_limit(self):
        # ok: unbounded-query
        return self.session.query(User).order_by(User.id).limit(100).all()

    def first_user(self):
        # ok: unbounded-query
        return self.session.query(User).first()


def all_customer_emails():
    # ruleid: unbounded-query
    return [c.email for c in Customer.objects.all()]


def order_count():
    # ruleid: unbounded-query
    return len(Order.objects.all())


def nightly_export(write):
    # ruleid: unbounded-query
    for order in Order.objects.all():
        write(order)


def nightly_export_streamed(write):
    # ok: unbounded-query
    for order in Order.objects.all().iterator(chunk_size=2000):
        write(order)


def recent_orders():
    # ok: unbounded-query
    return list(Order.objects.all()[:100])


def recent_orders_sorted():
    # Django: slicing a QuerySet (even after .all()) is LIMIT 100 in the SQL
    # ok: unbounded-query
    return [o.id for o in Order.objects.order_by("-created").all()[:100]]


def recent_orders_loop(write):
    # ok: unbounded-query
    for order in Order.objects.all()[:100]:
        write(order)


def recent_orders_len():
    # ok: unbounded-query
    return len(Order.objects.all()[:100])


def order_count_db():
    # ok: unbounded-query
    return Order.objects.count()


def active_customers():
    # ok: unbounded-query
    return Customer.objects.filter(active=True)
