import base64
import json
import marshal
import pickle

import jsonpickle
import yaml
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.post("/import")
def import_rules():
    # ruleid: unsafe-deserialization
    rules = yaml.load(request.get_data())
    # ruleid: unsafe-deserialization
    more = yaml.load(request.form["extra"], Loader=yaml.Loader)
    # ruleid: unsafe-deserialization
    full = yaml.load(request.form["full"], Loader=yaml.FullLoader)
    # ruleid: unsafe-deserialization
    raw = yaml.unsafe_load(request.form["raw"])
    # ok: unsafe-deserialization
    settings = yaml.safe_load(request.get_data())
    # ok: unsafe-deserialization
    other = yaml.load(request.form["other"], Loader=yaml.SafeLoader)
    return {"rules": len(rules), "n": len(more) + len(full) + len(raw), "settings": sorted(settings), "o": other}


@app.get("/cart")
def load_cart():
    raw = base64.b64decode(request.cookies.get("cart", ""))
    # ruleid: unsafe-deserialization
    cart = pickle.loads(raw)
    return {"items": cart}


def restore_session(request):
    # Django view: an uploaded file
    upload = request.FILES["state"]
    # ruleid: unsafe-deserialization
    state = pickle.load(upload)
    return JsonResponse({"keys": sorted(state)})


@app.post("/objects")
def decode_object():
    # ruleid: unsafe-deserialization
    obj = jsonpickle.decode(request.get_json()["payload"])
    # ruleid: unsafe-deserialization
    code = marshal.loads(request.get_data())
    return {"type": type(obj).__name__, "code": str(code)}


@api.post("/model/{blob}")
def load_blob(blob: str):
    # FastAPI path parameter
    # ruleid: unsafe-deserialization
    return {"v": str(pickle.loads(base64.urlsafe_b64decode(blob)))}


# ---- safe idioms ---------------------------------------------------------------------------


def load_config(path: str) -> dict:
    # a deployment file, not request data, loaded safely
    with open(path, encoding="utf-8") as fh:
        # ok: unsafe-deserialization
        return yaml.load(fh, Loader=yaml.SafeLoader)


@app.get("/cart/v2")
def load_cart_json():
    # ok: unsafe-deserialization
    cart = json.loads(request.cookies.get("cart", "[]"))
    return {"items": cart}


@app.get("/cart/v3")
def cart_dead_branch():
    value = request.cookies.get("cart", "")
    data = base64.b64encode(pickle.dumps([])) if 7 * 18 + 106 > 200 else value
    # ok: unsafe-deserialization
    return {"items": pickle.loads(base64.b64decode(data))}


def cached_report(cache_bytes: bytes):
    # bytes this service pickled into its own cache (not request data)
    # ok: unsafe-deserialization
    return pickle.loads(cache_bytes)


@app.get("/prefs")
def prefs():
    # the request only supplies an id that is logged; the YAML is a constant
    print("prefs for", request.args.get("request_id"))
    # ok: unsafe-deserialization
    return yaml.safe_load("theme: dark")
