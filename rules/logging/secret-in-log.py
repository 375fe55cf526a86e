import logging
import os

import structlog
from flask import Flask, request

app = Flask(__name__)
logger = logging.getLogger(__name__)
log = structlog.get_logger()


def mask(value: str) -> str:
    return value[:4] + "..."


@app.post("/login")
def login():
    username = request.form["username"]
    password = request.form["password"]
    # ruleid: secret-in-log
    logger.info(f"login attempt {username} {password}")
    # ruleid: secret-in-log
    logger.debug("login form: %s", request.form)
    # ruleid: secret-in-log
    app.logger.info("headers %s", dict(request.headers))
    # ruleid: secret-in-log
    logger.warning("bad password %s" % request.form.get("password"))
    # ok: secret-in-log
    logger.info("login attempt for %s", username, extra={"request_id": request.headers.get("X-Request-Id")})
    # ok: secret-in-log
    logger.info("password length %d", len(password))
    # ok: secret-in-log
    logger.info("login ok user_id=%s", username)
    return "ok"


def refresh(session, user):
    access_token = session.refresh(user.refresh_token)
    # ruleid: secret-in-log
    logging.debug("token=%s", access_token)
    # ruleid: secret-in-log
    log.info("token refreshed", user_id=user.id, refresh_token=user.refresh_token)
    # ruleid: secret-in-log
    logger.info("using key {}".format(os.environ["STRIPE_API_KEY"]))
    # ok: secret-in-log
    logger.info("token refreshed for %s, type %s", user.id, session.token_type)
    # ok: secret-in-log
    logger.info(f"token {mask(access_token)} expires in {session.expires_in}s")
    # ok: secret-in-log
    logger.info(f"token prefix {access_token[:4]}")
    # ok: secret-in-log
    logger.info("connected to %s", session.url.obscure_password)
    # ok: secret-in-log
    logger.info("listing page %s", session.next_page_token)
    return access_token


def send_reset(user, mailer):
    password_reset_url = mailer.reset_link_for(user)
    # ruleid: secret-in-log
    logger.info("sent reset link %s to user %s", password_reset_url, user.id)
    # ok: secret-in-log
    logger.info("sent reset link to user %s", user.id)
