"""HTTP probes against the running container and a read of its logs."""

from __future__ import annotations

import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

_REQUEST_TIMEOUT = 10.0
_TRACEBACK = re.compile(r"^Traceback \(most recent call last\):")
_ERROR_LINE = re.compile(r"\b(ERROR|FATAL|CRITICAL|PANIC)\b")
_LOCALHOST_REFUSED = re.compile(
    r"(connection refused|ECONNREFUSED|could not connect|failed to connect).*"
    r"(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)|"
    r"(localhost|127\.0\.0\.1|\[::1\]).*(connection refused|ECONNREFUSED)",
    re.I,
)
_SECRET = re.compile(
    r"(?P<key>(?i:password|passwd|secret|token|api_key)\s*[=:]\s*)\S+|"
    r"\b(?:sk|pk|rk)_(?:live|test)_[0-9A-Za-z]{8,}|\bAKIA[0-9A-Z]{16}\b"
)


@dataclass(frozen=True)
class Answer:
    path: str
    status: int | None
    seconds: float
    error: str | None = None


def get(base_url: str, path: str) -> Answer:
    started = time.monotonic()
    try:
        response = httpx.get(base_url + path, timeout=_REQUEST_TIMEOUT)
    except httpx.HTTPError as exc:
        return Answer(path, None, time.monotonic() - started, f"{type(exc).__name__}: {exc}"[:200])
    return Answer(path, response.status_code, time.monotonic() - started)


@dataclass
class BurstOutcome:
    requests: int
    server_errors: int
    connection_errors: int
    p95_ms: float
    examples: list[str] = field(default_factory=list)


def burst(base_url: str, paths: list[str], requests: int, concurrency: int) -> BurstOutcome:
    """A bounded burst: `requests` GETs over the paths, `concurrency` at a time, loopback only."""
    targets = [paths[i % len(paths)] for i in range(requests)]
    with (
        httpx.Client(
            base_url=base_url,
            timeout=_REQUEST_TIMEOUT,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        ) as client,
        ThreadPoolExecutor(max_workers=concurrency) as pool,
    ):
        answers = list(pool.map(lambda p: _timed(client, p), targets))
    server = [a for a in answers if a.status is not None and a.status >= 500]
    failed = [a for a in answers if a.status is None]
    latencies = sorted(a.seconds * 1000 for a in answers if a.status is not None)
    p95 = (
        statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 2 else (latencies or [0])[0]
    )
    examples = [f"{a.path} answered {a.status}" for a in server[:3]]
    examples += [f"{a.path}: {a.error}" for a in failed[:3]]
    return BurstOutcome(len(answers), len(server), len(failed), p95, examples)


def _timed(client: httpx.Client, path: str) -> Answer:
    started = time.monotonic()
    try:
        response = client.get(path)
    except httpx.HTTPError as exc:
        return Answer(path, None, time.monotonic() - started, type(exc).__name__)
    return Answer(path, response.status_code, time.monotonic() - started)


@dataclass(frozen=True)
class LogEvent:
    kind: str  # traceback | error | localhost
    line: str


def scan_logs(lines: list[str], limit: int = 5) -> list[LogEvent]:
    """Tracebacks (reported by their last line), ERROR/FATAL lines, localhost refusals."""
    events: list[LogEvent] = []
    in_traceback = False
    for raw in lines:
        line = redact_log(raw.rstrip())
        if _TRACEBACK.search(line):
            in_traceback = True
            continue
        if in_traceback and line and not line.startswith((" ", "\t")):
            events.append(LogEvent("traceback", line))
            in_traceback = False
            continue
        if in_traceback:
            continue
        if _LOCALHOST_REFUSED.search(line):
            events.append(LogEvent("localhost", line))
        elif _ERROR_LINE.search(line):
            events.append(LogEvent("error", line))
    if in_traceback:
        events.append(LogEvent("traceback", "(traceback cut off at the end of the log)"))
    seen: set[tuple[str, str]] = set()
    unique = []
    for event in events:
        if (event.kind, event.line) not in seen:
            seen.add((event.kind, event.line))
            unique.append(event)
    per_kind: dict[str, int] = {}
    kept = []
    for event in unique:
        per_kind[event.kind] = per_kind.get(event.kind, 0) + 1
        if per_kind[event.kind] <= limit:
            kept.append(event)
    return kept


def redact_log(line: str) -> str:
    return _SECRET.sub(lambda m: (m.group("key") or "") + "«redacted»", line)[:500]
