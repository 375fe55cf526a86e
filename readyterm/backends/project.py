"""Project-level heuristics for `monitoring` and `tests` (warnings by default).

These look at the change as a whole: does a web app have a health endpoint and error
reporting, and do the tests in the change try anything but the happy path?
"""

from __future__ import annotations

import re
from pathlib import Path

from readyterm.backends import ScanContext, ScanResult
from readyterm.findings import Finding
from readyterm.rulepack import RulePack

_WEB_FRAMEWORK = re.compile(
    r"^\s*(from|import)\s+(flask|fastapi|django|starlette|aiohttp|sanic|tornado)\b", re.M
)
_HEALTH_ROUTE = re.compile(r"""["'](/health[a-z]*|/readyz|/livez|/ping|/status)["']""")
_ERROR_REPORTING = re.compile(
    r"\b(sentry_sdk|rollbar|bugsnag|honeybadger|opentelemetry|prometheus_client|statsd|datadog)\b"
)
_FAILURE_TEST = re.compile(
    r"pytest\.raises|assertRaises|side_effect|Timeout|status_code\s*==\s*[45]\d\d|"
    r"\b[45]\d\d\b|invalid|malformed|hypothesis|ConnectionError",
    re.I,
)
_TEST_FILE = re.compile(r"(^|/)(tests?/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)")


class ProjectBackend:
    baseline = False
    name = "project"

    def steps(self, rule_pack: RulePack) -> set[str]:
        return {"monitoring", "tests"}

    def scan(self, root: Path, files: list[str], context: ScanContext) -> ScanResult:
        result = ScanResult()
        sources = [f for f in files if f.endswith(".py")]
        texts = {f: (root / f).read_text("utf-8", errors="replace") for f in sources}
        web = [f for f, text in texts.items() if _WEB_FRAMEWORK.search(text)]
        if web:
            result.findings += _monitoring(root, web[0], texts)
        code = [f for f in sources if not _TEST_FILE.search(f)]
        tests = [f for f in sources if _TEST_FILE.search(f)]
        if code and not tests:
            result.findings.append(
                _tests_finding(
                    code[0],
                    "tests-missing",
                    f"the change touches {len(code)} Python module(s) but no test file",
                )
            )
        elif tests and not any(_FAILURE_TEST.search(texts[t]) for t in tests):
            result.findings.append(
                _tests_finding(
                    tests[0],
                    "tests-happy-path-only",
                    "the tests in this change only walk the happy path: none exercises a "
                    "failure, a timeout or bad input",
                )
            )
        return result


def _monitoring(root: Path, app_file: str, texts: dict[str, str]) -> list[Finding]:
    # The health route may live outside the change: look in the app's whole package.
    package = (root / app_file).parent
    corpus = "\n".join(texts.values()) + "\n".join(
        p.read_text("utf-8", errors="replace") for p in sorted(package.glob("*.py"))[:200]
    )
    findings = []
    if not _HEALTH_ROUTE.search(corpus):
        findings.append(
            _monitoring_finding(
                app_file,
                "no-health-endpoint",
                "this web app has no health endpoint (/healthz, /readyz, ...)",
                "Without one, the orchestrator keeps sending traffic to a broken instance.",
                "Add a cheap /healthz route that checks the process and its critical dependencies.",
            )
        )
    if not _ERROR_REPORTING.search(corpus):
        findings.append(
            _monitoring_finding(
                app_file,
                "no-error-reporting",
                "this web app reports no metrics or errors to a monitoring system",
                "Errors in production are only found when users complain.",
                "Wire up error reporting (e.g. Sentry) and request metrics (e.g. Prometheus).",
            )
        )
    return findings


def _monitoring_finding(path: str, rule: str, message: str, why: str, fix: str) -> Finding:
    return Finding(
        rule=rule,
        step="monitoring",
        severity="warning",
        path=path,
        line=1,
        end_line=1,
        message=message,
        why=why,
        fix=fix,
        code="",
    )


def _tests_finding(path: str, rule: str, message: str) -> Finding:
    return Finding(
        rule=rule,
        step="tests",
        severity="warning",
        path=path,
        line=1,
        end_line=1,
        message=message,
        why="Code that was only tested on its happy path fails on the first slow service, "
        "hostile input or full disk in production.",
        fix="Add tests that make dependencies fail or time out and that send bad input.",
    )
