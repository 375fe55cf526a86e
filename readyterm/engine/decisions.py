"""The developer's decisions: inline suppressions, waivers (accepted risks), attestations."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from readyterm.foundation import userfiles
from readyterm.foundation.atomic import write_text_atomic
from readyterm.foundation.errors import RecordError
from readyterm.foundation.findings import Finding, Waiver
from readyterm.foundation.findings import fingerprint as make_fingerprint
from readyterm.foundation.paths import ATTESTATIONS_FILE, WAIVERS_FILE, in_repository
from readyterm.foundation.steps import STEP_IDS

MAX_WAIVER_DAYS = 90
DEFAULT_WAIVER_DAYS = 30
IGNORE_WITHOUT_REASON = "ignore-without-reason"

_INLINE = re.compile(
    r"(?:#|//)\s*readyterm:\s*ignore\[(?P<rules>[^\]]*)\](?:\s*--\s*(?P<reason>.*?))?\s*(?:\*/|-->)?\s*$"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WaiverEntry(_Strict):
    rule: str | None = None
    path: str | None = None
    fingerprint: str | None = None
    reason: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    expires: dt.date

    @field_validator("reason", "owner")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @model_validator(mode="after")
    def _names_a_target(self) -> WaiverEntry:
        if not any(value and value.strip() for value in (self.rule, self.path, self.fingerprint)):
            raise ValueError("a waiver needs a rule, a path or a fingerprint")
        return self

    def matches(self, finding: Finding) -> bool:
        if self.rule is None and self.path is None and self.fingerprint is None:
            return False
        return (
            (self.rule is None or self.rule == finding.rule)
            and (self.path is None or path_matches(finding.path, self.path))
            and (self.fingerprint is None or self.fingerprint == finding.fingerprint)
        )

    def expired(self, today: dt.date) -> bool:
        return self.expires < today

    def describe(self) -> str:
        target = ", ".join(
            f"{key} {value}"
            for key, value in (
                ("rule", self.rule),
                ("path", self.path),
                ("fingerprint", self.fingerprint),
            )
            if value
        )
        return f"{target} (owner {self.owner}, expires {self.expires.isoformat()})"


def path_matches(path: str, pattern: str) -> bool:
    """Glob match on repo-relative paths: `*` and `?` stay within one folder, `**` spans any.

    A waiver is no broader than written: `app/*.py` does not cover `app/sub/x.py`.
    """
    return _glob_regex(pattern.strip().removeprefix("./").lstrip("/")).fullmatch(path) is not None


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        elif pattern[index] == "[" and "]" in pattern[index + 2 :]:
            end = pattern.index("]", index + 2)
            body = pattern[index + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace("\\-", "-")
            out.append(f"[{'^' if negate else ''}{body}]")
            index = end + 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out))


class WaiversFile(_Strict):
    waivers: list[WaiverEntry] = Field(default_factory=list)


class Attestation(_Strict):
    step: str
    question: str
    answer: str = Field(min_length=1)
    author: str = Field(min_length=1)
    at: str

    @field_validator("step")
    @classmethod
    def _known_step(cls, value: str) -> str:
        if value not in STEP_IDS:
            raise ValueError(f"unknown step id {value!r}")
        return value


class AttestationsFile(_Strict):
    attestations: list[Attestation] = Field(default_factory=list)


def _load(root: Path, name: str, model: type[BaseModel]) -> Any:
    path = root / name
    if not userfiles.exists(path):
        return model()
    try:
        text = userfiles.read_text(path)
        userfiles.check_aliases(text)
        data = yaml.safe_load(text) or {}
        return model.model_validate(data)
    except yaml.YAMLError as exc:
        raise RecordError(f"{name}: not valid YAML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: "
            f"{'unknown key' if err['type'] == 'extra_forbidden' else err['msg']}"
            for err in exc.errors()
        )
        raise RecordError(f"{name}: {problems}", hint="fix or remove the entry") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{name}: cannot be read: {exc}") from None


def load_waivers(root: Path) -> list[WaiverEntry]:
    waivers: list[WaiverEntry] = _load(root, WAIVERS_FILE, WaiversFile).waivers
    return waivers


def load_attestations(root: Path) -> list[Attestation]:
    """The newest answer per (step, question)."""
    entries: list[Attestation] = _load(root, ATTESTATIONS_FILE, AttestationsFile).attestations
    newest: dict[tuple[str, str], Attestation] = {}
    for entry in entries:
        newest[(entry.step, entry.question)] = entry
    return sorted(newest.values(), key=lambda a: (STEP_IDS.index(a.step), a.question))


def add_waiver(root: Path, entry: WaiverEntry) -> None:
    current = WaiversFile(waivers=load_waivers(root))
    current.waivers.append(entry)
    _save(root, WAIVERS_FILE, current)


def add_attestation(root: Path, entry: Attestation) -> None:
    current: AttestationsFile = _load(root, ATTESTATIONS_FILE, AttestationsFile)
    current.attestations.append(entry)
    _save(root, ATTESTATIONS_FILE, current)


def _save(root: Path, name: str, model: BaseModel) -> None:
    data = model.model_dump(mode="json", exclude_none=True)
    try:
        path = in_repository(root, name)
        write_text_atomic(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    except OSError as exc:
        raise RecordError(f"cannot write {name}: {exc.strerror or exc}") from None


def apply_inline(findings: list[Finding], texts: dict[str, list[str]]) -> list[Finding]:
    """Honour `readyterm: ignore[RULE] -- reason` on the finding's line, or on a comment line
    right above it (a trailing comment on the code line above belongs to that line).

    A suppression without a reason does not suppress; it adds a finding of its own.
    """
    result: list[Finding] = []
    for finding in findings:
        lines = texts.get(finding.path, [])
        for number in (finding.line, finding.line - 1):
            if not 1 <= number <= len(lines):
                continue
            text = lines[number - 1]
            if number != finding.line and not text.lstrip().startswith(("#", "//")):
                continue
            match = _INLINE.search(text)
            if match is None:
                continue
            rules = {rule.strip() for rule in match.group("rules").split(",")}
            if finding.rule not in rules:
                continue
            reason = (match.group("reason") or "").strip()
            if reason:
                finding = replace(finding, waiver=Waiver("inline", reason))
            else:
                result.append(_ignore_without_reason(finding, number, text))
            break
        result.append(finding)
    return result


def _ignore_without_reason(finding: Finding, number: int, text: str) -> Finding:
    # On the finding's own line, show its code: a secret in it is already redacted there.
    own = finding.code.splitlines()[:1] if number == finding.line else []
    code = own[0].strip() if own else text.strip()
    return replace(
        finding,
        rule=IGNORE_WITHOUT_REASON,
        severity="warning",
        line=number,
        end_line=number,
        message=f"`readyterm: ignore[{finding.rule}]` gives no reason, so it "
        "does not apply; add `-- why this is safe in production`",
        why="An unexplained suppression hides a risk from the reviewer.",
        fix="Fix the finding, or give the reason after `--`.",
        code=code,
        # One per suppressed finding: its own fingerprint names the finding it is about.
        fingerprint=make_fingerprint(
            IGNORE_WITHOUT_REASON, finding.path, f"{finding.fingerprint}\0{code}", 0
        ),
        waiver=None,
    )


def apply_waivers(
    findings: list[Finding], waivers: list[WaiverEntry], today: dt.date
) -> tuple[list[Finding], list[WaiverEntry], list[str]]:
    """Returns the findings, the waivers that applied, and notices about expired ones."""
    active = [w for w in waivers if not w.expired(today)]
    notices = [
        f"waiver for {w.describe()} expired and no longer applies"
        for w in waivers
        if w.expired(today)
    ]
    used: dict[int, WaiverEntry] = {}
    result = []
    for finding in findings:
        if not finding.waived:
            for waiver in active:
                if waiver.matches(finding):
                    used[id(waiver)] = waiver
                    finding = replace(
                        finding,
                        waiver=Waiver(
                            "waiver", waiver.reason, waiver.owner, waiver.expires.isoformat()
                        ),
                    )
                    break
        result.append(finding)
    return result, list(used.values()), notices
