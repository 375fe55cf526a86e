import codecs
import os
import shutil
from pathlib import Path

from django.http import FileResponse, HttpResponse
from fastapi import FastAPI
from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import safe_join, secure_filename

app = Flask(__name__)
api = FastAPI()
REPORTS_DIR = Path(os.environ.get("REPORTS_DIR", "/var/lib/orders/reports"))
UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "/var/lib/orders/uploads")


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


@app.get("/templates/<name>")
def read_template(name):
    # Flask route variable into pathlib
    p = REPORTS_DIR / "templates" / name
    # ruleid: path-traversal-open
    return p.read_text(encoding="utf-8")


@app.delete("/uploads")
def delete_upload():
    target = os.path.join(UPLOAD_DIR, request.get_json()["file"])
    # ruleid: path-traversal-open
    os.remove(target)
    return {"deleted": True}


def archive_folder(request):
    # Django view
    folder = request.POST["folder"]
    # ruleid: path-traversal-open
    shutil.rmtree(os.path.join(UPLOAD_DIR, folder))
    return HttpResponse(status=204)


def legacy_download(request):
    # ruleid: path-traversal-open
    fh = codecs.open(UPLOAD_DIR + "/" + request.GET["f"], "r", "utf-8")
    return HttpResponse(fh.read())


@api.get("/files/{file_path:path}")
async def read_file(file_path: str):
    # FastAPI path parameter
    # ruleid: path-traversal-open
    with open(os.path.join(UPLOAD_DIR, file_path), "rb") as fh:
        return fh.read()


@app.get("/exists")
def file_exists():
    # ruleid: path-traversal-open
    return {"exists": os.path.exists(os.path.join(UPLOAD_DIR, request.args["f"]))}


@app.get("/v1/exports")
def export_unresolved_prefix_check():
    # a prefix check on a path that was never resolved: BASE/../../etc/passwd passes it
    path = os.path.join(UPLOAD_DIR, request.args["f"])
    if not path.startswith(UPLOAD_DIR):
        abort(404)
    # ruleid: path-traversal-open
    return send_file(path)


# ---- safe idioms ---------------------------------------------------------------------------


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
    # send_from_directory rejects names that leave the folder
    # ok: path-traversal-open
    return send_from_directory(REPORTS_DIR, request.args.get("file", name))


@app.get("/v2/uploads")
def upload_basename():
    name = os.path.basename(request.args["f"])
    # ok: path-traversal-open
    return send_file(os.path.join(UPLOAD_DIR, name))


@app.get("/v2/realpath")
def upload_realpath_checked():
    full = os.path.realpath(os.path.join(UPLOAD_DIR, request.args["f"]))
    if not full.startswith(os.path.realpath(UPLOAD_DIR) + os.sep):
        abort(403)
    # ok: path-traversal-open
    with open(full, "rb") as fh:
        return fh.read()


@app.get("/v2/dots")
def reject_dots():
    name = request.args["f"]
    if ".." in name or name.startswith("/"):
        return "File name must not contain '..'", 400
    # ok: path-traversal-open
    return Path(UPLOAD_DIR, name).read_bytes()


@app.get("/v2/safe-join")
def werkzeug_safe_join():
    path = safe_join(UPLOAD_DIR, request.args["f"])
    if path is None:
        abort(404)
    # ok: path-traversal-open
    return send_file(path)


@api.get("/v2/invoice/{invoice_id}")
def invoice(invoice_id: int):
    number = int(request.args.get("copy", "1"))
    # ok: path-traversal-open
    return send_file(REPORTS_DIR / f"invoice-{invoice_id}-{number}.pdf")


@app.post("/v2/upload")
def store_upload():
    upload = request.files["file"]
    # the upload's name is reduced to a plain, safe name
    # ok: path-traversal-open
    upload.save(os.path.join(UPLOAD_DIR, secure_filename(upload.filename)))
    # ok: path-traversal-open
    with open(os.path.join(UPLOAD_DIR, "index.txt"), "a", encoding="utf-8") as fh:
        fh.write(upload.filename + "\n")
    return {"ok": True}


def stats(request):
    # a constant path, and the request only supplies an id that is logged
    print("stats for", request.GET.get("request_id"))
    # ok: path-traversal-open
    return FileResponse(open(os.path.join(REPORTS_DIR, "stats.csv"), "rb"))


def rotate(path: str) -> None:
    # not request data: a maintenance job's argument
    # ok: path-traversal-open
    os.remove(path)
