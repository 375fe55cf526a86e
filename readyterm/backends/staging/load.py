"""Concurrent users: N identical requests at the same moment against each state-changing
route, and `staging.invariants` (a count that must rise by the number of successful writes)."""

from __future__ import annotations

import contextlib
import json
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from readyterm.backends.staging.breakage import StagingRun
from readyterm.backends.staging.routes import Route
from readyterm.backends.staging.traffic import Reply, Request, curl_line, send
from readyterm.foundation.config import Invariant

SECTION = "concurrent users"
_JSON = {"Content-Type": "application/json"}
_NUMBER = re.compile(r"-?\d+")
_MAX_ROUTES = 8


@dataclass
class Wave:
    """What `users` identical requests sent at once got back."""

    request: Request
    replies: list[Reply]

    @property
    def ok(self) -> int:
        return sum(1 for r in self.replies if r.status is not None and 200 <= r.status < 300)

    @property
    def server_errors(self) -> list[Reply]:
        return [r for r in self.replies if r.status is not None and r.status >= 500]

    @property
    def timeouts(self) -> list[Reply]:
        return [r for r in self.replies if r.timed_out]

    @property
    def dropped(self) -> list[Reply]:
        return [r for r in self.replies if r.status is None and not r.timed_out]

    def percentile(self, share: float) -> float:
        latencies = sorted(r.seconds * 1000 for r in self.replies if r.status is not None)
        if len(latencies) < 2:
            return latencies[0] if latencies else 0.0
        return statistics.quantiles(latencies, n=100, method="inclusive")[int(share * 100) - 1]

    def summary(self) -> str:
        return (
            f"{len(self.replies)} at once: {self.ok} 2xx, {len(self.server_errors)} 5xx, "
            f"{len(self.timeouts)} timeouts, {len(self.dropped)} dropped; "
            f"p50 {self.percentile(0.5):.0f} ms, p95 {self.percentile(0.95):.0f} ms"
        )


def wave(base_url: str, request: Request, users: int, timeout: float) -> Wave:
    """`users` threads wait at a barrier, then all send the same request."""
    barrier = threading.Barrier(users)
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=0)

    def one(_: int) -> Reply:
        # A slow thread start breaks the barrier: send anyway, a little later than the others.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=timeout)
        return send(client, request, timeout)

    with (
        httpx.Client(base_url=base_url, limits=limits) as client,
        ThreadPoolExecutor(max_workers=users) as pool,
    ):
        replies = list(pool.map(one, range(users)))
    return Wave(request, replies)


def concurrent_users(
    run: StagingRun, base_url: str, routes: list[Route], invariants: list[Invariant]
) -> None:
    settings = run.config.concurrency
    deadline = time.monotonic() + settings.budget
    checked = {Route.parse(inv.write) for inv in invariants}
    plain = [r for r in routes if r.changes_state and r not in checked][:_MAX_ROUTES]
    if not plain and not invariants:
        run.probe("concurrency", "skipped", "no state-changing route found or configured")
        return
    waves = cut = failed = 0
    for invariant in invariants:
        if _out_of_time(run, deadline, settings.timeout):
            cut += 1
            continue
        failed += _check_invariant(run, base_url, invariant)
        waves += 1
    for route in plain:
        if _out_of_time(run, deadline, settings.timeout):
            cut += 1
            continue
        request = Request(route.method, route.path, "identical requests", b"{}", dict(_JSON))
        run.progress(f"staging: {settings.users} concurrent users: {route}")
        failed += _judge(run, base_url, wave(base_url, request, settings.users, settings.timeout))
        waves += 1
    detail = f"{waves} route(s), {settings.users} concurrent identical requests each"
    if cut:
        detail += f"; {cut} route(s) not tried (the {settings.budget:g} s budget ran out)"
    if failed:
        detail += f": {failed} route(s) broke"
    run.probe("concurrency", "fail" if failed else ("warn" if cut else "pass"), detail)


def _out_of_time(run: StagingRun, deadline: float, timeout: float) -> bool:
    return run.cancel.is_set() or time.monotonic() + timeout > deadline


def _judge(run: StagingRun, base_url: str, outcome: Wave) -> bool:
    """Report what the wave broke; True when it broke something (5xx or timeouts)."""
    settings = run.config.concurrency
    request = outcome.request
    route = f"{request.method} {request.path}"
    broken = bool(outcome.server_errors or outcome.timeouts)
    slow = outcome.percentile(0.95) > settings.p95_ms
    verdict = "fail" if broken else ("warn" if slow else "pass")
    run.exchange(SECTION, f"{route} x{len(outcome.replies)} at once", outcome.summary(), verdict)
    replay = f"\nreplay {len(outcome.replies)} at once: {curl_line(base_url, request)}"
    if outcome.server_errors:
        example = outcome.server_errors[0].summary()
        run.finding(
            "staging-concurrency-5xx",
            "blocker",
            f"concurrency: {route} fails under {len(outcome.replies)} simultaneous users: "
            f"{outcome.summary()}; e.g. {example}{replay}",
            "Errors that appear only when requests overlap are what real traffic hits first.",
            "Look for shared state without a lock or transaction, exhausted pools or worker "
            "limits; the container log names the error.",
            key=f"{route} 5xx",
            cwe=("CWE-362",),
        )
    if outcome.timeouts:
        run.finding(
            "staging-concurrency-timeout",
            "blocker",
            f"concurrency: {len(outcome.timeouts)} of {len(outcome.replies)} simultaneous "
            f"{route} requests got no answer within {settings.timeout:g} s (a deadlock or a "
            f"queue that never drains): {outcome.summary()}{replay}",
            "Requests stuck behind each other turn a traffic spike into an outage.",
            "Find what the requests wait on (a lock, a single worker, a pool of one) and "
            "bound it with timeouts.",
            key=f"{route} timeout",
            cwe=("CWE-833",),
        )
    if slow and not broken:
        run.finding(
            "staging-concurrency-slow",
            "warning",
            f"concurrency: p95 latency of {route} under {len(outcome.replies)} simultaneous "
            f"users is {outcome.percentile(0.95):.0f} ms, over the {settings.p95_ms:g} ms "
            f"budget ({outcome.summary()})",
            "Latency that grows with concurrency becomes timeouts at real load.",
            "Profile the route under load, or raise staging.concurrency.p95_ms.",
            key=f"{route} slow",
        )
    return broken


def _read_count(base_url: str, invariant: Invariant, timeout: float) -> tuple[int | None, str]:
    try:
        response = httpx.get(base_url + invariant.read, timeout=timeout)
    except httpx.HTTPError as exc:
        return None, f"GET {invariant.read}: {type(exc).__name__}"
    text = response.text[:4096]
    if response.status_code >= 400:
        return None, f"GET {invariant.read} answered {response.status_code}"
    if invariant.json_key:
        try:
            value: object = json.loads(text)
            for part in invariant.json_key.split("."):
                value = value[part] if isinstance(value, dict) else None
            return (int(value), text) if isinstance(value, int | float | str) else (None, text)
        except (ValueError, TypeError):
            return None, f"GET {invariant.read}: no number at {invariant.json_key!r}"
    match = _NUMBER.search(text)
    return (int(match.group()), text) if match else (None, f"no number in {text[:80]!r}")


def _check_invariant(run: StagingRun, base_url: str, invariant: Invariant) -> bool:
    """True when the writes broke something or lost updates."""
    settings = run.config.concurrency
    write = Route.parse(invariant.write)
    before, said = _read_count(base_url, invariant, settings.timeout)
    if before is None:
        run.exchange(SECTION, f"GET {invariant.read} (before)", said, "fail")
        run.finding(
            "staging-concurrency-invariant-unreadable",
            "warning",
            f"concurrency: the invariant's count could not be read before the writes: {said}",
            "Without the count, lost updates cannot be measured.",
            "Make staging.invariants[].read answer a number (or set json_key).",
            key=invariant.read,
        )
        return False
    request = Request(write.method, write.path, "identical writes", invariant.body.encode(), _JSON)
    run.progress(f"staging: {settings.users} concurrent users: {write} (invariant)")
    outcome = wave(base_url, request, settings.users, settings.timeout)
    broken = _judge(run, base_url, outcome)
    after, said = _read_count(base_url, invariant, settings.timeout)
    if after is None:
        run.exchange(SECTION, f"GET {invariant.read} after the writes", said, "fail")
        return broken
    expected = before + outcome.ok
    got = f"before {before}, {outcome.ok} writes succeeded, after {after}"
    lost = expected - after
    run.exchange(SECTION, f"GET {invariant.read} after the writes", got, "fail" if lost else "pass")
    if lost:
        run.finding(
            "staging-concurrency-lost-update",
            "blocker",
            f"concurrency: {outcome.ok} simultaneous {write} requests succeeded but "
            f"GET {invariant.read} went from {before} to {after}: {lost} update(s) lost"
            f"\nreplay {settings.users} at once: {curl_line(base_url, request)}",
            "A read-modify-write without a lock or transaction loses writes as soon as two "
            "users overlap: orders, balances and counters go wrong silently.",
            "Make the update atomic: a database transaction with SELECT ... FOR UPDATE, an "
            "atomic UPDATE x = x + 1, a lock, or a compare-and-set with retry.",
            key=f"{write} {invariant.read}",
            cwe=("CWE-362",),
        )
    return broken or bool(lost)
