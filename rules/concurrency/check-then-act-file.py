import contextlib
import os
import shutil
import tempfile
from pathlib import Path

UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "/srv/uploads")


def save_upload(name, data):
    path = os.path.join(UPLOAD_DIR, name)
    if not os.path.exists(path):
        # ruleid: check-then-act-file
        with open(path, "wb") as fh:
            fh.write(data)
    return path


def ensure_dir(folder):
    if not os.path.exists(folder):
        # ruleid: check-then-act-file
        os.makedirs(folder)


def ensure_dir_isdir(folder):
    if not os.path.isdir(folder):
        # ruleid: check-then-act-file
        os.mkdir(folder, 0o750)


def drop_cache_file(path):
    if os.path.exists(path):
        # ruleid: check-then-act-file
        os.remove(path)


def reset_report(report: Path, text: str):
    if not report.exists():
        # ruleid: check-then-act-file
        report.write_text(text)


def clear_lock(lock: Path):
    if lock.exists():
        # ruleid: check-then-act-file
        lock.unlink()


def ensure_dir_ok(folder):
    # ok: check-then-act-file
    os.makedirs(folder, exist_ok=True)


def ensure_dir_checked_but_safe(folder):
    if not os.path.exists(folder):
        # ok: check-then-act-file
        os.makedirs(folder, exist_ok=True)


def save_upload_exclusive(name, data):
    path = os.path.join(UPLOAD_DIR, name)
    try:
        # ok: check-then-act-file
        with open(path, "xb") as fh:
            fh.write(data)
    except FileExistsError:
        return None
    return path


def read_if_present(path):
    if os.path.exists(path):
        # ok: check-then-act-file
        with open(path, "r", encoding="utf-8") as fh:
            return fh.read()
    return None


def drop_cache_file_ok(path):
    with contextlib.suppress(FileNotFoundError):
        # ok: check-then-act-file
        os.remove(path)


def write_atomically(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    # ok: check-then-act-file
    os.replace(tmp, path)


def clear_lock_ok(lock: Path):
    # ok: check-then-act-file
    lock.unlink(missing_ok=True)


def make_tree(root: Path):
    # ok: check-then-act-file
    root.mkdir(parents=True, exist_ok=True)
    if root.exists():
        # ok: check-then-act-file
        shutil.rmtree(root / "cache", ignore_errors=True)


def delete_name(name):
    try:
        if os.path.isdir(name):
            # ok: check-then-act-file
            os.rmdir(name)
        else:
            # ok: check-then-act-file
            os.remove(name)
    except FileNotFoundError:
        pass


def create_project_file(path, content, overwrite=False):
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(path)
    # ruleid: check-then-act-file
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(content)


def ensure_cache_dir(folder):
    if os.path.isdir(folder):
        return folder
    # ruleid: check-then-act-file
    os.makedirs(folder, 0o700)
    return folder
