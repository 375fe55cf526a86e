"""The `staging` step: the Docker smoke test as a backend (its break-it probes add findings
to the steps whose questions they answer)."""

from __future__ import annotations

from pathlib import Path

from readyterm.backends.base import ScanContext, ScanResult
from readyterm.foundation.errors import ToolError
from readyterm.foundation.rulepack import RulePack
from readyterm.foundation.steps import STAGING_CONTRIBUTES


class StagingBackend:
    name = "staging"
    baseline = False

    def steps(self, rule_pack: RulePack) -> set[str]:
        return {"staging"}

    def contributes(self, rule_pack: RulePack) -> set[str]:
        # Hostile input, concurrent users and a dependency outage answer those steps'
        # questions; hadolint's rules answer environment's, input-validation's, monitoring's.
        return set(STAGING_CONTRIBUTES)

    def scan(self, root: Path, files: list[str], context: ScanContext) -> ScanResult:
        # Imported here so a run without staging never pays for the Docker SDK import.
        from readyterm.backends.staging.smoke import Smoke

        smoke = Smoke(
            root,
            context.config.staging,
            context.config.timeouts.docker,
            context.cancel,
            context.progress,
        )
        try:
            report = smoke.run()
        except ToolError as exc:
            return ScanResult(error=str(exc))
        return ScanResult(
            findings=report.findings,
            error=report.error,
            skipped=report.skipped,
            details=report.details() if report.skipped is None else None,
        )
