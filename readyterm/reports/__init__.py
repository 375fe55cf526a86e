"""Report formats: each one a pure function of a RunResult."""

from __future__ import annotations

from collections.abc import Callable

from readyterm.engine.result import RunResult

Formatter = Callable[[RunResult, bool], str]


def formatters() -> dict[str, Formatter]:
    # Imported when asked for, not with the package: the walkthrough uses only the prompt
    # builder, and its first frame waits for every import (start-up speed).
    from readyterm.reports.github import render_github
    from readyterm.reports.gitlab import render_gitlab
    from readyterm.reports.json_report import render_json
    from readyterm.reports.junit import render_junit
    from readyterm.reports.prompt import render_prompt
    from readyterm.reports.sarif import render_sarif
    from readyterm.reports.text import render_text

    return {
        "text": render_text,
        "json": render_json,
        "sarif": render_sarif,
        "junit": render_junit,
        "github": render_github,
        "gitlab": render_gitlab,
        "prompt": render_prompt,
    }


# Formats in the contract that are not available yet (none: kept for the CLI's check).
PLANNED_FORMATS: tuple[str, ...] = ()
