import os
from importlib import resources
from pathlib import Path

import pandas as pd

# ruleid: home-directory-path
MODEL_PATH = "/Users/alice/projects/churn/model.pkl"
# ok: home-directory-path
DATA_DIR = Path(os.environ.get("DATA_DIR", "/var/lib/orders"))
# ok: home-directory-path
STATIC_ROOT = Path(__file__).resolve().parent / "static"
# ok: home-directory-path
APP_HOME = "/home/app/orders"


def load_orders() -> pd.DataFrame:
    # ruleid: home-directory-path
    return pd.read_csv("/home/bob/Downloads/orders_2024.csv")


def load_prices() -> pd.DataFrame:
    # ok: home-directory-path
    return pd.read_csv(DATA_DIR / "prices.csv")


def load_template() -> str:
    # ok: home-directory-path
    return resources.files("orders").joinpath("templates/invoice.html").read_text()


def export_path(report: str) -> str:
    # ruleid: home-directory-path
    return os.path.join("C:\\Users\\carol\\reports", report)


def upload_dir(tmp: str = "/tmp/uploads") -> Path:
    # ok: home-directory-path
    return Path(os.environ.get("UPLOAD_DIR", tmp))
