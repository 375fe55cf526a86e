import os

import redis
from celery import Celery
from sqlalchemy import create_engine

# ruleid: connection-string-password
engine = create_engine("postgresql://orders:s3cr3t-pa55@db.internal:5432/orders")
# ruleid: connection-string-password
MONGO_URL = "mongodb+srv://app:Xk29fLq@cluster0.ab1cd.mongodb.net/shop?retryWrites=true"
# ruleid: connection-string-password
cache = redis.Redis.from_url("redis://:r3d1s@cache.internal:6379/0")
# ruleid: connection-string-password
celery = Celery("orders", broker="amqp://guest:guest@rabbitmq:5672//")
# ruleid: connection-string-password
DATABASES = {"default": {"URL": "mysql://root:toor@mysql.prod.example.com/shop"}}

# ok: connection-string-password
engine_from_env = create_engine(os.environ["DATABASE_URL"])
# ok: connection-string-password
BROKER_URL = "amqp://orders:@rabbitmq:5672//"
# ok: connection-string-password
TEMPLATE = "postgresql://{user}:{password}@{host}/{db}"
# ok: connection-string-password
OLD_STYLE = "postgresql://%s:%s@%s/orders" % ("orders", os.environ["DB_PASSWORD"], "db")
# ok: connection-string-password
EXAMPLE = "postgresql://user:<password>@db.example.com/orders"
# ok: connection-string-password
DOCS_URL = "https://docs.example.com/orders"
# ok: connection-string-password
NO_PASSWORD = "redis://cache.internal:6379/0"
# ok: connection-string-password
password = os.environ["DB_PASSWORD"]
# ok: connection-string-password
built = f"postgresql://orders:{password}@db.internal/orders"
# localhost DSNs are reported once, by localhost-url-default
# ok: connection-string-password
LOCAL_DEFAULT = os.environ.get("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/orders")


def describe() -> str:
    # ok: connection-string-password
    """Connect with a URL such as postgresql://user:secret@host/db (see the README)."""
    return "orders"


class Settings:
    # ruleid: connection-string-password
    database_url: str = "postgresql+psycopg://orders:Qm7rT2vw@orders-db.prod.internal:5432/orders"
    # ok: connection-string-password
    redis_url: str = os.environ.get("REDIS_URL", "redis://cache.internal:6379/0")


# ruleid: connection-string-password
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://app:app-pass-2024@db.prod.internal/app")
# ok: connection-string-password
DATABASE_URL_ENV = os.environ["DATABASE_URL"]
# ok: connection-string-password
DB_URL = f"postgresql://{os.environ['DB_USER']}:{os.environ['DB_PASSWORD']}@{os.environ['DB_HOST']}/orders"
# ok: connection-string-password
NO_PW_REDIS = "redis://:@cache.internal:6379/0"
# ok: connection-string-password
MONGO_TEMPLATE = "mongodb://${MONGO_USER}:${MONGO_PASSWORD}@mongo:27017/shop"
# ok: connection-string-password
REDACTED = "postgresql://orders:***@db.internal/orders"
# ok: connection-string-password
SENTRY_LIKE = "https://examplePublicKey@o0.ingest.sentry.io/0"

DB_HOST = os.environ["DB_HOST"]
# ruleid: connection-string-password
ENGINE_URL = f"postgresql+psycopg://orders:Qm7rT2vw@{DB_HOST}:5432/orders"
# ok: connection-string-password
ENGINE_URL_OK = f"postgresql+psycopg://orders:{os.environ['DB_PASSWORD']}@{DB_HOST}:5432/orders"
# ok: connection-string-password
ENGINE_URL_USER_ONLY = f"postgresql://orders@{DB_HOST}/orders"
