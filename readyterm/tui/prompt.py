"""The production-context fix prompt: what an AI assistant was not told when it wrote the code."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from readyterm.engine.result import StepResult
from readyterm.foundation.findings import REDACTED, Finding
from readyterm.foundation.steps import STEPS_BY_ID
from readyterm.tui.state import location

PRODUCTION_CONTEXT = (
    "This code runs in production, not on a laptop: hundreds of concurrent users, "
    "dependencies that are slow, rate-limited or down, hostile input, data in the millions "
    "of rows, configuration and secrets that come from the environment, and nobody "
    "watching a terminal when it fails."
)
_CONTEXT_LINES = 3


def code_context(
    root: Path, finding: Finding, around: int = _CONTEXT_LINES, secrets: Iterable[Finding] = ()
) -> tuple[str, int]:
    """The lines around the finding and the number of the first one (the matched code if the
    file cannot be read). Lines where a rule matched a secret show the core's redaction."""
    if finding.line <= 0:
        return finding.code, 1
    try:
        lines = (root / finding.path).read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return finding.code, finding.line
    first = max(finding.line - around, 1)
    last = min(max(finding.end_line, finding.line) + around, len(lines))
    if first > len(lines):
        return finding.code, finding.line
    excerpt = lines[first - 1 : last]
    for secret in [finding, *secrets]:
        if REDACTED not in secret.code or secret.path != finding.path:
            continue
        for offset, text in enumerate(secret.code.splitlines()):
            index = secret.line - first + offset
            if 0 <= index < len(excerpt):
                line = excerpt[index]
                excerpt[index] = line[: len(line) - len(line.lstrip())] + text.strip()
    return "\n".join(excerpt), first


def finding_prompt(root: Path, finding: Finding, secrets: Iterable[Finding] = ()) -> str:
    step = STEPS_BY_ID[finding.step]
    code, first = code_context(root, finding, secrets=secrets)
    parts = [
        PRODUCTION_CONTEXT,
        "",
        f"A pre-deployment check ({step.title}: {step.question}) found this in "
        f"`{location(finding)}` (rule `{finding.rule}`, {finding.severity}):",
        "",
        finding.message,
    ]
    if code:
        parts += ["", f"```{_language(finding.path)}", code, "```"]
        parts.append(f"(the excerpt starts at line {first})")
    if finding.why:
        parts += ["", f"Why it fails in production: {finding.why}"]
    if finding.fix:
        parts += ["", f"The expected fix: {finding.fix}"]
    parts += [
        "",
        "Change the code so it holds up in production. Keep the change small, keep the "
        "behaviour for valid input, and add a test that would have caught this (a failing "
        "dependency, a timeout, bad input or concurrency, whichever applies).",
    ]
    return "\n".join(parts) + "\n"


def step_prompt(root: Path, step: StepResult, secrets: Iterable[Finding] = ()) -> str:
    meta = STEPS_BY_ID[step.id]
    findings = step.open_findings()
    parts = [
        PRODUCTION_CONTEXT,
        "",
        f"A pre-deployment check asked: {meta.question} ({meta.title}, checked by "
        f"{meta.checked_by}). Outcome: {step.status}, {step.summary}.",
    ]
    for number, finding in enumerate(findings, 1):
        code, _first = code_context(root, finding, around=0, secrets=secrets)
        parts += ["", f"{number}. `{location(finding)}` [{finding.rule}, {finding.severity}]"]
        parts.append(f"   {finding.message}")
        if code:
            parts += [f"   code: {line}" for line in code.splitlines()]
        if finding.fix:
            parts.append(f"   expected fix: {finding.fix}")
    parts += [
        "",
        "Fix each of these so the code holds up in production; keep each change small and "
        "add a test per fix that makes the failure happen.",
    ]
    return "\n".join(parts) + "\n"


def _language(path: str) -> str:
    return {".py": "python", ".js": "javascript", ".ts": "typescript", ".go": "go"}.get(
        Path(path).suffix, ""
    )
