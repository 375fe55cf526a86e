import itertools
import logging
import random
import time

import httpx
import psycopg
import requests
from requests.adapters import HTTPAdapter
from tenacity import retry, stop_after_attempt, wait_exponential_jitter
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def fetch_rates(url: str) -> dict:
    for attempt in range(MAX_ATTEMPTS):
        try:
            # ruleid: retry-without-backoff
            response = requests.get(url, timeout=5)
            response.raise_for_status()
            return response.json()
        except requests.RequestException as exc:
            logger.warning("rates fetch failed (attempt %d): %s", attempt, exc)
    raise RuntimeError("rates service unavailable")


def publish(channel, message: bytes) -> None:
    while True:
        try:
            # ruleid: retry-without-backoff
            channel.basic_publish(exchange="events", routing_key="orders", body=message)
            break
        except Exception:
            continue


def connect(dsn: str) -> psycopg.Connection:
    attempts = 0
    while attempts < 3:
        try:
            # ruleid: retry-without-backoff
            return psycopg.connect(dsn, connect_timeout=5)
        except psycopg.OperationalError:
            attempts += 1
    raise RuntimeError("database unreachable")


async def post_webhook(client: httpx.AsyncClient, url: str, payload: dict) -> None:
    for _ in range(3):
        try:
            # ruleid: retry-without-backoff
            resp = await client.post(url, json=payload)
            resp.raise_for_status()
            return
        except (httpx.TransportError, httpx.HTTPStatusError):
            pass


def fetch_with_backoff(url: str) -> dict:
    for attempt in range(MAX_ATTEMPTS):
        try:
            # ok: retry-without-backoff
            response = requests.get(url, timeout=5)
            response.raise_for_status()
            return response.json()
        except requests.RequestException:
            if attempt == MAX_ATTEMPTS - 1:
                raise
            time.sleep(min(30, 2**attempt) + random.random())
    raise AssertionError("unreachable")


@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=0.5, max=20))
def fetch_with_tenacity(url: str) -> dict:
    response = requests.get(url, timeout=5)
    response.raise_for_status()
    return response.json()


def make_session() -> requests.Session:
    session = requests.Session()
    retries = Retry(total=5, backoff_factor=0.5, status_forcelist=[429, 502, 503, 504])
    session.mount("https://", HTTPAdapter(max_retries=retries))
    return session


def parse_port(values: list[str]) -> int:
    # not a retry: trying alternatives, the failure is not transient
    for raw in values:
        try:
            # ok: retry-without-backoff
            return int(raw)
        except ValueError:
            continue
    return 8080


def first_free_name(folder, stem: str) -> str:
    for n in itertools.count(1):
        try:
            # ok: retry-without-backoff
            (folder / f"{stem}-{n}.txt").touch(exist_ok=False)
            return f"{stem}-{n}.txt"
        except FileExistsError:
            continue
    raise AssertionError("unreachable")


def consume(queue) -> None:
    while True:
        try:
            # ok: retry-without-backoff
            message = queue.get(timeout=30)
            if message is None:
                break
            handle(message)
        except Exception:
            logger.exception("message failed; waiting before the next one")
            time.sleep(1)


def checked_call(client, request) -> dict:
    for attempt in range(3):
        try:
            # ok: retry-without-backoff
            return client.send(request)
        except httpx.TransportError:
            raise


def handle(message) -> None:
    logger.info("handled %s", message)


def upload_report(s3, bucket: str, key: str, body: bytes) -> bool:
    for _ in range(5):
        try:
            # ruleid: retry-without-backoff
            s3.put_object(Bucket=bucket, Key=key, Body=body)
            return True
        except:  # noqa: E722
            pass
    return False


def lookup(cache, key: str):
    for _ in range(2):
        try:
            # ruleid: retry-without-backoff
            return cache.get(key)
        except (KeyError, ConnectionError):
            continue
    return None


def send_all(client, request):
    while True:
        try:
            # ok: retry-without-backoff
            response = client.send(request)
            if not response.has_redirect_location:
                return response
            request = client.build_redirect_request(request, response)
        except BaseException:
            response.close()
            raise


def read_key(window) -> str:
    for _ in range(3):
        try:
            # ruleid: retry-without-backoff
            return window.call_remote()
        except TimeoutError:
            if window.closed:
                raise
