"""Dependency outage: start the service with every dependency it reads (`*_URL`, `*_DSN`)
pointed at a closed loopback port. It must start, or fail fast with a log line that says
why; its health must say unhealthy rather than hang; requests must fail fast (503-like)."""

from __future__ import annotations

import re
import socket
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import docker
import httpx

from readyterm.backends.staging.breakage import StagingRun
from readyterm.backends.staging.build import ImageFacts
from readyterm.backends.staging.container import (
    RunSpec,
    host_port,
    log_lines,
    running,
    wait_ready,
)
from readyterm.backends.staging.probes import redact_log
from readyterm.backends.staging.routes import Route, source_files
from readyterm.backends.staging.traffic import Request, send

SECTION = "dependency outage"
_DEPENDENCY = re.compile(r"\b([A-Z][A-Z0-9_]*_(?:URL|DSN|URI))\b")
_SCANNED = (".py", ".js", ".mjs", ".cjs", ".ts", ".sh", ".rb", ".go", ".env")
_SCHEMES = (("DATABASE", "postgres"), ("POSTGRES", "postgres"), ("REDIS", "redis"))
#: A log line that tells an operator what is down: the variable, "connect", "refused"...
_SAYS_WHY = re.compile(
    r"connect|refused|unreachable|unavailable|cannot reach|could not reach|timed? ?out|"
    r"database|redis|dependency|_URL|_DSN",
    re.I,
)
_MAX_REQUESTS = 5


def dependency_variables(
    run: StagingRun, environment: dict[str, str], facts: ImageFacts
) -> list[str]:
    """Every *_URL/_DSN/_URI the service reads: the env file, the image, the code, the config."""
    names = {n for n in [*environment, *facts.env] if _DEPENDENCY.fullmatch(n)}
    for path in source_files(run.context, _SCANNED):
        try:
            text = (run.context / path).read_text("utf-8", errors="replace")
        except OSError:
            continue
        names.update(_DEPENDENCY.findall(text))
    names.update(run.config.outage.variables)
    return sorted(names)


def closed_port(avoid: set[int]) -> int:
    """A port nothing listens on: one the kernel just handed out and took back. Inside the
    container's own loopback it is as unused (the service's own port is avoided)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in avoid:
            return port


def pointed_at(name: str, value: str | None, port: int) -> str:
    """The same URL (scheme, credentials, path) with its host:port replaced."""
    parts = urlsplit(value or "")
    if parts.scheme and parts.netloc:
        credentials = parts.netloc.rpartition("@")[0]
        netloc = (credentials + "@" if credentials else "") + f"127.0.0.1:{port}"
        return urlunsplit(parts._replace(netloc=netloc))
    scheme = next((s for prefix, s in _SCHEMES if name.startswith(prefix)), "http")
    return f"{scheme}://127.0.0.1:{port}/"


def dependency_outage(
    run: StagingRun,
    client: docker.DockerClient,
    spec: RunSpec,
    facts: ImageFacts,
    routes: list[Route],
) -> None:
    settings = run.config.outage
    names = dependency_variables(run, spec.environment, facts)
    if not names:
        run.probe("dependency-outage", "skipped", "the service reads no *_URL/*_DSN variable")
        return
    port = closed_port({spec.port or 0})
    down = dict(spec.environment)
    for name in names:
        down[name] = pointed_at(name, spec.environment.get(name) or facts.env.get(name), port)
    run.exchange(
        SECTION, "start with " + ", ".join(names), f"each at 127.0.0.1:{port} (closed)", "pass"
    )
    run.progress(f"staging: dependency outage: {', '.join(names)} unreachable")
    wait = min(run.break_wait(), settings.budget)
    with running(client, replace(spec, environment=down)) as container:
        ready = wait_ready(
            container,
            port=spec.port,
            health=run.config.health,
            has_healthcheck=facts.healthcheck is not None,
            timeout=wait,
            cancel=run.cancel,
        )
        published = host_port(container, spec.port) if spec.port else None
        base_url = f"http://127.0.0.1:{published}"
        if published is not None and ready.state == "timeout" and run.config.health:
            # Never ready may be a health path that answers 503 all along: unhealthy, not hung.
            status = httpx_status(base_url + run.config.health, settings.timeout)
            if status is not None and status >= 500:
                detail = f"{run.config.health} answers {status}"
                ready = replace(ready, state="unhealthy", detail=detail)
        hung: list[str] = []
        if published is not None and ready.state in ("ready", "unhealthy"):
            hung = _while_down(run, base_url, names, routes)
        lines = [redact_log(line) for line in log_lines(container) if line.strip()]
    if ready.state == "cancelled":
        return
    which = ", ".join(names)
    if ready.state == "exited":
        said = [line for line in lines if _SAYS_WHY.search(line)]
        if said:
            run.exchange(
                SECTION, "start", f"{ready.detail} after {ready.seconds:.1f} s: {said[-1]}", "pass"
            )
            run.probe("dependency-outage", "pass", f"fails fast: {said[-1][:160]}")
            return
        run.exchange(SECTION, "start", f"{ready.detail}, its log says nothing of why", "warn")
        run.probe("dependency-outage", "warn", f"{ready.detail} without saying why")
        run.finding(
            "staging-error-handling-silent-exit",
            "warning",
            f"error-handling: with {which} unreachable the service {ready.detail} without a "
            "log line naming what it could not reach"
            + ("\nlast log lines:\n" + "\n".join(lines[-6:]) if lines else ""),
            "When a dependency is down in production, whoever is paged must see which one.",
            "Log the dependency (the variable, host and port) and the error before exiting.",
            key="silent-exit",
        )
        return
    if ready.state == "timeout":
        run.exchange(SECTION, "start", ready.detail, "fail")
        run.probe("dependency-outage", "fail", f"hangs at start: {ready.detail}")
        run.finding(
            "staging-error-handling-hangs-at-start",
            "blocker",
            f"error-handling: with {which} pointed at a closed port the service neither starts "
            f"nor exits: it {ready.detail}"
            + ("\nlast log lines:\n" + "\n".join(lines[-6:]) if lines else "\n(its log is empty)"),
            "A service that waits forever for a dependency is an outage that looks like a slow "
            "deploy: no error, no restart, no page.",
            "Connect with a timeout and a bounded number of retries with backoff, then exit "
            "non-zero naming the dependency (or start and report unhealthy).",
            key="hangs-at-start",
            cwe=("CWE-1088",),
        )
        return
    started = "reports unhealthy" if ready.state == "unhealthy" else "starts"
    if hung:
        run.probe("dependency-outage", "fail", f"{started}, but {', '.join(hung)} hang(s)")
    else:
        run.probe("dependency-outage", "pass", f"{started}, and fails requests fast")


def httpx_status(url: str, timeout: float) -> int | None:
    try:
        return httpx.get(url, timeout=timeout).status_code
    except httpx.HTTPError:
        return None


def _while_down(run: StagingRun, base_url: str, names: list[str], routes: list[Route]) -> list[str]:
    """The service started without its dependencies: health and requests must not hang.
    Returns the paths that hung."""
    hung: list[str] = []
    timeout = run.config.outage.timeout
    paths = [r.path for r in routes if not r.changes_state][:_MAX_REQUESTS]
    which = ", ".join(names)
    with httpx.Client(base_url=base_url) as client:
        for path in paths:
            reply = send(client, Request("GET", path, "while the dependencies are down"), timeout)
            health = path == run.config.health
            verdict = "fail" if reply.timed_out else "pass"
            if health and reply.status is not None and reply.status < 300:
                # Shown, not a finding: a liveness path rightly ignores the dependencies.
                verdict = "warn"
            run.exchange(SECTION, f"GET {path}", reply.summary(), verdict)
            if reply.timed_out:
                hung.append(path)
                run.finding(
                    "staging-error-handling-request-hangs",
                    "blocker",
                    f"error-handling: with {which} unreachable, GET {path} got no answer within "
                    f"{timeout:g} s (it should fail fast with a 503)",
                    "Requests that wait on a dead dependency pile up until every worker is "
                    "stuck, and the outage spreads to what did not need it.",
                    "Put a connect and read timeout on every dependency call and answer 503 "
                    "(or serve degraded) when it fails.",
                    key=f"request-hangs {path}",
                    cwe=("CWE-1088",),
                )
    return hung
