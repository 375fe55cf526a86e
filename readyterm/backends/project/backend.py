"""Project-level checks: what no single-file semgrep rule can see.

- `environment`: imports the project does not declare as a dependency (Python, JS/TS).
- `monitoring`: a web app with no health endpoint or no error reporting (Python, JS/TS).
- `tests`: changes that weaken readyterm's own gate (the suite itself is run by
  readyterm.backends.suite).

All heuristic, so warnings by default (config can raise them). Bad input (a manifest that
does not parse, a file that is not UTF-8) is reported or skipped, never a crash.
"""

from __future__ import annotations

from pathlib import Path

from readyterm.backends.base import ScanContext, ScanResult
from readyterm.backends.project.common import (
    Problem,
    Reader,
    base_content,
    is_diff_run,
    problem_finding,
    read_bytes,
)
from readyterm.backends.project.gates import check_gates
from readyterm.backends.project.imports import check_python_imports
from readyterm.backends.project.js import check_js_imports
from readyterm.backends.project.monitoring import check_monitoring
from readyterm.backends.project.removed import check_removed
from readyterm.foundation.findings import Finding
from readyterm.foundation.rulepack import RulePack


class ProjectBackend:
    baseline = False
    name = "project"

    def steps(self, rule_pack: RulePack) -> set[str]:
        return {"environment", "monitoring", "tests"}

    def scan(self, root: Path, files: list[str], context: ScanContext) -> ScanResult:
        result = ScanResult()
        read_base = _base_reader(root, files, context)
        python, problems = check_python_imports(root, files, context, read_base)
        javascript, js_problems = check_js_imports(root, files, context, read_base)
        result.findings += python + javascript
        result.findings += check_removed(root, files, context, read_base)
        result.findings += _problems([*problems, *js_problems])
        result.findings += check_monitoring(root, files)
        result.findings += check_gates(root, files, context)
        return result


def _base_reader(root: Path, files: list[str], context: ScanContext) -> Reader | None:
    """Reads a file as it was at the base: changed files from git, the others from disk."""
    if not is_diff_run(context, files):
        return None
    changed = set(files)

    def read(path: str) -> bytes | None:
        return base_content(context, path) if path in changed else read_bytes(root, path)

    return read


def _problems(problems: list[Problem]) -> list[Finding]:
    """Manifests the change's imports could not be checked against: shown even when the
    change did not touch them, since they leave the change unjudged."""
    unique = {(p.path, p.message): p for p in problems}
    return [problem_finding(p) for p in unique.values()]
