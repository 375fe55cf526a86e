import urllib.parse

import flask
from django.http import HttpResponseRedirect
from django.shortcuts import redirect as dj_redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, abort, redirect, request, url_for

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"example.com", "www.example.com"}


@app.route("/login", methods=["POST"])
def login():
    nxt = request.args.get("next", "/")
    # ruleid: open-redirect
    return redirect(nxt)


@app.route("/out")
def out():
    # ruleid: open-redirect
    return flask.redirect(request.form["url"] + "?ref=app")


@app.route("/back")
def back():
    resp = flask.make_response("", 302)
    # ruleid: open-redirect
    resp.headers["Location"] = request.cookies.get("return_to")
    return resp


def django_view(request):
    target = request.GET.get("next")
    # ruleid: open-redirect
    return HttpResponseRedirect(target)


def django_view2(request):
    # ruleid: open-redirect
    return dj_redirect(request.POST["success_url"])


@api.get("/sso/callback")
def sso_callback(return_url: str):
    # ruleid: open-redirect
    return RedirectResponse(return_url)


@app.route("/stored")
def stored():
    nxt = request.args.get("next")
    m = {}
    m["default"] = "/"
    m["next"] = nxt
    m["other"] = "x"
    # ruleid: open-redirect
    return redirect(m["next"])


# ---- safe idioms ----


@app.route("/home")
def home():
    # ok: open-redirect
    return redirect(url_for("index", tab=request.args.get("tab")))


def django_safe(request):
    nxt = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=True):
        nxt = reverse("home")
    # ok: open-redirect
    return HttpResponseRedirect(nxt)


def django_safe_kw(request):
    nxt = request.POST.get("next")
    url_is_safe = url_has_allowed_host_and_scheme(url=nxt, allowed_hosts={request.get_host()})
    # ok: open-redirect
    return dj_redirect(nxt if url_is_safe else "/")


@app.route("/go")
def go():
    target = request.args.get("url", "")
    parsed = urllib.parse.urlparse(target)
    if parsed.netloc not in ALLOWED_HOSTS or parsed.scheme != "https":
        return "bad target", 400
    # ok: open-redirect
    return redirect(target)


@app.route("/go2")
def go2():
    target = request.args.get("url", "")
    try:
        parsed = urllib.parse.urlparse(target)
        if parsed.hostname not in ALLOWED_HOSTS:
            return "bad target", 400
    except ValueError:
        return "bad target", 400
    # ok: open-redirect
    return redirect(target)


@app.route("/user")
def user_page():
    # ok: open-redirect
    return redirect("/users/" + request.args["name"])


@app.route("/user2")
def user_page2():
    name = request.args["name"]
    # ok: open-redirect
    return redirect(f"/profile/{name}")


@app.route("/here")
def here():
    # the current page: stays on this site
    # ok: open-redirect
    return redirect(request.path)


@app.route("/dead")
def dead():
    nxt = request.args.get("next")
    target = "/" if 3 * 7 > 2 else nxt
    # ok: open-redirect
    return redirect(target)


@app.route("/listed")
def listed():
    nxt = request.args.get("next")
    if nxt not in ("/", "/dashboard", "/settings"):
        nxt = "/"
    # ok: open-redirect
    return redirect(nxt)


@app.route("/settings-redirect")
def settings_redirect():
    # ok: open-redirect
    return redirect(app.config["LOGIN_URL"])


ALLOWED_REDIRECTS = {"/", "/orders", "/account"}


@app.get("/login/done")
def login_done():
    target = request.args.get("next", "/")
    # ok: open-redirect
    return redirect(target if target in ALLOWED_REDIRECTS else "/")


def logout_then(request):
    nxt = request.GET.get("next", "/")
    # ok: open-redirect
    return HttpResponseRedirect(nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else "/")


@app.get("/login/done2")
def login_done2():
    target = request.args.get("next", "/")
    # ok: open-redirect
    return redirect("/" if target not in ALLOWED_REDIRECTS else target)


@app.get("/login/done3")
def login_done3():
    target = request.args.get("next", "/")
    # the fallback is request data too
    # ruleid: open-redirect
    return redirect(target if target in ALLOWED_REDIRECTS else request.args["fallback"])


@app.get("/continue")
def continue_to():
    nxt = request.args.get("next", "/")
    if nxt not in ALLOWED_REDIRECTS:
        abort(400)
    # ok: open-redirect
    return redirect(nxt)


@app.get("/continue2")
def continue2():
    nxt = request.args.get("next", "/")
    if nxt in ALLOWED_REDIRECTS:
        # ok: open-redirect
        return redirect(nxt)
    return redirect("/")


@app.get("/continue3")
def continue3():
    nxt = request.args.get("next", "/")
    if not is_allowed_redirect(nxt):
        raise ValueError("bad target")
    # ok: open-redirect
    return redirect(nxt)


@app.get("/continue4")
def continue4():
    # ok: open-redirect
    return redirect(safe_next_url(request.args.get("next")))


@app.get("/continue5")
def continue5():
    nxt = request.args.get("next", "/")
    if validate_target(nxt):
        # ok: open-redirect
        return redirect(nxt)
    return redirect("/")


# ---- checks that check nothing ----


@app.get("/truthy")
def truthy():
    nxt = request.args.get("next")
    if nxt:
        # ruleid: open-redirect
        return redirect(nxt)
    return redirect("/")


@app.get("/logged-only")
def logged_only():
    nxt = request.args.get("next", "/")
    if nxt not in ALLOWED_REDIRECTS:
        app.logger.warning("unknown redirect target")
    # ruleid: open-redirect
    return redirect(nxt)


@app.get("/wrapped")
def wrapped():
    nxt = request.args.get("next", "/")
    if not nxt.strip():
        nxt = "/"
    # ruleid: open-redirect
    return redirect(str(nxt))
