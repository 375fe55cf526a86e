import logging
import os
import pathlib
import sqlite3
import tempfile
from pathlib import Path

# ruleid: fixed-temp-path
CACHE_DB = "/tmp/app-cache.db"
# ruleid: fixed-temp-path
EXPORT_DIR = "/var/tmp/orders/exports/"
# ruleid: fixed-temp-path
conn = sqlite3.connect("/tmp/sessions.sqlite3")
# ruleid: fixed-temp-path
handler = logging.FileHandler("/tmp/orders.log")
# ruleid: fixed-temp-path
PIDFILE = os.environ.get("PIDFILE", "/tmp/worker.pid")


def write_report(rows: list) -> str:
    # ruleid: fixed-temp-path
    with open("/tmp/report.csv", "w") as fh:
        fh.writelines(rows)
    return "ok"


def lock_path() -> str:
    # ruleid: fixed-temp-path
    return os.path.join(tempfile.gettempdir(), "orders-sync.lock")


def thumb_path() -> Path:
    # ruleid: fixed-temp-path
    return Path(tempfile.gettempdir()) / "thumbnail.png"


def shm_buffer() -> str:
    # ruleid: fixed-temp-path
    return os.path.join("/tmp", "orders", "buffer.bin")


# --- safe: tempfile picks the name, or the folder comes from configuration -------------
def scratch(rows: list) -> str:
    # ok: fixed-temp-path
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
        fh.writelines(rows)
        return fh.name


def scratch_fd() -> str:
    # ok: fixed-temp-path
    fd, path = tempfile.mkstemp(prefix="orders-", suffix=".json")
    os.close(fd)
    return path


def scratch_dir() -> str:
    # ok: fixed-temp-path
    with tempfile.TemporaryDirectory(prefix="orders-") as d:
        return os.path.join(d, "out.csv")


def scratch_in_fixed_parent() -> str:
    # ok: fixed-temp-path
    fd, path = tempfile.mkstemp(dir="/var/tmp/orders")
    return path


# ok: fixed-temp-path
CACHE_DIR = os.environ.get("CACHE_DIR", tempfile.gettempdir())
# ok: fixed-temp-path
MYSQL_SOCKET = "/tmp/mysql.sock"
# ok: fixed-temp-path
TMP_ROOT = "/tmp"
# ok: fixed-temp-path
HELP = "Where to write the export, e.g. /tmp/export.csv"
# ok: fixed-temp-path
PATTERN = "/tmp/orders-%s.csv"
# ok: fixed-temp-path
TEMPLATE = "/tmp/{job_id}/out.csv"


def per_process() -> str:
    # ok: fixed-temp-path
    return os.path.join(tempfile.gettempdir(), f"orders-{os.getpid()}.lock")


def is_scratch(path: str) -> bool:
    # ok: fixed-temp-path
    return path.startswith("/tmp/orders")


def is_default(path: str) -> bool:
    # ok: fixed-temp-path
    return path == "/tmp/orders.db"

# ok: fixed-temp-path
PARENT = "/tmp/.."
