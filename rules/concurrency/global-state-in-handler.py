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
