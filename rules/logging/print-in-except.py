import logging
import sys
import traceback

from flask import Flask, jsonify

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.post("/orders")
def create_order():
    try:
        order = save_order()
    except Exception:
        # ruleid: print-in-except
        traceback.print_exc()
        return jsonify(error="could not save the order"), 500
    return jsonify(order), 201


@app.get("/orders/<int:order_id>")
def get_order(order_id):
    try:
        order = load_order(order_id)
    except KeyError as e:
        # ruleid: print-in-except
        print(f"order lookup failed: {e}")
        return jsonify(error="not found"), 404
    return jsonify(order)


def checkout(request):
    try:
        charge(request)
    except Exception as e:
        # ruleid: print-in-except
        print("charge failed", e)
        raise


def refund_view(request):
    try:
        refund(request)
    except Exception:
        # ok: print-in-except
        logger.exception("refund failed")
        raise


def sync_cli():
    try:
        sync()
    except KeyError as e:
        # ok: print-in-except
        print(f"missing key {e}")


@app.get("/report")
def report():
    try:
        return build_report()
    except ValueError as e:
        # ok: print-in-except
        print("bad report", e, file=sys.stderr) if app.debug else logger.warning("bad report: %s", e)
        return jsonify(error="bad report"), 400


def save_order():
    return {}


def load_order(order_id):
    return {"id": order_id}


def charge(request):
    return request


def refund(request):
    return request


def sync():
    return None


def build_report():
    return {}
