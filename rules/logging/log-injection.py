import logging

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
    return {"results": []}


def login_view(request):
    username = request.POST.get("username")
    # ruleid: log-injection
    logger.error("login failed for {}".format(username))
    # ok: log-injection
    logger.error("login failed, username length %d", len(username))
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
