import asyncio
import os
import time

import httpx
import requests
from fastapi import FastAPI

app = FastAPI()
PRICING_URL = os.environ["PRICING_URL"]


@app.get("/price/{sku}")
async def price(sku: str) -> dict:
    # ruleid: blocking-call-in-async
    resp = requests.get(f"{PRICING_URL}/prices/{sku}", timeout=5)
    resp.raise_for_status()
    return resp.json()


async def retry_publish(publish, event: dict) -> None:
    for attempt in range(3):
        try:
            await publish(event)
            return
        except ConnectionError:
            # ruleid: blocking-call-in-async
            time.sleep(2**attempt)
    raise RuntimeError("publish failed")


@app.get("/v2/price/{sku}")
async def price_async(sku: str) -> dict:
    async with httpx.AsyncClient(base_url=PRICING_URL, timeout=5.0) as client:
        # ok: blocking-call-in-async
        resp = await client.get(f"/prices/{sku}")
        # ok: blocking-call-in-async
        await asyncio.sleep(0.1)
    resp.raise_for_status()
    return resp.json()


async def legacy_price(sku: str) -> dict:
    # ok: blocking-call-in-async
    resp = await asyncio.to_thread(requests.get, f"{PRICING_URL}/prices/{sku}", timeout=5)
    return resp.json()


async def legacy_report(loop: asyncio.AbstractEventLoop, path: str) -> bytes:
    # ok: blocking-call-in-async
    return await loop.run_in_executor(None, lambda: requests.get(f"{PRICING_URL}/{path}", timeout=30).content)


@app.get("/v3/price/{sku}")
def sync_price(sku: str) -> dict:
    # ok: blocking-call-in-async
    return requests.get(f"{PRICING_URL}/prices/{sku}", timeout=5).json()


async def import_orders(path: str) -> int:
    # ruleid: blocking-call-in-async
    data = open(path).read()
    import sqlite3

    # ruleid: blocking-call-in-async
    db = sqlite3.connect("orders.db")
    return len(data) + db.total_changes


async def legacy_db(dsn: str):
    import psycopg2
    import httpx

    # ruleid: blocking-call-in-async
    conn = psycopg2.connect(dsn)
    # ruleid: blocking-call-in-async
    httpx.get(f"{PRICING_URL}/ping", timeout=5)
    return conn


async def modern_db(dsn: str, path: str):
    import asyncpg
    import httpx

    # ok: blocking-call-in-async
    conn = await asyncpg.connect(dsn)
    async with httpx.AsyncClient(timeout=5) as client:
        # ok: blocking-call-in-async
        await client.get(f"{PRICING_URL}/ping")
    # ok: blocking-call-in-async
    text = await asyncio.to_thread(lambda: open(path).read())
    return conn, text
