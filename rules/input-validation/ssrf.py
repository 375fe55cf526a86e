import urllib.parse
import urllib.request

import httpx
import requests
from flask import Flask, request

app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}
API_BASE = "https://api.example.com"


@app.route("/proxy")
def proxy():
    url = request.args.get("url")
    # ruleid: ssrf
    return requests.get(url, timeout=5).text


@app.route("/hook", methods=["POST"])
def hook():
    target = request.json["callback"]
    # ruleid: ssrf
    httpx.post(target, json={"ok": True})
    return "ok"


@app.route("/fetch")
def fetch():
    host = request.args["host"]
    # ruleid: ssrf
    return urllib.request.urlopen(f"http://{host}/status").read()


@app.route("/session")
def session_get():
    with requests.Session() as s:
        # ruleid: ssrf
        return s.get(request.form["feed"]).text


# ---- safe ----
@app.route("/item")
def item():
    item_id = request.args.get("id")
    # ok: ssrf
    return requests.get(f"https://api.example.com/items/{item_id}").text


@app.route("/item2")
def item2():
    # ok: ssrf
    return requests.get("https://api.example.com/search/" + request.args["q"]).text


@app.route("/search")
def search():
    # ok: ssrf
    return requests.get("https://api.example.com/search", params={"q": request.args["q"]}).text


@app.route("/base")
def base():
    # ok: ssrf
    return httpx.get(f"{API_BASE}/users/{request.args['id']}").text


@app.route("/image")
def image():
    url = request.args["src"]
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in ALLOWED_HOSTS:
        return "bad host", 400
    # ok: ssrf
    return requests.get(url, timeout=5).content


@app.route("/const")
def const():
    url = request.args.get("url")
    url = "https://status.example.com/health"
    # ok: ssrf
    return requests.get(url).text
