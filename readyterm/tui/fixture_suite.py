"""The demo's `tests` step as a run of its suite reports it (with flask, requests, psycopg2
and pytest installed), for the snapshot of the step's figures and uncovered lines."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from readyterm.engine.result import RunResult, StepResult
from readyterm.foundation.findings import Finding

_WHY_PATH = (
    "Failure paths are where generated tests stop: the happy path is tested and the branch "
    "that handles the timeout, the error status or the bad input first runs in production."
)
_FIX_PATH = (
    "Add a test that makes it fail this way (a mocked error, a timeout, an error status, "
    "invalid input) and checks what the code does then."
)


_WHY_LINES = (
    "No test ran these changed lines: whatever they do wrong, the first to find out is a "
    "user in production."
)
_FIX_LINES = "Add a test that runs these lines and checks what they do."


def _finding(rule: str, path: str, line: int, end: int, message: str, number: int) -> Finding:
    lines = rule == "tests-uncovered-change"
    return Finding(
        rule=rule,
        step="tests",
        severity="warning",
        path=path,
        line=line,
        end_line=end,
        message=message,
        why=_WHY_LINES if lines else _WHY_PATH,
        fix=_FIX_LINES if lines else _FIX_PATH,
        fingerprint=f"{number:020x}",
    )


FINDINGS = [
    _finding(
        "tests-failure-path-untested",
        "app/orders.py",
        48,
        50,
        "no test makes `charge` fail: the `except Exception` branch at app/orders.py:48 never ran",
        20,
    ),
    _finding(
        "tests-uncovered-change",
        "app/payments.py",
        15,
        20,
        "no test runs changed lines 15-20 (diff coverage 64 %, threshold 80 %)",
        21,
    ),
    _finding(
        "tests-failure-path-untested",
        "app/payments.py",
        31,
        32,
        "no test makes `requests.post` fail: the `except Exception` branch at "
        "app/payments.py:31 never ran",
        22,
    ),
]

DETAILS: dict[str, Any] = {
    "commands": [".venv/bin/python -m pytest"],
    "sources": ["pytest 8.4.2 under .venv/bin/python"],
    "seconds": 2.96,
    "tests": {"run": 4, "passed": 4, "failed": 0, "skipped": 0},
    "select": "all",
    "partial": False,
    "diff_coverage": {
        "percent": 63.6,
        "covered": 84,
        "lines": 132,
        "threshold": 80,
        "uncovered": {
            "app/orders.py": [[20, 20], [48, 50], [75, 84]],
            "app/payments.py": [[15, 20], [24, 32], [37, 38], [42, 47]],
            "app/reports.py": [[19, 28], [33, 46]],
        },
    },
    "failure_paths": {
        "exercised": 0,
        "total": 3,
        "unexercised": [
            {"path": "app/orders.py", "line": 48, "branch": "except Exception", "guards": "charge"},
            {
                "path": "app/payments.py",
                "line": 31,
                "branch": "except Exception",
                "guards": "requests.post",
            },
            {
                "path": "app/reports.py",
                "line": 44,
                "branch": "except Exception",
                "guards": "get_db(...).cursor",
            },
        ],
    },
    "framework": {
        "test_files": ["tests/test_orders.py"],
        "fixtures": ["client"],
        "js_runner": None,
    },
}


def with_suite_run(result: RunResult) -> RunResult:
    """result with its tests step replaced by the demo suite's run."""
    step = StepResult(
        "tests",
        "pass",
        "3 warnings · 4 tests, 4 passed; diff coverage 64 % (84 of 132 changed lines, "
        "threshold 80 %); failure paths exercised 0/3",
        list(FINDINGS),
        details=DETAILS,
    )
    return replace(result, steps=[step if s.id == "tests" else s for s in result.steps])
