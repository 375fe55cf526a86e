"""Failure paths in the changed code, and whether any test took them.

Python is read with `ast`; JS/TS with a light scanner (readyterm.backends.suite.jspaths).
A path is taken when its first statement ran under the tests (coverage.py and V8 record
lines). A call with no failure branch at all is the error-handling step's finding, not one
of these.
"""

from __future__ import annotations

from pathlib import Path

from readyterm.backends.suite import jspaths, pypaths
from readyterm.backends.suite.paths import FailurePath
from readyterm.backends.suite.results import FileCoverage

_MAX_BYTES = 2_000_000


def failure_paths(
    root: Path, changed: dict[str, set[int]], coverage: dict[str, FileCoverage]
) -> list[FailurePath]:
    """The failure paths that touch a changed line, in files the tests measured."""
    found: list[FailurePath] = []
    for name in sorted(changed):
        ran = coverage.get(name)
        if ran is None:
            continue
        try:
            source = (root / name).read_bytes()
        except OSError:
            continue
        if len(source) > _MAX_BYTES:
            continue
        if name.endswith((".py", ".pyw")):
            found += pypaths.find(name, source, changed[name], ran)
        elif jspaths.reads(name):
            found += jspaths.find(name, source, changed[name], ran)
    return found
