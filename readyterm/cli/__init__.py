"""Command line: `readyterm [--ci] [PATH]`, `verify`, `demo`, `waive`, `attest`, `steps`, `merge`,
`mcp`.

One top-level handler maps ReadytermError to its exit code and prints no traceback;
anything unexpected is logged to a file whose path is printed. `check` is the one place
that decides between the walkthrough and the headless run. The parsers are in `arguments`,
what each command does in `commands`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs

from readyterm import __version__
from readyterm.cli.arguments import SUBCOMMANDS, command_parser, run_options, run_parser
from readyterm.foundation.errors import ExitCode, ReadytermError

NOT_A_TERMINAL = "readyterm: not a terminal, so running the headless checks (as with --ci) instead"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    previous = _stop_on_termination()
    try:
        code = int(_dispatch(args))
        sys.stdout.flush()  # a reader that went away shows up here, not at interpreter exit
        return code
    except SystemExit:  # argparse: --help, --version and usage errors
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _detach_stdout()
        raise
    except ReadytermError as exc:
        print(f"readyterm: error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Terminated) else signal.SIGINT
        how = "interrupted" if signum == signal.SIGINT else f"stopped by {signum.name}"
        print(f"readyterm: {how}; nothing was written", file=sys.stderr)
        return 128 + int(signum)  # 130 for Ctrl-C (ExitCode.INTERRUPTED), as shells do
    except BrokenPipeError:
        # Whoever read our output stopped reading (`readyterm steps | head -1`): not a bug.
        _detach_stdout()
        return 128 + int(signal.SIGPIPE)
    except Exception:  # the one place a bug becomes a message instead of a traceback
        log = _write_crash_log()
        print(
            f"readyterm: internal error (a bug in readyterm, not in your code).\n"
            f"  details: {log}\n  please report it with that file attached",
            file=sys.stderr,
        )
        return int(ExitCode.CHECK_FAILED)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job) or SIGHUP (a closed terminal): stop like on Ctrl-C.

    A KeyboardInterrupt so every cleanup path for Ctrl-C runs: the tools, which run in
    their own sessions and do not get the signal themselves, are stopped, and no
    half-written record is left behind.
    """

    def __init__(self, signum: signal.Signals) -> None:
        super().__init__(signum.name)
        self.signum = signum


def _stop_on_termination() -> dict[signal.Signals, Any]:
    def stop(signum: int, _frame: object) -> None:
        raise Terminated(signal.Signals(signum))

    previous: dict[signal.Signals, Any] = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        try:
            # Keep a handler someone chose on purpose (`nohup` ignores SIGHUP).
            if signal.getsignal(signum) is signal.SIG_DFL:
                previous[signum] = signal.signal(signum, stop)
        except ValueError:  # not the main thread: leave signals to the caller
            break
    return previous


def _detach_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _dispatch(args: list[str]) -> ExitCode:
    # `commands` (the runner, the config and record models) is imported only when a command
    # runs headless: the walkthrough's first frame waits for every import made here, and its
    # checks' helper process imports the scanning code itself, on another core.
    if args and args[0] in SUBCOMMANDS:
        from readyterm.cli import commands

        name, rest = args[0], args[1:]
        options = command_parser(name).parse_args(rest)
        if name == "demo":
            return check(options, commands.write_demo_repo(options))
        if name == "mcp":
            from readyterm.cli.mcp import serve  # the MCP SDK: only for this command

            return serve(_write_crash_log, Terminated)
        handler = getattr(commands, f"cmd_{name}")
        result: ExitCode = handler(options)
        return result
    options = run_parser().parse_args(args)
    return check(options, options.path)


def check(options: argparse.Namespace, path: Path) -> ExitCode:
    """Run the checklist on path: the walkthrough unless --ci, when both ends are a terminal;
    otherwise the headless run (with a note when the walkthrough was asked for)."""
    if not options.ci:
        if interactive():
            # Not at import: the walkthrough loads Textual, which the headless run never does.
            from readyterm.tui import run_walkthrough

            return run_walkthrough(run_options(options, path))
        print(NOT_A_TERMINAL, file=sys.stderr)
    from readyterm.cli import commands  # the scanning code: see _dispatch

    return commands.run_headless(options, path)


def interactive() -> bool:
    """Both ends are a terminal: the walkthrough can run (else the headless run does)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _write_crash_log() -> str:
    folder = Path(os.environ.get("READYTERM_LOG_DIR") or platformdirs.user_log_dir("readyterm"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S%fZ')}.log"
        path.write_text(f"readyterm {__version__}\nargv: {sys.argv}\n\n{traceback.format_exc()}")
        return str(path)
    except OSError:
        traceback.print_exc()
        return "(could not write a log; the traceback is above)"
