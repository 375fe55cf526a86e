import os

import httpx
import requests

RATES_URL = os.environ["RATES_URL"]
TIMEOUT = (3.05, 10)


def exchange_rate(currency: str) -> float:
    # ruleid: response-json-without-status-check
    return requests.get(f"{RATES_URL}/{currency}", timeout=TIMEOUT).json()["rate"]


def customer(customer_id: str) -> dict:
    resp = requests.get(f"{os.environ['CRM_URL']}/customers/{customer_id}", timeout=TIMEOUT)
    # ruleid: response-json-without-status-check
    data = resp.json()
    return data["customer"]


def shipping_quote(payload: dict) -> dict:
    resp = requests.post(f"{os.environ['SHIPPING_URL']}/quotes", json=payload, timeout=TIMEOUT)
    resp.raise_for_status()
    # ok: response-json-without-status-check
    return resp.json()


def product(sku: str) -> dict | None:
    resp = httpx.get(f"{os.environ['CATALOG_URL']}/products/{sku}", timeout=5.0)
    if resp.status_code == 404:
        return None
    if resp.status_code != 200:
        raise RuntimeError(f"catalog answered {resp.status_code}")
    # ok: response-json-without-status-check
    return resp.json()


async def stock(client: httpx.AsyncClient, sku: str) -> int:
    resp = await client.get(f"/stock/{sku}")
    # ruleid: response-json-without-status-check
    return resp.json()["available"]


async def stock_checked(client: httpx.AsyncClient, sku: str) -> int:
    resp = await client.get(f"/stock/{sku}")
    if not resp.is_success:
        raise RuntimeError(f"stock service answered {resp.status_code}")
    # ok: response-json-without-status-check
    return resp.json()["available"]
