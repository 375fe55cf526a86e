import os
from pathlib import Path

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
REPORTS_DIR = Path(os.environ.get("REPORTS_DIR", "/var/lib/orders/reports"))


@app.get("/reports")
def download_report():
    name = request.args.get("name", "")
    path = os.path.join(REPORTS_DIR, name)
    # ruleid: path-traversal-open
    with open(path, "rb") as fh:
        return fh.read()


@app.post("/notes")
def save_note():
    # ruleid: path-traversal-open
    with open(f"{REPORTS_DIR}/notes/{request.form['title']}.txt", "w", encoding="utf-8") as fh:
        fh.write(request.form["body"])
    return {"saved": True}


@app.get("/exports")
def export_file():
    # ruleid: path-traversal-open
    return send_file(REPORTS_DIR / request.args["file"])


@app.get("/v2/reports")
def download_report_safe():
    name = secure_filename(request.args.get("name", ""))
    # ok: path-traversal-open
    with open(os.path.join(REPORTS_DIR, name), "rb") as fh:
        return fh.read()


@app.get("/v2/exports")
def export_file_safe():
    path = (REPORTS_DIR / request.args["file"]).resolve()
    if not path.is_relative_to(REPORTS_DIR.resolve()):
        abort(404)
    # ok: path-traversal-open
    return send_file(path)


@app.get("/v3/exports/<name>")
def export_file_from_dir(name: str):
    # ok: path-traversal-open
    return send_from_directory(REPORTS_DIR, request.args.get("file", name))
