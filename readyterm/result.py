"""What a run produced: per-step outcomes and the verdict. Reports are pure functions of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from readyterm.errors import ExitCode
from readyterm.findings import SEVERITY_RANK, Finding
from readyterm.steps import STEPS_BY_ID

Status = Literal["pass", "fail", "error", "skipped"]
Verdict = Literal["ready", "not-ready", "error"]
RESULT_SCHEMA = "readyterm.result/1"


@dataclass
class StepResult:
    id: str
    status: Status
    summary: str
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    #: Structured facts for the record (the staging run's image, timings and probes).
    details: dict[str, Any] | None = None

    @property
    def title(self) -> str:
        return STEPS_BY_ID[self.id].title

    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived]

    def counts(self) -> dict[str, int]:
        counts = {"blocker": 0, "warning": 0, "info": 0}
        for finding in self.open_findings():
            counts[finding.severity] += 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "summary": self.summary,
            "findings": [f.as_dict() for f in self.findings],
            **({"details": self.details} if self.details is not None else {}),
        }


@dataclass
class ScopeSummary:
    mode: Literal["diff", "all"]
    base: str | None
    head: str | None
    files: list[str]
    base_ref: str | None = None
    branch: str | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    digest: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "base": self.base,
            "head": self.head,
            "files": self.files,
            "base_ref": self.base_ref,
            "branch": self.branch,
            "skipped": [{"path": p, "reason": r} for p, r in sorted(self.skipped.items())],
            "deleted": self.deleted,
            "digest": self.digest,
        }


@dataclass
class RunResult:
    scope: ScopeSummary
    steps: list[StepResult]
    strict: bool = False
    notices: list[str] = field(default_factory=list)
    waivers_applied: list[dict[str, Any]] = field(default_factory=list)
    attestations: list[dict[str, Any]] = field(default_factory=list)
    tool_versions: dict[str, str] = field(default_factory=dict)
    record: str | None = None

    @property
    def verdict(self) -> Verdict:
        if any(step.status == "error" for step in self.steps):
            return "error"
        if any(step.status == "fail" for step in self.steps):
            return "not-ready"
        return "ready"

    @property
    def exit_code(self) -> ExitCode:
        return {
            "ready": ExitCode.READY,
            "not-ready": ExitCode.NOT_READY,
            "error": ExitCode.CHECK_FAILED,
        }[self.verdict]

    def blocking(self) -> list[Finding]:
        floor = SEVERITY_RANK["warning" if self.strict else "blocker"]
        return [
            f
            for step in self.steps
            for f in step.open_findings()
            if SEVERITY_RANK[f.severity] >= floor
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": RESULT_SCHEMA,
            "verdict": self.verdict,
            "scope": self.scope.as_dict(),
            "steps": [step.as_dict() for step in self.steps],
            "notices": self.notices,
            "record": self.record,
        }
