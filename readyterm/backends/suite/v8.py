"""JS coverage from the JSON files V8 writes under NODE_V8_COVERAGE (one per node process).

Each script's functions carry block ranges with execution counts; the innermost range
around a position says how often it ran (V8's block coverage, as c8 reads it). A script a
loader rewrote before node ran it (jest's and vitest's transforms, TypeScript loaders) has
offsets into code that is not the file: its coverage is not used (the file gets no figures
rather than wrong ones). A line ran
when its first character of code ran in any process. Lines that hold code are the ones
with something besides blanks, comments and closing brackets.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from readyterm.backends.suite.jstext import code_only
from readyterm.backends.suite.reports import read_json
from readyterm.backends.suite.results import FileCoverage

_SCRIPTS = (".js", ".mjs", ".cjs")
_MAX_REPORT_BYTES = 200_000_000
ONLY_CLOSING = re.compile(r"^[\s})\];,]*$")

Range = tuple[int, int, int]  # start offset, end offset, count


def prepare(work: Path) -> Path:
    folder = work / "v8"
    folder.mkdir()
    return folder


def measures(name: str) -> bool:
    return name.endswith(_SCRIPTS)


def recorded(work: Path, root: Path, files: list[str]) -> dict[str, FileCoverage] | None:
    """What ran in each of files; None when no node process wrote coverage."""
    reports = sorted((work / "v8").glob("coverage-*.json"))
    if not reports:
        return None
    wanted = {str((root / name).resolve()): name for name in files}
    sources: dict[str, str] = {}
    for name in files:
        with contextlib.suppress(OSError):
            sources[name] = (root / name).read_text("utf-8", errors="replace")
    runs: dict[str, list[list[Range]]] = {name: [] for name in sources}
    transformed: set[str] = set()
    for report in reports:
        for script in _scripts(report):
            script_file = wanted.get(_path(script.get("url", "")))
            if script_file is None or script_file not in sources:
                continue
            ranges = _ranges(script)
            if ranges and ranges[0][1] != _utf16_length(sources[script_file]):
                transformed.add(script_file)  # a loader rewrote it (jest, vitest): offsets lie
            else:
                runs[script_file].append(ranges)
    return {
        name: _lines(source, runs[name])
        for name, source in sources.items()
        if name not in transformed or runs[name]
    }


def _utf16_length(text: str) -> int:
    """V8 counts offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _scripts(report: Path) -> list[dict[str, Any]]:
    data = read_json(report, _MAX_REPORT_BYTES)
    scripts = data.get("result") if isinstance(data, dict) else None
    return [s for s in scripts if isinstance(s, dict)] if isinstance(scripts, list) else []


def _path(url: str) -> str:
    if not url.startswith("file://"):
        return ""
    path = Path(unquote(urlparse(url).path))
    with contextlib.suppress(OSError):
        path = path.resolve()
    return str(path)


def _ranges(script: dict[str, Any]) -> list[Range]:
    ranges = []
    for function in script.get("functions") or []:
        for item in function.get("ranges") or []:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                ranges.append(
                    (int(item["startOffset"]), int(item["endOffset"]), int(item["count"]))
                )
    return ranges


def _lines(source: str, runs: list[list[Range]]) -> FileCoverage:
    cleaned = code_only(source)
    statements: set[int] = set()
    executed: set[int] = set()
    offset = 0
    for number, line in enumerate(cleaned.splitlines(keepends=True), start=1):
        text = line.rstrip("\r\n")
        if text.strip() and not ONLY_CLOSING.match(text):
            statements.add(number)
            first = offset + len(text) - len(text.lstrip())
            if any(_count_at(ranges, first) > 0 for ranges in runs):
                executed.add(number)
        offset += len(line)
    return FileCoverage(frozenset(statements), frozenset(executed))


def _count_at(ranges: list[Range], position: int) -> int:
    """The count of the innermost range around position (0 outside every range)."""
    best: Range | None = None
    for start, end, count in ranges:
        if start <= position < end and (best is None or end - start < best[1] - best[0]):
            best = (start, end, count)
    return best[2] if best else 0
