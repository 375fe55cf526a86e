"""Run one suite under coverage, bounded by `timeouts.tests`, and read what it left behind.

The suite is started in a session of its own (readyterm.foundation.procs), so a timeout or
Ctrl-C kills it and every process it started. Its working files live in a temporary
folder outside the project; the project tree is not written to (no .pytest_cache, no
__pycache__, no .coverage).
"""

from __future__ import annotations

import re
import shlex
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from readyterm.backends.suite import istanbul, jestjson, pycoverage, v8
from readyterm.backends.suite.detect import Suite
from readyterm.backends.suite.environment import suite_environment
from readyterm.backends.suite.jestjson import read_jest_json
from readyterm.backends.suite.junit import read_junit
from readyterm.backends.suite.results import Counts, FileCoverage, Status, SuiteRun
from readyterm.backends.suite.tap import read_tap
from readyterm.foundation.procs import ToolRun, run_tool

_TAIL_LINES = 15
# pytest's exit codes: 1 tests failed, 5 no tests collected (2-4: interrupted, internal
# error, usage error: the suite could not be judged)
_PYTEST_FAILED = 1
_PYTEST_NO_TESTS = 5
_PYTEST_SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")
_TAP_COUNT = re.compile(r"^# (tests|pass|fail|skipped|todo|cancelled) (\d+)\s*$", re.M)


def run_suite(
    suite: Suite,
    root: Path,
    files: list[str],
    environ: Mapping[str, str],
    timeout: float,
    cancel: threading.Event | None = None,
    extra_args: tuple[str, ...] = (),
) -> SuiteRun:
    """Run suite in root; coverage is read for files (repo-relative code files)."""
    with tempfile.TemporaryDirectory(prefix="readyterm-tests-") as tmp:
        work = Path(tmp)
        env = pycoverage.with_hook(suite_environment(environ), pycoverage.prepare(work, root))
        env["NODE_V8_COVERAGE"] = str(v8.prepare(work))
        junit = work / "junit.xml"
        options = f"--junitxml={shlex.quote(str(junit))} -o junit_family=xunit1 -p no:cacheprovider"
        env["PYTEST_ADDOPTS"] = f"{env.get('PYTEST_ADDOPTS', '')} {options}".strip()
        asked = _reports_asked_of(suite, work)
        if suite.kind == "node" and (extra_args or asked):
            argv = (*suite.argv, "--", *extra_args, *asked)  # after `npm test --`: the runner's
        else:
            argv = (*suite.argv, *extra_args)
        run = run_tool(argv, timeout=timeout, cwd=root, env=env, cancel=cancel)
        result = SuiteRun(suite, _status(suite, run), run.seconds, _tail(run), run.returncode)
        result.first_error = _first_error(run)
        read = read_junit(junit, root) or read_jest_json(work, root)
        if read is not None:
            result.counts, result.failures = read
        else:
            result.counts = _counts_from_output(run.stdout + "\n" + run.stderr)
            result.failures = read_tap(run.stdout, root)
        if result.status == "broken" and result.failures and suite.kind != "pytest":
            result.status = "failed"  # a runner that exits 2 on failures (some npm scripts)
        if result.status == "failed" and suite.kind != "pytest" and not _any_failed(result):
            result.status = "broken"  # a non-zero exit with no failed test: it did not run
        if result.status == "passed" and result.counts is not None and result.counts.failed:
            result.status = "failed"
        result.coverage, result.coverage_problem = _coverage(work, root, files)
        return result


def _reports_asked_of(suite: Suite, work: Path) -> tuple[str, ...]:
    """jest's and vitest's own coverage (mapped back to the source, TypeScript too) and
    results as JSON, in readyterm's folder (they go after `npm test --`)."""
    coverage = str(istanbul.folder(work))
    results = str(work / jestjson.REPORT)
    if suite.runner == "jest":
        return (
            "--coverage",
            # the project's own coverage limit is its CI's business: judged here, a limit
            # missed would fail a suite whose every test passed
            "--coverageThreshold={}",
            "--coverageReporters=json",
            f"--coverageDirectory={coverage}",
            "--json",
            f"--outputFile={results}",
            "--testLocationInResults",
        )
    if suite.runner == "vitest":
        return (
            "--coverage.enabled=true",
            "--coverage.reporter=json",
            f"--coverage.reportsDirectory={coverage}",
            "--coverage.reportOnFailure=true",  # a failing test is when the figures matter
            "--reporter=default",
            "--reporter=json",
            f"--outputFile.json={results}",
        )
    return ()


def _any_failed(result: SuiteRun) -> bool:
    return bool(result.failures) or (result.counts is not None and result.counts.failed > 0)


def _status(suite: Suite, run: ToolRun) -> Status:
    if run.missing or run.not_started:
        return "not-run"
    if run.timed_out:
        return "timed-out"
    if run.cancelled:
        return "cancelled"
    if run.returncode == 0:
        return "passed"
    if suite.kind == "pytest":
        if run.returncode == _PYTEST_FAILED:
            return "failed"
        if run.returncode == _PYTEST_NO_TESTS:
            return "no-tests"
        return "broken"
    if run.returncode is not None and run.returncode > 0:
        return "failed"  # refined by the counts: no failed test read means broken
    return "broken"


def _tail(run: ToolRun) -> str:
    if run.missing:
        return f"{run.argv[0]}: not found on PATH"
    if run.not_started:
        return run.not_started
    lines = (run.stdout.rstrip() + "\n" + run.stderr.rstrip()).strip().splitlines()
    lines = [line for line in lines if "generated xml file" not in line]  # our own report
    return "\n".join(lines[-_TAIL_LINES:])


def _first_error(run: ToolRun) -> str | None:
    """pytest's first `E   ` line: what broke (ModuleNotFoundError: No module named ...)."""
    for line in (run.stdout + "\n" + run.stderr).splitlines():
        if line.startswith("E   ") and line[4:].strip():
            return line[4:].strip()[:200]
    return None


def _counts_from_output(output: str) -> Counts | None:
    """Counts from pytest's summary line or node --test's TAP trailer."""
    tap = {name: int(number) for name, number in _TAP_COUNT.findall(output)}
    if "tests" in tap:
        return Counts(
            run=tap["tests"],
            passed=tap.get("pass", 0),
            failed=tap.get("fail", 0) + tap.get("cancelled", 0),
            skipped=tap.get("skipped", 0) + tap.get("todo", 0),
        )
    summary = [line for line in output.splitlines() if " in " in line and "=" in line]
    for line in reversed(summary):
        found = {kind: int(n) for n, kind in _PYTEST_SUMMARY.findall(line)}
        if found:
            failed = found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0)
            passed = found.get("passed", 0) + found.get("xfailed", 0) + found.get("xpassed", 0)
            skipped = found.get("skipped", 0)
            return Counts(passed + failed + skipped, passed, failed, skipped)
    return None


_NOTHING_RECORDED = {
    "python": "coverage.py recorded nothing for the Python code (the suite ran no Python, or "
    "its Python could not import coverage.py)",
    "scripts": "V8 wrote no coverage for the JS code (the suite ran no node, or its runner "
    "turns NODE_V8_COVERAGE off)",
}


def _coverage(
    work: Path, root: Path, files: list[str]
) -> tuple[dict[str, FileCoverage], str | None]:
    readers = {
        "python": (pycoverage.recorded, pycoverage.measures),
        "scripts": (v8.recorded, v8.measures),
    }
    found: dict[str, FileCoverage] = {}
    problems = {}
    for language, (read, measures) in readers.items():
        wanted = [name for name in files if measures(name)]
        measured = read(work, root, wanted) if wanted else {}
        if measured is None:
            problems[language] = _NOTHING_RECORDED[language]
        else:
            found.update(measured)
    # jest's or vitest's own report, where there is one, knows better than V8 (it saw the
    # code before the runner rewrote it); a file it did not load keeps V8's "nothing ran".
    mapped = istanbul.recorded(work, root, [n for n in files if istanbul.measures(n)])
    if mapped is not None:
        found.update(mapped)
        problems.pop("scripts", None)
    return found, "; ".join(problems.values()) or None
