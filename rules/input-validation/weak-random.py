import random
import secrets
import string
import time

from flask import Flask, make_response, session

app = Flask(__name__)


def generate_token(length=32):
    alphabet = string.ascii_letters + string.digits
    # ruleid: weak-random
    return "".join(random.choice(alphabet) for _ in range(length))


def new_password():
    # ruleid: weak-random
    return "".join(random.choices(string.ascii_letters + string.digits, k=12))


@app.post("/login")
def login():
    # ruleid: weak-random
    session["sid"] = str(random.getrandbits(64))
    resp = make_response("ok")
    value = str(random.random())[2:]
    # ruleid: weak-random
    resp.set_cookie("remember_me", value)
    return resp


def start_reset(user, db):
    # ruleid: weak-random
    user.reset_token = "%032x" % random.getrandbits(128)
    # ruleid: weak-random
    otp = random.randint(100000, 999999)
    # ruleid: weak-random
    db.save(user, api_key=random.randbytes(16).hex())
    send_sms(user.phone, otp)


def django_view(request):
    code = random.randrange(10**6)
    # ruleid: weak-random
    request.session["verification"] = code


class Signup:
    def invite(self):
        # ruleid: weak-random
        self.inviteToken = str(random.random())[2:]


def safe_token():
    # ok: weak-random
    return secrets.token_urlsafe(32)


def safe_code(request):
    # ok: weak-random
    request.session["otp"] = secrets.randbelow(10**6)
    rng = random.SystemRandom()
    # ok: weak-random
    session_id = str(rng.getrandbits(64))
    return session_id


def backoff(attempt):
    # jitter in retries is not a secret
    # ok: weak-random
    delay = min(30, 2**attempt) * random.uniform(0.5, 1.5)
    time.sleep(delay)


def shuffled_fixture(rows):
    # test data shuffled for a sample
    random.shuffle(rows)
    # ok: weak-random
    sample = random.sample(rows, 10)
    return sample


def pick_backend(backends):
    # load balancing
    # ok: weak-random
    target = random.choice(backends)
    return target


def password_length():
    # a length, not a password
    # ok: weak-random
    n = random.randint(8, 16)
    return n


def spin():
    # ok: weak-random
    spin = random.random()
    return spin


def session_ttl(request):
    # ok: weak-random
    request.session.set_expiry(3600 + random.randint(0, 300))


from random import randint


def pin_code():
    # ruleid: weak-random
    return str(randint(0, 9999)).zfill(4)


def invite_user(user, response):
    chars = string.ascii_letters + string.digits
    # ruleid: weak-random
    user.set_password("".join(random.sample(chars, 12)))
    # ruleid: weak-random
    response.headers["X-CSRF-Token"] = "%x" % random.getrandbits(64)
    # ok: weak-random
    response.headers["X-Request-Jitter"] = str(random.random())
