import logging

import requests

logger = logging.getLogger(__name__)


def send_receipt(mailer, order) -> None:
    try:
        mailer.send(order.customer_email, render_receipt(order))
    except Exception:
        # ruleid: swallowed-exception
        pass


def sync_inventory(client, skus: list[str]) -> None:
    for sku in skus:
        try:
            client.push(sku)
        except Exception as e:
            # ruleid: swallowed-exception
            print(f"sync failed for {sku}: {e}")
            continue


def release_lock(lock) -> None:
    try:
        lock.release()
    except:
        # ruleid: swallowed-exception
        ...


def send_receipt_logged(mailer, order) -> None:
    try:
        mailer.send(order.customer_email, render_receipt(order))
    except Exception:
        # ok: swallowed-exception
        logger.exception("receipt for order %s not sent", order.id)
        raise


def cleanup(path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        # ok: swallowed-exception
        pass


def fetch_status(url: str) -> int | None:
    try:
        return requests.head(url, timeout=3).status_code
    except requests.RequestException:
        # ok: swallowed-exception
        logger.warning("status check failed for %s", url, exc_info=True)
        return None


def render_receipt(order) -> str:
    return f"Order {order.id}: {order.total}"
