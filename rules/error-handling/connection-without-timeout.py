import os

import aiohttp
import asyncpg
import boto3
import pika
import psycopg
import psycopg2
import pymongo
import redis
import redis.asyncio as aioredis
from botocore.config import Config
from pymongo import MongoClient
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine

DATABASE_URL = os.environ["DATABASE_URL"]
DB_OPTIONS = {"connect_timeout": 5, "sslmode": "require"}
BOTO_CONFIG = Config(connect_timeout=3, read_timeout=10, retries={"mode": "standard"})


def postgres():
    # ruleid: connection-without-timeout
    a = psycopg2.connect(DATABASE_URL)
    # ruleid: connection-without-timeout
    b = psycopg.connect("host=db dbname=shop user=app")
    # ok: connection-without-timeout
    c = psycopg2.connect(DATABASE_URL, connect_timeout=5)
    # ok: connection-without-timeout
    d = psycopg.connect("host=db dbname=shop connect_timeout=5")
    # ok: connection-without-timeout
    e = psycopg2.connect(DATABASE_URL, **DB_OPTIONS)
    return a, b, c, d, e


def engines():
    # ruleid: connection-without-timeout
    a = create_engine(DATABASE_URL, pool_size=10, max_overflow=5)
    # ruleid: connection-without-timeout
    b = create_engine("postgresql+psycopg2://app@db/shop", connect_args={"sslmode": "require"})
    # ruleid: connection-without-timeout
    c = create_async_engine(os.environ["ASYNC_DATABASE_URL"])
    # ok: connection-without-timeout
    d = create_engine(DATABASE_URL, connect_args={"connect_timeout": 5}, pool_timeout=10)
    # ok: connection-without-timeout
    e = create_engine("postgresql://app@db/shop?connect_timeout=5")
    # ok: connection-without-timeout
    f = create_engine("sqlite:///local.db")
    # ok: connection-without-timeout
    g = create_engine(DATABASE_URL, connect_args=DB_OPTIONS)
    # ok: connection-without-timeout
    h = create_async_engine(os.environ["ASYNC_DATABASE_URL"], connect_args={"timeout": 5, "command_timeout": 10})
    return a, b, c, d, e, f, g, h


def caches():
    # ruleid: connection-without-timeout
    a = redis.Redis(host="cache", port=6379)
    # ruleid: connection-without-timeout
    b = redis.from_url(os.environ["REDIS_URL"])
    # ruleid: connection-without-timeout
    c = aioredis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    # ok: connection-without-timeout
    d = redis.Redis(host="cache", socket_connect_timeout=2, socket_timeout=2)
    # ok: connection-without-timeout
    e = redis.from_url("redis://cache:6379/0?socket_timeout=2&socket_connect_timeout=2")
    # ok: connection-without-timeout
    pool = redis.BlockingConnectionPool(max_connections=50, timeout=5, socket_timeout=2)
    f = redis.Redis(connection_pool=pool)
    return a, b, c, d, e, f


def mongo():
    # ruleid: connection-without-timeout
    a = MongoClient(os.environ["MONGO_URL"])
    # ok: connection-without-timeout
    b = pymongo.MongoClient(os.environ["MONGO_URL"], serverSelectionTimeoutMS=5000)
    # ok: connection-without-timeout
    c = MongoClient("mongodb://db:27017/?serverSelectionTimeoutMS=5000&socketTimeoutMS=10000")
    return a, b, c


def broker():
    # ruleid: connection-without-timeout
    a = pika.ConnectionParameters(host="rabbit")
    # ruleid: connection-without-timeout
    b = pika.URLParameters("amqp://guest@rabbit:5672/%2F")
    # ok: connection-without-timeout
    c = pika.ConnectionParameters(host="rabbit", blocked_connection_timeout=30)
    # ok: connection-without-timeout
    d = pika.URLParameters("amqp://rabbit:5672/%2F?blocked_connection_timeout=30")
    return a, b, c, d


async def http_and_asyncpg(url):
    # ruleid: connection-without-timeout
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            body = await resp.text()
    # ok: connection-without-timeout
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        await session.get(url)
    # ok: connection-without-timeout
    async with aiohttp.ClientSession() as session:
        await session.get(url, timeout=aiohttp.ClientTimeout(total=10))
    # ruleid: connection-without-timeout
    pool = await asyncpg.create_pool(DATABASE_URL)
    # ok: connection-without-timeout
    pool2 = await asyncpg.create_pool(DATABASE_URL, timeout=5, command_timeout=10)
    return body, pool, pool2


def aws():
    # ruleid: connection-without-timeout
    s3 = boto3.client("s3")
    # ruleid: connection-without-timeout
    table = boto3.resource("dynamodb").Table("orders")
    # ok: connection-without-timeout
    sqs = boto3.client("sqs", config=BOTO_CONFIG)
    # ok: connection-without-timeout
    sns = boto3.client("sns", config=Config(connect_timeout=3, retries={"max_attempts": 3}))
    return s3, table, sqs, sns


# --- Django settings ------------------------------------------------------------------------
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "blog"),
        "HOST": os.environ.get("DB_HOST", "db"),
        # ruleid: connection-without-timeout
        "OPTIONS": {"sslmode": "require"},
    },
    "replica": {
        # ruleid: connection-without-timeout
        "ENGINE": "django.db.backends.mysql",
        "NAME": "shop",
        "HOST": os.environ["REPLICA_HOST"],
    },
    "geo": {
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        # ok: connection-without-timeout
        "OPTIONS": {"connect_timeout": 5, "options": "-c statement_timeout=5000"},
    },
    "local": {
        # ok: connection-without-timeout
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    },
    "configured": {
        "ENGINE": "django.db.backends.postgresql",
        # ok: connection-without-timeout
        "OPTIONS": DB_OPTIONS,
    },
}

DATABASES["analytics"] = {
    "ENGINE": "django.db.backends.postgresql",
    # ruleid: connection-without-timeout
    "OPTIONS": {},
}
