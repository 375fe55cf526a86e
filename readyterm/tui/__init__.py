"""The interactive walkthrough (Textual). The only package of readyterm that imports Textual."""

from __future__ import annotations

import sys

from readyterm.engine.events import RunOptions
from readyterm.foundation.errors import ExitCode
from readyterm.foundation.gitcmd import find_root
from readyterm.tui.checks import CheckServer, ProcessSource

_VERDICT_LINE = {
    "ready": "READY to deploy",
    "not-ready": "NOT READY to deploy",
    "error": "UNKNOWN: a check could not run",
}


def run_walkthrough(run: RunOptions) -> ExitCode:
    """Open the walkthrough on path at once; the checks run (and prepare) in a helper process.

    Bad input (a bad --base, a broken config) still exits with 2 and the message, as soon as
    the helper has found it.
    """
    # Started before Textual is imported: the helper forks a single-threaded process and
    # prepares the run on another core while this one imports Textual and draws.
    server = CheckServer()
    try:
        from readyterm.tui.app import build_app  # Textual: only after the fork (see above)

        app = build_app(ProcessSource(run, server, find_root(run.path)))
        code = app.run()
    finally:
        server.stop()
    if app.fatal_error is not None:
        raise app.fatal_error
    result = app.state.result
    if result is not None and code is not None and code != ExitCode.INTERRUPTED:
        line = f"readyterm: {_VERDICT_LINE[result.verdict]}"
        if app.state.record:
            line += f"; record {app.state.record}"
        print(line, file=sys.stderr)
    if code is None:  # Textual printed the crash itself
        return ExitCode.CHECK_FAILED
    return ExitCode(code)
