import os

import boto3
from twilio.rest import Client

# Deprecated, rotated in Q3 (kept for reference):
# ruleid: provider-key
# STRIPE_KEY = "sk_live_51HqLyjWDarjtT1zdp7dcQwErTyUiOp"
# ruleid: provider-key
API_BASE = "https://api.github.com"  # CI token: ghp_16C7e42F292c6912E7710c838347Ae178B4a
# ruleid: provider-key
# slack bot: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx
# ruleid: provider-key
# maps key AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY
# ruleid: provider-key
#   AKIA2E0A8F3B244C9986 belongs to the deploy user
# ruleid: provider-key
# -----BEGIN RSA PRIVATE KEY-----
# MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi3c8p5tX8qVL0Xk0xYuqtP9m2b
# -----END RSA PRIVATE KEY-----

# ok: provider-key
# Stripe test keys look like sk_test_4eC39HqLyjWDarjtT1zdp7dc (safe in docs)
# ok: provider-key
# AWS's documented example: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
# ok: provider-key
# Keys have the form ghp_<36 characters>; read it from GITHUB_TOKEN.
# ok: provider-key
# Expects a PEM file that starts with -----BEGIN PRIVATE KEY----- (PKCS#8)
# ok: provider-key
SLACK_CHANNEL = "#deploys"  # the channel, not a token
# ok: provider-key
FRAGMENT = "https://example.com/#ghp_16C7e42F292c6912E7710c838347Ae178B4a"  # reported by hardcoded-secret

# ruleid: provider-key
session = boto3.Session("AKIA2E0A8F3B244C9986", "q8Vh3kT0bR9mZ2xYc5Lw7Np1Fs4Gd6Jk0Ue3Oa+P")

# ruleid: provider-key
CREDENTIALS = {"AccessKeyId": "AKIA2E0A8F3B244C9986", "SecretAccessKey": "q8Vh3kT0bR9mZ2xYc5Lw7Np1Fs4Gd6Jk0Ue3Oa+P"}

# reported once, by hardcoded-secret (snake_case credential name)
# ok: provider-key
s3 = boto3.client("s3", aws_access_key_id="AKIA2E0A8F3B244C9986", aws_secret_access_key="q8Vh3kT0bR9mZ2xYc5Lw7Np1Fs4Gd6Jk0Ue3Oa+P")

# ok: provider-key
localstack = boto3.Session("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
# ok: provider-key
session_env = boto3.Session(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
# ok: provider-key
default_chain = boto3.Session(region_name=os.environ.get("AWS_REGION", "eu-west-1"))
# ok: provider-key
digest_pair = ("AKIA", "9b74c9897bac770ffc029102a200c5de9b74c989")

# ruleid: provider-key
twilio = Client("AC3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", "5e4f3a2b1c0d9e8f7a6b5c3f9a8b7c6d")
# ok: provider-key
twilio_env = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
