import os

from pydantic import Field
from pydantic_settings import BaseSettings

# ruleid: localhost-url-default
DATABASE_URL = os.getenv("DATABASE_URL", "postgresql://app@localhost/orders")
# ruleid: localhost-url-default
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# ruleid: localhost-url-default
SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")

# ok: localhost-url-default
API_BASE = os.environ["API_BASE_URL"]
# ok: localhost-url-default
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
# ok: localhost-url-default
BIND = os.getenv("BIND", "0.0.0.0:8080")
# ok: localhost-url-default
HOST = os.environ.get("HOST", "0.0.0.0")
# ok: localhost-url-default
BIND_HOST = os.getenv("BIND_HOST", default="0.0.0.0")
# ok: localhost-url-default
os.environ.setdefault("LISTEN_ADDR", "0.0.0.0")
# ruleid: localhost-url-default
BIND_LOOPBACK = os.getenv("BIND_HOST", "127.0.0.1")
# ruleid: localhost-url-default
SEARCH_URL = os.getenv("SEARCH_URL", "http://0.0.0.0:9200")
# ok: localhost-url-default
PAYMENTS_URL = os.getenv("PAYMENTS_URL", "https://api.payments.example.com/v2")


class Settings(BaseSettings):
    # ruleid: localhost-url-default
    search_url: str = "http://localhost:9200"
    # ruleid: localhost-url-default
    broker_url: str = Field(default="amqp://guest:guest@localhost:5672//")
    # ok: localhost-url-default
    database_url: str
    # ok: localhost-url-default
    request_timeout: float = 5.0
    # ok: localhost-url-default
    public_url: str = "https://shop.example.com"
    # ok: localhost-url-default
    host: str = "0.0.0.0"


def worker_concurrency() -> int:
    # ok: localhost-url-default
    return int(os.getenv("WORKER_CONCURRENCY", "4"))
