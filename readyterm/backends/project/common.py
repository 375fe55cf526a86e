"""Small helpers the project-level checks share: safe reads, names, where a file belongs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from readyterm.backends.base import ScanContext
from readyterm.foundation.errors import ToolError
from readyterm.foundation.file_roles import is_test_or_example
from readyterm.foundation.findings import Finding, Severity

#: Manifests and sources larger than this are not parsed (a generated lock file, a bundle).
MAX_READ_BYTES = 2_000_000
#: Folders never walked when looking for first-party code or monitoring wiring.
PRUNED_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        "dist",
        "build",
        ".next",
        "coverage",
        "site-packages",
    }
)
_NAME_SEPARATORS = re.compile(r"[-_.]+")
#: Code that runs on a developer's machine or in CI, never in production.
_DEV_FOLDERS = frozenset({"scripts", "tools", "benchmarks", "bench", "ci", ".github", "tasks"})
_DEV_FILES = frozenset({"setup.py", "noxfile.py", "tasks.py", "fabfile.py", "conftest.py"})
#: Dependency groups, extras and requirement files meant for development only.
DEV_NAME = re.compile(
    r"(^|[^a-z])(dev|develop|development|tests?|testing|lint|linting|docs?|typing|types|mypy|"
    r"ci|local|qa|check|style|format|bench|benchmarks?)([^a-z]|$)"
)

Reader = Callable[[str], bytes | None]


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them: lowercase, runs of -_. are one dash."""
    return _NAME_SEPARATORS.sub("-", name).lower()


def read_bytes(root: Path, path: str) -> bytes | None:
    """A repo-relative file's bytes; None when it is missing, not a file, unreadable or huge."""
    target = root / path
    try:
        if not target.is_file() or target.stat().st_size > MAX_READ_BYTES:
            return None
        return target.read_bytes()
    except OSError:
        return None


def read_text(root: Path, path: str) -> str | None:
    data = read_bytes(root, path)
    return None if data is None else data.decode("utf-8", errors="replace")


def is_dev_code(path: str) -> bool:
    """Tests, examples, docs and developer scripts: they may use development dependencies."""
    if is_test_or_example(path):
        return True
    parts = PurePosixPath(path).parts
    return parts[0] in _DEV_FOLDERS or parts[-1] in _DEV_FILES


def ancestors(path: str) -> list[str]:
    """The folders above a repo-relative file, nearest first, ending with the root ('')."""
    parent = PurePosixPath(path).parent
    folders = []
    while True:
        folders.append("" if str(parent) == "." else parent.as_posix())
        if str(parent) == ".":
            return folders
        parent = parent.parent


def join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def base_content(context: ScanContext, path: str) -> bytes | None:
    """context.base_content, where a git failure (a timeout) means "unknown": None."""
    try:
        return context.base_content(path)
    except ToolError:
        return None


def is_diff_run(context: ScanContext, files: list[str]) -> bool:
    """Whether files are a change against a base (not a whole-repository run)."""
    return context.mode == "diff"


class _Unknown:
    """The base version of a file cannot be told (no git, or no base)."""


UNKNOWN = _Unknown()


def base_version(context: ScanContext, path: str) -> bytes | _Unknown | None:
    """Any file's bytes at the base commit, changed by the change or not (None: absent).

    `base_content` answers for the changed files in scope only; a file the change adds and
    that the config excludes (the config file itself) is asked of git at the base commit.
    """
    content = base_content(context, path)
    if content is not None:
        return content
    if context.file_at_base is None:
        return UNKNOWN
    try:
        return context.file_at_base(path)
    except ToolError:  # git timed out or failed: as if absent, like base_content
        return None


@dataclass(frozen=True)
class Problem:
    """A manifest readyterm could not read: reported, never a crash."""

    path: str
    line: int
    message: str


def problem_finding(problem: Problem) -> Finding:
    return Finding(
        rule="dependency-manifest-unreadable",
        step="environment",
        severity="warning",
        path=problem.path,
        line=problem.line,
        end_line=problem.line,
        message=f"{problem.message}; the imports that depend on it were not checked",
        why="The installer in production reads this file too: if readyterm cannot read it, "
        "pip or npm will most likely fail on it as well.",
        fix="Fix the file so that it parses (pip, npm and TOML/JSON validators name the spot).",
    )


def finding(
    rule: str,
    step: str,
    path: str,
    line: int,
    message: str,
    why: str,
    fix: str,
    code: str = "",
    severity: Severity = "warning",
    introduced: bool = True,
) -> Finding:
    return Finding(
        rule=rule,
        step=step,
        severity=severity,
        path=path,
        line=line,
        end_line=line,
        message=message,
        why=why,
        fix=fix,
        code=code,
        introduced=introduced,
    )
