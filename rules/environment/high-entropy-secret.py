import os
from dataclasses import dataclass, field

import requests
from elasticsearch import Elasticsearch
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class PaymentsClient:
    # ruleid: high-entropy-secret
    def __init__(self, api_key="Zx9LmQ2pR7vT4wYb8nK3sD6fH1jG5cA0", timeout=5):
        self.api_key = api_key


# ruleid: high-entropy-secret
async def connect(host: str, auth_token: str = "q8Vh3kT0bR9mZ2xYc5Lw7Np1Fs4Gd6J"):
    return host, auth_token


class Settings(BaseSettings):
    # ruleid: high-entropy-secret
    api_token: str = Field("mQ2pR7vT4wYb8nK3sD6fH1jG5cA0Zx9L", description="partner API")
    # ruleid: high-entropy-secret
    webhook_secret: SecretStr = SecretStr("R7vT4wYb8nK3sD6fH1jG5cA0Zx9LmQ2p")
    # ok: high-entropy-secret
    api_key: SecretStr
    # ok: high-entropy-secret
    token_url: str = Field("https://auth.example.com/oauth/token")
    # ok: high-entropy-secret
    cache_key: str = Field(default="orders_v2_list_cache_2024")


@dataclass
class Partner:
    # ruleid: high-entropy-secret
    client_secret: str = field(default="T4wYb8nK3sD6fH1jG5cA0Zx9LmQ2pR7v")


# ruleid: high-entropy-secret
clientSecret = "b8nK3sD6fH1jG5cA0Zx9LmQ2pR7vT4wY"
# ruleid: high-entropy-secret
STRIPE_KEY_PROD = "nK3sD6fH1jG5cA0Zx9LmQ2pR7vT4wYb8"

GITHUB = requests.Session()
# ruleid: high-entropy-secret
GITHUB.headers["Authorization"] = "token 3sD6fH1jG5cA0Zx9LmQ2pR7vT4wYb8nK"
# ruleid: high-entropy-secret
OKTA_HEADERS = {"Authorization": "SSWS 00QCjAl4MlV-WPXM7bCd4FbYxK2n8qLp9sTz", "Accept": "application/json"}

# ruleid: high-entropy-secret
es = Elasticsearch("https://search.internal:9200", basic_auth=("elastic", "fH1jG5cA0Zx9LmQ2pR7vT4wYb8nK3sD6"))

# --- safe ------------------------------------------------------------------------
# ok: high-entropy-secret
def fetch(token: str = os.environ.get("PARTNER_TOKEN", "")):
    return token


# ok: high-entropy-secret
def paginate(page_token: str = "AAAAAAAAAAAAAAAAAAAAAA", next_token=None):
    return page_token


# ok: high-entropy-secret
def header(auth_header: str = "Authorization"):
    return auth_header


# ok: high-entropy-secret
def sign(secret_name: str = "payments/prod/webhook-signing-secret"):
    return secret_name


# ok: high-entropy-secret
cacheKey = "orders:list:9f3a7c2b1d4e5f6a7b8c9d0e"
# ok: high-entropy-secret
primaryKey = "3f2504e04f8911d39a0c0305e82c3301"
# ok: high-entropy-secret
STRIPE_KEY_PROD_ENV = os.environ["STRIPE_KEY_PROD"]
# ok: high-entropy-secret
accessKeyPlaceholder = "your-access-key-goes-here-1234567"
# ok: high-entropy-secret
HEADERS = {"Authorization": f"token {os.environ['GITHUB_TOKEN']}"}
# reported by hardcoded-secret (Bearer is a scheme it parses)
# ok: high-entropy-secret
BEARER = {"Authorization": "Bearer 3sD6fH1jG5cA0Zx9LmQ2pR7vT4wYb8nK"}
# reported by hardcoded-secret (a snake_case credential name)
# ok: high-entropy-secret
PARTNER_API_KEY = "Zx9LmQ2pR7vT4wYb8nK3sD6fH1jG5cA0"
# ok: high-entropy-secret
es_env = Elasticsearch(os.environ["ES_URL"], basic_auth=("elastic", os.environ["ES_PASSWORD"]))
# ok: high-entropy-secret
SCHEME = {"Authorization": "Negotiate"}


# ok: high-entropy-secret
def lookup(token="access_token_for_2024_v2"):
    return token


# ok: high-entropy-secret
def stub(api_key="test-api-key-1234567890"):
    return api_key
