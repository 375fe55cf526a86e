import jwt
from authlib.jose import jwt as authlib_jwt
from jose import jwt as jose_jwt


def user_from(token, public_key):
    # ruleid: jwt-decode-without-algorithms-py
    return jwt.decode(token, public_key)["sub"]


def user_from_jose(token, settings):
    # ruleid: jwt-decode-without-algorithms-py
    return jose_jwt.decode(token, settings.JWT_KEY, audience="api")


def with_key_kw(token, secret):
    # ruleid: jwt-decode-without-algorithms-py
    return jwt.decode(token, key=secret, issuer="auth")


def pinned(token, public_key):
    # ok: jwt-decode-without-algorithms-py
    return jwt.decode(token, public_key, algorithms=["RS256"])


def pinned_positional(token, secret):
    # ok: jwt-decode-without-algorithms-py
    return jose_jwt.decode(token, secret, ["HS256"])


def from_settings(token, key, settings):
    # ok: jwt-decode-without-algorithms-py
    return jwt.decode(token, key, algorithms=settings.JWT_ALGORITHMS)


def passthrough(token, key, **kwargs):
    # ok: jwt-decode-without-algorithms-py
    return jwt.decode(token, key, **kwargs)


def authlib_decode(token, key):
    # authlib's JsonWebToken takes the algorithms from its constructor
    # ok: jwt-decode-without-algorithms-py
    return authlib_jwt.decode(token, key)
