import html

import bleach
import markupsafe
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from flask import Flask, jsonify, make_response, render_template, render_template_string, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: xss-request-data
    return f"<h1>Hello {name}</h1>"


@app.route("/search", methods=["POST"])
def search():
    query = request.form["q"]
    page = "<p>Results for "
    page += query
    # ruleid: xss-request-data
    return page, 200


@app.route("/preview")
def preview():
    body = request.args.get("body", "")[:500]
    # ruleid: xss-request-data
    return make_response("<div>" + body + "</div>")


@app.route("/tpl")
def tpl():
    # ruleid: xss-request-data
    return render_template_string("<p>" + request.args["msg"] + "</p>")


@app.route("/bio")
def bio():
    bio = request.cookies.get("bio")
    # ruleid: xss-request-data
    return render_template("bio.html", bio=Markup(bio))


def django_view(request):
    who = request.GET.get("who", "")
    # ruleid: xss-request-data
    return HttpResponse("<b>%s</b>" % who)


def django_safe_view(request):
    note = request.POST["note"]
    # ruleid: xss-request-data
    return render_template("n.html", note=mark_safe(note))


# --- safe idioms -------------------------------------------------------------


@app.route("/hello-escaped")
def hello_escaped():
    name = request.args.get("name", "")
    # ok: xss-request-data
    return f"<h1>Hello {markupsafe.escape(name)}</h1>"


@app.route("/hello-html-escape")
def hello_html_escape():
    name = html.escape(request.args.get("name", ""))
    # ok: xss-request-data
    return "<h1>Hello " + name + "</h1>"


@app.route("/hello-template")
def hello_template():
    # ok: xss-request-data
    return render_template("hello.html", name=request.args.get("name"))


@app.route("/api/echo")
def api_echo():
    # ok: xss-request-data
    return jsonify(value=request.args.get("v"))


@app.route("/api/dict")
def api_dict():
    # ok: xss-request-data
    return {"value": request.args.get("v")}


@app.route("/count")
def count():
    n = int(request.args.get("n", "0"))
    # ok: xss-request-data
    return f"<p>{n} items</p>"


@app.route("/header")
def header():
    ref = request.headers.get("Referer", "")
    # ok: xss-request-data
    resp = make_response(("Saved in a header", {"X-Ref": ref}))
    # ok: xss-request-data
    return resp


@app.route("/always-constant")
def always_constant():
    param = request.args.get("p", "")
    limit = 86
    if 7 * 42 - limit > 200:
        shown = "fixed text"
    else:
        shown = param
    # ok: xss-request-data
    return f"<p>{shown}</p>"


@app.route("/clean")
def clean():
    # ok: xss-request-data
    return "<div>" + bleach.clean(request.form["comment"]) + "</div>"


def django_format_html(request):
    # ok: xss-request-data
    return HttpResponse(format_html("<b>{}</b>", request.GET.get("who", "")))


def django_json(request):
    # ok: xss-request-data
    return HttpResponse(request.body, content_type="application/json")
