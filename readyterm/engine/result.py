"""What a run produced: per-step outcomes and the verdict. Reports are pure functions of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

from readyterm.foundation.errors import ExitCode
from readyterm.foundation.findings import SEVERITIES, SEVERITY_RANK, Finding, Waiver, cwe_ids
from readyterm.foundation.steps import STEP_IDS, STEPS_BY_ID

Status = Literal["pass", "fail", "error", "skipped"]
Verdict = Literal["ready", "not-ready", "error"]
RESULT_SCHEMA = "readyterm.result/1"
_SCHEMA_PREFIX = "readyterm.result/"
_STATUSES = ("pass", "fail", "error", "skipped")


class ResultFormatError(ValueError):
    """A document that is not a readable `readyterm.result/1`; the message says what and where."""


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

    @classmethod
    def from_dict(cls, data: object, where: str = "step") -> StepResult:
        """The inverse of `as_dict` (`title` is derived from the id; timing is not kept)."""
        step = _object(data, where)
        step_id = _field(step, "id", str, where)
        if step_id not in STEPS_BY_ID:
            raise ResultFormatError(f"{where}: unknown step id {step_id!r}")
        status = _field(step, "status", str, where)
        if status not in _STATUSES:
            raise ResultFormatError(f"{where}.status: unknown status {status!r}")
        details = step.get("details")
        if details is not None and not isinstance(details, dict):
            raise ResultFormatError(f"{where}.details: expected an object")
        findings = _field(step, "findings", list, where)
        return cls(
            id=step_id,
            status=cast(Status, status),
            summary=_field(step, "summary", str, where),
            findings=[
                finding_from_dict(item, f"{where}.findings[{i}]") for i, item in enumerate(findings)
            ],
            details=details,
        )


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

    @classmethod
    def from_dict(cls, data: object, where: str = "scope") -> ScopeSummary:
        scope = _object(data, where)
        mode = _field(scope, "mode", str, where)
        if mode not in ("diff", "all"):
            raise ResultFormatError(f"{where}.mode: expected diff or all, got {mode!r}")
        skipped: dict[str, str] = {}
        for i, item in enumerate(_field(scope, "skipped", list, where, default=[])):
            entry = _object(item, f"{where}.skipped[{i}]")
            path = _field(entry, "path", str, f"{where}.skipped[{i}]")
            skipped[path] = _field(entry, "reason", str, f"{where}.skipped[{i}]")
        return cls(
            mode=cast(Literal["diff", "all"], mode),
            base=_field(scope, "base", (str, type(None)), where),
            head=_field(scope, "head", (str, type(None)), where),
            files=_strings(_field(scope, "files", list, where), f"{where}.files"),
            base_ref=_field(scope, "base_ref", (str, type(None)), where, default=None),
            branch=_field(scope, "branch", (str, type(None)), where, default=None),
            skipped=skipped,
            deleted=_strings(_field(scope, "deleted", list, where, default=[]), f"{where}.deleted"),
            digest=_field(scope, "digest", str, where, default=""),
        )


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
            **({"strict": True} if self.strict else {}),
        }

    @classmethod
    def from_dict(cls, data: object) -> RunResult:
        """The inverse of `as_dict`: a result read back from `--format json`.

        `verdict` is recomputed from the steps, never trusted. What the JSON does not carry
        (step timing, tool versions, waivers and attestations of the run) stays empty.
        """
        document = _object(data, "the document")
        check_schema(document)
        raw_steps = _field(document, "steps", list, "the document")
        steps = [StepResult.from_dict(item, f"steps[{i}]") for i, item in enumerate(raw_steps)]
        ids = [step.id for step in steps]
        if sorted(ids) != sorted(STEP_IDS):
            missing = [s for s in STEP_IDS if s not in ids]
            twice = sorted({s for s in ids if ids.count(s) > 1})
            raise ResultFormatError(
                "steps: "
                + (f"step {twice[0]!r} listed twice" if twice else f"no step {missing[0]!r}")
                + f" (a result lists each of the {len(STEP_IDS)} steps once)"
            )
        by_id = {step.id: step for step in steps}
        return cls(
            scope=ScopeSummary.from_dict(_field(document, "scope", dict, "the document")),
            steps=[by_id[step_id] for step_id in STEP_IDS],
            strict=_field(document, "strict", bool, "the document", default=False),
            notices=_strings(
                _field(document, "notices", list, "the document", default=[]), "notices"
            ),
            record=_field(document, "record", (str, type(None)), "the document", default=None),
        )


def check_schema(document: dict[str, Any]) -> None:
    """Is this a result this version can read? Names what it is otherwise."""
    schema = document.get("schema")
    if not isinstance(schema, str) or not schema.startswith(_SCHEMA_PREFIX):
        found = 'no "schema"' if schema is None else f"schema {schema!r}"
        raise ResultFormatError(
            f"not a readyterm result ({found}; expected {RESULT_SCHEMA!r}, "
            "the output of `readyterm --ci --format json`)"
        )
    if schema != RESULT_SCHEMA:
        version = schema.removeprefix(_SCHEMA_PREFIX)
        newer = version.isdigit() and int(version) > int(RESULT_SCHEMA.rsplit("/", 1)[1])
        raise ResultFormatError(
            f"written by a newer readyterm (schema {schema!r}; this version reads "
            f"{RESULT_SCHEMA!r}): upgrade readyterm"
            if newer
            else f"unknown result schema {schema!r} (this version reads {RESULT_SCHEMA!r})"
        )


def finding_from_dict(data: object, where: str = "finding") -> Finding:
    """The inverse of `Finding.as_dict` (`waived` is derived from `waiver`)."""
    item = _object(data, where)
    severity = _field(item, "severity", str, where)
    if severity not in SEVERITIES:
        raise ResultFormatError(f"{where}.severity: unknown severity {severity!r}")
    waiver: Waiver | None = None
    if item.get("waiver") is not None:
        entry = _object(item["waiver"], f"{where}.waiver")
        kind = _field(entry, "kind", str, f"{where}.waiver")
        if kind not in ("inline", "waiver"):
            raise ResultFormatError(f"{where}.waiver.kind: expected inline or waiver")
        waiver = Waiver(
            kind=cast(Literal["inline", "waiver"], kind),
            reason=_field(entry, "reason", str, f"{where}.waiver"),
            owner=_field(entry, "owner", (str, type(None)), f"{where}.waiver", default=None),
            expires=_field(entry, "expires", (str, type(None)), f"{where}.waiver", default=None),
        )
    if _field(item, "waived", bool, where, default=waiver is not None) != (waiver is not None):
        raise ResultFormatError(f'{where}: "waived" disagrees with "waiver"')
    return Finding(
        rule=_field(item, "rule", str, where),
        step=_field(item, "step", str, where),
        severity=severity,
        path=_field(item, "path", str, where),
        line=_field(item, "line", int, where),
        end_line=_field(item, "end_line", int, where),
        message=_field(item, "message", str, where),
        code=_field(item, "code", str, where, default=""),
        why=_field(item, "why", str, where, default=""),
        fix=_field(item, "fix", str, where, default=""),
        cwe=_cwe_field(item, where),
        fingerprint=_field(item, "fingerprint", str, where, default=""),
        waiver=waiver,
        introduced=_field(item, "introduced", bool, where, default=True),
    )


_MISSING = object()


def _cwe_field(item: dict[str, Any], where: str) -> tuple[str, ...]:
    values = _field(item, "cwe", list, where, default=[])
    if not all(isinstance(v, str) for v in values) or cwe_ids(values) != tuple(values):
        raise ResultFormatError(f'{where}.cwe: expected a list of ids like "CWE-89"')
    return tuple(values)


def _object(data: object, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ResultFormatError(f"{where}: expected an object, got {_kind(data)}")
    return data


def _field(
    data: dict[str, Any],
    key: str,
    kind: type | tuple[type, ...],
    where: str,
    default: Any = _MISSING,
) -> Any:
    if key not in data:
        if default is _MISSING:
            raise ResultFormatError(f"{where}: no {key!r}")
        return default
    value = data[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int to Python, never to a result document.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
        raise ResultFormatError(f"{where}.{key}: expected {names}, got {_kind(value)}")
    return value


def _strings(values: list[Any], where: str) -> list[str]:
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise ResultFormatError(f"{where}[{i}]: expected str, got {_kind(value)}")
    return values


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def waivers_applied(steps: list[StepResult]) -> list[dict[str, Any]]:
    """The waivers.yaml entries behind the waived findings, one per owner, reason and expiry."""
    applied: dict[str, dict[str, Any]] = {}
    for step in steps:
        for finding in step.findings:
            waiver = finding.waiver
            if waiver is None or waiver.kind != "waiver":
                continue
            key = f"{waiver.owner}|{waiver.reason}|{waiver.expires}"
            entry = applied.setdefault(
                key,
                {
                    "reason": waiver.reason,
                    "owner": waiver.owner,
                    "expires": waiver.expires,
                    "fingerprints": [],
                },
            )
            entry["fingerprints"].append(finding.fingerprint)
    return sorted(applied.values(), key=lambda w: (str(w["owner"]), str(w["reason"])))
