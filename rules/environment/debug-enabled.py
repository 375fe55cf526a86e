import os

import uvicorn
from fastapi import FastAPI
from flask import Flask

# ruleid: debug-enabled
DEBUG = True
# ok: debug-enabled
DEBUG_TOOLBAR = os.environ.get("DEBUG_TOOLBAR") == "1"

app = Flask(__name__)
# ruleid: debug-enabled
app.config["DEBUG"] = True
# ok: debug-enabled
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "0") == "1"
# ok: debug-enabled
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)

# ruleid: debug-enabled
api = FastAPI(title="orders", debug=True)
# ok: debug-enabled
public_api = FastAPI(title="orders", debug=os.environ.get("APP_DEBUG") == "1")


class ProductionSettings:
    # ok: debug-enabled
    DEBUG = False
    # ok: debug-enabled
    TESTING = False


def serve() -> None:
    # ok: debug-enabled
    uvicorn.run("orders.api:app", host="0.0.0.0", port=int(os.environ.get("PORT", "8080")), workers=4)


def dev_server() -> None:
    # ruleid: debug-enabled
    uvicorn.run("orders.api:app", reload=True)


if __name__ == "__main__":
    # ruleid: debug-enabled
    app.run(host="0.0.0.0", port=8080, debug=True)
