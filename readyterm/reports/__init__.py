"""Report formats: each one a pure function of a RunResult."""

from __future__ import annotations

from collections.abc import Callable

from readyterm.result import RunResult

Formatter = Callable[[RunResult, bool], str]


def formatters() -> dict[str, Formatter]:
    from readyterm.reports.json_report import render_json
    from readyterm.reports.text import render_text

    return {"text": render_text, "json": render_json}


# Formats in the contract that arrive with the CI integrations issue.
PLANNED_FORMATS = ("sarif", "junit", "github", "gitlab", "prompt")
