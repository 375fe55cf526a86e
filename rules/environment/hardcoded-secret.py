import os

import boto3
import psycopg2
import stripe

# ruleid: hardcoded-secret
stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
# ruleid: hardcoded-secret
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
# ruleid: hardcoded-secret
SECRET_KEY = "django-insecure-7f#k2!qz0v$wq9"
# ruleid: hardcoded-secret
WEBHOOK_HEADERS = {"Authorization": "Bearer sk_live_51HqLyjWDarjtT1zdp7dcQwErTy"}

# ok: hardcoded-secret
STRIPE_API_KEY = os.environ["STRIPE_API_KEY"]
# ok: hardcoded-secret
PASSWORD_FIELD = "password"
# ok: hardcoded-secret
DB_PASSWORD_ENV = "ORDERS_DB_PASSWORD"
# ruleid: hardcoded-secret
FLASK_SECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret-key")
# ok: hardcoded-secret
password_reset_url = "https://shop.example.com/reset"


def connect():
    # ruleid: hardcoded-secret
    return psycopg2.connect(host=os.environ["DB_HOST"], user="orders", password="s3cr3t-pa55")


def connect_from_env():
    # ok: hardcoded-secret
    return psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)


def s3_client():
    # ok: hardcoded-secret
    return boto3.client("s3", region_name=os.environ.get("AWS_REGION", "eu-west-1"))


def login_form_fields() -> dict:
    # ok: hardcoded-secret
    return {"username": "", "password": ""}


class Settings:
    # ok: hardcoded-secret
    api_key: str = os.environ.get("PAYMENTS_API_KEY", "")
    # ok: hardcoded-secret
    jwt_secret = os.environ["JWT_SECRET"]
    # ruleid: hardcoded-secret
    client_secret = "f3a9c1d2e4b5a6978877665544332211"


# --- credentials handed inline to an API ------------------------------------------------
import hmac
import smtplib

import jwt
import redis
import requests
from cryptography.fernet import Fernet
from flask import Flask
from itsdangerous import URLSafeTimedSerializer

app = Flask(__name__)
# ruleid: hardcoded-secret
app.secret_key = "flask-dev-signing-key-123"
# ruleid: hardcoded-secret
app.config["SECRET_KEY"] = "another-flask-key-456"
# ok: hardcoded-secret
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]


def make_token(payload: dict) -> str:
    # ruleid: hardcoded-secret
    return jwt.encode(payload, "s3cret", algorithm="HS256")


def read_token(token: str) -> dict:
    # ok: hardcoded-secret
    return jwt.decode(token, os.environ["JWT_SECRET"], algorithms=["HS256"])


def sign(message: bytes) -> str:
    # ruleid: hardcoded-secret
    return hmac.new(b"key", message, "sha256").hexdigest()


def sign_ok(message: bytes) -> str:
    # ok: hardcoded-secret
    return hmac.new(os.environb[b"WEBHOOK_KEY"], message, "sha256").hexdigest()


# ruleid: hardcoded-secret
box = Fernet(b"ZmRzZmRzZmRzZmRzZmRzZmRzZmRzZmRzZmRzZmRzZmQ=")
# ok: hardcoded-secret
box_from_env = Fernet(os.environ["FERNET_KEY"].encode())
# ruleid: hardcoded-secret
serializer = URLSafeTimedSerializer("itsdangerous-dev-secret")

# ruleid: hardcoded-secret
cache = redis.Redis(host=os.environ["REDIS_HOST"], password="r3dis-pa55")
# ok: hardcoded-secret
cache_ok = redis.Redis(host=os.environ["REDIS_HOST"], password=os.environ["REDIS_PASSWORD"])
# ok: hardcoded-secret
cache_no_auth = redis.Redis(host=os.environ["REDIS_HOST"], password="")

# ruleid: hardcoded-secret
s3 = boto3.client("s3", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def fetch_orders() -> dict:
    # ruleid: hardcoded-secret
    headers = {"Authorization": "Bearer 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"}
    return requests.get("https://api.example.com/orders", headers=headers, timeout=5).json()


def fetch_orders_ok(token: str) -> dict:
    # ok: hardcoded-secret
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    return requests.get("https://api.example.com/orders", headers=headers, timeout=5).json()


def fetch_report() -> bytes:
    # ruleid: hardcoded-secret
    return requests.get("https://reports.example.com/x", auth=("reporting", "hunter2"), timeout=5).content


def send_mail() -> None:
    with smtplib.SMTP_SSL("smtp.example.com") as server:
        # ruleid: hardcoded-secret
        server.login("alerts@example.com", "mailpass1")


# --- provider formats and high-entropy values --------------------------------------------
# ruleid: hardcoded-secret
GITHUB_TOKEN_FALLBACK = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
# ruleid: hardcoded-secret
SLACK_HOOK = "https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/abcdefghijklmnopqrstuvwx"
# ruleid: hardcoded-secret
MAILGUN_KEY = "Zx9LmQ2pR7vT4wYb8nK3sD6fH1jG5cA0"
# ruleid: hardcoded-secret
DEPLOY_KEY = """-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
-----END OPENSSH PRIVATE KEY-----"""
# ok: hardcoded-secret
CACHE_KEY = "orders:list:v2"
# ok: hardcoded-secret
IDEMPOTENCY_KEY = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
# ok: hardcoded-secret
STATIC_BUILD_HASH = "9b74c9897bac770ffc029102a200c5de"
# ok: hardcoded-secret
LOGO_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
# ok: hardcoded-secret
SORT_KEY = "created_at2024"

# --- placeholders are not secrets (a template value, not a leaked credential) ------------
# ok: hardcoded-secret
API_KEY = "<your-api-key>"
# ok: hardcoded-secret
STRIPE_SECRET = "xxx"
# ok: hardcoded-secret
SMTP_PASSWORD = "changeme"
# ok: hardcoded-secret
DB_PASSWORD = os.environ["DB_PASSWORD"]
# ok: hardcoded-secret
RATE_LIMITS = {"change_password": "5/m/user", "reset_password": "20/m/ip"}
# ok: hardcoded-secret
INTERNAL_RESET_SESSION_TOKEN = "_password_reset_token"
