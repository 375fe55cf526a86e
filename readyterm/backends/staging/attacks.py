"""Try to break the running service: hostile input, then concurrent users."""

from __future__ import annotations

from docker.models.containers import Container

from readyterm.backends.staging.breakage import StagingRun
from readyterm.backends.staging.container import logs_between
from readyterm.backends.staging.hostile import hostile_input
from readyterm.backends.staging.load import concurrent_users
from readyterm.backends.staging.routes import Route, route_list


def routes_to_try(run: StagingRun) -> list[Route]:
    """Configured routes, those found in the code, then the health and smoke paths."""
    routes = route_list(run.context, run.config.routes)
    for path in [run.config.health, *run.config.smoke]:
        if path and Route("GET", path) not in routes:
            routes.append(Route("GET", path))
    return routes


def against_running(run: StagingRun, container: Container, base_url: str) -> None:
    routes = routes_to_try(run)
    config = run.config

    def logs(start: float, end: float) -> list[str]:
        return logs_between(container, start, end)

    if config.hostile.enabled:
        with run.measured("hostile"):
            left = hostile_input(run, base_url, routes, logs)
        if left > config.hostile.timeout and not run.cancel.is_set():
            from readyterm.backends.staging.fuzz import fuzz_openapi

            with run.measured("fuzz"):
                fuzz_openapi(run, base_url, left, logs)
    else:
        run.probe("hostile-input", "skipped", "switched off in staging.hostile")
    if run.cancel.is_set():
        return
    if config.concurrency.enabled:
        with run.measured("concurrency"):
            concurrent_users(run, base_url, routes, config.invariants)
    else:
        run.probe("concurrency", "skipped", "switched off in staging.concurrency")
