"""What the walkthrough knows, as plain data: step states and the merged run result.

No Textual here, so the rules (what a re-run replaces, when a record needs re-checks)
are testable without an app.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from readyterm.engine.result import RunResult, StepResult, waivers_applied
from readyterm.foundation.findings import REDACTED, Finding
from readyterm.foundation.steps import STEP_IDS

Phase = Literal["waiting", "running", "done"]
_LOG_LINES = 200


@dataclass
class StepState:
    id: str
    phase: Phase = "waiting"
    progress: str = ""
    result: StepResult | None = None
    #: The code digest the result was judged on (None until a run finished).
    judged_on: str | None = None
    #: The progress lines of the latest run (the build and container log for staging).
    log: list[str] = field(default_factory=list)


@dataclass
class WalkState:
    steps: dict[str, StepState] = field(
        default_factory=lambda: {step_id: StepState(step_id) for step_id in STEP_IDS}
    )
    result: RunResult | None = None
    record: str | None = None

    def start(self, step_id: str) -> None:
        state = self.steps[step_id]
        state.phase, state.progress, state.log = "running", "", []

    def progress(self, step_id: str, message: str) -> None:
        state = self.steps[step_id]
        state.progress = message
        state.log = [*state.log[-(_LOG_LINES - 1) :], message]

    def finish(self, result: StepResult) -> None:
        state = self.steps[result.id]
        state.phase, state.result, state.progress = "done", result, ""

    def run_finished(self, fresh: RunResult, step_ids: tuple[str, ...], digest: str) -> None:
        """Take the re-run steps from `fresh`; keep the others from the previous result."""
        for step_id in step_ids:
            self.steps[step_id].judged_on = digest
        self.result = merge(self.result, fresh, step_ids)
        self.record = None

    def secrets_in(self, path: str | None = None) -> list[Finding]:
        """Findings in path whose matched code hid a secret: their lines are never shown raw."""
        return [
            f
            for s in self.steps.values()
            for f in (s.result.findings if s.result else [])
            if (path is None or f.path == path) and REDACTED in f.code
        ]

    @property
    def running(self) -> list[str]:
        return [s.id for s in self.steps.values() if s.phase == "running"]

    def stale(self, digest: str) -> tuple[str, ...]:
        """Steps judged on code that has changed since (they must re-run before a record)."""
        return tuple(
            s.id
            for s in self.steps.values()
            if s.result is not None and s.result.status != "skipped" and s.judged_on != digest
        )


def merge(old: RunResult | None, fresh: RunResult, step_ids: tuple[str, ...]) -> RunResult:
    if old is None:
        return fresh
    by_id = {step.id: step for step in fresh.steps}
    steps = [by_id[s.id] if s.id in step_ids else s for s in old.steps]
    return replace(
        fresh,
        steps=steps,
        waivers_applied=waivers_applied(steps),
        tool_versions={**old.tool_versions, **fresh.tool_versions},
        record=None,
    )


def location(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}" if finding.line else finding.path


def headline(message: str, limit: int = 100) -> str:
    """A finding's message cut to its first sentence, for one-line lists."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    end = first.find(". ")
    if end != -1:
        first = first[: end + 1]
    return first if len(first) <= limit else first[: limit - 1] + "…"
