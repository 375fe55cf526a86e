from django.conf import settings
from flask import Flask, make_response, request
from starlette.middleware.sessions import SessionMiddleware

app = Flask(__name__)


def flask_login_view():
    resp = make_response("ok")
    # ruleid: insecure-cookie
    resp.set_cookie("session_id", "abc", secure=False, httponly=True)
    # ruleid: insecure-cookie
    resp.set_cookie("theme", "dark")
    # ruleid: insecure-cookie
    resp.set_cookie(key="auth_token", value="t", httponly=True, samesite="Lax")
    # ok: insecure-cookie
    resp.set_cookie("session_id", "abc", secure=True, httponly=True)
    # ok: insecure-cookie
    resp.set_cookie("sid", "abc", secure=request.is_secure)
    # ok: insecure-cookie
    resp.set_cookie("sid", "abc", secure=app.config["SESSION_COOKIE_SECURE"])
    # ok: insecure-cookie
    resp.set_cookie("sid", "abc", **cookie_options)
    # ok: insecure-cookie
    resp.delete_cookie("session_id")
    return resp


def django_view(request):
    response = HttpResponse("ok")
    # ruleid: insecure-cookie
    response.set_signed_cookie("remember", "1", secure=False)
    # ok: insecure-cookie
    response.set_cookie(settings.SESSION_COOKIE_NAME, "v", secure=settings.SESSION_COOKIE_SECURE)
    # ok: insecure-cookie
    response.set_cookie("csrftoken", "v", secure=request.is_secure())
    return response


# ruleid: insecure-cookie
SESSION_COOKIE_SECURE = False
# ruleid: insecure-cookie
CSRF_COOKIE_SECURE = False
# ok: insecure-cookie
SESSION_COOKIE_SECURE = True
# ok: insecure-cookie
CSRF_COOKIE_SECURE = os.environ.get("CSRF_COOKIE_SECURE", "1") == "1"

# ruleid: insecure-cookie
app.config["SESSION_COOKIE_SECURE"] = False
# ruleid: insecure-cookie
app.config.update(SESSION_COOKIE_SECURE=False, SESSION_COOKIE_HTTPONLY=True)
# ok: insecure-cookie
app.config["SESSION_COOKIE_SECURE"] = True
# ok: insecure-cookie
app.config["SESSION_COOKIE_HTTPONLY"] = False

# ruleid: insecure-cookie
fastapi_app.add_middleware(SessionMiddleware, secret_key=KEY, https_only=False)
# ok: insecure-cookie
fastapi_app.add_middleware(SessionMiddleware, secret_key=KEY, https_only=True)


def copy_jar(jar, new_jar, cookie):
    # ok: insecure-cookie
    new_jar.set_cookie(cookie)
    # ok: insecure-cookie
    client.cookies.set_cookie("name", "value")
