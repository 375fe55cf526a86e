import urllib.parse
import urllib.request

import httpx
import requests
from fastapi import FastAPI, HTTPException
from flask import Flask, abort, request

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


api = FastAPI()
SUPPLIER_HOSTS = {"supplier.example.com"}
FEEDS = {"https://feeds.example.com/a.xml", "https://feeds.example.com/b.xml"}


@api.get("/proxy/image")
async def proxy_image(url: str):
    async with httpx.AsyncClient(timeout=5) as client:
        if httpx.URL(url).host not in SUPPLIER_HOSTS:
            raise HTTPException(400, "host not allowed")
        # ok: ssrf
        resp = await client.get(url)
    return {"size": len(resp.content)}


@app.route("/preview")
def preview():
    url = request.args["url"]
    # ok: ssrf
    return requests.get(allowed_preview_url(url), timeout=5).text


@app.route("/feed")
def feed():
    url = request.args["feed"]
    if url not in FEEDS:
        abort(404)
    # ok: ssrf
    return requests.get(url, timeout=5).text


@app.route("/feed2")
def feed2():
    url = request.args["feed"]
    # ok: ssrf
    return requests.get(url if url in FEEDS else "https://feeds.example.com/a.xml", timeout=5).text


@app.route("/feed3")
def feed3():
    url = request.args["feed"]
    if not is_allowed_feed(url):
        return "no", 400
    # ok: ssrf
    return requests.get(url, timeout=5).text


# ---- checks that check nothing ----


@app.route("/truthy")
def truthy():
    url = request.args.get("url")
    if url:
        # ruleid: ssrf
        return requests.get(url, timeout=5).text
    return ""


@app.route("/logged-only")
def logged_only():
    url = request.args["feed"]
    if url not in FEEDS:
        app.logger.warning("unknown feed")
    # ruleid: ssrf
    return requests.get(url, timeout=5).text


@app.route("/host-logged")
def host_logged():
    url = request.args["url"]
    # ruleid: ssrf
    return requests.get(normalize_url(url), timeout=5).text
