"""What each command does; cli.py only parses arguments."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import threading
from pathlib import Path

from readyterm.atomic import write_text_atomic
from readyterm.config import Config, load_config
from readyterm.decisions import (
    DEFAULT_WAIVER_DAYS,
    MAX_WAIVER_DAYS,
    Attestation,
    WaiverEntry,
    add_attestation,
    add_waiver,
)
from readyterm.errors import ConfigError, ExitCode
from readyterm.gitcmd import open_repo
from readyterm.record import write_record
from readyterm.reports import PLANNED_FORMATS, formatters
from readyterm.result import RunResult
from readyterm.runner import RunFinished, RunOptions, StepFinished, prepare, run_checklist
from readyterm.scope import resolve_scope
from readyterm.steps import STEPS, STEPS_BY_ID
from readyterm.verify import verify

TUI_PENDING = (
    "readyterm: the interactive walkthrough arrives with the TUI issue; "
    "running the headless checks (--ci) instead"
)


def cmd_run(options: argparse.Namespace) -> ExitCode:
    if not options.ci:
        print(TUI_PENDING, file=sys.stderr)
    return run_headless(options, options.path)


def run_headless(options: argparse.Namespace, path: Path) -> ExitCode:
    _check_formats(options)
    prepared = prepare(
        RunOptions(
            path=path,
            base=options.base,
            whole=options.whole,
            steps=options.steps,
            no_staging=options.no_staging,
            strict=options.strict,
            all_findings=options.all_findings,
        )
    )
    live = options.format == "text" and sys.stderr.isatty()
    cancel = threading.Event()
    events = run_checklist(prepared, cancel)
    result: RunResult | None = None
    try:
        for event in events:
            if isinstance(event, StepFinished) and live:
                step = event.result
                print(f"  {step.status:<7} {step.id}", file=sys.stderr, flush=True)
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
    renderers = formatters()
    for fmt, target in options.output:
        write_text_atomic(target, renderers[fmt](result, False))
    sys.stdout.write(renderers[options.format](result, _use_color()))
    return result.exit_code


def _check_formats(options: argparse.Namespace) -> None:
    wanted = [options.format, *(fmt for fmt, _ in options.output)]
    planned = [fmt for fmt in wanted if fmt in PLANNED_FORMATS]
    if planned:
        raise ConfigError(
            f"--format {planned[0]} is not available in this version yet",
            hint="use text or json",
        )


def _use_color() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def cmd_verify(options: argparse.Namespace) -> ExitCode:
    outcome = verify(options.path, load_config_for(options.path))
    if options.format == "json":
        print(json.dumps(outcome.as_dict(), indent=2))
    else:
        print(f"{outcome.outcome}: {outcome.message}")
        for detail in outcome.details:
            print(f"  {detail}")
    return outcome.exit_code


def load_config_for(path: Path) -> Config:
    root = resolve_scope(path, Config(), whole=True).root
    return load_config(root)[0]


def cmd_demo(options: argparse.Namespace) -> ExitCode:
    from readyterm.demo import write_demo

    where = write_demo(options.path)
    print(f"readyterm: demo repository written to {where}", file=sys.stderr)
    if not options.ci:
        print(TUI_PENDING, file=sys.stderr)
    return run_headless(options, where)


def _git_identity(repo_path: Path) -> str | None:
    repo = open_repo(repo_path, 10)
    if repo is None:
        return None
    return repo.try_text("config", "user.email") or repo.try_text("config", "user.name") or None


def cmd_waive(options: argparse.Namespace) -> ExitCode:
    if not (options.rule or options.path or options.fingerprint):
        raise ConfigError("say what to waive: a RULE, --path or --fingerprint")
    today = dt.datetime.now(dt.UTC).date()
    if options.expires is not None:
        expires = options.expires
    else:
        days = DEFAULT_WAIVER_DAYS if options.days is None else options.days
        expires = today + dt.timedelta(days=days)
    if not today <= expires <= today + dt.timedelta(days=MAX_WAIVER_DAYS):
        raise ConfigError(
            f"a waiver must expire between today and {MAX_WAIVER_DAYS} days from now "
            f"(got {expires.isoformat()})"
        )
    owner = options.owner or _git_identity(options.repo)
    if not owner:
        raise ConfigError("no owner: pass --owner or set git config user.email")
    if not options.reason.strip():
        raise ConfigError("--reason must say why the risk is acceptable")
    root = resolve_scope(options.repo, Config(), whole=True).root
    entry = WaiverEntry(
        rule=options.rule,
        path=options.path,
        fingerprint=options.fingerprint,
        reason=options.reason,
        owner=owner,
        expires=expires,
    )
    add_waiver(root, entry)
    print(f"waived {entry.describe()} in .readyterm/waivers.yaml")
    return ExitCode.READY


def cmd_attest(options: argparse.Namespace) -> ExitCode:
    step = STEPS_BY_ID[options.step]
    known = {q.id for q in step.questions}
    author = options.author or _git_identity(options.repo)
    if not author:
        raise ConfigError("no author: pass --author or set git config user.email")
    root = resolve_scope(options.repo, Config(), whole=True).root
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = []
    for answer in options.answer:
        question, sep, text = answer.partition("=")
        if not sep or not text.strip():
            raise ConfigError(f"--answer expects QUESTION=TEXT, got {answer!r}")
        if question not in known:
            raise ConfigError(
                f"{step.id} has no question {question!r}",
                hint="questions: " + (", ".join(sorted(known)) or "(none for this step)"),
            )
        entries.append(
            Attestation(step=step.id, question=question, answer=text.strip(), author=author, at=now)
        )
    for entry in entries:
        add_attestation(root, entry)
    print(f"recorded {len(entries)} attestation(s) for {step.id} in .readyterm/attestations.yaml")
    return ExitCode.READY


def cmd_steps(options: argparse.Namespace) -> ExitCode:
    if options.format == "json":
        print(
            json.dumps(
                [
                    {
                        "id": s.id,
                        "title": s.title,
                        "question": s.question,
                        "checked_by": s.checked_by,
                        "attestations": [{"id": q.id, "question": q.text} for q in s.questions],
                    }
                    for s in STEPS
                ],
                indent=2,
            )
        )
        return ExitCode.READY
    for s in STEPS:
        print(f"{s.id:<17} {s.question}")
        for q in s.questions:
            print(f"{'':<19}attest {q.id}: {q.text}")
    return ExitCode.READY
