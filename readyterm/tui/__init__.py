"""The interactive walkthrough (Textual). The only package of readyterm that imports Textual."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from readyterm.cli import run_options
from readyterm.errors import ExitCode
from readyterm.runner import prepare

_VERDICT_LINE = {
    "ready": "READY to deploy",
    "not-ready": "NOT READY to deploy",
    "error": "UNKNOWN: a check could not run",
}


def run_walkthrough(options: argparse.Namespace, path: Path) -> ExitCode:
    """Open the walkthrough on path; bad input fails before the screen opens (exit 2)."""
    prepared = prepare(run_options(options, path))
    from readyterm.tui.app import build_app
    from readyterm.tui.source import LiveSource

    app = build_app(LiveSource(prepared))
    code = app.run()
    result = app.state.result
    if result is not None and code is not None and code != ExitCode.INTERRUPTED:
        line = f"readyterm: {_VERDICT_LINE[result.verdict]}"
        if app.state.record:
            line += f"; record {app.state.record}"
        print(line, file=sys.stderr)
    if code is None:  # Textual printed the crash itself
        return ExitCode.CHECK_FAILED
    return ExitCode(code)
