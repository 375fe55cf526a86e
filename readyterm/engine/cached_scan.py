"""Scan through the result cache: only files whose (content, identity) key is new are scanned.

semgrep (intra-file rules) and bandit judge each file on its own, so what they found in a
file depends only on its path, its bytes and the backend's identity; a backend that looks
at several files at once returns no identity and is always run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from pathlib import Path
from typing import Any

from readyterm import __version__
from readyterm.backends.base import (
    Backend,
    PerFileBackend,
    ScanContext,
    ScanResult,
    WholeRunBackend,
)
from readyterm.engine.cache import FORMAT, ResultCache, digest
from readyterm.foundation.findings import Finding

_PACKAGE = Path(__file__).resolve().parents[1]  # readyterm/, from readyterm/engine/


def scan_with_cache(
    backend: Backend, root: Path, files: list[str], context: ScanContext, cache: ResultCache
) -> ScanResult:
    if cache.enabled and isinstance(backend, WholeRunBackend):
        return _scan_whole(backend, root, files, context, cache)
    identity = None
    if cache.enabled and isinstance(backend, PerFileBackend):
        identity = backend.cache_identity(root, context)
    if identity is None or not files:
        return backend.scan(root, files, context)
    salt = digest(str(FORMAT), __version__, code_identity(), backend.name, identity)
    keys: dict[str, str] = {}
    for name in files:
        with contextlib.suppress(OSError):  # unreadable now: the backend reports it
            keys[name] = digest(salt, name, _file_hash(root / name))
    found = cache.lookup(keys.values())
    result = ScanResult()
    restored = {
        name for name, key in keys.items() if key in found and _restore(found[key], name, result)
    }
    missing = [name for name in files if name not in restored]
    if len(missing) < len(files):
        context.progress(
            f"{backend.name}: {len(files) - len(missing)} of {len(files)} file(s) unchanged "
            "since a cached run"
        )
    if not missing:
        return result
    fresh = backend.scan(root, missing, context)
    result.findings += fresh.findings
    result.incomplete.update(fresh.incomplete)
    result.error, result.skipped, result.details = fresh.error, fresh.skipped, fresh.details
    result.tool_version = fresh.tool_version or result.tool_version
    if fresh.error is None and fresh.skipped is None:
        cache.store(_entries(fresh, missing, keys))
    return result


def _scan_whole(
    backend: WholeRunBackend, root: Path, files: list[str], context: ScanContext, cache: ResultCache
) -> ScanResult:
    """One entry for the whole result: reused while nothing that decides it has changed."""
    identity = backend.run_key(root, files, context)
    if identity is None:
        return backend.scan(root, files, context)
    key = digest(str(FORMAT), __version__, code_identity(), backend.name, "whole", identity)
    entry = cache.lookup([key]).get(key)
    if entry is not None:
        restored = _restore_whole(entry)
        if restored is not None:
            context.progress(f"{backend.name}: nothing changed since a cached run: reused")
            return restored
    fresh = backend.scan(root, files, context)
    if fresh.error is None and fresh.skipped is None and not fresh.transient:
        cache.store(
            {key: {"findings": [_stored(f) for f in fresh.findings], "details": fresh.details}}
        )
    return fresh


def _restore_whole(entry: dict[str, Any]) -> ScanResult | None:
    try:
        findings = [Finding(**{**item, "cwe": tuple(item["cwe"])}) for item in entry["findings"]]
        details = entry.get("details")
    except (KeyError, TypeError):
        return None
    if details is not None and not isinstance(details, dict):
        return None
    return ScanResult(findings=findings, details={**(details or {}), "cached": True})


def _entries(fresh: ScanResult, scanned: list[str], keys: dict[str, str]) -> dict[str, Any]:
    by_file: dict[str, list[dict[str, Any]]] = {name: [] for name in scanned}
    for finding in fresh.findings:
        if finding.path in by_file:
            by_file[finding.path].append(_stored(finding))
    return {
        keys[name]: {
            "findings": findings,
            "incomplete": fresh.incomplete.get(name),
            "tool_version": fresh.tool_version,
        }
        for name, findings in by_file.items()
        if name in keys and name not in fresh.transient
    }


def _stored(finding: Finding) -> dict[str, Any]:
    data = finding.as_dict()
    for derived in ("fingerprint", "waived", "waiver", "introduced"):
        data.pop(derived, None)
    return data


def _restore(entry: dict[str, Any], name: str, result: ScanResult) -> bool:
    """Add a cached entry to result; False (a miss) when it does not have the shape we write."""
    try:
        # An entry written before findings carried CWE ids is a miss, not a finding without one.
        findings = [Finding(**{**item, "cwe": tuple(item["cwe"])}) for item in entry["findings"]]
        incomplete = entry.get("incomplete")
        if any(f.path != name for f in findings) or not isinstance(incomplete, str | None):
            return False
    except (KeyError, TypeError):
        return False
    result.findings += findings
    if incomplete:
        result.incomplete[name] = incomplete
    version = entry.get("tool_version")
    if isinstance(version, str):
        result.tool_version = version
    return True


def _file_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@functools.cache
def code_identity() -> str:
    """readyterm's own code: an edited checkout (same version number) never reuses entries."""
    parts = []
    for file in sorted(_PACKAGE.rglob("*.py")):
        stat = file.stat()
        parts.append(f"{file.relative_to(_PACKAGE).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)
