import csv
import io
import json
import shutil

import pandas as pd
from django.http import JsonResponse
from fastapi import FastAPI, File, UploadFile
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
IMPORT_DIR = "/srv/imports"


@app.post("/avatar")
def upload_avatar():
    # ruleid: upload-read-into-memory
    data = request.files["avatar"].read()
    return {"size": len(data)}


@app.post("/import")
def import_rows():
    upload = request.files["data"]
    # ruleid: upload-read-into-memory
    frame = pd.read_csv(upload)
    return {"rows": len(frame)}


@app.post("/settings")
def import_settings():
    upload = request.files.get("settings")
    # ruleid: upload-read-into-memory
    settings = json.load(upload)
    return settings


def django_upload(request):
    doc = request.FILES["document"]
    # ruleid: upload-read-into-memory
    content = doc.read()
    return JsonResponse({"size": len(content)})


@api.post("/events")
async def import_events(file: UploadFile):
    # ruleid: upload-read-into-memory
    events = json.load(file.file)
    return {"count": len(events)}


@app.get("/report")
def report():
    # ruleid: upload-read-into-memory
    frame = pd.read_csv(f"{IMPORT_DIR}/sales.csv")
    return frame.groupby("region").sum().to_dict()


@app.post("/ok/import")
def import_rows_ok():
    upload = request.files["data"]
    total = 0
    # ok: upload-read-into-memory
    for chunk in pd.read_csv(upload.stream, chunksize=10_000):
        total += len(chunk)
    return {"rows": total}


@app.post("/ok/avatar")
def upload_avatar_ok():
    upload = request.files["avatar"]
    with open(f"{IMPORT_DIR}/avatar.bin", "wb") as out:
        # ok: upload-read-into-memory
        shutil.copyfileobj(upload.stream, out, length=1024 * 1024)
    return {"ok": True}


@app.post("/ok/csv")
def import_csv_ok():
    upload = request.files["data"]
    # ok: upload-read-into-memory
    reader = csv.reader(io.TextIOWrapper(upload.stream, encoding="utf-8"))
    return {"rows": sum(1 for _ in reader)}


def django_upload_ok(request):
    doc = request.FILES["document"]
    with open(f"{IMPORT_DIR}/{doc.size}.bin", "wb") as out:
        # ok: upload-read-into-memory
        for chunk in doc.chunks():
            out.write(chunk)
    return JsonResponse({"size": doc.size})


def load_config(path):
    with open(path, encoding="utf-8") as fh:
        # ok: upload-read-into-memory
        return json.load(fh)


@api.post("/imports")
async def import_upload(file: UploadFile = File(...)):
    # ruleid: upload-read-into-memory
    content = await file.read()
    return {"rows": len(content.decode().splitlines())}


@api.post("/ok/imports")
async def import_upload_streamed(file: UploadFile = File(...)):
    size = 0
    # ok: upload-read-into-memory
    while chunk := await file.read(1 << 16):
        size += len(chunk)
    return {"size": size}


@app.post("/ok/body")
def body_streamed():
    with open(f"{IMPORT_DIR}/body.bin", "wb") as out:
        # ok: upload-read-into-memory
        while chunk := request.stream.read(65536):
            out.write(chunk)
    return {"ok": True}
