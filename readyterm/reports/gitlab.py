"""GitLab Code Quality report (JSON): findings shown on merge requests."""

from __future__ import annotations

import json

from readyterm.engine.result import RunResult

_SEVERITY = {"blocker": "blocker", "warning": "major", "info": "info"}


def render_gitlab(result: RunResult, color: bool = False) -> str:
    issues = [
        {
            "type": "issue",
            "check_name": finding.rule,
            "description": finding.message.splitlines()[0] if finding.message else finding.rule,
            "content": {"body": "\n\n".join(p for p in (finding.why, finding.fix) if p)},
            "categories": ["Bug Risk"],
            "severity": _SEVERITY[finding.severity],
            "fingerprint": finding.fingerprint,
            "location": {"path": finding.path, "lines": {"begin": max(finding.line, 1)}},
        }
        for step in result.steps
        for finding in step.open_findings()
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
