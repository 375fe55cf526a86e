import sqlite3

from sqlalchemy import text
from sqlalchemy.orm import Session

def find_orders(conn: sqlite3.Connection, customer: str) -> list[tuple]:
    cur = conn.cursor()
    # ruleid: sql-string-building
    cur.execute(f"SELECT id, total FROM orders WHERE customer = '{customer}' LIMIT 100")
    return cur.fetchall()


def search(conn: sqlite3.Connection, term: str) -> list[tuple]:
    # ruleid: sql-string-building
    rows = conn.execute("SELECT id, name FROM products WHERE name LIKE '%%%s%%' LIMIT 50" % term)
    return rows.fetchall()


def delete_order(conn: sqlite3.Connection, order_id: str) -> None:
    # ruleid: sql-string-building
    conn.execute("DELETE FROM orders WHERE id = " + order_id)


def totals(session: Session, status: str) -> list:
    # ruleid: sql-string-building
    return session.execute(text("SELECT sum(total) FROM orders WHERE status = '{}'".format(status))).all()


def find_orders_safe(conn: sqlite3.Connection, customer: str) -> list[tuple]:
    cur = conn.cursor()
    # ok: sql-string-building
    cur.execute("SELECT id, total FROM orders WHERE customer = ? LIMIT 100", (customer,))
    return cur.fetchall()


def totals_safe(session: Session, status: str) -> list:
    # ok: sql-string-building
    return session.execute(text("SELECT sum(total) FROM orders WHERE status = :status"), {"status": status}).all()


def set_timezone(conn) -> None:
    # ok: sql-string-building
    conn.execute("SET TIME ZONE " + "'UTC'")


def filter_orders(conn: sqlite3.Connection, status: str | None) -> list[tuple]:
    sql = "SELECT id, total FROM orders WHERE 1 = 1"
    if status:
        sql += f" AND status = '{status}'"
    # ruleid: sql-string-building
    return conn.execute(sql + " LIMIT 100").fetchall()


def filter_orders_safe(conn: sqlite3.Connection, status: str | None) -> list[tuple]:
    sql, params = "SELECT id, total FROM orders WHERE 1 = 1", []
    if status:
        sql += " AND status = ?"
        params.append(status)
    # ok: sql-string-building
    return conn.execute(sql + " LIMIT 100", params).fetchall()
