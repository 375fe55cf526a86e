"""JS/TS coverage from the JSON V8 writes under NODE_V8_COVERAGE (filled in by step 5)."""

from __future__ import annotations

from pathlib import Path

from readyterm.backends.suite.results import FileCoverage

_SCRIPTS = (".js", ".mjs", ".cjs")


def prepare(work: Path) -> Path:
    folder = work / "v8"
    folder.mkdir()
    return folder


def measures(name: str) -> bool:
    return name.endswith(_SCRIPTS)


def recorded(work: Path, root: Path, files: list[str]) -> dict[str, FileCoverage] | None:
    return None
