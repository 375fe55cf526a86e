import os
import ssl

import httpx
import requests

CA_BUNDLE = os.environ.get("INTERNAL_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")


def fetch_invoice(invoice_id: str) -> bytes:
    # ruleid: tls-verification-disabled
    resp = requests.get(f"{os.environ['BILLING_URL']}/invoices/{invoice_id}", verify=False, timeout=10)
    resp.raise_for_status()
    return resp.content


def billing_client() -> httpx.Client:
    # ruleid: tls-verification-disabled
    return httpx.Client(base_url=os.environ["BILLING_URL"], verify=False, timeout=10.0)


def legacy_session() -> requests.Session:
    session = requests.Session()
    # ruleid: tls-verification-disabled
    session.verify = False
    return session


def smtp_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    # ruleid: tls-verification-disabled
    ctx.check_hostname = False
    # ruleid: tls-verification-disabled
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def fetch_invoice_safe(invoice_id: str) -> bytes:
    # ok: tls-verification-disabled
    resp = requests.get(f"{os.environ['BILLING_URL']}/invoices/{invoice_id}", verify=CA_BUNDLE, timeout=10)
    resp.raise_for_status()
    return resp.content


def internal_client() -> httpx.Client:
    ctx = ssl.create_default_context(cafile=CA_BUNDLE)
    # ok: tls-verification-disabled
    return httpx.Client(base_url=os.environ["BILLING_URL"], verify=ctx, timeout=10.0)
