"""Turn the raw findings of a step into its outcome: severities, old debt, decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from readyterm.backends.base import ScanResult
from readyterm.engine.applicability import drop_inapplicable
from readyterm.engine.decisions import apply_inline, apply_waivers
from readyterm.engine.result import StepResult
from readyterm.engine.test_figures import figures_line
from readyterm.foundation.file_roles import is_test_or_example
from readyterm.foundation.findings import (
    REDACTED,
    SEVERITY_RANK,
    Finding,
    fingerprint,
    read_lines,
    recover_secrets,
    redact,
    with_fingerprints,
)
from readyterm.foundation.paths import ATTESTATIONS_FILE
from readyterm.foundation.steps import STEPS_BY_ID

if TYPE_CHECKING:
    from readyterm.engine.prepare import Prepared

_INCOMPLETE_LISTED = 5


def judge_step(
    step_id: str,
    results: list[tuple[ScanResult, set[str] | None]],
    prepared: Prepared,
    readers: Sequence[Callable[[str], bool] | None] = (),
) -> StepResult:
    """readers[i] says which files the backend of results[i] parses (None: it parses none)."""
    errors = [r.error for r, _ in results if r.error]
    skipped = [r.skipped for r, _ in results if r.skipped]
    if skipped and len(skipped) == len(results):
        return StepResult(step_id, "skipped", "; ".join(skipped))
    details = next((r.details for r, _ in results if r.details is not None), None)
    unread, partly_read = _unreadable([r for r, _ in results], readers)
    # A file no check could read blocks only when it is part of the change under judgement;
    # a whole-repository run lists it (a template named .js is no source code) and judges.
    blocking = unread if prepared.scope.mode == "diff" else {}
    findings: list[Finding] = []
    for result, baseline in results:
        own = with_fingerprints(f for f in result.findings if f.step == step_id)
        if baseline is not None:
            own = [replace(f, introduced=f.fingerprint not in baseline) for f in own]
        findings += own
    findings = _drop_overlaps(drop_inapplicable(findings, prepared.rule_pack, prepared.scope.root))
    if not prepared.options.all_findings:
        findings = [f for f in findings if f.introduced]
    findings = _with_severity_overrides(step_id, findings, prepared)
    texts = _texts(prepared.scope.root, {f.path for r, _ in results for f in r.findings})
    findings = apply_inline(findings, texts)
    findings = _redact_shared_secrets(findings, [f for r, _ in results for f in r.findings], texts)
    findings += _missing_attestations(step_id, prepared)
    today = prepared.options.today or dt.datetime.now(dt.UTC).date()
    findings, _applied, _notices = apply_waivers(findings, prepared.waivers, today)
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.path, f.line, f.rule))
    if errors:  # what the checks that did run found is shown beside why one could not
        return StepResult(step_id, "error", "\n".join(errors), findings)
    if blocking:
        return StepResult(
            step_id,
            "error",
            f"the scan is incomplete: {len(blocking)} changed file(s) could not be scanned "
            f"({_listed(blocking)}). Fix them, or add them to `exclude` in .readyterm.yaml if "
            "they are not meant to be parsed.",
            findings,
        )
    outcome = _outcome(step_id, findings, prepared.options.strict)
    outcome.details = details
    if skipped:  # a check of the step that did not apply says why (the suite not run)
        outcome.summary += "; " + "; ".join(skipped)
    figures = figures_line(details) if step_id == "tests" else None
    if figures:
        outcome.summary += f" · {figures}"
    if unread:
        outcome.summary += (
            f"; {len(unread)} file(s) no check could read, not blocking outside a change "
            f"({_listed(unread)})"
        )
    if partly_read:
        outcome.summary += (
            f"; {len(partly_read)} file(s) read by some checks only, the others failed on "
            f"them ({_listed(partly_read)})"
        )
    return outcome


def _unreadable(
    results: list[ScanResult], readers: Sequence[Callable[[str], bool] | None]
) -> tuple[dict[str, str], dict[str, str]]:
    """Files no backend of the step could read, and files some backends read and some did
    not (bandit under a Python too old for the code, while semgrep parsed it)."""
    failures: dict[str, list[str]] = {}
    for result in results:
        for path, why in result.incomplete.items():
            failures.setdefault(path, []).append(why)
    unread: dict[str, str] = {}
    partly_read: dict[str, str] = {}
    for path, whys in failures.items():
        read_by_another = any(
            reads is not None and reads(path) and path not in result.incomplete
            for result, reads in zip(results, readers, strict=False)
        )
        (partly_read if read_by_another else unread)[path] = "; ".join(whys)
    return unread, partly_read


def _listed(files: dict[str, str]) -> str:
    shown = "; ".join(f"{p}: {why}" for p, why in sorted(files.items())[:_INCOMPLETE_LISTED])
    more = len(files) - _INCOMPLETE_LISTED
    return shown + (f"; and {more} more" if more > 0 else "")


def _drop_overlaps(findings: list[Finding]) -> list[Finding]:
    """bandit and a rule of ours often flag the same line for the same reason: keep ours,
    whose message says why it matters in production."""
    ours = {(f.path, f.line) for f in findings if not f.rule.startswith("bandit-")}
    return [f for f in findings if not (f.rule.startswith("bandit-") and (f.path, f.line) in ours)]


def _outcome(step_id: str, findings: list[Finding], strict: bool) -> StepResult:
    open_findings = [f for f in findings if not f.waived]
    floor = SEVERITY_RANK["warning" if strict else "blocker"]
    failing = [f for f in open_findings if SEVERITY_RANK[f.severity] >= floor]
    counts = {
        s: sum(f.severity == s for f in open_findings) for s in ("blocker", "warning", "info")
    }
    parts = [f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    waived = len(findings) - len(open_findings)
    if waived:
        parts.append(f"{waived} waived")
    summary = ", ".join(parts) if parts else "no findings"
    return StepResult(step_id, "fail" if failing else "pass", summary, findings)


_STEPS_ABOUT_TESTS = frozenset({"tests"})


def _with_severity_overrides(
    step_id: str, findings: list[Finding], prepared: Prepared
) -> list[Finding]:
    settings = prepared.config.step(step_id)
    result = []
    for finding in findings:
        severity = finding.severity
        # Test code and examples do not run in production: their findings are advice.
        if step_id not in _STEPS_ABOUT_TESTS and is_test_or_example(finding.path):
            severity = "info"
        severity = settings.severity.get(finding.rule, severity)
        if settings.min_severity and SEVERITY_RANK[settings.min_severity] > SEVERITY_RANK[severity]:
            severity = settings.min_severity
        result.append(replace(finding, severity=severity))
    return result


def _texts(root: Path, paths: set[str]) -> dict[str, list[str]]:
    texts = {}
    for path in paths:
        try:
            texts[path] = (root / path).read_text("utf-8", errors="replace").splitlines()
        except OSError:
            texts[path] = []
    return texts


def _redact_shared_secrets(
    findings: list[Finding], scanned: list[Finding], texts: dict[str, list[str]]
) -> list[Finding]:
    """A secret a rule matched is hidden in every finding, not only in that rule's own.

    The backends redact the findings of secret rules; another rule's finding on the same
    lines (a call without a timeout whose headers carry a key) would still show it. The
    hidden values are recovered by aligning each redacted finding with its source lines;
    where that fails, the overlapping code is hidden whole. Runs after fingerprinting, so
    fingerprints stay comparable with the baseline's.
    """
    values: set[str] = set()
    opaque: list[tuple[str, int, int]] = []
    for item in scanned:
        if REDACTED not in item.code:
            continue
        original = read_lines("\n".join(texts.get(item.path, [])), item.line, item.end_line)
        recovered = recover_secrets(item.code, original)
        values.update(recovered)
        if not recovered:
            opaque.append((item.path, item.line, item.end_line))
    if not values and not opaque:
        return findings
    result = []
    for finding in findings:
        code, message = redact(finding.code, values), redact(finding.message, values)
        if REDACTED not in code and any(
            path == finding.path and line <= finding.end_line and finding.line <= end
            for path, line, end in opaque
        ):
            code = REDACTED
        result.append(replace(finding, code=code, message=message))
    return result


#: Where a missing answer is pinned when the attestations file does not exist yet: code
#: scanning (GitHub's SARIF ingestion) needs every result in a file of the repository.
_PROJECT_FILES = (ATTESTATIONS_FILE, ".readyterm.yaml", "pyproject.toml", "package.json")


def _project_anchor(root: Path, judged: list[str]) -> str | None:
    """The file a project-level finding points at: a project file, else the first judged."""
    names = [*_PROJECT_FILES, *sorted(p.name for p in root.glob("README*") if p.is_file())]
    return next((name for name in [*names, *sorted(judged)] if (root / name).is_file()), None)


def _missing_attestations(step_id: str, prepared: Prepared) -> list[Finding]:
    step = STEPS_BY_ID[step_id]
    answered = {(a.step, a.question) for a in prepared.attestations}
    required = prepared.config.step(step_id).attestation_required
    anchor = _project_anchor(prepared.scope.root, prepared.scope.files)
    return [
        Finding(
            rule="attestation-missing",
            step=step_id,
            severity="blocker" if required else "warning",
            path=anchor or ATTESTATIONS_FILE,
            line=1 if anchor else 0,
            end_line=1 if anchor else 0,
            message=f"not attested: {question.text}",
            why="No tool can tell this; a deploy nobody can watch is found broken by users.",
            fix=f"readyterm attest {step_id} --answer {question.id}='...'",
            fingerprint=fingerprint("attestation-missing", step_id, question.id, 0),
        )
        for question in step.questions
        if (step_id, question.id) not in answered
    ]
