"""Run the image like production, wait for it, stop it, and always clean up after it.

Every container gets the same locked-down settings; nothing in a repository's config can
add privileges, host networking, host mounts or capabilities.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import docker
import httpx
from docker.errors import DockerException, NotFound
from docker.models.containers import Container

from readyterm.backends.staging.build import LABEL

_BACKOFF_START = 0.1
_BACKOFF_MAX = 2.0
_PROBE_TIMEOUT = 2.0
_LOG_TAIL = 20


@dataclass(frozen=True)
class RunSpec:
    image: str
    port: int | None
    environment: dict[str, str]
    memory: str
    cpus: float
    run_id: str
    network: bool = True


@dataclass
class Readiness:
    state: Literal["ready", "exited", "timeout", "unhealthy", "cancelled"]
    seconds: float
    detail: str = ""
    exit_code: int | None = None
    log_tail: list[str] | None = None


def start(client: docker.DockerClient, spec: RunSpec) -> Container:
    options: dict[str, Any] = {
        "detach": True,
        "environment": spec.environment,
        "mem_limit": spec.memory,
        "nano_cpus": int(spec.cpus * 1e9),
        "pids_limit": 512,
        "privileged": False,
        "security_opt": ["no-new-privileges"],
        "labels": {LABEL: "1", f"{LABEL}.run": spec.run_id},
        "stdin_open": False,
        "tty": False,
    }
    if spec.network and spec.port is not None:
        # Loopback only: the app under test is never reachable from another machine.
        options["ports"] = {f"{spec.port}/tcp": ("127.0.0.1", None)}
    if not spec.network:
        options["network_mode"] = "none"
    container: Container = client.containers.run(spec.image, **options)
    return container


@contextlib.contextmanager
def running(client: docker.DockerClient, spec: RunSpec) -> Iterator[Container]:
    """Start a container and remove it (with its anonymous volumes) whatever happens."""
    container = start(client, spec)
    try:
        yield container
    finally:
        remove(container)


def remove(container: Container) -> None:
    with contextlib.suppress(NotFound, DockerException):
        container.remove(force=True, v=True)


def remove_leftovers(client: docker.DockerClient, run_id: str) -> int:
    """Remove any container of this run still around (belt and braces for Ctrl-C)."""
    removed = 0
    with contextlib.suppress(DockerException):
        for container in client.containers.list(
            all=True, filters={"label": f"{LABEL}.run={run_id}"}
        ):
            remove(container)
            removed += 1
    return removed


def host_port(container: Container, port: int) -> int | None:
    container.reload()
    bindings = (container.attrs.get("NetworkSettings", {}).get("Ports") or {}).get(f"{port}/tcp")
    if not bindings:
        return None
    return int(bindings[0]["HostPort"])


def log_lines(container: Container) -> list[str]:
    with contextlib.suppress(DockerException):
        raw: bytes = container.logs(stdout=True, stderr=True)
        return raw.decode("utf-8", "replace").splitlines()
    return []


def logs_between(container: Container, start: float, end: float, margin: float = 0.2) -> list[str]:
    """The log lines written around a moment (wall-clock seconds), for a finding's context."""
    with contextlib.suppress(DockerException):
        raw: bytes = container.logs(
            stdout=True, stderr=True, since=max(start - margin, 0.001), until=end + margin
        )
        return raw.decode("utf-8", "replace").splitlines()
    return []


def wait_ready(
    container: Container,
    *,
    port: int | None,
    health: str | None,
    has_healthcheck: bool,
    timeout: float,
    cancel: threading.Event,
) -> Readiness:
    """One bounded, backing-off wait that tells apart exited, never ready, and ready."""
    started = time.monotonic()
    delay = _BACKOFF_START
    last = "no answer yet"
    while True:
        elapsed = time.monotonic() - started
        if cancel.is_set():
            return Readiness("cancelled", elapsed)
        try:
            container.reload()
        except NotFound:
            return Readiness("exited", elapsed, "the container disappeared")
        state = container.attrs.get("State", {})
        if state.get("Status") in ("exited", "dead"):
            code = int(state.get("ExitCode", -1))
            return Readiness(
                "exited",
                elapsed,
                f"exited with code {code}",
                code,
                log_lines(container)[-_LOG_TAIL:],
            )
        verdict, last = _check(container, port, health, has_healthcheck, state)
        if verdict == "ready":
            return Readiness("ready", elapsed, last)
        if verdict == "unhealthy":
            return Readiness("unhealthy", elapsed, last, log_tail=log_lines(container)[-_LOG_TAIL:])
        if elapsed >= timeout:
            return Readiness(
                "timeout",
                elapsed,
                f"never became ready in {timeout:g} s ({last})",
                log_tail=log_lines(container)[-_LOG_TAIL:],
            )
        time.sleep(min(delay, max(timeout - elapsed, 0.05)))
        delay = min(delay * 1.6, _BACKOFF_MAX)


def _check(
    container: Container,
    port: int | None,
    health: str | None,
    has_healthcheck: bool,
    state: dict[str, Any],
) -> tuple[str, str]:
    hostport = host_port(container, port) if port is not None else None
    if health and hostport:
        try:
            answer = httpx.get(f"http://127.0.0.1:{hostport}{health}", timeout=_PROBE_TIMEOUT)
        except httpx.HTTPError as exc:
            return "waiting", f"{health}: {type(exc).__name__}"
        if answer.is_success:
            return "ready", f"{health} answered {answer.status_code}"
        if 400 <= answer.status_code < 500:
            return "unhealthy", f"{health} answered {answer.status_code}"
        return "waiting", f"{health} answered {answer.status_code}"
    if has_healthcheck:
        health_state = (state.get("Health") or {}).get("Status", "starting")
        if health_state == "healthy":
            return "ready", "the image's HEALTHCHECK reports healthy"
        if health_state == "unhealthy":
            logs = (state.get("Health") or {}).get("Log") or [{}]
            output = str(logs[-1].get("Output", "")).strip()[:200]
            return "unhealthy", f"the image's HEALTHCHECK reports unhealthy: {output}"
        return "waiting", f"HEALTHCHECK is {health_state}"
    if hostport:
        return (
            ("ready", f"port {port} answers")
            if _answers(hostport)
            else ("waiting", f"port {port} does not answer")
        )
    return "waiting", "no port to probe"


def _answers(hostport: int) -> bool:
    """A TCP connect confirmed by a reply: Docker's port proxy accepts connections even
    when nothing listens in the container, so a bare connect proves nothing."""
    try:
        with socket.create_connection(("127.0.0.1", hostport), timeout=_PROBE_TIMEOUT) as sock:
            sock.settimeout(_PROBE_TIMEOUT)
            sock.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            return bool(sock.recv(1))
    except OSError:
        return False


@dataclass
class StopOutcome:
    exit_code: int | None
    seconds: float
    killed: bool


def stop_gracefully(container: Container, grace: float) -> StopOutcome:
    started = time.monotonic()
    with contextlib.suppress(DockerException):
        container.stop(timeout=int(max(grace, 1)))
    seconds = time.monotonic() - started
    try:
        container.reload()
        state = container.attrs.get("State", {})
        code = int(state.get("ExitCode", -1))
    except DockerException:
        return StopOutcome(None, seconds, killed=False)
    # SIGKILL after the grace period shows as 137 (128 + 9).
    killed = code == 137 and seconds >= grace - 0.5
    return StopOutcome(code, seconds, killed)
