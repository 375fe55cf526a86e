import os
import sqlite3
from pathlib import Path

import boto3

# ruleid: home-directory-expansion
EXPORT_DIR = os.path.expanduser("~/exports/orders")
# ok: home-directory-expansion
CLI_CONFIG = os.path.expanduser("~/.config/orders/cli.toml")
# ruleid: home-directory-expansion
REPORTS_DIR = Path.home() / "reports"
# ok: home-directory-expansion
DATA_DIR = Path(os.environ["DATA_DIR"])
# ok: home-directory-expansion
UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", "/var/lib/orders/uploads"))


def open_db() -> sqlite3.Connection:
    # ruleid: home-directory-expansion
    return sqlite3.connect(Path("~/data/orders.db").expanduser(), timeout=5)


def open_db_from_config() -> sqlite3.Connection:
    # ok: home-directory-expansion
    return sqlite3.connect(os.environ["SQLITE_PATH"], timeout=5)


def read_seed() -> str:
    # ruleid: home-directory-expansion
    with open("~/seed/products.json", encoding="utf-8") as fh:
        return fh.read()


def s3_session() -> boto3.session.Session:
    # ok: home-directory-expansion
    os.environ.setdefault("AWS_SHARED_CREDENTIALS_FILE", os.path.expanduser("~/.aws/credentials"))
    return boto3.session.Session()


def bundled_schema() -> str:
    # ok: home-directory-expansion
    return (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")
