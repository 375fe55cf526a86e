import base64
import json
import pickle

import requests
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_rules():
    # ruleid: unsafe-deserialization
    rules = yaml.load(request.get_data())
    # ok: unsafe-deserialization
    settings = yaml.safe_load(request.get_data())
    return {"rules": len(rules), "settings": sorted(settings)}


@app.get("/cart")
def load_cart():
    raw = base64.b64decode(request.cookies.get("cart", ""))
    # ruleid: unsafe-deserialization
    cart = pickle.loads(raw)
    return {"items": cart}


def fetch_model(url: str):
    resp = requests.get(url, timeout=30)
    resp.raise_for_status()
    # ruleid: unsafe-deserialization
    return pickle.loads(resp.content)


def load_config(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        # ok: unsafe-deserialization
        return yaml.load(fh, Loader=yaml.SafeLoader)


@app.get("/cart/v2")
def load_cart_json():
    # ok: unsafe-deserialization
    cart = json.loads(request.cookies.get("cart", "[]"))
    return {"items": cart}
