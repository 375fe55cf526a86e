import os

import redis
from fastapi import APIRouter
from flask import Flask, jsonify, request

app = Flask(__name__)
router = APIRouter()
cache = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2)

visits = 0
inventory = {"sku-1": 10}
CARTS: dict[str, list[str]] = {}
SETTINGS = {"currency": os.environ.get("CURRENCY", "EUR")}


@app.route("/visit")
def visit():
    global visits
    # ruleid: global-state-in-handler
    visits += 1
    return jsonify(visits=visits)


@router.post("/orders/{sku}")
async def reserve(sku: str):
    global inventory
    if inventory[sku] > 0:
        # ruleid: global-state-in-handler
        inventory[sku] -= 1
    return {"left": inventory[sku]}


@app.post("/carts/<cart_id>")
def add_to_cart(cart_id: str):
    # ruleid: global-state-in-handler
    CARTS.setdefault(cart_id, []).append(request.json["sku"])
    return jsonify(items=CARTS[cart_id])


@app.get("/v2/visit")
def visit_shared():
    # ok: global-state-in-handler
    count = cache.incr("visits")
    return jsonify(visits=count)


@app.get("/settings")
def settings():
    overrides = {}
    # ok: global-state-in-handler
    overrides.update(request.args)
    # ok: global-state-in-handler
    return jsonify(currency=overrides.get("currency", SETTINGS["currency"]))


def reload_settings() -> None:
    global SETTINGS
    # ok: global-state-in-handler
    SETTINGS = {"currency": os.environ.get("CURRENCY", "EUR")}


# --- thread workers -------------------------------------------------------------------------
import asyncio
import collections
import threading
from concurrent.futures import ThreadPoolExecutor

word_counts = collections.Counter()
results = []
processed = 0
seen_ids = set()
counts_lock = threading.Lock()
safe_counts = {}


class Stats:
    hits = {}
    names = ["a"]


def count_words(line):
    for word in line.split():
        # ruleid: global-state-in-handler
        word_counts[word] += 1


def fetch(url):
    # ruleid: global-state-in-handler
    results.append(url)


def tally(n):
    global processed
    # ruleid: global-state-in-handler
    processed += n


def remember(item_id):
    # ruleid: global-state-in-handler
    Stats.hits[item_id] = True
    # ruleid: global-state-in-handler
    seen_ids.add(item_id)


def locked_count(word):
    with counts_lock:
        # ok: global-state-in-handler
        safe_counts[word] = safe_counts.get(word, 0) + 1


def pure(url):
    found = []
    # ok: global-state-in-handler
    found.append(url)
    return found


def local_only(n):
    # ok: global-state-in-handler
    return [n * 2]


def run(lines, urls):
    workers = [threading.Thread(target=count_words, args=(line,)) for line in lines]
    for w in workers:
        w.start()
    with ThreadPoolExecutor(max_workers=8) as executor:
        executor.map(fetch, urls)
        executor.submit(tally, 1)
        executor.submit(locked_count, "x")
        executor.submit(pure, "u")
        executor.map(local_only, [1, 2])
    threading.Timer(5.0, remember, args=("id-1",)).start()


class Poller(threading.Thread):
    def run(self):
        # ruleid: global-state-in-handler
        results.append("tick")
        with counts_lock:
            # ok: global-state-in-handler
            results.append("tock")


def not_a_worker(x):
    # ok: global-state-in-handler
    results.append(x)
