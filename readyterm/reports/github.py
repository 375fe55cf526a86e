"""GitHub Actions: workflow-command annotations, and a Markdown job summary."""

from __future__ import annotations

from readyterm.engine.result import RunResult

_COMMAND = {"blocker": "error", "warning": "warning", "info": "notice"}
_ICON = {"pass": "✅", "fail": "❌", "error": "⚠️", "skipped": "⏭️"}
_VERDICT = {
    "ready": "✅ Ready to deploy",
    "not-ready": "❌ Not ready to deploy",
    "error": "⚠️ Unknown: a check could not run",
}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: RunResult, color: bool = False) -> str:
    """`::error file=…,line=…,title=…::message` lines, one per unresolved finding."""
    lines = []
    for step in result.steps:
        if step.status == "error":
            lines.append(
                f"::error title={_property('readyterm ' + step.id)}::{_data(step.summary)}"
            )
        for finding in step.open_findings():
            props = [f"file={_property(finding.path)}"]
            if finding.line >= 1:
                props += [f"line={finding.line}", f"endLine={max(finding.end_line, finding.line)}"]
            props.append(f"title={_property(f'{finding.step}: {finding.rule}')}")
            message = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
            lines.append(f"::{_COMMAND[finding.severity]} {','.join(props)}::{_data(message)}")
    lines.append(f"readyterm: {_VERDICT[result.verdict]}")
    return "\n".join(lines) + "\n"


def render_github_summary(result: RunResult) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: verdict, a table of steps, what blocks."""
    out = [f"## readyterm: {_VERDICT[result.verdict]}", ""]
    scope = result.scope
    covered = (
        f"the change since `{scope.base_ref}`" if scope.mode == "diff" else "the whole repository"
    )
    out.append(f"Scope: {covered}, {len(scope.files)} file(s).\n")
    out += ["| step | status | summary |", "|---|---|---|"]
    for step in result.steps:
        summary = step.summary.splitlines()[0] if step.summary else ""
        out.append(
            f"| `{step.id}` | {_ICON[step.status]} {step.status} | {summary.replace('|', '/')} |"
        )
    blocking = result.blocking()
    if blocking:
        out += ["", "### What blocks", ""]
        for finding in blocking[:50]:
            where = f"{finding.path}:{finding.line}" if finding.line else finding.path
            headline = finding.message.splitlines()[0] if finding.message else ""
            out.append(f"- **{finding.rule}** `{where}` — {headline}")
        if len(blocking) > 50:
            out.append(f"- … and {len(blocking) - 50} more")
    return "\n".join(out) + "\n"
