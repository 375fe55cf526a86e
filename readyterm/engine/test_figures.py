"""The `tests` step's figures (tests run and passed, diff coverage, failure paths taken) as
the record keeps them and as one line of text for summaries, `verify` and the walkthrough."""

from __future__ import annotations

from typing import Any


def record_figures(details: dict[str, Any] | None) -> dict[str, Any] | None:
    """The figures a readiness record keeps, from the suite's details (None: not run)."""
    if not details or "diff_coverage" not in details:
        return None
    coverage = details["diff_coverage"]
    paths = details["failure_paths"]
    return {
        "commands": list(details.get("commands", [])),
        "tests": details.get("tests"),
        "diff_coverage": {
            key: coverage.get(key) for key in ("percent", "covered", "lines", "threshold")
        },
        "failure_paths": {
            "exercised": paths.get("exercised", 0),
            "total": paths.get("total", 0),
            "unexercised": [f"{p['path']}:{p['line']}" for p in paths.get("unexercised", [])],
        },
        "select": details.get("select", "all"),
        "partial": bool(details.get("partial")),
        "cached": bool(details.get("cached")),
    }


def figures_line(figures: dict[str, Any] | None) -> str | None:
    """'4 tests, 4 passed; diff coverage 64 % (84 of 132 changed lines, threshold 80 %);
    failure paths exercised 0/3' (record figures or the suite's details)."""
    if not figures or "diff_coverage" not in figures:
        return None
    parts = []
    tests = figures.get("tests")
    if tests:
        failed = f", {tests['failed']} failed" if tests.get("failed") else ""
        parts.append(f"{tests['run']} tests, {tests['passed']} passed{failed}")
    coverage = figures["diff_coverage"]
    if coverage.get("percent") is None:
        parts.append("no changed line holds code")
    else:
        parts.append(
            f"diff coverage {coverage['percent']:.0f} % ({coverage['covered']} of "
            f"{coverage['lines']} changed lines, threshold {coverage['threshold']:g} %)"
        )
    paths = figures["failure_paths"]
    if paths.get("total"):
        parts.append(f"failure paths exercised {paths['exercised']}/{paths['total']}")
    if figures.get("partial"):
        parts.append("partial: only the tests that import a changed module ran")
    return "; ".join(parts)
