"""What each command does; cli.py only parses arguments."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from readyterm.cli import decide
from readyterm.cli.arguments import run_options
from readyterm.cli.demo import write_demo
from readyterm.engine.merge import merge_files
from readyterm.engine.record import write_record
from readyterm.engine.result import RunResult
from readyterm.engine.runner import (
    RunFinished,
    StepFinished,
    StepProgress,
    find_root,
    prepare,
    run_checklist,
)
from readyterm.engine.verify import verify
from readyterm.foundation.atomic import write_text_atomic
from readyterm.foundation.config import Config, load_config
from readyterm.foundation.errors import ConfigError, ExitCode
from readyterm.foundation.paths import ATTESTATIONS_FILE, WAIVERS_FILE
from readyterm.foundation.steps import STEPS
from readyterm.reports import PLANNED_FORMATS, formatters
from readyterm.reports.github import render_github_summary


def run_headless(options: argparse.Namespace, path: Path) -> ExitCode:
    check_report_options(options)
    prepared = prepare(run_options(options, path))
    live = options.format == "text" and sys.stderr.isatty()
    cancel = threading.Event()
    events = run_checklist(prepared, cancel)
    result: RunResult | None = None
    try:
        for event in events:
            if isinstance(event, StepFinished) and live:
                step = event.result
                revised = " (with what staging found)" if event.revised else ""
                print(f"  {step.status:<7} {step.id}{revised}", file=sys.stderr, flush=True)
            elif isinstance(event, StepProgress) and options.format == "text":
                # The staging build streams to CI logs too: a slow build is not a hang.
                if live or event.step_id == "staging":
                    print(f"  {event.step_id}: {event.message}", file=sys.stderr, flush=True)
            elif isinstance(event, RunFinished):
                result = event.result
    except KeyboardInterrupt:
        cancel.set()
        events.close()  # stops the backends and waits for their processes to be killed
        raise
    assert result is not None
    if options.write_record:
        record = write_record(prepared.scope.root, result)
        result.record = record.relative_to(prepared.scope.root).as_posix()
    return report(result, options)


def check_report_options(options: argparse.Namespace) -> None:
    """`--format` and `--output` are usable: checked before any work is done."""
    _check_formats(options)
    _check_outputs(options)


def report(result: RunResult, options: argparse.Namespace) -> ExitCode:
    """Write `--output` files, print `--format` and return the result's exit code."""
    renderers = formatters()
    unwritten = []
    for fmt, target in options.output:
        try:
            write_text_atomic(target, renderers[fmt](result, False))
        except OSError as exc:
            unwritten.append(f"--output {fmt}:{target}: {exc.strerror or exc}")
    sys.stdout.write(renderers[options.format](result, _use_color()))
    if "github" in (options.format, *(fmt for fmt, _ in options.output)):
        _append_github_summary(result)
    if unwritten:
        sys.stdout.flush()
        raise ConfigError("could not write " + "; ".join(unwritten))
    return result.exit_code


def _check_formats(options: argparse.Namespace) -> None:
    wanted = [options.format, *(fmt for fmt, _ in options.output)]
    planned = [fmt for fmt in wanted if fmt in PLANNED_FORMATS]
    if planned:
        option = "--format" if planned[0] == options.format else "--output"
        raise ConfigError(
            f"{option} {planned[0]}: the {planned[0]} format is not available in this version yet",
            hint="use text or json",
        )


def _check_outputs(options: argparse.Namespace) -> None:
    """A bad --output path fails before the checks run, not after minutes of scanning."""
    for fmt, target in options.output:
        where = f"--output {fmt}:{target}"
        if target.is_dir():
            raise ConfigError(f"{where}: is a folder; give a file name")
        folder = target.absolute().parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            raise ConfigError(f"{where}: {folder} is not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ConfigError(f"{where}: {folder} is not writable")


def _use_color() -> bool:
    # no-color.org: a non-empty NO_COLOR turns colour off.
    return (
        sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    )


def _append_github_summary(result: RunResult) -> None:
    """GitHub shows $GITHUB_STEP_SUMMARY on the run page; appending is how steps share it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(render_github_summary(result))
    except OSError as exc:
        print(f"readyterm: could not append to GITHUB_STEP_SUMMARY: {exc}", file=sys.stderr)


def cmd_merge(options: argparse.Namespace) -> ExitCode:
    """One result from the JSON results of CI jobs that ran different --steps."""
    check_report_options(options)
    return report(merge_files(options.results), options)


def cmd_verify(options: argparse.Namespace) -> ExitCode:
    outcome = verify(options.path, load_config_for(options.path))
    if options.format == "json":
        print(json.dumps(outcome.as_dict(), indent=2))
    elif options.format == "github":
        command = "notice" if outcome.exit_code == ExitCode.READY else "error"
        text = "\n".join([outcome.message, *outcome.details]).replace("%", "%25")
        print(f"::{command} title=readyterm verify::{text.replace(chr(10), '%0A')}")
    else:
        print(f"{outcome.outcome}: {outcome.message}")
        for detail in outcome.details:
            print(f"  {detail}")
    return outcome.exit_code


def load_config_for(path: Path) -> Config:
    return load_config(find_root(path))[0]


def write_demo_repo(options: argparse.Namespace) -> Path:
    """`readyterm demo`: write the demo repository; the command line then checks it."""
    where = write_demo(options.path)
    print(f"readyterm: demo repository written to {where}", file=sys.stderr)
    return where


def cmd_waive(options: argparse.Namespace) -> ExitCode:
    entry = decide.waive(
        options.repo,
        rule=options.rule,
        path=options.path,
        fingerprint=options.fingerprint,
        reason=options.reason,
        owner=options.owner,
        days=options.days,
        expires=options.expires,
    )
    print(f"waived {entry.describe()} in {WAIVERS_FILE}")
    return ExitCode.READY


def cmd_attest(options: argparse.Namespace) -> ExitCode:
    answers = []
    for answer in options.answer:
        question, sep, text = answer.partition("=")
        if not sep or not text.strip():
            raise ConfigError(f"--answer expects QUESTION=TEXT, got {answer!r}")
        answers.append((question, text))
    entries = decide.attest(options.repo, options.step, answers, options.author)
    print(f"recorded {len(entries)} attestation(s) for {options.step} in {ATTESTATIONS_FILE}")
    return ExitCode.READY


def steps_list() -> list[dict[str, Any]]:
    """The checklist as `readyterm steps --format json` prints it (and the MCP tool returns)."""
    return [
        {
            "id": s.id,
            "title": s.title,
            "question": s.question,
            "checked_by": s.checked_by,
            "attestations": [{"id": q.id, "question": q.text} for q in s.questions],
        }
        for s in STEPS
    ]


def cmd_steps(options: argparse.Namespace) -> ExitCode:
    if options.format == "json":
        print(json.dumps(steps_list(), indent=2))
        return ExitCode.READY
    for s in STEPS:
        print(f"{s.id:<17} {s.question}")
        for q in s.questions:
            print(f"{'':<19}attest {q.id}: {q.text}")
    return ExitCode.READY
