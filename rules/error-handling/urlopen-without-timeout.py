import json
import os
import urllib.request
from urllib.request import Request, urlopen

METADATA_URL = os.environ["METADATA_URL"]


def instance_region() -> str:
    # ruleid: urlopen-without-timeout
    with urllib.request.urlopen(f"{METADATA_URL}/region") as resp:
        return resp.read().decode()


def post_event(event: dict) -> None:
    req = Request(os.environ["EVENTS_URL"], data=json.dumps(event).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    # ruleid: urlopen-without-timeout
    urlopen(req).close()


def health(url: str) -> bool:
    try:
        # ok: urlopen-without-timeout
        with urlopen(url, timeout=3) as resp:
            return resp.status == 200
    except OSError:
        return False


def download(url: str, dest: str) -> None:
    # ok: urlopen-without-timeout
    with urllib.request.urlopen(url, None, 30) as resp, open(dest, "wb") as fh:
        fh.write(resp.read())
