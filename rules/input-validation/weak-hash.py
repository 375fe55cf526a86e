import hashlib
import hmac
from hashlib import md5, sha1

from Crypto.Hash import MD5
from cryptography.hazmat.primitives import hashes


def register(username, password):
    # ruleid: weak-hash
    stored = hashlib.md5(password.encode()).hexdigest()
    save_user(username, stored)


def check_login(user, password):
    # ruleid: weak-hash
    return user.pw_digest == sha1((user.salt + password).encode()).hexdigest()


def make_reset_token(user):
    # ruleid: weak-hash
    h = hashlib.new("md5")
    h.update(f"{user.id}:{user.email}:{user.last_login}".encode())
    reset_token = h.hexdigest()
    return reset_token


def verify_webhook(body, header_sig):
    # ruleid: weak-hash
    expected = hashlib.sha1(SHARED_KEY + body).hexdigest()
    return hmac.compare_digest(expected, header_sig)


def api_key_fingerprint(api_key):
    # ruleid: weak-hash
    return MD5.new(api_key.encode()).hexdigest()


class LegacyPasswordHasher:
    def encode(self, raw, salt):
        # ruleid: weak-hash
        digest = hashes.Hash(hashes.SHA1())
        digest.update((salt + raw).encode())
        return digest.finalize()


ALGORITHM = "sha1"


def sign_payload(payload):
    # the algorithm comes from a module constant
    # ruleid: weak-hash
    return hashlib.new(ALGORITHM, payload).hexdigest()


def cache_key(url):
    # ok: weak-hash
    return "page:" + md5(url.encode(), usedforsecurity=False).hexdigest()


def etag_for(content):
    # ok: weak-hash
    return '"%s"' % hashlib.md5(content, usedforsecurity=False).hexdigest()


def password_cache_key(user_id):
    # declared as not protecting anything, even next to a password name
    # ok: weak-hash
    return hashlib.sha1(str(user_id).encode(), usedforsecurity=False).hexdigest()


def hash_password(password):
    # ok: weak-hash
    return hashlib.scrypt(password.encode(), salt=SALT, n=2**14, r=8, p=1)


def make_token(user):
    # ok: weak-hash
    return hashlib.sha256(f"{user.id}{user.email}".encode()).hexdigest()


def sign(body):
    # ok: weak-hash
    return hmac.new(KEY, body, hashlib.sha512).hexdigest()


def derive(password):
    # ok: weak-hash
    return hashlib.pbkdf2_hmac("sha256", password.encode(), SALT, 600_000)


def file_checksum(path):
    # not protecting a secret: the unmarked-MD5 warning (weak-hash-unmarked) covers it
    # ok: weak-hash
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def tokenize(text):
    # a lexer, not an auth token
    # ok: weak-hash
    return [hashlib.blake2b(w.encode()).hexdigest() for w in text.split()]
