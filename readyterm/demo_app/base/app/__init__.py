"""orders-service: application factory."""
import logging

from flask import Flask, jsonify

from .config import Config


def create_app(overrides=None):
    app = Flask(__name__)
    app.config.from_object(Config)
    if overrides:
        app.config.update(overrides)

    logging.basicConfig(
        level=app.config["LOG_LEVEL"],
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
