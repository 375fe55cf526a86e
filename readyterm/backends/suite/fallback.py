"""When the suite cannot be run: the tests in the change judged by their words only.

A guess, and said to be one: a test that mentions `Timeout` in a comment passes it, and one
that really makes a call time out without naming anything on the list fails it.
"""

from __future__ import annotations

import re
from pathlib import Path

from readyterm.backends.project.common import finding, read_text
from readyterm.foundation.findings import Finding

_FAILURE_TEST = re.compile(
    r"pytest\.raises|assertRaises|side_effect|Timeout|status_code\s*==\s*[45]\d\d|"
    r"\b[45]\d\d\b|invalid|malformed|hypothesis|ConnectionError",
    re.I,
)
_TEST_FILE = re.compile(r"(^|/)(tests?/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)")
_NOTE = " (fallback: the suite could not be run, so its test files were only read for words)"


def guessed_findings(root: Path, files: list[str]) -> list[Finding]:
    sources = [f for f in files if f.endswith(".py")]
    code = [f for f in sources if not _TEST_FILE.search(f)]
    tests = [f for f in sources if _TEST_FILE.search(f)]
    if code and not tests:
        return [
            _finding(
                code[0],
                "tests-missing",
                f"the change touches {len(code)} Python module(s) but no test file",
            )
        ]
    if tests and not any(_FAILURE_TEST.search(read_text(root, t) or "") for t in tests):
        return [
            _finding(
                tests[0],
                "tests-happy-path-only",
                "the tests in this change seem to walk the happy path only: none mentions a "
                "failure, a timeout or bad input" + _NOTE,
            )
        ]
    return []


def _finding(path: str, rule: str, message: str) -> Finding:
    return finding(
        rule,
        "tests",
        path,
        1,
        message,
        "Code that was only tested on its happy path fails on the first slow service, "
        "hostile input or full disk in production.",
        "Add tests that make dependencies fail or time out and that send bad input.",
    )
