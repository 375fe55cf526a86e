"""`tests.select: changed`: run only the tests that reach a changed module.

Faster on a large suite, and partial: a test that reaches the changed code through another
module is not run, so its coverage is missing. The result says so.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from readyterm.backends.suite import istanbul
from readyterm.backends.suite.detect import Suite

_PRUNED = frozenset({".git", "node_modules", ".venv", "venv", "env", ".tox", ".nox", "build"})
_MAX_TEST_BYTES = 1_000_000


@dataclass(frozen=True)
class Selection:
    partial: bool = False
    #: Test files to run (repo-relative), for pytest; empty with `select: all`.
    tests: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    #: Changed JS/TS code whose related tests jest finds itself (`--findRelatedTests`).
    related: tuple[str, ...] = ()

    def arguments(self, suite: Suite) -> tuple[str, ...]:
        if suite.kind == "pytest":
            return self.tests
        if suite.runner == "jest" and self.related:
            # no test reaching the change is news, not a failed run
            return ("--passWithNoTests", "--findRelatedTests", *self.related)
        return ()


def select_tests(
    root: Path, code: list[str], mode: Literal["all", "changed"], suites: list[Suite]
) -> Selection:
    """With `changed`: pytest gets the test files that import a changed module; jest, which
    knows its own module graph, the changed files (it runs every test that reaches them)."""
    if mode == "all":
        return Selection()
    related: tuple[str, ...] = ()
    if any(suite.runner == "jest" for suite in suites):
        related = tuple(name for name in code if name.endswith(istanbul.SUFFIXES))
    chosen: tuple[str, ...] = ()
    notes = []
    if any(suite.kind == "pytest" for suite in suites):
        modules = {_module(name) for name in code if name.endswith(".py")}
        modules.discard("")
        chosen = tuple(name for name in _test_files(root) if _imports_any(root / name, modules))
        if not chosen:
            notes.append("no test file imports a changed module: the whole suite ran")
    if not chosen and not related:
        return Selection(notes=notes)
    return Selection(partial=True, tests=chosen, notes=notes, related=related)


def _module(path: str) -> str:
    """app/payments.py -> app.payments; src/pkg/mod.py -> pkg.mod; pkg/__init__.py -> pkg."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[0] in ("src", "lib"):
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _test_files(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _PRUNED and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")):
                found.append((Path(folder) / name).relative_to(root).as_posix())
    return found


def _imports_any(path: Path, modules: set[str]) -> bool:
    try:
        if path.stat().st_size > _MAX_TEST_BYTES:
            return True  # too big to read: run it rather than miss it
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return True  # pytest will report what is wrong with it
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        if any(_matches(name, modules) for name in names):
            return True
    return False


def _matches(imported: str, modules: set[str]) -> bool:
    return any(imported == module or imported.startswith(module + ".") for module in modules)
