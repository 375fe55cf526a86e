"""SARIF 2.1.0 for code scanning (GitHub and others): one run, the rules used, every finding.

Waived and inline-suppressed findings stay in as results with `suppressions`, so a code
scanning UI shows them as dismissed with the justification instead of losing them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from readyterm import __version__
from readyterm.engine.result import RunResult
from readyterm.foundation.findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"blocker": "error", "warning": "warning", "info": "note"}
_FINGERPRINT_KEY = "readyterm/v1"


def render_sarif(result: RunResult, color: bool = False) -> str:
    findings = [f for step in result.steps for f in step.findings]
    rules = _rules(findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "readyterm",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/readyterm/",
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"readyterm/{result.scope.mode}/"},
                "results": [_result(f, index[f.rule]) for f in findings],
                "invocations": [
                    {
                        "executionSuccessful": result.verdict != "error",
                        "toolExecutionNotifications": [
                            {"level": "error", "message": {"text": f"{s.id}: {s.summary}"}}
                            for s in result.steps
                            if s.status == "error"
                        ],
                    }
                ],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rules(findings: list[Finding]) -> list[dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        if finding.rule in rules:
            continue
        message = finding.message.strip() or finding.rule
        short = message.split(". ")[0].split("\n")[0][:200]
        rules[finding.rule] = {
            "id": finding.rule,
            "name": "".join(part.capitalize() for part in finding.rule.split("-")),
            "shortDescription": {"text": short},
            "fullDescription": {"text": finding.why or message},
            "help": {
                "text": finding.fix or message,
                "markdown": f"**Why it fails in production:** {finding.why or message}\n\n"
                f"**Fix:** {finding.fix or 'see the message'}",
            },
            "defaultConfiguration": {"level": _LEVEL[finding.severity]},
            # GitHub code scanning groups and filters alerts by these CWE tags.
            "properties": {
                "step": finding.step,
                "tags": ["readyterm", finding.step, *_cwe_tags(finding.cwe)],
            },
        }
    return sorted(rules.values(), key=lambda rule: rule["id"])


def _cwe_tags(cwe: tuple[str, ...]) -> list[str]:
    return [f"external/cwe/{item.lower()}" for item in cwe]


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    # A URI reference (RFC 3986): spaces, quotes and commas in a file name are %-encoded.
    location: dict[str, Any] = {"artifactLocation": {"uri": quote(finding.path)}}
    # Code scanning rejects a result without a region; a project-level finding (line 0)
    # points at the top of the file it names.
    location["region"] = {
        "startLine": max(finding.line, 1),
        "endLine": max(finding.end_line, finding.line, 1),
    }
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message or finding.rule},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {_FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"step": finding.step, "severity": finding.severity},
    }
    if finding.waiver is not None:
        waiver = finding.waiver
        justification = waiver.reason
        if waiver.owner:
            justification += f" (owner {waiver.owner}, expires {waiver.expires})"
        result["suppressions"] = [
            {
                "kind": "inSource" if waiver.kind == "inline" else "external",
                "status": "accepted",
                "justification": justification,
            }
        ]
    return result
