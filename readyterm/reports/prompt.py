"""Fix prompts for an AI coding assistant: the production context it was never told about.

The one prompt builder: `--format prompt` and the walkthrough's `p` both use it (the
walkthrough adds the code around the finding). Findings carry code that was redacted when
they were made, so no secret reaches the prompt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from readyterm.engine.result import RunResult, StepResult
from readyterm.foundation.findings import Finding
from readyterm.foundation.steps import STEPS_BY_ID

PRODUCTION_CONTEXT = """\
This code runs in production, not on a laptop:
- hundreds of users hit it concurrently; any shared state is raced;
- every external service (HTTP APIs, databases, caches, queues) is sometimes slow,
  rate-limited or down; calls need timeouts, bounded retries with backoff, and a failure path;
- every input is hostile until validated (injection, path traversal, huge payloads);
- tables hold millions of rows; unbounded queries and per-row queries time out;
- configuration comes only from the environment; there is no localhost, no home folder,
  no debug mode; secrets are never in code;
- when it fails, the logs and metrics are all anyone has to debug it."""


def render_prompt(result: RunResult, color: bool = False) -> str:
    failing = [s for s in result.steps if s.status in ("fail", "error") or s.open_findings()]
    if not failing:
        return "readyterm found nothing to fix: every step passed.\n"
    return "\n\n---\n\n".join(step_prompt(step) for step in failing) + "\n"


def step_prompt(
    step: StepResult,
    findings: Sequence[Finding] | None = None,
    excerpt: Callable[[Finding], str] | None = None,
) -> str:
    """The prompt for a step's open findings (or only `findings`); `excerpt` gives the code
    shown for a finding instead of the lines it matched."""
    info = STEPS_BY_ID[step.id]
    parts = [
        f"# Fix: {info.title} — {info.question}",
        "",
        PRODUCTION_CONTEXT,
        "",
    ]
    if step.status == "error":
        parts += ["The check for this step could not run:", "", step.summary, ""]
    findings = step.open_findings() if findings is None else findings
    if findings:
        parts += ["readyterm found these problems:", ""]
        parts += [finding_prompt(f, excerpt(f) if excerpt else None) for f in findings]
    if any(f.rule in _UNTESTED_RULES for f in findings):
        parts += _adversarial_tests(step.details or {})
    else:
        parts += [
            "Fix each problem at its cause, keeping behaviour the same otherwise. Then write "
            "tests that try to break the fix — a dependency that times out or fails, "
            "malformed and hostile input, concurrent callers — not only the happy path.",
        ]
    return "\n".join(parts)


#: The tests step's findings about code no test ran: the fix is a test, not a code change.
_UNTESTED_RULES = frozenset({"tests-failure-path-untested", "tests-uncovered-change"})


def _adversarial_tests(details: dict[str, Any]) -> list[str]:
    """Ask for tests that take exactly the untested paths, the way the project tests."""
    framework = details.get("framework") or {}
    used = [*details.get("sources", [])]
    if framework.get("js_runner"):
        used.append(f"JS tests with {framework['js_runner']}")
    lines = [
        "Write adversarial tests that run exactly the lines and failure paths above; do not "
        "change the code under test unless a test shows it is wrong. For each path, make it "
        "happen the way production does:",
        "- the external call it guards fails: raise the exception the `except` catches from "
        "a mock or fake, answer with 4xx/5xx and 429 statuses, time out, drop the connection;",
        "- invalid and edge-case input: missing and extra fields, wrong types, empty, huge, "
        "negative and unicode values, hostile strings;",
        "- concurrent requests where the code shares state, and a retry that gives up;",
        "and assert what the code does then (the error it answers with, what it logs, that "
        "nothing is half-written), not only that it does not crash.",
    ]
    if used:
        lines.append(f"The project's suite runs with: {'; '.join(used)}.")
    if framework.get("fixtures"):
        lines.append(f"Reuse its fixtures: {', '.join(framework['fixtures'])}.")
    if framework.get("test_files"):
        lines.append(f"Its tests live in: {', '.join(framework['test_files'])}.")
    return lines


def finding_prompt(finding: Finding, code: str | None = None) -> str:
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    lines = [f"## `{where}` — {finding.rule} ({finding.severity})", "", finding.message]
    code = finding.code if code is None else code
    if code.strip():
        lines += ["", "```", code.rstrip(), "```"]
    if finding.why:
        lines += ["", f"Why it fails in production: {finding.why}"]
    if finding.fix:
        lines += [f"What a fix must do: {finding.fix}"]
    return "\n".join(lines) + "\n"
