import hashlib
import os
from hashlib import md5, sha1


def file_fingerprint(path):
    with open(path, "rb") as fh:
        # ruleid: weak-hash-unmarked
        return hashlib.md5(fh.read()).hexdigest()


def template_cache_key(names):
    # ruleid: weak-hash-unmarked
    return sha1("|".join(names).encode()).hexdigest()


def sqlite_md5(text):
    # ruleid: weak-hash-unmarked
    return hashlib.new("md5", text.encode()).hexdigest()


def download(url, body, expected):
    # ruleid: weak-hash-unmarked
    if hashlib.sha1(body).hexdigest() != expected:
        raise IOError("corrupt download " + url)


def cache_key(url):
    # ok: weak-hash-unmarked
    return md5(url.encode(), usedforsecurity=False).hexdigest()


def etag(content):
    # ok: weak-hash-unmarked
    return hashlib.new("md5", content, usedforsecurity=False).hexdigest()


def content_id(data):
    # ok: weak-hash-unmarked
    return hashlib.sha256(data).hexdigest()


def store_password(password):
    # a security use is reported once, by weak-hash (blocker), not again here
    # ok: weak-hash-unmarked
    return hashlib.md5(password.encode()).hexdigest()


def make_api_token(user):
    # ok: weak-hash-unmarked
    return hashlib.sha1(str(user.id).encode()).hexdigest()


def legacy_digest(data):
    # ruleid: weak-hash-unmarked
    return hashlib.new("md4", data).hexdigest()


def new_salt():
    # only the size is read
    # ok: weak-hash-unmarked
    return os.urandom(sha1().digest_size)
