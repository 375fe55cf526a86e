"""`undeclared-import` from the other side: a change that drops a dependency still imported.

The importing files are usually outside the change, so the finding sits on the changed
manifest and names where the import is. Bounded: only when a manifest changed, only the
files below it, at most _MAX_FILES of them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from readyterm.backends.base import ScanContext
from readyterm.backends.project.common import (
    DEV_NAME,
    PRUNED_DIRS,
    Reader,
    ancestors,
    base_content,
    finding,
    is_dev_code,
    read_bytes,
)
from readyterm.backends.project.imports import PythonProject, allowed, imports
from readyterm.backends.project.js import JS_SUFFIXES, JsProject, js_imports
from readyterm.backends.project.manifests import manifest_paths
from readyterm.foundation.findings import Finding

_MAX_FILES = 3000
_MANIFEST_ENDINGS = (".txt", ".in", ".toml", ".cfg", "setup.py", "Pipfile", ".yml", ".yaml")
_IMPORT_LINE = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)


def check_removed(
    root: Path, files: list[str], context: ScanContext, read_base: Reader | None
) -> list[Finding]:
    if read_base is None:
        return []  # a whole-repository run: nothing was removed
    return _python(root, files, context, read_base) + _javascript(root, files, context)


def _python(root: Path, files: list[str], context: ScanContext, read_base: Reader) -> list[Finding]:
    project = PythonProject(root, lambda path: read_bytes(root, path), read_base)
    changed = set(files)
    findings: list[Finding] = []
    touched = [m for m in files if m.endswith(_MANIFEST_ENDINGS)]
    for folder in sorted({f for m in touched for f in ancestors(m)[:3]}):
        manifests = [m for m in manifest_paths(folder, project.listing(folder)) if m in changed]
        # The finding goes on a runtime manifest first: that is where production installs from.
        manifests.sort(key=lambda m: DEV_NAME.search(PurePosixPath(m).name.lower()) is not None)
        head, base = project.declared(folder), project.declared(folder, base=True)
        if not manifests or head.problems or base.problems:
            continue
        lost = (base.runtime | base.dev) - (head.runtime | head.dev)
        if not lost and head.runtime >= base.runtime:
            continue
        for path in _walk(root, folder, (".py",)):
            if context.cancel.is_set() or path in changed:
                continue  # changed files were judged on their own
            findings += _python_file(project, path, manifests[0])
    return _first_per_import(findings)


def _python_file(project: PythonProject, path: str, manifest: str) -> list[Finding]:
    source = read_bytes(project.root, path)
    if source is None or not _IMPORT_LINE.search(source.decode("utf-8", errors="replace")):
        return []
    found = imports(source) or []
    folders = ancestors(path)
    head = [project.declared(f) for f in folders]
    base = [project.declared(f, base=True) for f in folders]
    if any(d.problems for d in head):
        return []
    dev_code = is_dev_code(path)
    return [
        _finding(manifest, path, item.line, item.module, item.code, dev_code)
        for item in found
        if allowed(item.module, base, dev_code, path)
        and not allowed(item.module, head, dev_code, path)
    ]


def _javascript(root: Path, files: list[str], context: ScanContext) -> list[Finding]:
    project = JsProject(root)
    findings: list[Finding] = []
    for manifest in files:
        if PurePosixPath(manifest).name != "package.json":
            continue
        folder = ancestors(manifest)[0]
        now = project.manifest(folder)
        base_bytes = base_content(context, manifest)
        if now is None or now.problem or base_bytes is None:
            continue
        before = JsProject.parse(manifest, base_bytes)
        lost = before.declared - now.declared
        if not lost or before.problem:
            continue
        for path in _walk(root, folder, JS_SUFFIXES):
            if context.cancel.is_set() or path in files:
                continue
            data = read_bytes(root, path)
            chain = [m for f in ancestors(path) if (m := project.manifest(f))]
            declared = set().union(*(m.declared for m in chain))
            findings += [
                _finding(manifest, path, item.line, item.specifier, item.code, is_dev_code(path))
                for item in js_imports(data.decode("utf-8", errors="replace") if data else "")
                if item.package in lost and item.package not in declared
            ]
    return _first_per_import(findings)


def _walk(root: Path, folder: str, suffixes: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for current, dirs, names in os.walk(root / folder):
        dirs[:] = sorted(d for d in dirs if d not in PRUNED_DIRS and not d.startswith("."))
        relative = Path(current).relative_to(root).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        found += [prefix + n for n in sorted(names) if n.endswith(suffixes)]
        if len(found) >= _MAX_FILES:
            return found[:_MAX_FILES]
    return found


def _first_per_import(findings: list[Finding]) -> list[Finding]:
    """One finding per manifest and module: the first place that imports it."""
    unique: dict[tuple[str, str], Finding] = {}
    for item in findings:
        unique.setdefault((item.path, item.message.split("`")[1]), item)
    return list(unique.values())


def _finding(
    manifest: str, path: str, line: int, module: str, code: str, dev_code: bool
) -> Finding:
    return finding(
        "undeclared-import",
        "environment",
        manifest,
        1,
        f"`{module}` is still imported ({path}:{line}), but this change removes the "
        f"dependency that provided it from {manifest}",
        "The next production install leaves the package out, and the import fails with "
        "ModuleNotFoundError, in a file this change did not even touch.",
        f"Keep the dependency in {manifest}, or remove the import from {path}.",
        code=code,
        severity="info" if dev_code else "warning",
    )
