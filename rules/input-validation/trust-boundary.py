import re
import uuid

import flask
from flask import Flask, request, session

app = Flask(__name__)
ALLOWED_THEMES = {"light", "dark"}


@app.route("/prefs", methods=["POST"])
def save_prefs():
    # ruleid: trust-boundary
    session["user_id"] = request.form["user_id"]
    role = request.args.get("role", "user")
    # ruleid: trust-boundary
    flask.session["role"] = role
    key = request.args.get("key")
    # ruleid: trust-boundary
    session[key] = "1"
    # ruleid: trust-boundary
    session.update(request.get_json())
    # ruleid: trust-boundary
    session.setdefault("cart", request.json["cart"])
    return "ok"


@app.route("/safe", methods=["POST"])
def safe_prefs():
    # ok: trust-boundary
    session["page_size"] = int(request.args.get("page_size", 20))
    theme = request.form.get("theme", "light")
    if theme in ALLOWED_THEMES:
        # ok: trust-boundary
        session["theme"] = theme
    token = request.form["invite"]
    if re.fullmatch(r"[A-Za-z0-9]{32}", token):
        # ok: trust-boundary
        session["invite"] = token
    # ok: trust-boundary
    session["order"] = str(uuid.UUID(request.form["order_id"]))
    user = authenticate(request.form["username"], request.form["password"])
    # ok: trust-boundary
    session["user_id"] = user.id
    # ok: trust-boundary
    session["last_path"] = request.path
    bar = request.args.get("x")
    bar = "constant"
    # ok: trust-boundary
    session["userid"] = bar
    values = {}
    values["a"] = "safe"
    values["b"] = request.args.get("b")
    # ok: trust-boundary
    session["v"] = values["a"]
    # ruleid: trust-boundary
    session["w"] = values["b"]
    if 7 > 3:
        other = "fixed"
    else:
        other = request.args.get("other")
    # ok: trust-boundary
    session["other"] = other
    return "ok"


def django_view(request):
    # ruleid: trust-boundary
    request.session["next"] = request.GET.get("next")
    form = PrefsForm(request.POST)
    if form.is_valid():
        # ok: trust-boundary
        request.session["lang"] = form.cleaned_data["lang"]
    # ok: trust-boundary
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse("ok")
