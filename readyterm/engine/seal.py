"""The readiness record's seal: what it attests, bound together, so an edit shows.

A record is evidence committed beside the code. `readyterm verify` must not trust a verdict
edited by hand, a finding deleted from it, or a waiver's expiry moved. The writer stores a
digest of each attested field (each step's status, summary and findings, each waiver, the
scope with its code digest, the verdict ...); verify recomputes them and names the fields
that disagree. It also recomputes the verdict from the steps and each step's status from its
findings, so a record edited consistently *and* re-sealed still cannot say "ready" over an
open blocker. (The seal is a checksum, not a signature: it catches edits, and the rest of
the record stays reviewable in the pull request like any other file.)
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

ALGORITHM = "sha256"
_DIGEST_CHARS = 16


def seal(record: dict[str, Any]) -> dict[str, Any]:
    return {"algorithm": ALGORITHM, "fields": _field_digests(record)}


def broken_fields(record: dict[str, Any]) -> list[str]:
    """The attested fields whose content no longer matches the seal, most precise first;
    ["seal"] when there is none (a record from before seals, or one with it removed)."""
    stored = record.get("seal")
    if not isinstance(stored, dict) or stored.get("algorithm") != ALGORITHM:
        return ["seal"]
    expected = stored.get("fields")
    if not isinstance(expected, dict):
        return ["seal"]
    actual = _field_digests(record)
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    # "steps" differs whenever "steps.tests.findings" does: name only the precise one.
    return [k for k in changed if not any(o != k and o.startswith(k + ".") for o in changed)]


def inconsistencies(record: dict[str, Any]) -> list[str]:
    """Where the verdict or a step's status disagrees with the findings the record holds."""
    problems = []
    strict = bool(record.get("strict"))
    floor = ("blocker", "warning") if strict else ("blocker",)
    statuses = []
    for step in record.get("steps", []):
        status = step.get("status")
        statuses.append(status)
        blocking = [f for f in step.get("findings", []) if f.get("severity") in floor]
        if status == "pass" and blocking:
            problems.append(
                f"steps.{step.get('id')}.status is pass with {len(blocking)} open "
                f"{'blocker or warning' if strict else 'blocker'}(s) in its findings"
            )
    expected = "error" if "error" in statuses else "not-ready" if "fail" in statuses else "ready"
    if problems:
        expected = "not-ready" if expected == "ready" else expected
    if record.get("verdict") != expected:
        problems.append(f"verdict is {record.get('verdict')}, but its steps make it {expected}")
    return problems


def _field_digests(record: dict[str, Any]) -> dict[str, str]:
    digests = {}
    for key, value in record.items():
        if key == "seal":
            continue
        digests[key] = _digest(value)
        if key == "steps" and isinstance(value, list):
            for step in value:
                if isinstance(step, dict):
                    for part in ("status", "summary", "findings"):
                        digests[f"steps.{step.get('id')}.{part}"] = _digest(step.get(part))
        elif key in ("waivers", "attestations") and isinstance(value, list):
            for index, item in enumerate(value):
                digests[f"{key}.{index}"] = _digest(item)
    return digests


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:_DIGEST_CHARS]
