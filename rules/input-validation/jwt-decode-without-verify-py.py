import jwt
from flask import request
from jose import jwt as jose_jwt


def current_user():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    # ruleid: jwt-decode-without-verify-py
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["sub"]


def current_user_v1(token):
    # ruleid: jwt-decode-without-verify-py
    return jwt.decode(token, verify=False)["user_id"]


def accept_unsigned(token, key):
    # ruleid: jwt-decode-without-verify-py
    return jwt.decode(token, key, algorithms=["HS256", "none"])


def relaxed(token):
    opts = {"verify_signature": False, "verify_exp": False}
    # ruleid: jwt-decode-without-verify-py
    return jwt.decode(token, options=opts)


def role_from_jose(token):
    # ruleid: jwt-decode-without-verify-py
    claims = jose_jwt.get_unverified_claims(token)
    return claims.get("role") == "admin"


def verified(token, key):
    # ok: jwt-decode-without-verify-py
    return jwt.decode(token, key, algorithms=["RS256"], audience="api")


def expired_ok(token, key):
    # the signature is still checked; only expiry is relaxed
    # ok: jwt-decode-without-verify-py
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})


def issuer_then_verify(token, keys):
    # reading iss to pick the key, then verifying with it
    # ok: jwt-decode-without-verify-py
    unverified = jwt.decode(token, options={"verify_signature": False})
    key = keys[unverified["iss"]]
    return jwt.decode(token, key, algorithms=["RS256"], issuer=unverified["iss"])


def kid_then_verify(token, jwks):
    # ok: jwt-decode-without-verify-py
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, jwks[header["kid"]], algorithms=["RS256"])


def jose_kid_then_verify(token, keys):
    # ok: jwt-decode-without-verify-py
    claims = jose_jwt.get_unverified_claims(token)
    key = keys[claims["iss"]]
    return jose_jwt.decode(token, key, algorithms=["RS256"])


def decode_from_config(encoded_token, config, key_callback, decode_jwt):
    # flask-jwt-extended style: unverified claims pick the key, a helper verifies
    # ok: jwt-decode-without-verify-py
    unverified_claims = jwt.decode(
        encoded_token, algorithms=config.algorithms, options={"verify_signature": False}
    )
    kwargs = {"encoded_token": encoded_token, "secret": key_callback(unverified_claims)}
    try:
        return decode_jwt(**kwargs)
    except jwt.ExpiredSignatureError:
        raise


def trust_after_parse(token, parse_json):
    # ruleid: jwt-decode-without-verify-py
    claims = jwt.decode(token, options={"verify_signature": False})
    return parse_json(claims)


def header_and_claims(token):
    # ruleid: jwt-decode-without-verify-py
    full = jwt.decode_complete(token, options={"verify_signature": False})
    return full["payload"]["sub"]


class ApiClient:
    def needs_refresh(self, now):
        # an API client reading the expiry of the token it was given, to refresh it in time
        # ok: jwt-decode-without-verify-py
        expires = jwt.decode(self.access_token, options={"verify_signature": False})["exp"]
        return expires - now < 60


def claims_with_key_and_algorithms(request, key):
    # key and algorithms are passed, but the signature check is switched off anyway
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    # ruleid: jwt-decode-without-verify-py
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": False})


def claims_opts_dict_call(token, key):
    # ruleid: jwt-decode-without-verify-py
    return jwt.decode(token, key, algorithms=["HS256"], options=dict(verify_signature=False))


def claims_opts_built(token, key):
    opts = {"verify_exp": True}
    opts["verify_signature"] = False
    # ruleid: jwt-decode-without-verify-py
    return jwt.decode(token, key, algorithms=["HS256"], options=opts)


def jose_unverified(token, key):
    # ruleid: jwt-decode-without-verify-py
    return jose_jwt.decode(token, key, algorithms=["HS256"], options={"verify_signature": False})


def none_only(token):
    # ruleid: jwt-decode-without-verify-py
    return jwt.decode(token, None, algorithms=["none"])


def verified_after_reading_token(request, key):
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    # ok: jwt-decode-without-verify-py
    return jwt.decode(token, key, algorithms=["HS256"])


def jose_verified(token, key):
    # ok: jwt-decode-without-verify-py
    return jose_jwt.decode(token, key, algorithms=["HS256"], options={"verify_aud": False})
