"""The command line's arguments: `readyterm [--ci] [PATH]` and each subcommand's parser."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from readyterm import __version__
from readyterm.foundation.paths import RECORDS_DIR, WAIVERS_FILE
from readyterm.foundation.steps import STEP_IDS

if TYPE_CHECKING:
    from readyterm.engine.events import RunOptions

SUBCOMMANDS = ("verify", "demo", "waive", "attest", "steps", "merge", "mcp")
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "prompt")
#: What `add_run_options` adds that RunOptions takes as it is (its fields of the same name).
_RUN_FLAGS = ("base", "whole", "steps", "no_staging", "strict", "all_findings")


def add_run_options(parser: argparse.ArgumentParser) -> None:
    ci = parser.add_argument_group("checks (the same for --ci and the walkthrough)")
    ci.add_argument(
        "--base",
        metavar="REF",
        help="compare with REF (default: merge-base "
        "with the remote default branch, then main/master)",
    )
    ci.add_argument(
        "--all",
        dest="whole",
        action="store_true",
        help="judge the whole repository, not only the change",
    )
    ci.add_argument("--steps", type=_step_list, metavar="A,B", help="run only these steps")
    ci.add_argument("--no-staging", action="store_true", help="skip the Docker smoke test")
    ci.add_argument("--strict", action="store_true", help="warnings fail the gate too")
    ci.add_argument(
        "--all-findings",
        action="store_true",
        help="also report findings that existed before the change",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="scan every file again instead of reusing results of earlier runs "
        "(the cache lives in READYTERM_CACHE_DIR, default: the user cache folder)",
    )
    add_report_options(ci)
    ci.add_argument(
        "--write-record",
        action="store_true",
        help=f"write a readiness record to {RECORDS_DIR}/",
    )


def add_report_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """`--format` and `--output`: how a result is reported (a run's, or a merged one)."""
    parser.add_argument("--format", choices=FORMATS, default="text", help="stdout format")
    parser.add_argument(
        "--output",
        action="append",
        default=[],
        type=_output_spec,
        metavar="FORMAT:PATH",
        help="also write FORMAT to PATH (repeatable)",
    )


def run_options(options: argparse.Namespace, path: Path) -> RunOptions:
    """The run the options added by `add_run_options` ask for, at path."""
    from readyterm.engine.events import RunOptions  # not at import: `--help` stays light

    flags = {name: getattr(options, name) for name in _RUN_FLAGS}
    return RunOptions(path=path, use_cache=not options.no_cache, **flags)


def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="readyterm",
        description="Walk a change through a pre-deployment checklist. "
        f"Other commands: {', '.join(SUBCOMMANDS)} (readyterm COMMAND --help).",
        epilog="exit codes: 0 ready, 1 not ready, 2 usage or configuration error, "
        "3 a check could not run",
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="repository (default: .)")
    parser.add_argument("--ci", action="store_true", help="run headless, for pipelines")
    parser.add_argument("--version", action="version", version=f"readyterm {__version__}")
    add_run_options(parser)
    return parser


def command_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"readyterm {name}")
    if name == "verify":
        parser.description = "Does a committed readiness record cover the code as it is now?"
        parser.add_argument("path", nargs="?", default=".", type=Path)
        parser.add_argument("--format", choices=("text", "json", "github"), default="text")
    elif name == "demo":
        parser.description = "Write a demo app with dev-to-prod defects to a git repo and check it."
        parser.add_argument("--ci", action="store_true", help="run headless")
        parser.add_argument(
            "--path", type=Path, help="where to write the demo repo (default: a temp folder)"
        )
        add_run_options(parser)
    elif name == "waive":
        parser.description = f"Accept a risk: add an entry to {WAIVERS_FILE}."
        parser.add_argument("rule", nargs="?", help="rule id to waive")
        parser.add_argument("--path", help="file or glob the waiver covers")
        parser.add_argument("--fingerprint", help="one finding's fingerprint")
        parser.add_argument("--reason", required=True, help="why the risk is acceptable")
        parser.add_argument("--owner", help="who owns the risk (default: git user.email)")
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument(
            "--days", type=int, default=None, help="expires in N days (default 30, max 90)"
        )
        expiry.add_argument("--expires", type=dt.date.fromisoformat, help="expiry date YYYY-MM-DD")
        parser.add_argument("-C", dest="repo", type=Path, default=Path("."), help="repository")
    elif name == "attest":
        parser.description = "Answer a step's questions that no tool can decide."
        parser.add_argument("step", choices=STEP_IDS)
        parser.add_argument(
            "--answer",
            action="append",
            default=[],
            metavar="QUESTION=TEXT",
            required=True,
            help="e.g. alert='PagerDuty: orders-5xx'",
        )
        parser.add_argument("--author", help="who answers (default: git user.email)")
        parser.add_argument("-C", dest="repo", type=Path, default=Path("."), help="repository")
    elif name == "steps":
        parser.description = "List the checklist steps, their questions and attestation ids."
        parser.add_argument("--format", choices=("text", "json"), default="text")
    elif name == "merge":
        parser.description = (
            "Merge the --format json results of CI jobs that ran different --steps into one "
            "result: one report, one verdict and exit code. Runs no check itself."
        )
        parser.epilog = "exit codes: 0 ready, 1 not ready, 2 bad input, 3 a check could not run"
        parser.add_argument(
            "results", nargs="*", type=Path, metavar="RESULT.json", help="the jobs' results"
        )
        add_report_options(parser)
    elif name == "mcp":
        parser.description = (
            "Serve the checklist to a coding assistant over MCP (stdio): list_steps, "
            "run_checks, explain_finding, waive, attest, write_record, verify."
        )
        parser.epilog = "configure it in the assistant as the command `readyterm mcp`"
    return parser


def _step_list(value: str) -> tuple[str, ...]:
    steps = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [s for s in steps if s not in STEP_IDS]
    if unknown or not steps:
        raise argparse.ArgumentTypeError(
            f"unknown step id {unknown[0]!r}; step ids are: {', '.join(STEP_IDS)}"
            if unknown
            else "give at least one step id"
        )
    return steps


def _output_spec(value: str) -> tuple[str, Path]:
    fmt, sep, path = value.partition(":")
    if not sep or not path or fmt not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"expected FORMAT:PATH with FORMAT one of {', '.join(FORMATS)}, got {value!r}"
        )
    return fmt, Path(path)
