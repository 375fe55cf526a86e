"""Which Python should parse the project's code.

bandit parses with the interpreter it runs under, so code written for a newer Python than
readyterm's own (PEP 701 f-strings need 3.12) is a syntax error to it. This module reads the
version the project declares, finds the Pythons installed on the machine, and builds the
command that runs readyterm's own bandit under one of them: bandit and its dependencies are
pure Python, so a newer interpreter imports them from readyterm's environment.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

Version = tuple[int, int]

OURS: Version = (sys.version_info.major, sys.version_info.minor)
_NEWEST_MINOR = 30  # python3.N names looked up on PATH, from our own minor up to this
_VERSION = re.compile(r"(?<![\d.])3\.(\d{1,2})(?!\d)")
_RUFF_TARGET = re.compile(r"^py3(\d{1,2})$")
_CLASSIFIER = re.compile(r"^Programming Language :: Python :: 3\.(\d{1,2})$")
# Bootstraps bandit from the folder that holds readyterm's copy of it (argv[1]), isolated
# (-I) from the interpreter's own site-packages and PYTHONPATH so nothing else shadows it.
_BOOTSTRAP = (
    "import sys; sys.path[:0] = [sys.argv.pop(1)]; sys.argv[0] = 'bandit'; "
    "from bandit.cli.main import main; main()"
)


@dataclass(frozen=True)
class Interpreter:
    version: Version
    path: str

    @property
    def label(self) -> str:
        return f"Python {self.version[0]}.{self.version[1]} ({self.path})"


def declared_version(root: Path) -> tuple[Version, str] | None:
    """The oldest Python the project says its code runs on, and where it says so.

    Code that runs on 3.12 may use 3.12 syntax, so that lower bound is what a parser needs.
    Sources, first match wins: .python-version, pyproject.toml (requires-python, ruff's
    target-version, classifiers), setup.cfg (python_requires), runtime.txt.
    """
    for name, reader in _SOURCES:
        try:
            text = (root / name).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found = reader(text)
        if found is not None:
            return found
    return None


def _from_python_version(text: str) -> tuple[Version, str] | None:
    for line in text.splitlines():
        match = _VERSION.search(line.split("#", 1)[0])
        if match:
            return (3, int(match.group(1))), ".python-version"
    return None


def _from_pyproject(text: str) -> tuple[Version, str] | None:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    project = document.get("project")
    project = project if isinstance(project, dict) else {}
    lower = _lower_bound(project.get("requires-python"))
    if lower is not None:
        return lower, "pyproject.toml (requires-python)"
    tool = document.get("tool")
    ruff = tool.get("ruff") if isinstance(tool, dict) else None
    target = ruff.get("target-version") if isinstance(ruff, dict) else None
    match = _RUFF_TARGET.match(target) if isinstance(target, str) else None
    if match:
        return (3, int(match.group(1))), "pyproject.toml (tool.ruff.target-version)"
    classifiers = project.get("classifiers")
    minors = [
        int(m.group(1))
        for item in (classifiers if isinstance(classifiers, list) else [])
        if isinstance(item, str) and (m := _CLASSIFIER.match(item.strip()))
    ]
    if minors:
        return (3, min(minors)), "pyproject.toml (classifiers)"
    return None


def _from_setup_cfg(text: str) -> tuple[Version, str] | None:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    lower = _lower_bound(parser.get("options", "python_requires", fallback=None))
    return (lower, "setup.cfg (python_requires)") if lower else None


def _from_runtime_txt(text: str) -> tuple[Version, str] | None:
    match = _VERSION.search(text)
    return ((3, int(match.group(1))), "runtime.txt") if match else None


_SOURCES = (
    (".python-version", _from_python_version),
    ("pyproject.toml", _from_pyproject),
    ("setup.cfg", _from_setup_cfg),
    ("runtime.txt", _from_runtime_txt),
)


def _lower_bound(specifier: object) -> Version | None:
    """The smallest 3.N a specifier such as '>=3.12,<4' or '~=3.12.1' admits."""
    if not isinstance(specifier, str):
        return None
    bounds = []
    for clause in specifier.split(","):
        clause = clause.strip()
        operator = re.match(r"(~=|==|>=|>)\s*", clause)
        match = _VERSION.search(clause)
        if operator and match:
            minor = int(match.group(1))
            # '>3.11' admits 3.11.1, which parses as 3.11 does
            bounds.append((3, minor))
    return min(bounds) if bounds else None


def installed(env: Mapping[str, str]) -> list[Interpreter]:
    """Pythons newer than ours found on PATH, under pyenv and uv; newest first.

    Versions are read from the names (python3.12, pyenv's 3.12.1, uv's cpython-3.12.1-…), so
    finding them starts no process.
    """
    found: dict[str, Interpreter] = {}

    def add(version: Version, candidate: str | Path) -> None:
        path = str(candidate)
        if version <= OURS or not os.access(path, os.X_OK) or not os.path.isfile(path):
            return
        found.setdefault(os.path.realpath(path), Interpreter(version, path))

    # pyenv's shims are scripts that fail for a version not selected: its folders are read
    path = os.pathsep.join(
        part for part in env.get("PATH", "").split(os.pathsep) if not part.endswith("shims")
    )
    for minor in range(OURS[1] + 1, _NEWEST_MINOR + 1):
        on_path = shutil.which(f"python3.{minor}", path=path)
        if on_path:
            add((3, minor), on_path)
    home = Path(env.get("HOME") or Path.home())
    pyenv = Path(env.get("PYENV_ROOT") or home / ".pyenv") / "versions"
    uv = Path(env.get("UV_PYTHON_INSTALL_DIR") or home / ".local/share/uv/python")
    for folder, pattern in ((pyenv, "*"), (uv, "cpython-3.*")):
        try:
            entries = sorted(folder.glob(pattern))
        except OSError:
            continue
        for entry in entries:
            match = re.match(r"(?:cpython-)?3\.(\d{1,2})(?:\.\d+)?(?:[-+.].*)?$", entry.name)
            if match:
                add((3, int(match.group(1))), entry / "bin" / "python3")
    newest_first = sorted(found.values(), key=lambda item: item.version, reverse=True)
    one_per_version = {item.version: item for item in reversed(newest_first)}
    return sorted(one_per_version.values(), key=lambda item: item.version, reverse=True)


def choose(wanted: Version | None, candidates: list[Interpreter]) -> Interpreter | None:
    """The interpreter to parse with, of `installed()` (newest first): the oldest that is at
    least `wanted` (closest to what the project runs on), else, with nothing declared, the
    newest."""
    if wanted is None:
        return candidates[0] if candidates else None
    fitting = [item for item in candidates if item.version >= wanted]
    return fitting[-1] if fitting else None


def bandit_home() -> str | None:
    """The folder holding readyterm's importable copy of bandit, None when there is none."""
    spec = importlib.util.find_spec("bandit")
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


def bandit_command(interpreter: Interpreter) -> list[str] | None:
    """argv that runs readyterm's bandit under interpreter (append bandit's own arguments);
    None when readyterm's environment holds no importable bandit."""
    home = bandit_home()
    return None if home is None else [interpreter.path, "-I", "-c", _BOOTSTRAP, home]


def install_hint(wanted: Version | None) -> str:
    version = f"3.{wanted[1]}" if wanted else "3.12"
    return (
        f"install Python {version} or newer (e.g. `uv python install {version}` or "
        f"`pyenv install {version}`); readyterm then runs bandit under it"
    )
