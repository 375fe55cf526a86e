"""The staging step end to end. Everything it creates is removed in `finally` blocks."""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
from docker.errors import DockerException

from readyterm.backends.staging import attacks, breakage, lint, outage, serving
from readyterm.backends.staging.build import BuildCancelled, ImageFacts, build_image, inspect_image
from readyterm.backends.staging.container import (
    RunSpec,
    host_port,
    log_lines,
    remove_leftovers,
    running,
    stop_gracefully,
    wait_ready,
)
from readyterm.backends.staging.engine import connect
from readyterm.backends.staging.envfile import read_env_file
from readyterm.backends.staging.probes import redact_log
from readyterm.foundation.config import StagingConfig
from readyterm.foundation.findings import Finding, Severity

_DEV_ENV = re.compile(
    r"localhost|127\.0\.0\.1|0\.0\.0\.0|^(1|true|yes|on)$|\b(sk|pk)_test_|\bdev(elopment)?\b",
    re.I,
)
_SECRET_NAMES = re.compile(r"KEY|SECRET|TOKEN|PASSWORD|PASSWD", re.I)
_SECTION_ENTRIES = 40
_BREAK_WAIT_MIN = 10.0
_DEV_NAMES = re.compile(r"DEBUG|_URL$|_DSN$|_HOST$|ENV$|MODE$|_KEY$|SECRET|TOKEN", re.I)


#: The probes that answer another step's question name it in their rule ids.
_ANSWERS = ("input-validation", "concurrency", "error-handling")


def step_of(rule: str) -> str:
    """The step a staging finding belongs to: `staging-concurrency-5xx` is `concurrency`'s
    (the runner keeps it in `staging` when that step is not part of the run)."""
    return next((s for s in _ANSWERS if rule.startswith(f"staging-{s}-")), "staging")


@dataclass
class StagingReport:
    findings: list[Finding] = field(default_factory=list)
    probes: list[dict[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    image: dict[str, Any] = field(default_factory=dict)
    log_lines: list[str] = field(default_factory=list)
    #: What each break-it probe sent and what came back, by section ("hostile input").
    sections: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    error: str | None = None
    skipped: str | None = None

    def details(self) -> dict[str, Any]:
        return {
            "image": self.image,
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
            "probes": self.probes,
            "log_lines": self.log_lines,
            "sections": self.sections,
        }


class Smoke:
    """One staging run; `finding` and `probe` fill the report as the run goes."""

    def __init__(
        self,
        root: Path,
        config: StagingConfig,
        timeout: float,
        cancel: threading.Event,
        progress: Callable[[str], None],
    ) -> None:
        self.root = root
        self.config = config
        self.timeout = timeout
        self.cancel = cancel
        self.progress = progress
        self.report = StagingReport()
        self.run_id = uuid.uuid4().hex[:12]
        self.context = (root / config.context).resolve()
        self.dockerfile_path = (self.context / config.dockerfile).resolve()
        try:
            self.where = self.dockerfile_path.relative_to(root).as_posix()
        except ValueError:
            self.where = config.dockerfile

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
    ) -> None:
        self.report.findings.append(
            Finding(
                rule=rule,
                step=step or step_of(rule),
                severity=severity,
                path=self.where,
                line=line,
                end_line=line,
                cwe=cwe,
                message=message,
                code=key or rule,
                why=why,
                fix=fix,
            )
        )

    def probe(self, name: str, outcome: str, detail: str = "") -> None:
        self.report.probes.append({"name": name, "outcome": outcome, "detail": detail})
        self.progress(f"staging: {name}: {outcome}{' - ' + detail if detail else ''}")

    @contextlib.contextmanager
    def measured(self, name: str) -> Iterator[None]:
        """Time one probe into the report's timings (`<name>_s`)."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.report.timings[f"{name}_s"] = time.monotonic() - started

    def break_wait(self) -> float:
        """The wait for a container of a break-it run (empty env, no network, outage): a few
        times what the real start took, at least _BREAK_WAIT_MIN s, at most ready_timeout.
        An app that was ready in a second does not need a minute to show it hangs."""
        started_in = self.report.timings.get("ready_s", self.config.ready_timeout)
        return min(self.config.ready_timeout, max(_BREAK_WAIT_MIN, 4 * started_in))

    def exchange(self, section: str, sent: str, got: str, verdict: str) -> None:
        """One request of a break-it probe for the pane and the record; failures are kept
        first when a section is full."""
        entries = self.report.sections.setdefault(section, [])
        # What came back may be a debug page full of settings: redacted like the log.
        entry = {"sent": redact_log(sent), "got": redact_log(got[:240]), "verdict": verdict}
        if len(entries) < _SECTION_ENTRIES:
            entries.append(entry)
        elif verdict != "pass":
            passed = next((i for i, e in enumerate(entries) if e["verdict"] == "pass"), None)
            if passed is not None:
                del entries[passed]
                entries.append(entry)

    def run(self) -> StagingReport:
        if not self.dockerfile_path.is_file():
            self.report.skipped = (
                f"no Dockerfile at {self.where}; set staging.dockerfile in .readyterm.yaml, "
                "or disable the step with steps.staging.enabled: false"
            )
            return self.report
        try:
            environment = read_env_file(self.root, self.config.env_file)
        except ValueError as exc:
            self.report.error = str(exc)
            return self.report
        started = time.monotonic()
        if self.config.hadolint.enabled:
            with self.measured("hadolint"):
                lint.hadolint(self, self.dockerfile_path, self.where)
        else:
            self.probe("hadolint", "skipped", "switched off in staging.hadolint")
        client = connect(min(self.timeout, 120))
        image_id: str | None = None
        try:
            image_id = self._build(client)
            if image_id is not None:
                facts = inspect_image(client, image_id)
                self._inspect(facts)
                self._exercise(client, image_id, facts, environment)
        except BuildCancelled:
            self.report.error = "cancelled"
        except DockerException as exc:
            self.report.error = f"the Docker engine failed during the staging run: {exc}"
        finally:
            remove_leftovers(client, self.run_id)
            if image_id is not None and not self.config.keep_image:
                self._remove_image(client, image_id)
            self.report.timings["total_s"] = time.monotonic() - started
            client.close()
        return self.report

    def _build(self, client: docker.DockerClient) -> str | None:
        self.progress(f"staging: building {self.where}")
        outcome = build_image(
            client,
            self.context,
            str(self.dockerfile_path.relative_to(self.context)),
            f"readyterm-staging:{self.run_id}",
            timeout=self.timeout,
            cancel=self.cancel,
            progress=lambda line: self.progress(f"build: {line}"),
        )
        self.report.timings["build_s"] = outcome.seconds
        if outcome.image_id is not None:
            self.probe("build", "pass", f"{outcome.seconds:.1f} s")
            return outcome.image_id
        tail = "\n".join(outcome.log_tail[-8:])
        if outcome.environmental:
            self.report.error = (
                f"the image could not be built because a registry or network was unreachable: "
                f"{outcome.error}\nfix: make the base image available to the engine "
                "(docker pull it, or use a registry mirror), or pass --no-staging"
            )
            return None
        self.probe("build", "fail", outcome.error or "")
        self.finding(
            "staging-build-failed",
            "blocker",
            f"the image does not build: {outcome.error}"
            + (f" (at {outcome.failed_step})" if outcome.failed_step else "")
            + (f"\n{tail}" if tail else ""),
            "What does not build in CI cannot be deployed.",
            "Fix the failing Dockerfile step; build it locally with `docker build`.",
            key=outcome.failed_step or "build",
        )
        return None

    def _inspect(self, facts: ImageFacts) -> None:
        self.report.image = {"digest": facts.digest, "kept": self.config.keep_image}
        if facts.user in ("", "root", "0", "0:0"):
            self.finding(
                "staging-runs-as-root",
                "warning",
                "the image runs as root (no USER instruction)",
                "A compromised process in the container is root there, one kernel bug away "
                "from the host.",
                "Add a non-root user and `USER app` at the end of the Dockerfile.",
            )
        if facts.healthcheck is None and not self.config.health:
            self.finding(
                "staging-no-healthcheck",
                "warning",
                "the image has no HEALTHCHECK and staging.health is not set",
                "Without a health check the orchestrator cannot tell a hung instance from a "
                "healthy one.",
                "Add a HEALTHCHECK to the Dockerfile or a health endpoint to staging.health.",
            )
        for name, value in sorted(facts.env.items()):
            if _DEV_NAMES.search(name) and _DEV_ENV.search(value):
                shown = "«redacted»" if _SECRET_NAMES.search(name) else value
                self.finding(
                    "staging-dev-env-baked",
                    "blocker",
                    f"the image bakes a dev value into its environment: ENV {name}={shown}",
                    "Values baked into the image ship to production unless every deploy "
                    "overrides them.",
                    "Remove the ENV default; pass the value at run time from the environment.",
                    key=name,
                )

    def _exercise(
        self,
        client: docker.DockerClient,
        image_id: str,
        facts: ImageFacts,
        environment: dict[str, str],
    ) -> None:
        port = self.config.port or (facts.exposed_ports[0] if facts.exposed_ports else None)
        if port is None:
            self.finding(
                "staging-no-port",
                "blocker",
                "the image exposes no port and staging.port is not set: nothing to probe",
                "A service that listens on no known port cannot be routed to.",
                "Add EXPOSE to the Dockerfile or set staging.port.",
            )
            return
        spec = RunSpec(
            image_id, port, environment, self.config.memory, self.config.cpus, self.run_id
        )
        with running(client, spec) as container:
            ready = wait_ready(
                container,
                port=port,
                health=self.config.health,
                has_healthcheck=facts.healthcheck is not None,
                timeout=self.config.ready_timeout,
                cancel=self.cancel,
            )
            self.report.timings["ready_s"] = ready.seconds
            if ready.state == "cancelled":
                self.report.error = "cancelled"
                return
            if ready.state != "ready":
                self._not_ready(ready.state, ready.detail, ready.log_tail or [])
                return
            self.probe("ready", "pass", f"{ready.detail} after {ready.seconds:.1f} s")
            hostport = host_port(container, port)
            base_url = f"http://127.0.0.1:{hostport}"
            serving.http_probes(self, base_url)
            # The log before the break-it probes: the errors they provoke are judged by them.
            lines = log_lines(container)
            attacks.against_running(self, container, base_url)
            self.report.log_lines += serving.log_problems(self, lines)
            stop = stop_gracefully(container, self.config.grace_period)
            self.report.timings["stop_s"] = stop.seconds
            self._stopped(stop.exit_code, stop.killed, stop.seconds)
        if self.config.probes.empty_env:
            with self.measured("empty_env"):
                breakage.empty_environment(self, client, spec, facts)
        else:
            self.probe("empty-env", "skipped", "switched off in staging.probes")
        if self.config.probes.no_network:
            with self.measured("no_network"):
                breakage.no_network(self, client, spec, facts)
        else:
            self.probe("no-network", "skipped", "switched off in staging.probes")
        if self.config.outage.enabled:
            with self.measured("outage"):
                outage.dependency_outage(self, client, spec, facts, attacks.routes_to_try(self))
        else:
            self.probe("dependency-outage", "skipped", "switched off in staging.outage")

    def _not_ready(self, state: str, detail: str, tail: list[str]) -> None:
        logs = [redact_log(line) for line in tail[-10:]]
        self.report.log_lines += logs
        self.probe("ready", "fail", detail)
        rule = {
            "exited": "staging-exited",
            "timeout": "staging-not-ready",
            "unhealthy": "staging-unhealthy",
        }[state]
        text = {
            "exited": f"the container {detail} before it became ready",
            "timeout": f"the container {detail}",
            "unhealthy": f"the container is up but unhealthy: {detail}",
        }[state]
        self.finding(
            rule,
            "blocker",
            text + ("\nlast log lines:\n" + "\n".join(logs[-6:]) if logs else ""),
            "A build that does not start and serve in a production-like container will not "
            "start in production either.",
            "Run the image with only the staging env file and read its log; make the health "
            "endpoint answer 2xx once the app can serve.",
            key=state,
        )

    def _stopped(self, code: int | None, killed: bool, seconds: float) -> None:
        grace = self.config.grace_period
        if killed:
            self.probe("stop", "fail", f"ignored SIGTERM; killed after {grace:g} s")
            # A blocker by default: every deploy would drop in-flight requests. A team that
            # accepts it sets steps.staging.severity.staging-killed-on-stop in the config.
            self.finding(
                "staging-killed-on-stop",
                "blocker",
                f"the container ignored SIGTERM and was killed after {grace:g} s: every "
                "deploy and scale-down drops the requests it is serving",
                "Orchestrators send SIGTERM, wait the grace period, then SIGKILL: in-flight "
                "requests fail, transactions and queue messages are cut half-way, nothing "
                "is flushed.",
                'Use the exec form `CMD ["gunicorn", ...]` (a shell-form CMD runs a shell '
                "as PID 1 that does not forward the signal), `exec` the server from a start "
                "script, handle SIGTERM in the app (finish in-flight work, then exit 0), or "
                "run with an init (`docker run --init`, tini as ENTRYPOINT, "
                "`init: true` in compose).",
            )
        elif code not in (0, None):
            self.probe("stop", "warn", f"exited with code {code} after {seconds:.1f} s")
            self.finding(
                "staging-stop-exit-code",
                "warning",
                f"on SIGTERM the container exited with code {code}, not 0",
                "Orchestrators count a non-zero exit on stop as a crash.",
                "Trap SIGTERM, finish in-flight work, exit 0.",
                key=str(code),
            )
        else:
            self.probe("stop", "pass", f"exited 0 after {seconds:.1f} s")

    def _remove_image(self, client: docker.DockerClient, image_id: str) -> None:
        try:
            client.images.remove(image_id, force=True, noprune=False)
        except DockerException as exc:
            self.progress(f"staging: could not remove image {image_id[:19]}: {exc}")
