import redis
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from sqlalchemy import select, update

from .models import Account, Article, Product
from .db import SessionLocal

r = redis.Redis.from_url("redis://cache:6379/0")


def withdraw(account_id, amount):
    account = Account.objects.get(pk=account_id)
    # ruleid: read-modify-write
    account.balance = account.balance - amount
    account.save()


def count_view(article):
    # ruleid: read-modify-write
    article.views += 1
    article.save(update_fields=["views"])


def reserve(product_id, qty):
    with SessionLocal() as session:
        product = session.get(Product, product_id)
        # ruleid: read-modify-write
        product.stock -= qty
        session.commit()


def hit(key):
    # ruleid: read-modify-write
    r.set(key, int(r.get(key) or 0) + 1)


def hit_cache(key):
    # ruleid: read-modify-write
    current = cache.get(key, 0)
    cache.set(key, current + 1, timeout=3600)


def withdraw_ok(account_id, amount):
    # ok: read-modify-write
    Account.objects.filter(pk=account_id).update(balance=F("balance") - amount)


def count_view_ok(article):
    # ok: read-modify-write
    article.views = F("views") + 1
    article.save(update_fields=["views"])


def withdraw_locked(account_id, amount):
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account_id)
        # ok: read-modify-write
        account.balance -= amount
        account.save()


def reserve_ok(product_id, qty):
    with SessionLocal() as session:
        # ok: read-modify-write
        session.execute(update(Product).where(Product.id == product_id).values(stock=Product.stock - qty))
        session.commit()


def reserve_locked(product_id, qty):
    with SessionLocal() as session:
        product = session.execute(select(Product).where(Product.id == product_id).with_for_update()).scalar_one()
        # ok: read-modify-write
        product.stock -= qty
        session.commit()


def hit_ok(key):
    # ok: read-modify-write
    return r.incr(key)


def cached_profile(key, load):
    # ok: read-modify-write
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, timeout=300)
    return value


def rename(article, title):
    # ok: read-modify-write
    article.title = title.strip()
    article.save()


# --- redis/cache values parsed before the arithmetic, flags set after a miss, raw SQL --------
def hit(r, key):
    raw = r.get(key)
    # ruleid: read-modify-write
    r.set(key, int(raw or 0) + 1)


def first_visit(cache, user_id):
    seen = cache.get(f"seen:{user_id}")
    if seen is None:
        # ruleid: read-modify-write
        cache.set(f"seen:{user_id}", 1, 3600)


def send_once(cache, order_id):
    if not cache.get(f"mailed:{order_id}"):
        # ruleid: read-modify-write
        cache.set(f"mailed:{order_id}", True, 86400)
        mail_receipt(order_id)


def send_once_atomic(cache, order_id):
    # ok: read-modify-write
    if cache.add(f"mailed:{order_id}", True, 86400):
        mail_receipt(order_id)


def take_lock(redis_client, job):
    # ok: read-modify-write
    if redis_client.set(f"lock:{job}", "1", nx=True, ex=60):
        run_job(job)


def cached_profile(cache, user_id):
    profile = cache.get(f"profile:{user_id}")
    if profile is None:
        profile = load_profile(user_id)
        # ok: read-modify-write
        cache.set(f"profile:{user_id}", profile, 300)
    return profile


def withdraw_sql(cur, account_id, amount):
    # ruleid: read-modify-write
    cur.execute("SELECT balance FROM accounts WHERE id = %s", (account_id,))
    balance = cur.fetchone()[0]
    cur.execute("UPDATE accounts SET balance = %s WHERE id = %s", (balance - amount, account_id))


def withdraw_sql_locked(cur, account_id, amount):
    cur.execute("SELECT balance FROM accounts WHERE id = %s FOR UPDATE", (account_id,))
    balance = cur.fetchone()[0]
    # ok: read-modify-write
    cur.execute("UPDATE accounts SET balance = %s WHERE id = %s", (balance - amount, account_id))


def withdraw_sql_atomic(cur, account_id, amount):
    # ok: read-modify-write
    cur.execute("UPDATE accounts SET balance = balance - %s WHERE id = %s AND balance >= %s", (amount, account_id, amount))


def reserve_stock(conn, sku, qty):
    with conn.cursor() as cur:
        # ruleid: read-modify-write
        cur.execute("SELECT quantity FROM stock WHERE sku = %s", (sku,))
        (available,) = cur.fetchone()
        if available < qty:
            return False
        cur.execute("UPDATE stock SET quantity = %s WHERE sku = %s", (available - qty, sku))
        return True


def add_points(cur, user_id, points):
    # ruleid: read-modify-write
    cur.execute("SELECT name, points FROM users WHERE id = %s", (user_id,))
    name, current = cur.fetchone()
    total = current + points
    cur.execute("UPDATE users SET points = %s WHERE id = %s", (total, user_id))


def reserve_stock_locked(conn, sku, qty):
    with conn.cursor() as cur:
        # ok: read-modify-write
        cur.execute("SELECT quantity FROM stock WHERE sku = %s FOR UPDATE", (sku,))
        (available,) = cur.fetchone()
        if available < qty:
            return False
        cur.execute("UPDATE stock SET quantity = %s WHERE sku = %s", (available - qty, sku))
        return True


def reserve_stock_atomic(conn, sku, qty):
    with conn.cursor() as cur:
        # ok: read-modify-write
        cur.execute("SELECT quantity FROM stock WHERE sku = %s", (sku,))
        (available,) = cur.fetchone()
        if available < qty:
            return False
        cur.execute("UPDATE stock SET quantity = quantity - %s WHERE sku = %s AND quantity >= %s", (qty, sku, qty))
        return True
