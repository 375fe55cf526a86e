import time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Customer, Order


def order_totals(conn, order_ids: list[int]) -> dict[int, int]:
    cur = conn.cursor()
    totals = {}
    for order_id in order_ids:
        # ruleid: query-in-loop
        cur.execute("SELECT sum(amount) FROM order_lines WHERE order_id = %s", (order_id,))
        totals[order_id] = cur.fetchone()[0]
    return totals


def customer_names(session: Session, orders: list[Order]) -> list[str]:
    # ruleid: query-in-loop
    return [session.get(Customer, o.customer_id).name for o in orders]


def order_totals_bulk(conn, order_ids: list[int]) -> dict[int, int]:
    cur = conn.cursor()
    # ok: query-in-loop
    cur.execute(
        "SELECT order_id, sum(amount) FROM order_lines WHERE order_id = ANY(%s) GROUP BY order_id",
        (order_ids,),
    )
    return dict(cur.fetchall())


def customer_names_eager(session: Session, order_ids: list[int]) -> list[str]:
    stmt = select(Order).where(Order.id.in_(order_ids)).options(selectinload(Order.customer))
    # ok: query-in-loop
    return [o.customer.name for o in session.scalars(stmt)]


def mark_shipped(conn, order_ids: list[int]) -> None:
    with conn.cursor() as cur:
        # ok: query-in-loop
        cur.executemany("UPDATE orders SET status = 'shipped' WHERE id = %s", [(i,) for i in order_ids])


def ping(conn, retries: int = 3) -> None:
    for attempt in range(retries):
        try:
            # ok: query-in-loop
            conn.execute("SELECT 1")
            return
        except ConnectionError:
            time.sleep(2**attempt)


# --- a same-file helper that runs SQL, or a data-access module's lookup, per item ------------
from . import db


def order_row(conn, order_id):
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM orders WHERE id = %s", (order_id,))
        return cur.fetchone()


def order_rows(conn, order_ids):
    with conn.cursor() as cur:
        cur.execute("SELECT * FROM orders WHERE id = ANY(%s)", (list(order_ids),))
        return cur.fetchall()


def export(conn, order_ids, writer):
    for order_id in order_ids:
        # todoruleid: query-in-loop
        row = order_row(conn, order_id)
        writer.writerow(row)


def export_module(order_ids, writer):
    for order_id in order_ids:
        # ruleid: query-in-loop
        order = db.get_order(order_id)
        writer.writerow([order["id"], order["total"]])


def export_names(user_ids):
    # ruleid: query-in-loop
    return [db.fetch_user(uid)["name"] for uid in user_ids]


def export_bulk(conn, order_ids, writer):
    # ok: query-in-loop
    for row in order_rows(conn, order_ids):
        writer.writerow(row)


def export_bulk_module(order_ids, writer):
    # ok: query-in-loop
    for order in db.get_orders(order_ids):
        writer.writerow([order["id"], order["total"]])


def format_rows(rows):
    # ok: query-in-loop
    return [format_row(r) for r in rows]


def format_row(row):
    return ", ".join(str(v) for v in row)
