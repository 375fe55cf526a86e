"""One finding model, its fingerprint and the redaction of matched secrets."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Severity = Literal["blocker", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("blocker", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "blocker": 2}
REDACTED = "«redacted»"
#: The rule ids of the staged container's probes (readyterm.backends.staging): what a
#: running service showed, which a re-run of a step without staging keeps.
STAGING_RULES = ("staging-", "hadolint-")

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Waiver:
    """Why a finding does not count: an inline suppression or a waivers.yaml entry."""

    kind: Literal["inline", "waiver"]
    reason: str
    owner: str | None = None
    expires: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    step: str
    severity: Severity
    path: str
    line: int
    end_line: int
    message: str
    #: The matched source lines (secrets already redacted); never line numbers in identity.
    code: str = ""
    why: str = ""
    fix: str = ""
    #: CWE ids ("CWE-89") of the weakness, from the rule's metadata or bandit's issue_cwe.
    cwe: tuple[str, ...] = ()
    fingerprint: str = ""
    waiver: Waiver | None = None
    #: False for debt that existed before the change (shown with --all-findings).
    introduced: bool = True

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cwe"] = list(self.cwe)  # the shape JSON gives back
        data["waived"] = self.waived
        if self.waiver is None:
            data.pop("waiver")
        return data


_CWE_NUMBER = re.compile(r"(?i)^\s*(?:CWE-)?(\d{1,5})\b")


def cwe_ids(values: object) -> tuple[str, ...]:
    """ "CWE-89: Improper ..." / "CWE-89" / 89, or a list of them, as ("CWE-89",)."""
    items = values if isinstance(values, list | tuple) else [values]
    ids = []
    for value in items:
        match = _CWE_NUMBER.match(str(value)) if isinstance(value, str | int) else None
        if match and f"CWE-{int(match.group(1))}" not in ids:
            ids.append(f"CWE-{int(match.group(1))}")
    return tuple(ids)


def normalize_code(code: str) -> str:
    return _WHITESPACE.sub(" ", code).strip()


def fingerprint(rule: str, path: str, code: str, occurrence: int) -> str:
    """Stable across line moves: rule, path and whitespace-normalised code, not line numbers.

    `occurrence` tells apart identical lines in one file (the n-th copy keeps its id as
    long as the copies keep their order).
    """
    material = "\0".join((rule, path, normalize_code(code), str(occurrence)))
    return hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def with_fingerprints(findings: Iterable[Finding]) -> list[Finding]:
    """Assign fingerprints; identical (rule, path, code) triples are numbered in line order."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for item in sorted(findings, key=lambda f: (f.path, f.line, f.rule)):
        key = (item.rule, item.path, normalize_code(item.code))
        occurrence = seen[key]
        seen[key] += 1
        result.append(replace(item, fingerprint=fingerprint(*key, occurrence)))
    return result


_QUOTED = re.compile(r"""(?P<q>['"])(?P<body>[^'"\n]{4,})(?P=q)""")


_MIN_SECRET = 4


def secret_values(matched: str) -> list[str]:
    """The parts of a matched region to hide: its string literals, else the whole match."""
    literals = [m.group("body") for m in _QUOTED.finditer(matched)]
    if literals:
        return literals
    return [matched.strip()] if len(matched.strip()) >= _MIN_SECRET else []


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace each secret value with a marker, longest first so overlaps are covered."""
    for value in sorted(set(secrets), key=len, reverse=True):
        if value:
            text = text.replace(value, REDACTED)
    return text


def recover_secrets(redacted: str, original: str) -> list[str]:
    """The values a redaction hid, found by aligning the redacted text with its original.

    A finding of another rule can cover the same line as a secret (a call without a timeout
    whose headers carry a key); this lets its code be redacted too.
    """
    parts = redacted.split(REDACTED)
    if len(parts) < 2:
        return []
    pattern = "(.+?)".join(re.escape(part) for part in parts)
    match = re.fullmatch(pattern, original, re.DOTALL)
    if match is None:
        return []
    return [value for value in match.groups() if len(value.strip()) >= _MIN_SECRET]


def read_lines(text: str, start: int, end: int) -> str:
    lines = text.splitlines()
    return "\n".join(lines[max(start - 1, 0) : max(end, start)])
