from dataclasses import dataclass


@dataclass
class Order:
    id: int
    customer_id: int
    sku: str


def unique_customers(orders: list[Order]) -> list[int]:
    seen = []
    for order in orders:
        # ruleid: membership-test-in-loop
        if order.customer_id not in seen:
            seen.append(order.customer_id)
    return seen


def orders_of_active_customers(orders: list[Order], customers) -> list[Order]:
    active_ids = [c.id for c in customers if c.active]
    result = []
    for order in orders:
        # ruleid: membership-test-in-loop
        if order.customer_id in active_ids:
            result.append(order)
    return result


def missing_skus(catalog_rows, ordered: list[str]) -> list[str]:
    known = list(row["sku"] for row in catalog_rows)
    # ruleid: membership-test-in-loop
    return [sku for sku in ordered if sku not in known]


def flag_blocked(users, blocked_emails: list[str]) -> None:
    for user in users:
        # ruleid: membership-test-in-loop
        user.blocked = user.email.lower() in blocked_emails


def unique_customers_fast(orders: list[Order]) -> list[int]:
    seen = set()
    result = []
    for order in orders:
        # ok: membership-test-in-loop
        if order.customer_id not in seen:
            seen.add(order.customer_id)
            result.append(order.customer_id)
    return result


def orders_of_active_customers_fast(orders: list[Order], customers) -> list[Order]:
    active_ids = {c.id for c in customers if c.active}
    # ok: membership-test-in-loop
    return [order for order in orders if order.customer_id in active_ids]


def missing_skus_fast(catalog_rows, ordered: list[str]) -> list[str]:
    known = [row["sku"] for row in catalog_rows]
    known = set(known)
    # ok: membership-test-in-loop
    return [sku for sku in ordered if sku not in known]


def normalise_statuses(rows) -> list[str]:
    allowed = ["new", "paid", "shipped"]
    out = []
    for row in rows:
        # ok: membership-test-in-loop
        out.append(row["status"] if row["status"] in ("new", "paid", "shipped") else "unknown")
    return out


def header_flags(headers: list[str]) -> dict[str, bool]:
    flags = {}
    for name in ("x-request-id", "x-trace-id"):
        # ok: membership-test-in-loop
        flags[name] = name in headers
    return flags
