import os

from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import MongoClient

audit = MongoClient(os.environ["AUDIT_MONGO_URL"], serverSelectionTimeoutMS=3000)
db = audit.inventory


def audit_events(sku: str) -> list[dict]:
    # ruleid: unbounded-mongo-find
    return list(audit.inventory.events.find({"sku": sku}))


def all_users() -> list[dict]:
    # ruleid: unbounded-mongo-find
    return list(db.users.find({}).sort("created", -1))


def user_names() -> list[str]:
    # ruleid: unbounded-mongo-find
    return [u["name"] for u in db.users.find({"active": True}, {"name": 1})]


async def recent_orders(client: AsyncIOMotorClient, customer: str):
    # ruleid: unbounded-mongo-find
    return await client.shop.orders.find({"customer": customer}).to_list(None)


def audit_events_page(sku: str) -> list[dict]:
    # ok: unbounded-mongo-find
    return list(audit.inventory.events.find({"sku": sku}).sort("_id", -1).limit(200))


def audit_events_kw(sku: str) -> list[dict]:
    # ok: unbounded-mongo-find
    return list(db.events.find({"sku": sku}, limit=100))


def users_by_id(ids) -> list[dict]:
    # ok: unbounded-mongo-find
    return list(db.users.find({"_id": {"$in": ids}}))


async def recent_orders_page(client: AsyncIOMotorClient, customer: str):
    # ok: unbounded-mongo-find
    return await client.shop.orders.find({"customer": customer}).limit(50).to_list(50)


def export_all(writer) -> None:
    # ok: unbounded-mongo-find
    for doc in db.events.find({}):
        writer.writerow([doc["_id"], doc["sku"]])


def count_events(sku: str) -> int:
    # ok: unbounded-mongo-find
    return db.events.count_documents({"sku": sku})


def headings(soup):
    # ok: unbounded-mongo-find
    return list(soup.find("ul"))
