import os

import aiohttp
import httpx
import redis
import redis.asyncio as aioredis
from pymongo import MongoClient
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

DATABASE_URL = os.environ["DATABASE_URL"]
REDIS_URL = os.environ["REDIS_URL"]
MONGO_URL = os.environ["MONGO_URL"]

# ruleid: unbounded-connection-pool
engine = create_engine(DATABASE_URL, pool_size=20, max_overflow=-1, pool_pre_ping=True)

# ruleid: unbounded-connection-pool
async_engine = create_async_engine(DATABASE_URL, pool_size=0)

# ruleid: unbounded-connection-pool
limits = httpx.Limits(max_connections=None, max_keepalive_connections=20)


async def make_session() -> aiohttp.ClientSession:
    # ruleid: unbounded-connection-pool
    connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=300)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10))


# ruleid: unbounded-connection-pool
mongo = MongoClient(MONGO_URL, maxPoolSize=None, serverSelectionTimeoutMS=5000)

# ruleid: unbounded-connection-pool
legacy_mongo = MongoClient("mongodb://db.internal:27017/app?maxPoolSize=0&w=majority")

# ruleid: unbounded-connection-pool
cache_pool = redis.ConnectionPool.from_url(REDIS_URL, socket_timeout=2)

# ruleid: unbounded-connection-pool
async_cache_pool = aioredis.ConnectionPool(host="cache.internal", port=6379)

# ok: unbounded-connection-pool
bounded_engine = create_engine(DATABASE_URL, pool_size=10, max_overflow=5, pool_timeout=10)

# ok: unbounded-connection-pool
pgbouncer_engine = create_engine(DATABASE_URL, poolclass=NullPool)

# ok: unbounded-connection-pool
bounded_limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)

# ok: unbounded-connection-pool
client = httpx.Client(limits=bounded_limits, timeout=httpx.Timeout(5.0, connect=2.0))

# ok: unbounded-connection-pool
bounded_mongo = MongoClient(MONGO_URL, maxPoolSize=50, serverSelectionTimeoutMS=5000)

# ok: unbounded-connection-pool
bounded_cache = redis.ConnectionPool.from_url(REDIS_URL, max_connections=50, socket_timeout=2)

# ok: unbounded-connection-pool
blocking_cache = redis.BlockingConnectionPool(max_connections=50, timeout=5)


async def make_bounded_session() -> aiohttp.ClientSession:
    # ok: unbounded-connection-pool
    connector = aiohttp.TCPConnector(limit=100, limit_per_host=20)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10))
