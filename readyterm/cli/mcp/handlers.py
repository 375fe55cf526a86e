"""What each MCP tool does: the command line's own code paths, returning data instead of
printing. Runs in a worker thread (the server's event loop keeps answering meanwhile).

A tool fails by raising ReadytermError, as the command line does; the server turns that into an
MCP tool error with the same message and exit code.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readyterm.cli import decide
from readyterm.cli.commands import load_config_for, steps_list
from readyterm.engine.record import write_record
from readyterm.engine.result import RunResult, StepResult
from readyterm.engine.runner import (
    RunFinished,
    RunOptions,
    StepFinished,
    StepProgress,
    prepare,
    run_checklist,
)
from readyterm.engine.verify import verify
from readyterm.foundation.errors import EXIT_CODE_MEANINGS, ExitCode, ReadytermError
from readyterm.foundation.findings import REDACTED, Finding
from readyterm.foundation.paths import ATTESTATIONS_FILE, WAIVERS_FILE
from readyterm.reports.code_context import code_context
from readyterm.reports.json_report import render_json
from readyterm.reports.prompt import step_prompt

#: Called with a line of news and whether it finishes a step (progress notifications).
Progress = Callable[[str, bool], None]

_VERDICT = {"ready": "READY to deploy", "not-ready": "NOT READY to deploy", "error": "UNKNOWN"}


class Cancelled(ReadytermError):
    """The client cancelled the call: the run was stopped and nothing was written."""

    exit_code = ExitCode.INTERRUPTED


@dataclass
class Reply:
    """A tool's answer: text for the assistant to read and the same facts as data."""

    text: str
    data: dict[str, Any]


@dataclass
class Call:
    """One tool call's arguments, its cancel switch and where its progress goes."""

    arguments: dict[str, Any]
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Progress = lambda message, finished: None


def exit_line(code: ExitCode) -> str:
    return f"exit code {int(code)}: {EXIT_CODE_MEANINGS[code]}"


class Handlers:
    """The tools, and the last result of each repository (explain_finding reads it)."""

    def __init__(self) -> None:
        self._results: dict[Path, RunResult] = {}
        self._lock = threading.Lock()
        #: The cancel switches of the calls running now.
        self.running: set[threading.Event] = set()

    def cancel_all(self) -> None:
        for cancel in list(self.running):
            cancel.set()

    def call(self, name: str, call: Call) -> Reply:
        handler: Callable[[Call], Reply] = getattr(self, f"tool_{name}")
        return handler(call)

    def tool_list_steps(self, call: Call) -> Reply:
        steps = steps_list()
        lines = [f"{s['id']}: {s['question']}" for s in steps]
        return Reply("\n".join(lines), {"steps": steps})

    def tool_run_checks(self, call: Call) -> Reply:
        return self._result_reply(self._run(call)[1])

    def tool_write_record(self, call: Call) -> Reply:
        root, result = self._run(call)
        record = write_record(root, result)
        result.record = record.relative_to(root).as_posix()
        return self._result_reply(result, f"Wrote the readiness record {result.record}.")

    def tool_explain_finding(self, call: Call) -> Reply:
        fingerprint = call.arguments["fingerprint"].strip()
        root, result, step, finding = self._find(fingerprint, call.arguments.get("path"))
        secrets = [f for s in result.steps for f in s.findings if REDACTED in f.code]
        context, first = code_context(root, finding, secrets=secrets)

        def excerpt(item: Finding) -> str:  # the lines around it, as the walkthrough's `p`
            return code_context(root, item, secrets=secrets)[0]

        prompt = step_prompt(step, [finding], excerpt)
        data = {
            "finding": finding.as_dict(),
            "code": {"path": finding.path, "first_line": first, "text": context},
            "prompt": prompt,
        }
        waiver = finding.waiver
        note = f"\n\nAlready accepted ({waiver.kind}): {waiver.reason}" if waiver else ""
        return Reply(prompt + note, data)

    def tool_waive(self, call: Call) -> Reply:
        args = call.arguments
        entry = decide.waive(
            Path(args["path"]),
            rule=args.get("rule"),
            path=args.get("file"),
            fingerprint=args.get("fingerprint"),
            reason=args["reason"],
            owner=args.get("owner"),
            days=args.get("days"),
        )
        waiver = entry.model_dump(mode="json", exclude_none=True)
        text = f"waived {entry.describe()} in {WAIVERS_FILE}; the next run treats it as waived"
        return Reply(text, {"waiver": waiver, "file": WAIVERS_FILE})

    def tool_attest(self, call: Call) -> Reply:
        args = call.arguments
        answers = list(args["answers"].items())
        entries = decide.attest(Path(args["path"]), args["step"], answers, args.get("author"))
        text = f"recorded {len(entries)} attestation(s) for {args['step']} in {ATTESTATIONS_FILE}"
        return Reply(text, {"attestations": [e.model_dump() for e in entries]})

    def tool_verify(self, call: Call) -> Reply:
        path = decide.repository(Path(call.arguments["path"]))
        outcome = verify(path, load_config_for(path))
        text = "\n".join(
            [f"{outcome.outcome}: {outcome.message} ({exit_line(outcome.exit_code)})"]
            + [f"  {detail}" for detail in outcome.details]
        )
        return Reply(text, {**outcome.as_dict(), "exit_code": int(outcome.exit_code)})

    def _run(self, call: Call) -> tuple[Path, RunResult]:
        """Run the checklist as `readyterm --ci` would, reporting progress as it goes."""
        args = call.arguments
        options = RunOptions(
            path=decide.repository(Path(args["path"])),
            base=args.get("base"),
            whole=args.get("all", False),
            steps=tuple(args["steps"]) if args.get("steps") else None,
            no_staging=args.get("no_staging", False),
            strict=args.get("strict", False),
            all_findings=args.get("all_findings", False),
            use_cache=not args.get("no_cache", False),
        )
        prepared = prepare(options)
        result = _consume(run_checklist(prepared, call.cancel), call)
        if call.cancel.is_set():
            raise Cancelled("the run was cancelled; nothing was written")
        root = prepared.scope.root
        with self._lock:
            self._results[root] = result
        return root, result

    def _result_reply(self, result: RunResult, note: str = "") -> Reply:
        data = json.loads(render_json(result))  # exactly what `--format json` prints
        open_findings = [f for s in result.steps for f in s.open_findings()]
        lines = [
            f"readyterm: {_VERDICT[result.verdict]} ({exit_line(result.exit_code)}); "
            f"{len(result.blocking())} finding(s) block the gate, "
            f"{len(open_findings)} open in all.",
        ]
        errors = [s for s in result.steps if s.status == "error"]
        lines += [f"{s.id} could not run: {s.summary}" for s in errors]
        if open_findings:
            lines.append("explain_finding(fingerprint) gives a finding's code and a fix prompt.")
        if note:
            lines.append(note)
        return Reply("\n".join(lines) + "\n\n" + json.dumps(data, ensure_ascii=False), data)

    def _find(
        self, fingerprint: str, path: str | None
    ) -> tuple[Path, RunResult, StepResult, Finding]:
        with self._lock:
            results = list(self._results.items())
        if path is not None:
            root = decide.repository(Path(path))
            results = [(r, result) for r, result in results if r == root]
        for root, result in results:
            for step in result.steps:
                for finding in step.findings:
                    if finding.fingerprint == fingerprint:
                        return root, result, step, finding
        where = f"the last run of {path}" if path is not None else "any run of this session"
        raise ReadytermError(
            f"no finding with fingerprint {fingerprint!r} in {where}",
            hint="call run_checks first, and use a fingerprint from its result",
        )


def _consume(events: Any, call: Call) -> RunResult:
    result: RunResult | None = None
    last = ""
    try:
        for event in events:
            if isinstance(event, StepProgress) and event.message != last:
                # A backend's news comes once per step it serves: pass it on once.
                last = event.message
                call.progress(event.message, False)
            elif isinstance(event, StepFinished):
                step = event.result
                summary = step.summary.splitlines()[0] if step.summary else ""
                call.progress(f"{step.id}: {step.status}, {summary}", True)
            elif isinstance(event, RunFinished):
                result = event.result
    finally:
        events.close()  # on an error here: stops the backends and waits for their processes
    assert result is not None
    return result
