"""Break things on purpose: an empty environment, and no network route to dependencies."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import docker

from readyterm.backends.staging.build import ImageFacts
from readyterm.backends.staging.container import RunSpec, log_lines, running, wait_ready
from readyterm.backends.staging.probes import redact_log, scan_logs
from readyterm.foundation.config import StagingConfig
from readyterm.foundation.findings import Severity

# A fail-fast message names what is missing: a KeyError, "missing", "required", "not set".
_NAMES_MISSING = re.compile(
    r"KeyError|missing|required|not set|undefined|must be set|no such variable|is empty", re.I
)


class StagingRun(Protocol):
    """What a breakage test needs of the staging run (smoke.Smoke) it is part of."""

    config: StagingConfig
    cancel: threading.Event
    root: Path
    context: Path
    progress: Callable[[str], None]

    def probe(self, name: str, outcome: str, detail: str = "") -> None: ...

    def measured(self, name: str) -> contextlib.AbstractContextManager[None]:
        """Times the block into the run's timings."""
        ...

    def break_wait(self) -> float:
        """How long a break-it run waits for the container to become ready."""
        ...

    def exchange(self, section: str, sent: str, got: str, verdict: str) -> None: ...

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        why: str,
        fix: str,
        key: str = "",
        line: int = 0,
        cwe: tuple[str, ...] = (),
        step: str | None = None,
    ) -> None: ...


def empty_environment(
    smoke: StagingRun, client: docker.DockerClient, spec: RunSpec, facts: ImageFacts
) -> None:
    """Must fail fast naming what is missing, or start without dev defaults — never come up
    talking to localhost."""
    if not spec.environment:
        smoke.probe("empty-env", "skipped", "the main run already had an empty environment")
        return
    empty = replace(spec, environment={})
    with running(client, empty) as container:
        ready = wait_ready(
            container,
            port=spec.port,
            health=smoke.config.health,
            has_healthcheck=facts.healthcheck is not None,
            timeout=smoke.break_wait(),
            cancel=smoke.cancel,
        )
        lines = [redact_log(line) for line in log_lines(container)]
    localhost = [e.line for e in scan_logs(lines) if e.kind == "localhost"]
    if localhost:
        smoke.probe("empty-env", "fail", localhost[0])
        smoke.finding(
            "staging-empty-env-localhost",
            "blocker",
            f"with an empty environment the app falls back to localhost: {localhost[0]}",
            "A missing variable in production silently points the app at itself.",
            "Make the variable required and fail at start-up when it is missing.",
        )
    elif ready.state == "exited" and ready.exit_code not in (0, None):
        named = [line for line in lines if _NAMES_MISSING.search(line)]
        if named:
            smoke.probe("empty-env", "pass", f"failed fast: {named[-1][:160]}")
        else:
            smoke.probe("empty-env", "warn", f"exited with code {ready.exit_code}, naming nothing")
            smoke.finding(
                "staging-empty-env-unclear",
                "warning",
                f"with an empty environment the app exits ({ready.exit_code}) without "
                "saying which setting is missing",
                "Whoever deploys it next will guess what is missing.",
                "Check required settings at start-up and name the missing ones.",
            )
    elif ready.state == "ready":
        smoke.probe("empty-env", "pass", "starts without dev defaults")
    elif ready.state == "cancelled":
        return
    else:
        smoke.probe("empty-env", "warn", ready.detail)
        smoke.finding(
            "staging-empty-env-hangs",
            "warning",
            f"with an empty environment the app neither fails fast nor starts: {ready.detail}",
            "A misconfigured deploy then hangs until a timeout instead of failing.",
            "Validate the configuration at start-up and exit with a clear message.",
        )


def no_network(
    smoke: StagingRun, client: docker.DockerClient, spec: RunSpec, facts: ImageFacts
) -> None:
    """Must stay up or exit with a clear log line within the wait — never hang."""
    isolated = replace(spec, network=False)
    with running(client, isolated) as container:
        ready = wait_ready(
            container,
            port=None,
            health=None,
            has_healthcheck=facts.healthcheck is not None,
            timeout=smoke.break_wait(),
            cancel=smoke.cancel,
        )
        lines = [line for line in (redact_log(x) for x in log_lines(container)) if line.strip()]
    if ready.state == "cancelled":
        return
    if ready.state == "exited":
        if lines:
            smoke.probe("no-network", "pass", f"exited with a log line: {lines[-1][:160]}")
        else:
            smoke.probe("no-network", "fail", f"{ready.detail} without a word in its log")
            smoke.finding(
                "staging-no-network-silent",
                "warning",
                f"without a network the app {ready.detail} and logs nothing",
                "When a dependency is unreachable in production nobody will know why it died.",
                "Log which dependency could not be reached before exiting.",
            )
    elif ready.state == "ready" or facts.healthcheck is None:
        smoke.probe("no-network", "pass", "stays up without a network")
    else:
        smoke.probe("no-network", "fail", ready.detail)
        smoke.finding(
            "staging-no-network-hangs",
            "warning",
            f"without a network the app hangs: {ready.detail}",
            "An unreachable dependency in production then blocks every worker.",
            "Put timeouts on dependency connections and start degraded or exit.",
        )
