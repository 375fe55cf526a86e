"""The service as its users see it: health, smoke paths, a burst, and what its log says."""

from __future__ import annotations

from readyterm.backends.staging.breakage import StagingRun
from readyterm.backends.staging.probes import burst, get, scan_logs


def http_probes(run: StagingRun, base_url: str) -> None:
    """The health path answers 2xx, each smoke path has no 5xx, a burst has neither."""
    if run.config.health:
        answer = get(base_url, run.config.health)
        ok = answer.status is not None and 200 <= answer.status < 300
        run.probe(
            f"health {run.config.health}",
            "pass" if ok else "fail",
            f"answered {answer.status}" if answer.status else str(answer.error),
        )
        if not ok:
            run.finding(
                "staging-health-failed",
                "blocker",
                f"{run.config.health} answered {answer.status or answer.error}",
                "The orchestrator will restart or never route to this instance.",
                "Make the health path answer 2xx when the app can serve.",
                key=run.config.health,
            )
    for path in run.config.smoke:
        answer = get(base_url, path)
        ok = answer.status is not None and answer.status < 500
        run.probe(
            f"smoke {path}",
            "pass" if ok else "fail",
            f"answered {answer.status}" if answer.status else str(answer.error),
        )
        if not ok:
            run.finding(
                "staging-smoke-failed",
                "blocker",
                f"smoke path {path} answered {answer.status or answer.error}",
                "A 5xx on a main path in staging is an outage in production.",
                "Read the container log for the error behind it.",
                key=path,
            )
    paths = [p for p in [run.config.health, *run.config.smoke] if p] or ["/"]
    cfg = run.config.burst
    outcome = burst(base_url, paths, cfg.requests, cfg.concurrency)
    summary = (
        f"{outcome.requests} requests, {cfg.concurrency} at a time: "
        f"{outcome.server_errors} 5xx, {outcome.connection_errors} connection "
        f"errors, p95 {outcome.p95_ms:.0f} ms"
    )
    broken = outcome.server_errors or outcome.connection_errors
    slow = outcome.p95_ms > cfg.p95_ms
    run.probe("burst", "fail" if broken else ("warn" if slow else "pass"), summary)
    if broken:
        run.finding(
            "staging-burst-errors",
            "blocker",
            f"under a burst of concurrent requests: {summary}; e.g. " + "; ".join(outcome.examples),
            "Errors that appear only under concurrency are what real traffic hits first.",
            "Look for shared state, exhausted pools or worker limits; see the log.",
        )
    elif slow:
        run.finding(
            "staging-burst-slow",
            "warning",
            f"p95 latency {outcome.p95_ms:.0f} ms is over the {cfg.p95_ms:g} ms budget",
            "Slow under a modest burst means timeouts under real load.",
            "Profile the slow path, or raise staging.burst.p95_ms if it is expected.",
        )


def log_problems(run: StagingRun, lines: list[str]) -> list[str]:
    """Tracebacks, ERROR lines and localhost refusals in the log; returns the lines kept."""
    events = scan_logs(lines)
    run.probe(
        "logs",
        "fail" if events else "pass",
        f"{len(events)} problem line(s)" if events else "no errors logged",
    )
    for event in events:
        if event.kind == "traceback":
            run.finding(
                "staging-log-traceback",
                "blocker",
                f"the app logged a traceback: {event.line}",
                "An unhandled exception during a smoke test is a 500 for a user.",
                "Handle the error at its source; the log line names it.",
                key=event.line,
            )
        elif event.kind == "localhost":
            run.finding(
                "staging-log-localhost",
                "blocker",
                f"the app tried to reach localhost: {event.line}",
                "In a container, localhost is the container itself: the dependency is not there.",
                "Take the address from the environment.",
                key=event.line,
            )
        else:
            run.finding(
                "staging-log-error",
                "warning",
                f"the app logged: {event.line}",
                "Errors at start-up or under light load get worse in production.",
                "Find what the line reports and fix or downgrade it.",
                key=event.line,
            )
    return [event.line for event in events]
