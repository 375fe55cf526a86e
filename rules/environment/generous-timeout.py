import os
import subprocess

import psycopg2
import requests

# ruleid: generous-timeout
REQUEST_TIMEOUT = 300  # payment sandbox is slow
# ok: generous-timeout
PAYMENT_TIMEOUT = float(os.environ.get("PAYMENT_TIMEOUT", "5"))
# ok: generous-timeout
HTTP_TIMEOUT = 10
# ok: generous-timeout
SESSION_TIMEOUT = 3600
# ok: generous-timeout
LOCK_TIMEOUT_MS = 5000
# ok: generous-timeout
HTTP_408_REQUEST_TIMEOUT = 408


def fetch_catalog(url: str) -> bytes:
    # ruleid: generous-timeout
    resp = requests.get(url, timeout=600)
    resp.raise_for_status()
    return resp.content


def fetch_prices(url: str) -> dict:
    # ok: generous-timeout
    resp = requests.get(url, timeout=(3.05, 10))
    resp.raise_for_status()
    return resp.json()


def connect():
    # ruleid: generous-timeout
    return psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=120)


def nightly_backup(dest: str) -> None:
    # ok: generous-timeout
    subprocess.run(["pg_dump", "-f", dest, os.environ["DATABASE_URL"]], check=True, timeout=3600)
