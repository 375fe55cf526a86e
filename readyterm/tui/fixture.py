"""A run result made by hand over the demo app: stable pictures without scanning.

Used by the snapshot tests and by `scripts/screenshots.py --fixture`; the line numbers
point into the demo app's feature files, which `write_demo_files` lays out.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from readyterm.engine.result import RunResult, ScopeSummary, StepResult
from readyterm.foundation.findings import REDACTED, Finding, Waiver
from readyterm.foundation.paths import ATTESTATIONS_FILE

FILES = [
    "Dockerfile",
    "app/__init__.py",
    "app/config.py",
    "app/orders.py",
    "app/payments.py",
    "app/reports.py",
    "pytest.ini",
    "tests/test_orders.py",
]


def write_demo_files(root: Path) -> Path:
    """Copy the demo app's feature files into root (no git): code for the finding view."""
    _copy(resources.files("readyterm").joinpath("demo_app", "base"), root)
    _copy(resources.files("readyterm").joinpath("demo_app", "feature"), root)
    return root


def _copy(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name == "__pycache__":
            continue
        if item.is_dir():
            _copy(item, target / item.name)
        else:
            (target / item.name).write_bytes(item.read_bytes())


def _finding(
    rule: str,
    step: str,
    severity: str,
    path: str,
    line: int,
    message: str,
    code: str,
    why: str,
    fix: str,
    number: int,
    waiver: Waiver | None = None,
) -> Finding:
    return Finding(
        rule=rule,
        step=step,
        severity=severity,  # type: ignore[arg-type]
        path=path,
        line=line,
        end_line=line,
        message=message,
        code=code,
        why=why,
        fix=fix,
        fingerprint=f"{number:020x}",
        waiver=waiver,
    )


def demo_result() -> RunResult:
    environment = [
        _finding(
            "hardcoded-secret",
            "environment",
            "blocker",
            "app/config.py",
            8,
            "a secret is written into the code",
            f'STRIPE_KEY = "{REDACTED}"',
            "Secrets in code leak with every clone and cannot be rotated without a deploy.",
            "Read it from the environment: os.environ['STRIPE_KEY'].",
            1,
        ),
        _finding(
            "localhost-url",
            "environment",
            "blocker",
            "app/config.py",
            7,
            "a localhost URL: in production nothing listens there",
            'PAYMENT_API = "http://localhost:8001/v1"',
            "In a container localhost is the container itself; every call fails.",
            "Read the URL from the environment and fail at start-up when it is missing.",
            2,
        ),
        _finding(
            "debug-enabled",
            "environment",
            "warning",
            "app/config.py",
            5,
            "DEBUG is on",
            "DEBUG = True",
            "Debug mode shows stack traces and settings to anyone who triggers an error.",
            "DEBUG = os.environ.get('DEBUG') == '1'",
            3,
        ),
    ]
    errors = [
        _finding(
            "http-request-without-timeout",
            "error-handling",
            "blocker",
            "app/payments.py",
            15,
            "an HTTP call without a timeout waits forever when the service hangs",
            "resp = requests.post(",
            "One slow dependency ties up every worker; the whole service stops answering.",
            "Pass timeout=(3, 10) and handle requests.Timeout.",
            4,
        ),
        _finding(
            "response-json-without-status-check",
            "error-handling",
            "warning",
            "app/payments.py",
            20,
            "the response is used without checking its status",
            "return resp.json()",
            "A 429 or 500 body is parsed as if it were a charge.",
            "Call resp.raise_for_status() first.",
            5,
            Waiver(
                "waiver",
                "provider returns 200 with an error object",
                "dev@example.com",
                "2025-07-01",
            ),
        ),
    ]
    validation = [
        _finding(
            "tls-verification-disabled",
            "input-validation",
            "blocker",
            "app/payments.py",
            37,
            "TLS certificate checks are turned off",
            "verify=False",
            "Anyone on the path can read and change the traffic.",
            "Trust the internal CA with verify='/etc/ssl/internal-ca.pem'.",
            6,
        )
    ]
    logging = [
        _finding(
            "swallowed-exception",
            "logging",
            "warning",
            "app/payments.py",
            30,
            "an exception is swallowed without a trace",
            "except Exception:",
            "A refund that fails leaves nothing behind to debug it with.",
            "logger.exception('refund failed', extra={'charge': charge_id})",
            7,
        )
    ]
    monitoring = [
        _finding(
            "attestation-missing",
            "monitoring",
            "warning",
            ATTESTATIONS_FILE,
            0,
            "not attested: Who is on call for it?",
            "",
            "No tool can tell this; a deploy nobody can watch is found broken by users.",
            "readyterm attest monitoring --answer on-call='...'",
            8,
        )
    ]
    steps = [
        StepResult("environment", "fail", "2 blockers, 1 warning", environment),
        StepResult("error-handling", "fail", "1 blocker, 1 waived", errors),
        StepResult("input-validation", "fail", "1 blocker", validation),
        StepResult("concurrency", "pass", "no findings"),
        StepResult(
            "performance",
            "error",
            "semgrep timed out after 300 s\nraise `timeouts.semgrep` in .readyterm.yaml "
            "or exclude generated files",
        ),
        StepResult("logging", "pass", "1 warning", logging),
        StepResult("monitoring", "pass", "1 warning", monitoring),
        StepResult("tests", "pass", "no findings"),
        StepResult("staging", "skipped", "--no-staging was given"),
    ]
    return RunResult(
        scope=ScopeSummary(
            mode="diff",
            base="3f9c2a1d5e7b9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
            head="8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b",
            files=FILES,
            base_ref="main",
            branch="feature/orders-api",
            digest="0" * 64,
        ),
        steps=steps,
        waivers_applied=[
            {
                "reason": "provider returns 200 with an error object",
                "owner": "dev@example.com",
                "expires": "2025-07-01",
                "fingerprints": [f"{5:020x}"],
            }
        ],
        attestations=[
            {
                "step": "monitoring",
                "question": "alert",
                "answer": "PagerDuty: orders-5xx-rate",
                "author": "dev@example.com",
                "at": "2025-06-01T09:30:00Z",
            }
        ],
        tool_versions={"readyterm": "0.1.0", "rules": "fixture"},
    )
