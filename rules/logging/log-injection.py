import hashlib
import hmac
import logging
import os

import stripe

from flask import Flask, request

import utils

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.get("/search")
def search():
    term = request.args.get("q", "")
    # ruleid: log-injection
    logger.info(f"search for {term}")
    # ruleid: log-injection
    logger.warning("search for %s from %s", term, request.headers.get("User-Agent"))
    # ruleid: log-injection
    app.logger.info("page " + request.args["page"])
    # ok: log-injection
    logger.info("search for %r", term)
    # ok: log-injection
    logger.info("search", extra={"term": term, "request_id": request.headers.get("X-Request-Id")})
    # ok: log-injection
    logger.info("search for %s", term.replace("\r", "\\r").replace("\n", "\\n"))
    # ok: log-injection
    logger.info("page %d", int(request.args["page"]))
    # ok: log-injection
    logger.info("search for %s", "constant")
    # ok: log-injection
    logger.info("search for request %s", request.headers.get("X-Request-Id"))
    # ok: log-injection
    logger.info("trace=%s correlation=%s", request.headers.get("traceparent", "-"), request.headers["X-Correlation-ID"])
    # ok: log-injection
    logger.info(f"request {request.headers.get('x-request-id')} done")
    # ruleid: log-injection
    logger.info("login from " + request.headers.get("User-Agent", ""))
    # ruleid: log-injection
    logger.info("request %s from %s", request.headers.get("X-Request-Id"), request.headers.get("Referer"))
    return {"results": []}


def login_view(request):
    username = request.POST.get("username")
    # ruleid: log-injection
    logger.error("login failed for {}".format(username))
    # ok: log-injection
    logger.error("login failed, username length %d", len(username))
    # ok: log-injection
    logger.error("login failed request_id=%s", request.META.get("HTTP_X_REQUEST_ID"))
    # ruleid: log-injection
    logger.error("login failed from %s", request.META.get("HTTP_USER_AGENT"))
    return None


def send(client, request):
    response = client.send(request)
    # ok: log-injection
    logger.info("HTTP Request: %s %s %d", request.method, request.url, response.status_code)
    return response


class OrderView:
    def get(self, request, order_id):
        # ruleid: log-injection
        logger.warning("Not Found: %s", request.path)
        return None


@app.get("/profile")
def profile():
    # ok: log-injection
    logger.info("profile for %s", utils.sanitize_for_log(request.args["user"]))
    return {}


@app.post("/webhooks/shipping")
def shipping_webhook():
    expected = hmac.new(os.environb[b"HOOK_KEY"], request.data, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        abort(401)
    event = request.get_json(force=True)
    # ok: log-injection
    log.info("shipping event %s", event.get("type"))
    return {}


@app.post("/webhooks/carrier")
def carrier_webhook():
    expected = hmac.new(os.environb[b"HOOK_KEY"], request.data, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        # known gap: the rejection branch itself is inside the verified range
        # todoruleid: log-injection
        logger.warning("bad signature for event %s", request.get_json().get("type"))
        return {"error": "bad signature"}, 401
    # ok: log-injection
    logger.info("carrier event %s", request.get_json().get("type"))
    return {}


@app.post("/webhooks/unsigned")
def unsigned_webhook():
    event = request.get_json(force=True)
    if not hmac.compare_digest(event.get("token", ""), os.environ["HOOK_TOKEN"]):
        logger.info("token mismatch")
    # ruleid: log-injection
    logger.info("unsigned event %s", event.get("type"))
    return {}


@app.post("/webhooks/stripe")
def stripe_webhook():
    event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], os.environ["STRIPE_WHSEC"])
    # ok: log-injection
    logger.info("stripe event %s", event["type"])
    return {}


from fastapi import FastAPI, Query

api = FastAPI()


@api.get("/search")
def search_items(q: str, page: int = 1, tag: str | None = Query(None)):
    # ruleid: log-injection
    logger.warning(f"search for {q}")
    # ruleid: log-injection
    logger.info("tag %s", tag)
    # ok: log-injection
    logger.info("search for %r", q)
    # ok: log-injection
    logger.info(f"page {page}")
    return []


@api.post("/notify")
async def notify_channel(channel: str):
    # ruleid: log-injection
    logger.info("posting to " + channel)


def helper(name: str):
    # ok: log-injection
    logger.info(f"not a route: {name}")
