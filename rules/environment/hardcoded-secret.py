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
