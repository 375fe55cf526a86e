"""The `tests` step's own check: run the project's suite under coverage and judge the change.

It executes the project's code (as the developer's own `pytest` or `npm test` would), only
when the step is selected, in an environment without readyterm's or CI's secrets. Results:
failing tests block; a suite that cannot start, hangs past `timeouts.tests` or collects no
tests leaves the step `error` (with the word heuristic's guess as a fallback); otherwise the
changed lines the tests never ran and the failure paths they never took are findings.
"""

from __future__ import annotations

import os
from pathlib import Path

from readyterm.backends.base import ScanContext, ScanResult
from readyterm.backends.suite import fingerprint, framework, report
from readyterm.backends.suite.changed import changed_lines
from readyterm.backends.suite.detect import NoSuite, find_suites
from readyterm.backends.suite.diffcov import diff_coverage
from readyterm.backends.suite.failpaths import failure_paths
from readyterm.backends.suite.fallback import guessed_findings
from readyterm.backends.suite.results import SuiteRun
from readyterm.backends.suite.run import run_suite
from readyterm.backends.suite.select import select_tests
from readyterm.foundation.file_roles import is_test_or_example
from readyterm.foundation.rulepack import RulePack

CODE_SUFFIXES = (".py", ".pyw", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")


class SuiteBackend:
    baseline = False
    name = "suite"

    def steps(self, rule_pack: RulePack) -> set[str]:
        return {"tests"}

    def run_key(self, root: Path, files: list[str], context: ScanContext) -> str | None:
        if _not_running(files, context):
            return None  # nothing to reuse, and the key would cost a hash of every file
        return fingerprint.run_key(root, files, context, os.environ)

    def scan(self, root: Path, files: list[str], context: ScanContext) -> ScanResult:
        sources = [name for name in files if name.endswith(CODE_SUFFIXES)]
        code = [name for name in sources if not is_test_or_example(name)]
        why_not = _not_running(files, context)
        if why_not:
            return ScanResult(skipped=why_not)
        settings = context.config.tests
        timeout = context.config.timeouts.tests
        suites = find_suites(root, settings, os.environ, timeout)
        if isinstance(suites, NoSuite) and suites.absent:
            return ScanResult(findings=[report.no_tests(root, code or sources, suites)])
        if isinstance(suites, NoSuite):
            return _not_run(root, files, f"{suites.reason}; {suites.hint}")
        selection = select_tests(root, code, settings.select, suites)
        runs: list[SuiteRun] = []
        for suite in suites:
            context.progress(
                f"running the project's tests: {' '.join(suite.argv)} ({suite.source})"
            )
            extra = selection.arguments(suite)
            runs.append(run_suite(suite, root, code, os.environ, timeout, context.cancel, extra))
            if runs[-1].status in ("timed-out", "cancelled"):
                break
        problem = report.unjudged(runs, timeout, root)
        if problem is not None:
            return _not_run(root, files, problem)
        coverage = {name: ran for run in runs for name, ran in run.coverage.items()}
        changed = {name: lines for name in code if (lines := changed_lines(root, name, context))}
        diff = diff_coverage(changed, coverage)
        paths = failure_paths(root, changed, coverage)
        result = ScanResult()
        result.findings += report.failing_tests(runs, root)
        result.findings += report.uncovered(root, diff, settings.diff_coverage, paths)
        result.findings += report.unexercised(root, paths)
        result.details = report.details(runs, diff, paths, settings, selection.partial)
        result.details["framework"] = framework.describe(root)
        problems = [run.coverage_problem for run in runs if run.coverage_problem and code]
        if problems and not coverage:
            result.error = "; ".join(problems)
        return result


def _not_running(files: list[str], context: ScanContext) -> str | None:
    if not context.config.tests.run:
        return "`tests.run` is off: the suite was not run"
    if context.mode == "diff" and not any(name.endswith(CODE_SUFFIXES) for name in files):
        return "the change touches no code and no tests: the suite was not run"
    return None


def _not_run(root: Path, files: list[str], why: str) -> ScanResult:
    """The suite could not be judged: an error, with the word heuristic's guess beside it."""
    guessed = guessed_findings(root, files)
    note = (
        "\nThe findings shown are a fallback guess from the test files' words." if guessed else ""
    )
    return ScanResult(error=f"the tests could not be run: {why}{note}", findings=guessed)
