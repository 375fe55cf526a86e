import sqlite3

import pandas as pd
from django.db import connection
from django.http import JsonResponse
from fastapi import FastAPI, Request
from flask import Flask, request
from sqlalchemy import text
from sqlalchemy.orm import Session

app = Flask(__name__)
api = FastAPI()
ALLOWED_SORT = {"created": "created_at", "total": "total"}
TABLE = "orders"


@app.get("/orders")
def find_orders():
    customer = request.args.get("customer", "")
    cur = sqlite3.connect("app.db").cursor()
    # ruleid: sql-string-building
    cur.execute(f"SELECT id, total FROM orders WHERE customer = '{customer}' LIMIT 100")
    return cur.fetchall()


@app.post("/search")
def search():
    term = request.form["term"]
    conn = sqlite3.connect("app.db")
    sql = "SELECT id, name FROM products WHERE name LIKE '%%%s%%' LIMIT 50" % term
    # ruleid: sql-string-building
    return conn.execute(sql).fetchall()


def django_delete(request, session: Session):
    order_id = request.POST.get("id")
    with connection.cursor() as cur:
        # ruleid: sql-string-building
        cur.execute("DELETE FROM orders WHERE id = " + order_id)
    status = request.GET["status"]
    # ruleid: sql-string-building
    session.execute(text("SELECT sum(total) FROM orders WHERE status = '{}'".format(status)))
    return JsonResponse({})


@app.get("/filter")
def filter_orders():
    status = request.args.get("status")
    sql = "SELECT id, total FROM orders WHERE 1 = 1"
    if status:
        sql += f" AND status = '{status}'"
    conn = sqlite3.connect("app.db")
    # ruleid: sql-string-building
    return conn.execute(sql + " LIMIT 100").fetchall()


@api.get("/report")
async def report(region: str):
    # ruleid: sql-string-building
    return pd.read_sql(f"SELECT * FROM sales WHERE region = '{region}' LIMIT 1000", engine)


@api.post("/raw")
async def raw_filter(request: Request):
    body = await request.json()
    # ruleid: sql-string-building
    return list(Order.objects.raw("SELECT * FROM orders WHERE note = '%s'" % body["note"]))


@app.get("/token")
def by_token():
    token = request.headers.get("Authorization", "")[7:]
    # ruleid: sql-string-building
    return db.session.execute(text(f"SELECT user_id FROM tokens WHERE token = '{token}'")).first()


# --- safe idioms -------------------------------------------------------------------------

@app.get("/orders/safe")
def find_orders_safe():
    customer = request.args.get("customer", "")
    cur = sqlite3.connect("app.db").cursor()
    # ok: sql-string-building
    cur.execute("SELECT id, total FROM orders WHERE customer = ? LIMIT 100", (customer,))
    return cur.fetchall()


@app.get("/orders/fstring-params")
def constant_fstring():
    customer = request.args.get("customer", "")
    # an f-string that interpolates only code constants, the value bound as a parameter
    sql = f"SELECT id, total FROM {TABLE} WHERE customer = ? LIMIT 100"
    cur = sqlite3.connect("app.db").cursor()
    # ok: sql-string-building
    cur.execute(sql, (customer,))
    return cur.fetchall()


def totals_safe(session: Session, status: str) -> list:
    # not request data: a helper's own argument (callers are checked where the request is read)
    # ok: sql-string-building
    return session.execute(text(f"SELECT sum(total) FROM {TABLE} WHERE status = :status"), {"status": status}).all()


@app.get("/orders/page")
def paged():
    page = int(request.args.get("page", 1))
    conn = sqlite3.connect("app.db")
    # ok: sql-string-building
    return conn.execute(f"SELECT id FROM orders LIMIT 50 OFFSET {(page - 1) * 50}").fetchall()


@app.get("/orders/sorted")
def sorted_orders():
    column = ALLOWED_SORT.get(request.args.get("sort"), "created_at")
    params = {"limit": 100}
    params["sort"] = "created_at"
    conn = sqlite3.connect("app.db")
    # ok: sql-string-building
    return conn.execute(f"SELECT id FROM orders ORDER BY {params['sort']} LIMIT 100").fetchall()


@app.get("/orders/filter-safe")
def filter_orders_safe():
    status = request.args.get("status")
    sql, params = "SELECT id, total FROM orders WHERE 1 = 1", []
    if status:
        sql += " AND status = ?"
        params.append(status)
    conn = sqlite3.connect("app.db")
    # ok: sql-string-building
    return conn.execute(sql + " LIMIT 100", params).fetchall()


@api.get("/items/{item_id}")
async def item(item_id: int, q: str):
    # ok: sql-string-building
    return pd.read_sql(f"SELECT * FROM items WHERE id = {item_id}", engine)


def set_timezone(conn) -> None:
    # ok: sql-string-building
    conn.execute("SET TIME ZONE " + "'UTC'")


class OrderSearch(View):
    def get(self, request):
        # ruleid: sql-string-building
        rows = Order.objects.extra(where=["status = '%s'" % self.request.GET["status"]])
        return JsonResponse({"n": rows.count()})
