import psycopg2
import psycopg2.extras
import sqlalchemy
from django.db import connection
from django.db.models.expressions import RawSQL

from .models import Order


def get_order(order_id):
    with connect() as conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        # ruleid: sql-built-from-parameter
        cur.execute(f"SELECT * FROM orders WHERE id = {order_id}")
        return cur.fetchone()


def search_orders(customer):
    with connect() as conn, conn.cursor() as cur:
        # ruleid: sql-built-from-parameter
        cur.execute("SELECT id, total FROM orders WHERE customer = '" + customer + "'")
        return cur.fetchmany(100)


def find_by_name(name: str, limit: int = 50):
    query = "SELECT id FROM users WHERE name LIKE '%%%s%%'" % name.strip()
    query += " ORDER BY id"
    with connection.cursor() as cur:
        # ruleid: sql-built-from-parameter
        cur.execute(query)
        return cur.fetchall()


def by_email(email=None):
    # ruleid: sql-built-from-parameter
    return Order.objects.raw("SELECT * FROM orders WHERE email = '{}'".format(email))


def orders_in(statuses):
    # ruleid: sql-built-from-parameter
    return Order.objects.extra(where=[f"status IN ({statuses})"])


def totals(engine, customer):
    with engine.connect() as c:
        # ruleid: sql-built-from-parameter
        return c.execute(sqlalchemy.text(f"SELECT sum(total) FROM orders WHERE customer = '{customer}'")).scalar()


def annotate_owner(qs, owner):
    # ruleid: sql-built-from-parameter
    return qs.annotate(mine=RawSQL(f"owner = '{owner}'", []))


# ---- safe ----
def get_order_ok(order_id):
    with connect() as conn, conn.cursor() as cur:
        # ok: sql-built-from-parameter
        cur.execute("SELECT * FROM orders WHERE id = %s", (order_id,))
        return cur.fetchone()


def count_by_status():
    table = "orders"
    with connect() as conn, conn.cursor() as cur:
        # a constant f-string: nothing from outside
        # ok: sql-built-from-parameter
        cur.execute(f"SELECT status, count(*) FROM {table} GROUP BY status")
        return dict(cur.fetchall())


def run(cursor, sql, params):
    # the query itself is the parameter (a wrapper): built elsewhere
    # ok: sql-built-from-parameter
    cursor.execute(sql, params)


def typed_id(order_id: int):
    with connection.cursor() as cur:
        # ok: sql-built-from-parameter
        cur.execute(f"SELECT * FROM orders WHERE id = {order_id}")


def converted_id(order_id):
    with connection.cursor() as cur:
        # ok: sql-built-from-parameter
        cur.execute(f"SELECT * FROM orders WHERE id = {int(order_id)}")


def table_rows(table_name):
    # identifiers quoted by the driver / ORM
    with connection.cursor() as cur:
        # ok: sql-built-from-parameter
        cur.execute("SELECT count(*) FROM %s" % connection.ops.quote_name(table_name))
        # ok: sql-built-from-parameter
        cur.execute(psycopg2.sql.SQL("SELECT * FROM {} WHERE id = %s").format(psycopg2.sql.Identifier(table_name)), (1,))


def select_function(func):
    # an identifier position (a function or table name chosen by the code), not a value
    with connection.cursor() as cur:
        # ok: sql-built-from-parameter
        cur.execute("SELECT %s()" % func)


def compile_expr(self, compiler, connection):
    # ORM internals: SQL assembled from compiled SQL fragments
    sql, params = compiler.compile(self.lhs)
    with connection.cursor() as cur:
        # ok: sql-built-from-parameter
        cur.execute(f"SELECT 1 WHERE {sql} = %s", params)


def django_view(request):
    # request data: sql-string-building reports this one
    q = request.GET.get("q", "")
    with connection.cursor() as cur:
        # ok: sql-built-from-parameter
        cur.execute("SELECT id FROM posts WHERE title = '%s'" % q)
