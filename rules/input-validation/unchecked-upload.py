import os
import uuid
from typing import Annotated, List

from fastapi import FastAPI, File, HTTPException, UploadFile
from flask import Flask, abort, request
from werkzeug.utils import secure_filename

from .storage import store_blob

api = FastAPI()
app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
UPLOAD_DIR = os.environ["UPLOAD_DIR"]
ALLOWED_EXTENSIONS = {".png", ".jpg", ".jpeg", ".pdf"}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
CHUNK = 1024 * 1024


@api.post("/avatars")
async def upload_avatar(file: UploadFile):
    # ruleid: unchecked-upload
    contents = await file.read()
    await store_blob(f"avatars/{uuid.uuid4()}", contents)
    return {"size": len(contents)}


@api.post("/documents")
async def upload_document(document: Annotated[UploadFile, File(description="a PDF")]):
    # ruleid: unchecked-upload
    await store_blob(f"docs/{uuid.uuid4()}.pdf", await document.read())
    return {"ok": True}


@api.post("/batch")
async def upload_batch(files: List[UploadFile] = File(...)):
    for upload in files:
        # ruleid: unchecked-upload
        await store_blob(f"batch/{uuid.uuid4()}", await upload.read())
    return {"count": len(files)}


@app.post("/attachments")
def upload_attachment():
    attachment = request.files["attachment"]
    name = secure_filename(attachment.filename)
    # ruleid: unchecked-upload
    attachment.save(os.path.join(UPLOAD_DIR, name))
    return {"name": name}


@api.post("/avatars/checked")
async def upload_avatar_checked(file: UploadFile):
    if file.size is None or file.size > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="file too large")
    # ok: unchecked-upload
    contents = await file.read()
    await store_blob(f"avatars/{uuid.uuid4()}", contents)
    return {"size": len(contents)}


@api.post("/documents/streamed")
async def upload_document_streamed(document: UploadFile):
    total = 0
    # ok: unchecked-upload
    while chunk := await document.read(CHUNK):
        total += len(chunk)
        if total > MAX_UPLOAD_BYTES:
            raise HTTPException(status_code=413, detail="file too large")
        await store_blob(f"docs/{uuid.uuid4()}.part", chunk)
    return {"size": total}


@api.post("/imports")
async def upload_import(file: UploadFile):
    # ok: unchecked-upload
    data = await file.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="file too large")
    await store_blob(f"imports/{uuid.uuid4()}", data)
    return {"size": len(data)}


@app.post("/attachments/checked")
def upload_attachment_checked():
    attachment = request.files["attachment"]
    ext = os.path.splitext(attachment.filename or "")[1].lower()
    if ext not in ALLOWED_EXTENSIONS or attachment.mimetype not in {"image/png", "image/jpeg", "application/pdf"}:
        abort(415)
    # ok: unchecked-upload
    attachment.save(os.path.join(UPLOAD_DIR, f"{uuid.uuid4()}{ext}"))
    return {"ok": True}
