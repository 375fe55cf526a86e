"""Which command runs the project's suite, and under which Python: detected, never guessed.

A suite is found from what the project holds (test files for pytest, a `test` script in
package.json) or given as `tests.command`. When nothing fits, `NoSuite` says what was
looked for and how to tell readyterm.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from readyterm.backends import interpreters
from readyterm.foundation.config import TestsConfig
from readyterm.foundation.procs import run_tool

Kind = Literal["pytest", "node", "command"]
_PROBE_SECONDS = 30.0
_PROJECT_VENVS = (".venv", "venv", "env")
_NPM_PLACEHOLDER = "no test specified"  # the script `npm init` writes
_PRUNED = frozenset({".git", "node_modules", ".venv", "venv", "env", ".tox", ".nox", "build"})
_MAX_WALK = 20_000  # entries looked at when searching for test files


@dataclass(frozen=True)
class Suite:
    kind: Kind
    argv: tuple[str, ...]
    #: How it was found, for the step text ("pytest under Python 3.11 (.venv/bin/python)").
    source: str
    #: The Python that runs it (pytest), or None.
    python: str | None = None
    #: "jest" or "vitest" when `npm test` is that runner alone, so readyterm can ask it for
    #: its coverage and results as JSON (readyterm.backends.suite.run); None otherwise.
    runner: str | None = None


@dataclass(frozen=True)
class NoSuite:
    reason: str
    hint: str
    #: The project has no tests at all (a finding), rather than tests that cannot run.
    absent: bool = False


def find_suites(
    root: Path, tests: TestsConfig, environ: Mapping[str, str], timeout: float
) -> list[Suite] | NoSuite:
    """The suites to run: `tests.command`, else pytest and/or the package.json test script."""
    if tests.command is not None:
        argv = shlex.split(tests.command) if isinstance(tests.command, str) else tests.command
        if not argv:
            return NoSuite("`tests.command` is empty", "set it to the command that runs the tests")
        return [Suite("command", tuple(argv), "tests.command in the config")]
    suites: list[Suite] = []
    problems: list[str] = []
    if _has_python_tests(root):
        found = _pytest(root, tests, environ, min(timeout, _PROBE_SECONDS))
        if isinstance(found, Suite):
            suites.append(found)
        else:
            problems.append(found)
    script = _npm_test_script(root)
    if script is not None:
        npm = shutil.which("npm", path=environ.get("PATH"))
        if npm is None:
            problems.append("package.json has a `test` script but npm is not on PATH")
        else:
            source = f"`npm test` ({script})"
            suites.append(Suite("node", (npm, "test"), source, runner=js_runner(root, script)))
    if problems:
        return NoSuite("; ".join(problems), _HINT)
    if not suites:
        return NoSuite(
            "no test suite was found: no test_*.py or *_test.py files (pytest) and no "
            "`test` script in package.json",
            "add tests, or set `tests.command` in .readyterm.yaml to the command that runs "
            "them (or turn the step off with `steps: {tests: {enabled: false}}`)",
            absent=True,
        )
    return suites


_HINT = (
    "install pytest and the project's dependencies into the project's .venv (or set "
    "`tests.python` / `tests.command` in .readyterm.yaml)"
)


def _has_python_tests(root: Path) -> bool:
    seen = 0
    for _folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _PRUNED and not d.startswith(".")]
        seen += len(files) + len(dirs)
        if any(_is_python_test(name) for name in files):
            return True
        if seen > _MAX_WALK:
            return False
    return False


def _is_python_test(name: str) -> bool:
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


_SINGLE_RUNNER = re.compile(r"^\s*(?:npx\s+)?(jest|vitest)(?:\s+[^&|;<>$`()]*)?$")
_VITEST_COVERAGE = ("@vitest/coverage-v8", "@vitest/coverage-istanbul")


def js_runner(root: Path, script: str) -> str | None:
    """The runner a test script is, when it is one command that flags can be added to.

    `jest && eslint .` is not: flags after `npm test --` would go to eslint. vitest measures
    coverage only with a provider package installed; without one, asking for it would fail
    the run.
    """
    match = _SINGLE_RUNNER.match(script)
    if match is None:
        return None
    if match.group(1) == "vitest":
        modules = root / "node_modules"
        if not any((modules / name).is_dir() for name in _VITEST_COVERAGE):
            return None
    return match.group(1)


def _npm_test_script(root: Path) -> str | None:
    try:
        manifest = json.loads((root / "package.json").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
    script = scripts.get("test") if isinstance(scripts, dict) else None
    if not isinstance(script, str) or not script.strip() or _NPM_PLACEHOLDER in script:
        return None
    return script


def python_candidates(root: Path, tests: TestsConfig, environ: Mapping[str, str]) -> list[str]:
    """Pythons that may run the suite, in the order they are tried."""
    if tests.python:
        return [tests.python]
    found = [str(root / venv / "bin" / "python") for venv in _PROJECT_VENVS]
    if environ.get("VIRTUAL_ENV"):
        found.append(str(Path(environ["VIRTUAL_ENV"]) / "bin" / "python"))
    on_path = shutil.which("python3", path=environ.get("PATH"))
    if on_path:
        found.append(on_path)
    declared = interpreters.declared_version(root)
    chosen = interpreters.choose(declared[0] if declared else None, interpreters.installed(environ))
    if chosen is not None:
        found.append(chosen.path)
    found.append(sys.executable)
    unique: dict[str, str] = {}
    for path in found:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            unique.setdefault(os.path.realpath(path) + _venv_of(path), path)
    return list(unique.values())


def _venv_of(path: str) -> str:
    """A venv's python is a symlink to the base interpreter but imports other packages."""
    return (
        str(Path(path).parent.parent) if (Path(path).parent.parent / "pyvenv.cfg").is_file() else ""
    )


def _pytest(
    root: Path, tests: TestsConfig, environ: Mapping[str, str], timeout: float
) -> Suite | str:
    tried = []
    for python in python_candidates(root, tests, environ):
        probe = run_tool(
            [python, "-c", "import pytest; print(pytest.__version__)"],
            timeout=timeout,
            cwd=root,
            env=dict(environ),
        )
        if probe.returncode == 0:
            label = _relative(python, root)
            return Suite(
                "pytest",
                (python, "-m", "pytest"),
                f"pytest {probe.stdout.strip()} under {label}",
                python,
            )
        tried.append(_relative(python, root))
    return (
        "the project has Python tests but no Python with pytest was found (tried: "
        + (", ".join(tried) or "none")
        + ")"
    )


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path
