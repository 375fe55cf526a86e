"""The readable default: a verdict, one line per step, then what needs attention."""

from __future__ import annotations

from readyterm.engine.result import RunResult, StepResult
from readyterm.foundation.findings import Finding
from readyterm.reports.printable import printable

_ICON = {"pass": "✔", "fail": "✘", "error": "!", "skipped": "–"}
_COLOR = {"pass": "32", "fail": "31", "error": "33", "skipped": "2"}
_SEVERITY_COLOR = {"blocker": "31", "warning": "33", "info": "36"}
_VERDICT = {
    "ready": "READY to deploy",
    "not-ready": "NOT READY to deploy",
    "error": "UNKNOWN: a check could not run",
}
_MAX_FINDINGS_PER_STEP = 25


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render_text(result: RunResult, color: bool = False) -> str:
    scope = result.scope
    lines = []
    if scope.mode == "diff":
        base = f"{scope.base_ref} ({scope.base[:12]})" if scope.base else "(no commits)"
        lines.append(f"scope: the change since {base}: {len(scope.files)} file(s)")
    else:
        lines.append(f"scope: the whole repository (--all): {len(scope.files)} file(s)")
    lines += [f"note: {notice}" for notice in result.notices]
    lines.append("")
    for step in result.steps:
        lines.append(_step_line(step, color))
    for step in result.steps:
        lines += _step_details(step, color)
    lines.append("")
    verdict = result.verdict
    lines.append(
        _paint(
            _VERDICT[verdict], {"ready": "1;32", "not-ready": "1;31"}.get(verdict, "1;33"), color
        )
    )
    if result.record:
        lines.append(f"record written: {result.record}")
    return printable("\n".join(lines)) + "\n"


def _step_line(step: StepResult, color: bool) -> str:
    icon = _paint(f"{_ICON[step.status]} {step.status:<7}", _COLOR[step.status], color)
    summary = step.summary.splitlines()[0] if step.summary else ""
    return f"  {icon} {step.id:<17} {summary}"


def _step_details(step: StepResult, color: bool) -> list[str]:
    if step.status == "error":
        return [
            "",
            _paint(f"{step.id}: could not run", "1;33", color),
            *[f"  {line}" for line in step.summary.splitlines()],
        ]
    shown = [f for f in step.open_findings()]
    if not shown:
        return []
    lines = ["", _paint(f"{step.id}: {step.summary}", "1", color)]
    for finding in shown[:_MAX_FINDINGS_PER_STEP]:
        lines += _finding_lines(finding, color)
    if len(shown) > _MAX_FINDINGS_PER_STEP:
        lines.append(f"  … and {len(shown) - _MAX_FINDINGS_PER_STEP} more (see --format json)")
    return lines


def _finding_lines(finding: Finding, color: bool) -> list[str]:
    path = finding.path.replace("\n", "\\n").replace("\r", "\\r")  # one finding, one line
    where = f"{path}:{finding.line}" if finding.line else path
    severity = _paint(f"{finding.severity:<7}", _SEVERITY_COLOR[finding.severity], color)
    old = "" if finding.introduced else " (pre-existing)"
    lines = [
        f"  {severity} {where}  [{finding.rule}]{old}",
        f"          {finding.message.splitlines()[0] if finding.message else ''}",
    ]
    if finding.fix:
        lines.append(f"          fix: {finding.fix.splitlines()[0]}")
    return lines
