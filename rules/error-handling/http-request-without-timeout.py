import os

import httpx
import requests

PAYMENTS_URL = os.environ["PAYMENTS_URL"]
TIMEOUT = (3.05, 10)


def charge(order_id: str, amount_cents: int) -> dict:
    # ruleid: http-request-without-timeout
    resp = requests.post(f"{PAYMENTS_URL}/charges", json={"order": order_id, "amount": amount_cents})
    resp.raise_for_status()
    return resp.json()


def refund(charge_id: str) -> None:
    # ok: http-request-without-timeout
    resp = requests.post(f"{PAYMENTS_URL}/refunds", json={"charge": charge_id}, timeout=TIMEOUT)
    resp.raise_for_status()


def fetch_all(urls: list[str]) -> list[bytes]:
    with requests.Session() as session:
        session.headers["User-Agent"] = "orders/1.0"
        # ruleid: http-request-without-timeout
        pages = [session.get(url).content for url in urls]
        # ok: http-request-without-timeout
        pages.append(session.get(urls[0], timeout=5).content)
    return pages


def call(method: str, path: str, **kwargs) -> requests.Response:
    kwargs.setdefault("timeout", TIMEOUT)
    # ok: http-request-without-timeout
    return requests.request(method, f"{PAYMENTS_URL}{path}", **kwargs)


def stream_export(url: str) -> httpx.Response:
    # ruleid: http-request-without-timeout
    return httpx.get(url, timeout=None)


def inventory(sku: str) -> dict:
    # ok: http-request-without-timeout
    resp = httpx.get(f"{os.environ['INVENTORY_URL']}/items/{sku}", timeout=httpx.Timeout(5.0, connect=2.0))
    resp.raise_for_status()
    return resp.json()
