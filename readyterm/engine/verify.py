"""`readyterm verify`: does a committed record cover the code as it is now?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from readyterm.engine.record import StoredRecord, load_records
from readyterm.engine.scope import Scope, resolve_scope
from readyterm.engine.seal import broken_fields, inconsistencies
from readyterm.engine.test_figures import figures_line
from readyterm.foundation.config import Config
from readyterm.foundation.errors import ExitCode, ScopeError
from readyterm.foundation.paths import RECORDS_DIR

Outcome = Literal["fresh", "stale", "expired", "not-ready", "tampered", "missing"]


@dataclass
class Verification:
    outcome: Outcome
    message: str
    record: str | None = None
    details: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        if self.outcome == "fresh":
            return ExitCode.READY
        if self.outcome == "missing":
            return ExitCode.USAGE
        return ExitCode.NOT_READY

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "readyterm.verify/1",
            "outcome": self.outcome,
            "message": self.message,
            "record": self.record,
            "details": self.details,
        }


def verify(path: Path, config: Config, today: dt.date | None = None) -> Verification:
    today = today or dt.datetime.now(dt.UTC).date()
    root = resolve_scope(path, config, whole=True).root
    records = load_records(root)
    if not records:
        return Verification(
            "missing",
            f"no readiness record in {RECORDS_DIR}/",
            details=[
                "run `readyterm --ci --write-record` (or `w` in the walkthrough) and commit it"
            ],
        )
    uncompared: list[str] = []
    compared = 0
    # Records pile up, mostly for a few bases: work out each scope and its digest once.
    digests: dict[tuple[str, str | None, bool], str | ScopeError | None] = {}
    for stored in records:
        data = stored.data
        key = (data["scope"]["mode"], data.get("base"), data.get("head") is None)
        if key not in digests:
            scope = _current_scope(path, config, stored)
            digests[key] = scope.digest() if isinstance(scope, Scope) else scope
        current = digests[key]
        if isinstance(current, ScopeError):
            hint = f"; {current.hint}" if current.hint else ""
            uncompared.append(
                f"{_relative(root, stored)} could not be compared: {current.message}{hint}"
            )
            continue
        if current is None:
            continue
        compared += 1
        if current == data["scope"]["digest"]:
            return _judge(root, stored, today)
    newest = records[0]
    if uncompared and not compared:
        # e.g. a shallow CI clone without the records' base commit: say how to fetch it
        return Verification(
            "stale",
            "no readiness record could be compared with the code as it is now",
            record=_relative(root, newest),
            details=uncompared,
        )
    return Verification(
        "stale",
        "no readiness record matches the code as it is now",
        record=_relative(root, newest),
        details=[
            f"newest record {_relative(root, newest)} was made for head "
            f"{(newest.data.get('head') or 'none')[:12]}; the files in scope changed since",
            *uncompared,
            "re-run `readyterm --ci --write-record` and commit the new record",
        ],
    )


def _current_scope(path: Path, config: Config, stored: StoredRecord) -> Scope | ScopeError | None:
    data = stored.data
    try:
        if data["scope"]["mode"] == "all" or data.get("base") is None:
            if data["scope"]["mode"] == "diff" and data.get("head") is not None:
                return None
            return resolve_scope(path, config, whole=data["scope"]["mode"] == "all")
        return resolve_scope(path, config, base=data["base"])
    except ScopeError as exc:
        return exc  # e.g. the record's base commit is not in this clone


def _judge(root: Path, stored: StoredRecord, today: dt.date) -> Verification:
    name = _relative(root, stored)
    data = stored.data
    edited = broken_fields(data)
    if edited:
        return Verification(
            "tampered",
            f"{name} was edited after readyterm wrote it: "
            + (
                "it has no seal (written before records were sealed, or the seal was removed)"
                if edited == ["seal"]
                else f"{', '.join(edited)} no longer match(es) its seal"
            ),
            record=name,
            details=[
                "a record is evidence: re-run `readyterm --ci --write-record` and commit the "
                "new record instead of editing one",
            ],
        )
    inconsistent = inconsistencies(data)
    if inconsistent:
        return Verification(
            "tampered",
            f"{name} contradicts itself: {'; '.join(inconsistent)}",
            record=name,
            details=["re-run `readyterm --ci --write-record` and commit the new record"],
        )
    expired = [w for w in data["waivers"] if dt.date.fromisoformat(w["expires"]) < today]
    if expired:
        return Verification(
            "expired",
            f"{name} matches the code, but {len(expired)} waiver(s) in it expired",
            record=name,
            details=[f"{w['owner']}: {w['reason']} (expired {w['expires']})" for w in expired],
        )
    figures = figures_line(data.get("tests"))
    tested = [f"tests: {figures}"] if figures else []
    if data["verdict"] != "ready":
        blockers = [
            f"{step['id']}: {step['summary']}"
            for step in data["steps"]
            if step["status"] in ("fail", "error")
        ]
        return Verification(
            "not-ready",
            f"{name} matches the code, but its verdict is {data['verdict']}",
            record=name,
            details=blockers
            if any(b.startswith("tests:") for b in blockers)
            else blockers + tested,
        )
    return Verification(
        "fresh", f"{name} covers the code as it is now and is ready", record=name, details=tested
    )


def _relative(root: Path, stored: StoredRecord) -> str:
    try:
        return stored.path.relative_to(root).as_posix()
    except ValueError:
        return str(stored.path)
