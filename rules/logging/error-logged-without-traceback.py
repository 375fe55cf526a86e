import logging

import requests

logger = logging.getLogger(__name__)


def charge(gateway, order) -> bool:
    try:
        gateway.charge(order.id, order.total_cents)
    except Exception as e:
        # ruleid: error-logged-without-traceback
        logger.error("charge failed for order %s: %s", order.id, e)
        return False
    return True


def refresh_rates(url: str) -> dict:
    try:
        resp = requests.get(url, timeout=5)
        resp.raise_for_status()
        return resp.json()
    except requests.RequestException:
        # ruleid: error-logged-without-traceback
        logging.error("could not refresh rates from %s", url)
        return {}


def charge_logged(gateway, order) -> bool:
    try:
        gateway.charge(order.id, order.total_cents)
    except Exception:
        # ok: error-logged-without-traceback
        logger.exception("charge failed for order %s", order.id)
        return False
    return True


def refresh_rates_logged(url: str) -> dict:
    try:
        resp = requests.get(url, timeout=5)
        resp.raise_for_status()
        return resp.json()
    except requests.RequestException:
        # ok: error-logged-without-traceback
        logger.error("could not refresh rates from %s", url, exc_info=True)
        return {}


def load_config(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            return parse(fh.read())
    except OSError as e:
        # ok: error-logged-without-traceback
        logger.error("cannot read config %s", path)
        raise RuntimeError(f"config {path} unreadable") from e
    finally:
        logger.info("config load attempted: %s", path)


class Importer:
    def __init__(self, app):
        self.logger = logging.getLogger("importer")
        self.app = app

    def run(self, rows) -> int:
        done = 0
        for row in rows:
            try:
                self.app.store(row)
                done += 1
            except Exception as e:
                # ruleid: error-logged-without-traceback
                self.logger.warning(e)
        return done

    def ping(self) -> bool:
        try:
            return self.app.ping()
        except Exception as exc:
            # ruleid: error-logged-without-traceback
            logging.getLogger(__name__).error(f"ping failed: {exc}")
            return False

    def fetch(self, url: str):
        try:
            return requests.get(url, timeout=5)
        except requests.Timeout as exc:
            # ok: error-logged-without-traceback
            self.logger.warning("timeout fetching %s: %s", url, exc)
            return None

    def fetch_all(self, urls):
        try:
            return [requests.get(u, timeout=5) for u in urls]
        except Exception:
            # ok: error-logged-without-traceback
            self.logger.warning("fetch_all failed", exc_info=True)
            return []
