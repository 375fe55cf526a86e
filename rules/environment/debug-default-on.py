import os

import environ
from decouple import config
from flask import Flask
from pydantic import Field
from pydantic_settings import BaseSettings

env = environ.Env()

# ruleid: debug-default-on
DEBUG = os.getenv("DEBUG", True)
# ruleid: debug-default-on
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
# ruleid: debug-default-on
DEBUG = os.environ.get("DEBUG", "true").lower() in ("1", "true", "yes")
# ruleid: debug-default-on
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# ruleid: debug-default-on
DEBUG = config("DEBUG", default=True, cast=bool)
# ruleid: debug-default-on
DEBUG = os.getenv("DEBUG", "False")
# ruleid: debug-default-on
DEBUG = bool(os.environ.get("DEBUG", "0"))
# ruleid: debug-default-on
DEBUG = os.environ.get("DEBUG", "").lower() != "false"

# ok: debug-default-on
DEBUG = os.environ.get("DEBUG", "0") == "1"
# ok: debug-default-on
DEBUG = os.getenv("DEBUG", "false").lower() in ("1", "true")
# ok: debug-default-on
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# ok: debug-default-on
DEBUG = config("DEBUG", default=False, cast=bool)
# ok: debug-default-on
DEBUG = os.environ.get("DEBUG", "").lower() not in ("", "0", "false", "no")
# ok: debug-default-on
DEBUG = os.environ.get("DEBUG", "false") != "false"
# ok: debug-default-on
TEMPLATE_DEBUG = os.environ.get("DEBUG", "False") == "True"
# ok: debug-default-on
VERBOSE = os.getenv("VERBOSE_LOGS", "1") == "1"
# ok: debug-default-on
DEBUG_TOOLBAR_PANELS = os.environ.get("TOOLBAR_PANELS", "sql,cache")
# ok: debug-default-on
LOG_LEVEL = os.environ.get("LOG_LEVEL", "DEBUG")

app = Flask(__name__)
# ruleid: debug-default-on
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "0")
# ok: debug-default-on
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "0") == "1"

APP_ENV = os.getenv("APP_ENV", "development")
# ruleid: debug-default-on
DEBUG = APP_ENV == "development"

STAGE = os.getenv("STAGE", "production")
# ok: debug-default-on
DEBUG = STAGE == "development"


class Settings(BaseSettings):
    # ruleid: debug-default-on
    app_debug: bool = True
    # ruleid: debug-default-on
    sql_debug: bool = Field(default=True, description="echo SQL")
    # ok: debug-default-on
    debug: bool = False
    # ok: debug-default-on
    strict_mode: bool = True


if __name__ == "__main__":
    # ruleid: debug-default-on
    app.run(host="0.0.0.0", debug=os.environ.get("FLASK_DEBUG", "False"))
    # ok: debug-default-on
    app.run(host="0.0.0.0", debug=os.environ.get("FLASK_DEBUG", "0") == "1")

# ruleid: debug-default-on
env2 = environ.Env(DEBUG=(bool, True))
# ok: debug-default-on
env3 = environ.Env(DEBUG=(bool, False))
