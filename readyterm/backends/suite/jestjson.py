"""Counts and failed tests from jest's `--json` report (vitest writes the same shape)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from readyterm.backends.suite.reports import read_json
from readyterm.backends.suite.results import Counts, FailedTest

REPORT = "jest-results.json"
_MAX_BYTES = 100_000_000
_MAX_MESSAGE = 300


def read_jest_json(work: Path, root: Path) -> tuple[Counts, list[FailedTest]] | None:
    """None when the runner wrote no report (it did not get as far as running tests)."""
    data = read_json(work / REPORT, _MAX_BYTES)
    if not isinstance(data, dict) or not isinstance(data.get("numTotalTests"), int):
        return None
    skipped = _number(data, "numPendingTests") + _number(data, "numTodoTests")
    failures: list[FailedTest] = []
    for suite in data.get("testResults") or []:
        if isinstance(suite, dict):
            failures += _failed_in(suite, root)
    # A test file that failed to load (a syntax error, a missing module) has no tests in it.
    failed = max(_number(data, "numFailedTests"), len(failures))
    counts = Counts(
        run=data["numTotalTests"] + (failed - _number(data, "numFailedTests")),
        passed=_number(data, "numPassedTests"),
        failed=failed,
        skipped=skipped,
    )
    return counts, failures


def _number(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and value >= 0 else 0


def _failed_in(suite: dict[str, Any], root: Path) -> list[FailedTest]:
    path = _relative(str(suite.get("name") or ""), root)
    found = []
    assertions = [a for a in suite.get("assertionResults") or [] if isinstance(a, dict)]
    for item in assertions:
        if item.get("status") != "failed":
            continue
        name = str(item.get("fullName") or item.get("title") or "a test")
        location = item.get("location") if isinstance(item.get("location"), dict) else {}
        line = location.get("line") if isinstance(location, dict) else None
        messages = item.get("failureMessages") or []
        message = str(messages[0]) if messages else "failed"
        found.append(
            FailedTest(
                f"{path}::{name}" if path else name,
                path,
                line if isinstance(line, int) else 1,
                _first_line(message),
            )
        )
    if not found and suite.get("status") == "failed":
        message = str(suite.get("message") or suite.get("failureMessage") or "failed to run")
        label = path or "a test file"
        found.append(FailedTest(f"{label} (did not load)", path, 1, _first_line(message)))
    return found


#: jest's heading of a file that did not load: the line after it says why.
_HEADINGS = {"Test suite failed to run"}


def _first_line(message: str) -> str:
    for line in message.splitlines():
        line = line.strip().lstrip("●").strip()
        if line and line not in _HEADINGS:
            return line[:_MAX_MESSAGE]
    return "failed"


def _relative(location: str, root: Path) -> str | None:
    if not location:
        return None
    with contextlib.suppress(ValueError, OSError):
        return Path(location).resolve().relative_to(root.resolve()).as_posix()
    return None
