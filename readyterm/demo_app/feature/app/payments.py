"""Client for the payment provider."""
import logging
import time

import requests

from .config import PAYMENT_API, REQUEST_TIMEOUT, STRIPE_KEY

logger = logging.getLogger(__name__)

HEADERS = {"Authorization": f"Bearer {STRIPE_KEY}"}


def charge(amount_cents, card_token):
    resp = requests.post(
        f"{PAYMENT_API}/charges",
        json={"amount": amount_cents, "currency": "usd", "source": card_token},
        headers=HEADERS,
    )
    return resp.json()


def refund(charge_id):
    try:
        requests.post(
            f"{PAYMENT_API}/refunds",
            json={"charge": charge_id},
            headers=HEADERS,
            timeout=REQUEST_TIMEOUT,
        )
    except Exception:
        pass


def exchange_rate(currency):
    # the rates service has a self-signed cert
    resp = requests.get(f"https://rates.internal.example.com/latest?base={currency}", verify=False)
    return resp.json()["rate"]


async def wait_for_settlement(charge_id):
    for _ in range(10):
        status = requests.get(f"{PAYMENT_API}/charges/{charge_id}", headers=HEADERS).json()["status"]
        if status == "succeeded":
            return True
        time.sleep(2)
    return False
