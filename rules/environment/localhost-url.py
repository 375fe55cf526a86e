import os

import psycopg2
import redis
import requests


class Config:
    # ruleid: localhost-url
    DATABASE_URL = "postgresql://app:app@localhost:5432/orders"
    # ruleid: localhost-url
    REDIS_URL = "redis://127.0.0.1:6379/0"
    # ruleid: localhost-url
    DB_HOST = "localhost"
    # ok: localhost-url
    SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
    # ok: localhost-url
    BIND_HOST = "0.0.0.0"


def fetch_rates(currency: str) -> dict:
    """Call the rates service (http://localhost:8001 in the dev compose file)."""
    # ruleid: localhost-url
    resp = requests.get(f"http://localhost:8001/rates/{currency}", timeout=5)
    resp.raise_for_status()
    return resp.json()


def connect():
    # ruleid: localhost-url
    return psycopg2.connect(host="127.0.0.1", dbname="orders", connect_timeout=5)


def cache_client() -> redis.Redis:
    # ok: localhost-url
    return redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)


def service_urls() -> dict:
    return {
        # ruleid: localhost-url
        "billing": "http://0.0.0.0:9000/api",
        # ok: localhost-url
        "docs": "https://docs.example.com/localhost-setup",
    }


def broker_url(env: str) -> str:
    urls = {
        # ok: localhost-url
        "local": "amqp://guest:guest@localhost:5672//",
        "prod": os.environ.get("BROKER_URL", ""),
    }
    return urls[env]


def is_loopback(url: str) -> bool:
    # ok: localhost-url
    return url.startswith(("http://localhost", "http://127.0.0.1"))
