"""What decides a suite's result, as one digest: every file of the project (code and tests),
the base the change is measured against, the settings, and the interpreters with their
installed packages. The cache reuses a result only while that digest is the same."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from readyterm.backends.base import ScanContext
from readyterm.backends.suite.detect import python_candidates
from readyterm.foundation.errors import ToolError
from readyterm.foundation.procs import run_tool

_MAX_HASHED = 50_000_000  # bytes; a bigger file is identified by its size and mtime
_MAX_FILES = 100_000


def run_key(
    root: Path, files: list[str], context: ScanContext, environ: Mapping[str, str]
) -> str | None:
    listing = run_tool(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        timeout=context.config.timeouts.git,
        cwd=root,
        env=dict(environ),
        cancel=context.cancel,
    )
    if listing.returncode != 0:
        return None  # not a git repository (or git failed): do not cache
    names = sorted(set(filter(None, listing.stdout.split("\0"))))
    if len(names) > _MAX_FILES:
        return None
    digest = hashlib.sha256()
    for part in (context.mode, context.config.tests.model_dump_json(), *sorted(files)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for name in names:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + _file_identity(root / name))
    for name in sorted(files):  # diff coverage counts the lines changed since the base
        try:
            base = context.base_content(name)
        except ToolError:
            return None
        digest.update(b"base\0" + (hashlib.sha256(base).digest() if base is not None else b"-"))
    for python in python_candidates(root, context.config.tests, environ):
        digest.update(python.encode() + _installed_identity(Path(python)))
    digest.update(_mtime(root / "node_modules"))
    digest.update(environ.get("PATH", "").encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _file_identity(path: Path) -> bytes:
    try:
        stat = path.lstat()
        if not path.is_file() or stat.st_size > _MAX_HASHED:
            return f"{stat.st_size}:{stat.st_mtime_ns}".encode()
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError:
        return b"unreadable"


def _installed_identity(executable: Path) -> bytes:
    """The interpreter and when its environment's packages last changed (pip install, npm
    install add or replace folders there, which changes the folder's mtime)."""
    home = executable.parent.parent
    parts = [_mtime(folder).decode() for folder in sorted(home.glob("lib/python3*/site-packages"))]
    try:
        real = os.path.realpath(executable)
        parts.append(f"{real}:{os.stat(real).st_mtime_ns}")
    except OSError:
        pass
    return "|".join(parts).encode("utf-8", "surrogateescape")


def _mtime(folder: Path) -> bytes:
    try:
        return f"{folder}:{folder.stat().st_mtime_ns}".encode("utf-8", "surrogateescape")
    except OSError:
        return b"-"
