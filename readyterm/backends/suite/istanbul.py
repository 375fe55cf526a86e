"""JS/TS coverage from the istanbul JSON (`coverage-final.json`) jest and vitest write.

Those runners rewrite each file before node runs it (babel, ts-jest, vite), so V8's own
offsets point into code that is not the file; their coverage reporters map it back to the
source, TypeScript included. readyterm asks them for the `json` report in a folder of its
own (readyterm.backends.suite.run) and reads statements here: a line holds code when a
statement starts on it, and ran when one of those statements ran.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from readyterm.backends.suite.jstext import code_only
from readyterm.backends.suite.reports import read_json
from readyterm.backends.suite.results import FileCoverage
from readyterm.backends.suite.v8 import ONLY_CLOSING

REPORT = "coverage-final.json"
SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_MAX_REPORT_BYTES = 200_000_000


def folder(work: Path) -> Path:
    return work / "istanbul"


def measures(name: str) -> bool:
    return name.endswith(SUFFIXES)


def recorded(work: Path, root: Path, files: list[str]) -> dict[str, FileCoverage] | None:
    """What ran in each of files the runner measured; None when it wrote no report."""
    data = read_json(folder(work) / REPORT, _MAX_REPORT_BYTES)
    if not isinstance(data, dict):
        return None
    wanted = {_resolved(root / name): name for name in files}
    found: dict[str, FileCoverage] = {}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            continue
        name = wanted.get(_resolved(Path(str(entry.get("path") or key))))
        if name is not None:
            with contextlib.suppress(AttributeError, KeyError, OSError, TypeError, ValueError):
                found[name] = _lines(entry, code_lines(root / name))
    return found


def code_lines(path: Path) -> set[int]:
    """Lines with code on them: vitest's V8 provider makes a statement of every line, the
    closing `}` and comments too; those hold nothing a test could miss."""
    cleaned = code_only(path.read_text("utf-8", errors="replace"))
    return {
        number
        for number, line in enumerate(cleaned.splitlines(), start=1)
        if line.strip() and not ONLY_CLOSING.match(line)
    }


def _resolved(path: Path) -> str:
    with contextlib.suppress(OSError):
        path = path.resolve()
    return str(path)


def _lines(entry: dict[str, Any], code: set[int]) -> FileCoverage:
    counts: dict[str, Any] = entry.get("s") or {}
    statements: set[int] = set()
    executed: set[int] = set()
    for key, where in (entry.get("statementMap") or {}).items():
        line = int(where["start"]["line"])
        if line not in code:
            continue
        statements.add(line)
        if int(counts.get(key, 0) or 0) > 0:
            executed.add(line)
    return FileCoverage(frozenset(statements), frozenset(executed))
