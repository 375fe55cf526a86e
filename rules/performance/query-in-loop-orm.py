from django.db.models import F, Prefetch
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.models import Customer, Order, OrderItem


def invoice_lines(order_ids):
    lines = []
    for order_id in order_ids:
        # ruleid: query-in-loop-orm
        order = Order.objects.get(pk=order_id)
        lines.append(order.total)
    return lines


def totals_per_customer(customers):
    # ruleid: query-in-loop-orm
    return {c.pk: Order.objects.filter(customer=c).count() for c in customers}


def import_rows(rows):
    for row in rows:
        # ruleid: query-in-loop-orm
        OrderItem.objects.create(sku=row["sku"], qty=row["qty"])


def customer_names():
    names = []
    for o in Order.objects.all():
        # ruleid: query-in-loop-orm
        names.append(o.customer.name)
    return names


def item_counts():
    counts = {}
    paid = Order.objects.filter(paid=True)
    for o in paid:
        # ruleid: query-in-loop-orm
        counts[o.pk] = o.items.count()
        # ruleid: query-in-loop-orm
        for item in o.items.all():
            print(item.sku)
    return counts


# --- one query, or the relation loaded up front ------------------------------------------------
def invoice_lines_bulk(order_ids):
    # ok: query-in-loop-orm
    orders = Order.objects.in_bulk(order_ids)
    return [orders[i].total for i in order_ids]


def customer_names_joined():
    # ok: query-in-loop-orm
    return [o.customer.name for o in Order.objects.select_related("customer")]


def customer_names_loop():
    names = []
    for o in Order.objects.select_related("customer").filter(paid=True):
        # ok: query-in-loop-orm
        names.append(o.customer.name)
    return names


def item_counts_prefetched():
    counts = {}
    for o in Order.objects.prefetch_related(Prefetch("items")):
        # ok: query-in-loop-orm
        counts[o.pk] = len(o.items.all())
    return counts


def created_years():
    years = set()
    for o in Order.objects.filter(paid=True):
        # ok: query-in-loop-orm
        years.add(o.created.year)
        # ok: query-in-loop-orm
        years.add(o.customer_id)
    return years


def import_rows_bulk(rows):
    # ok: query-in-loop-orm
    OrderItem.objects.bulk_create([OrderItem(sku=r["sku"], qty=r["qty"]) for r in rows])


def bump_all():
    # ok: query-in-loop-orm
    Order.objects.filter(paid=False).update(reminders=F("reminders") + 1)


def retry_lookup(order_id):
    for attempt in range(3):
        # ok: query-in-loop-orm
        return Order.objects.get(pk=order_id)


# --- SQLAlchemy -----------------------------------------------------------------------------
def addresses(session):
    out = []
    for user in session.query(User).all():
        # ruleid: query-in-loop-orm
        for address in user.addresses:
            out.append(address.city)
    for user in session.scalars(select(User)):
        # ruleid: query-in-loop-orm
        out.append(user.team.name)
    return out


def addresses_eager(session):
    out = []
    for user in session.scalars(select(User).options(selectinload(User.addresses))):
        # ok: query-in-loop-orm
        for address in user.addresses:
            out.append(address.city)
    for user in session.query(User).options(joinedload(User.team)).all():
        # ok: query-in-loop-orm
        out.append(user.team.name)
    return out


# --- sliced querysets and comprehensions ----------------------------------------------------
def post_list():
    posts = Post.objects.filter(published=True).order_by("-created")[:50]
    data = []
    for post in posts:
        # ruleid: query-in-loop-orm
        data.append({"title": post.title, "author": post.author.name})
    return data


def comment_counts():
    counts = {}
    for post in Post.objects.filter(published=True)[:50]:
        # ruleid: query-in-loop-orm
        counts[post.id] = post.comments.count()
    return counts


def author_names():
    # ruleid: query-in-loop-orm
    return [p.author.name for p in Post.objects.order_by("-created")[:20]]


def comment_counts_annotated():
    counts = {}
    for post in Post.objects.filter(published=True).annotate(n=Count("comments"))[:50]:
        # ok: query-in-loop-orm
        counts[post.id] = post.n
    return counts


def post_list_joined():
    posts = Post.objects.filter(published=True).select_related("author").order_by("-created")[:50]
    # ok: query-in-loop-orm
    return [{"title": p.title, "author": p.author.name} for p in posts]


def author_names_values():
    # ok: query-in-loop-orm
    return [row["author__name"] for row in Post.objects.values("author__name")[:20]]
