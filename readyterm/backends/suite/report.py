"""What a suite run means for the step: its error, its findings and the record's figures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from readyterm.backends.suite.detect import NoSuite
from readyterm.backends.suite.diffcov import DiffCoverage
from readyterm.backends.suite.paths import FailurePath
from readyterm.backends.suite.results import SuiteRun
from readyterm.foundation.config import TestsConfig
from readyterm.foundation.findings import Finding, Severity, read_lines

_MAX_FAILURES = 20
_WHY_UNCOVERED = (
    "No test ran these changed lines: whatever they do wrong, the first to find out is a "
    "user in production."
)
_WHY_PATH = (
    "Failure paths are where generated tests stop: the happy path is tested and the branch "
    "that handles the timeout, the error status or the bad input first runs in production."
)


def unjudged(runs: list[SuiteRun], timeout: float, root: Path) -> str | None:
    """Why the suite's run cannot be judged (the step is then `error`), None when it can."""
    for run in runs:
        command = " ".join(run.suite.argv)
        tail = f"\nits last output:\n{run.tail}" if run.tail else ""
        if run.status == "timed-out":
            return (
                f"`{command}` did not finish within {timeout:g} s and was stopped with every "
                "process it started; raise `timeouts.tests` in .readyterm.yaml (or "
                "READYTERM_TIMEOUTS__TESTS), or run fewer tests with `tests.select: changed`" + tail
            )
        if run.status == "cancelled":
            return f"`{command}` was cancelled and stopped with every process it started"
        if run.status == "not-run":
            return f"`{command}` could not be started: {run.tail}; fix `tests.command`"
        if run.status == "no-tests":
            return (
                f"`{command}` collected no tests; add tests, or point `tests.command` at the "
                "command that runs them" + tail
            )
        if run.status == "broken":
            code = run.returncode if run.returncode is not None else "?"
            error = f" ({run.first_error})" if run.first_error else ""
            return f"`{command}` exited with code {code} before judging any test{error}; " + (
                _missing_module_hint(run, root) + tail
            )
    return None


def _missing_module_hint(run: SuiteRun, root: Path) -> str:
    if "ModuleNotFoundError" not in f"{run.first_error} {run.tail}" or not run.suite.python:
        return (
            "make it pass on its own first (an import error or a bad option?), or set "
            "`tests.command`"
        )
    python = run.suite.python
    requirements = sorted(p.name for p in root.glob("requirements*.txt") if p.is_file())
    if requirements:
        install = " ".join(f"-r {name}" for name in requirements)
    elif (root / "pyproject.toml").is_file() or (root / "setup.py").is_file():
        install = "-e ."
    else:
        missing = _MISSING_MODULE.search(f"{run.first_error} {run.tail}")
        install = missing.group(1).split(".")[0] if missing else "<the missing package>"
    return (
        f"a dependency is missing in {python}: install the project's dependencies and "
        f"pytest there (`{python} -m pip install {install} pytest`), or point "
        "`tests.python` at the Python of the project's virtualenv"
    )


_MISSING_MODULE = re.compile(r"No module named '([^']+)'")


def no_tests(root: Path, code: list[str], missing: NoSuite) -> Finding:
    """Nothing tests the change: a warning, as DESIGN.md has the project-level `tests` findings
    (config can raise it), at the first changed module."""
    where = sorted(code)[0] if code else _project_file(root)
    return _finding(
        "tests-missing",
        "warning",
        where,
        1 if where else 0,
        1 if where else 0,
        f"{missing.reason}: no test runs the {len(code)} changed code file(s)",
        "Untested code is first exercised by users in production.",
        missing.hint[0].upper() + missing.hint[1:] + ".",
        code="no test suite",
    )


def failing_tests(runs: list[SuiteRun], root: Path) -> list[Finding]:
    anchor = _project_file(root)
    findings = []
    for run in runs:
        if run.status != "failed":
            continue
        failures = run.failures[:_MAX_FAILURES]
        for failed in failures:
            findings.append(
                _finding(
                    "tests-failing",
                    "blocker",
                    failed.path or anchor,
                    failed.line if failed.path else (1 if anchor else 0),
                    failed.line if failed.path else (1 if anchor else 0),
                    f"test fails: {failed.name}: {failed.message}",
                    "A failing test is a known defect shipped.",
                    "Make the test pass (or, if it is wrong, fix the test), then run again.",
                    code=failed.name,
                )
            )
        if not failures:
            findings.append(
                _finding(
                    "tests-failing",
                    "blocker",
                    anchor,
                    1 if anchor else 0,
                    1 if anchor else 0,
                    f"`{' '.join(run.suite.argv)}` reports failing tests:\n{run.tail}",
                    "A failing test is a known defect shipped.",
                    "Make the tests pass, then run again.",
                    code=" ".join(run.suite.argv),
                )
            )
    return findings


def uncovered(
    root: Path, diff: DiffCoverage, threshold: float, paths: list[FailurePath]
) -> list[Finding]:
    """One finding per run of uncovered changed lines: warnings while the change's diff
    coverage is below the threshold, advice above it. A run that lies within an untaken
    failure path is left to that path's finding, which says more."""
    percent = diff.percent
    if percent is None:
        return []
    severity: Severity = "warning" if percent < threshold else "info"
    untaken = [(p.path, p.line, p.end_line) for p in paths if not p.exercised]
    findings = []
    for file in diff.files:
        text = _text(root, file.path)
        for first, last in file.ranges():
            if any(p == file.path and a <= first and last <= b for p, a, b in untaken):
                continue
            lines = f"line {first}" if first == last else f"lines {first}-{last}"
            findings.append(
                _finding(
                    "tests-uncovered-change",
                    severity,
                    file.path,
                    first,
                    last,
                    f"no test runs changed {lines} (diff coverage {percent:.0f} %, "
                    f"threshold {threshold:g} %)",
                    _WHY_UNCOVERED,
                    "Add a test that runs these lines and checks what they do.",
                    code=read_lines(text, first, last),
                )
            )
    return findings


def unexercised(root: Path, paths: list[FailurePath]) -> list[Finding]:
    texts = {path.path: _text(root, path.path) for path in paths}
    return [
        _finding(
            "tests-failure-path-untested",
            "warning",
            path.path,
            path.line,
            path.end_line,
            path.describe(),
            _WHY_PATH,
            "Add a test that makes it fail this way (a mocked error, a timeout, an error "
            "status, invalid input) and checks what the code does then.",
            code=read_lines(texts[path.path], path.line, path.end_line) or path.branch,
        )
        for path in paths
        if not path.exercised
    ]


def details(
    runs: list[SuiteRun],
    diff: DiffCoverage,
    paths: list[FailurePath],
    settings: TestsConfig,
    partial: bool,
) -> dict[str, Any]:
    """The figures the record keeps and the step pane shows."""
    counts = [run.counts for run in runs if run.counts is not None]
    percent = diff.percent
    return {
        "commands": [" ".join(run.suite.argv) for run in runs],
        "sources": [run.suite.source for run in runs],
        "seconds": round(sum(run.seconds for run in runs), 2),
        "tests": {
            "run": sum(c.run for c in counts),
            "passed": sum(c.passed for c in counts),
            "failed": sum(c.failed for c in counts),
            "skipped": sum(c.skipped for c in counts),
        }
        if counts
        else None,
        "select": settings.select,
        "partial": partial,
        # why some changed files have no figures (a JS file in a pytest-only project)
        "coverage_notes": [run.coverage_problem for run in runs if run.coverage_problem],
        "diff_coverage": {
            "percent": None if percent is None else round(percent, 1),
            "covered": diff.covered,
            "lines": diff.measured,
            "threshold": settings.diff_coverage,
            "uncovered": {f.path: [list(r) for r in f.ranges()] for f in diff.files if f.uncovered},
        },
        "failure_paths": {
            "exercised": sum(p.exercised for p in paths),
            "total": len(paths),
            "unexercised": [
                {"path": p.path, "line": p.line, "branch": p.branch, "guards": p.guards}
                for p in paths
                if not p.exercised
            ],
        },
    }


_PROJECT_FILES = ("pyproject.toml", "package.json", "pytest.ini", "setup.cfg", "tox.ini")


def _project_file(root: Path) -> str:
    """Where a finding about the whole suite points (code scanning needs a file)."""
    return next((name for name in _PROJECT_FILES if (root / name).is_file()), "")


def _text(root: Path, path: str) -> str:
    try:
        return (root / path).read_text("utf-8", errors="replace")
    except OSError:
        return ""


def _finding(
    rule: str,
    severity: Severity,
    path: str,
    line: int,
    end_line: int,
    message: str,
    why: str,
    fix: str,
    code: str = "",
) -> Finding:
    return Finding(
        rule=rule,
        step="tests",
        severity=severity,
        path=path,
        line=line,
        end_line=end_line,
        message=message,
        why=why,
        fix=fix,
        code=code,
    )
