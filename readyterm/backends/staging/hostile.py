"""Hostile input: a fixed corpus of malicious and malformed requests against every route.

A 5xx, a stack trace in the body or a request that outlives the probe timeout is an
`input-validation` finding with the request as a curl line and the server's log of that moment.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from readyterm.backends.staging.breakage import StagingRun
from readyterm.backends.staging.probes import redact_log
from readyterm.backends.staging.routes import Route, concrete, has_params
from readyterm.backends.staging.traffic import Reply, Request, curl_line, send

SECTION = "hostile input"
LogReader = Callable[[float, float], list[str]]

_SQL = "' OR '1'='1' --"
_SCRIPT = "<script>alert(1)</script>"
_TRAVERSAL = "../../../../../../etc/passwd"
_QUERY_NAMES = ("id", "q", "name", "status", "file")
_JSON = {"Content-Type": "application/json"}
_MEGABYTE = 1024 * 1024


def _query(value: str) -> str:
    return "?" + "&".join(f"{name}={quote(value, safe='')}" for name in _QUERY_NAMES)


#: (what it tries, query string) for every route.
QUERIES = (
    ("SQL injection in the query", _query(_SQL)),
    ("a script in the query", _query(_SCRIPT)),
    ("path traversal in the query", _query(_TRAVERSAL)),
)
#: (what it tries, body, headers) for routes that take a body.
BODIES: tuple[tuple[str, bytes, dict[str, str]], ...] = (
    ("invalid JSON", b'{"id": 1, "name": ', _JSON),
    ("an empty body", b"", _JSON),
    ("a JSON array instead of an object", b"[1, 2, 3]", _JSON),
    (
        "wrong types",
        json.dumps({"id": "abc", "amount": "NaN", "quantity": -1, "items": None}).encode(),
        _JSON,
    ),
    (
        "SQL, script and path payloads in the fields",
        json.dumps({"id": _SQL, "name": _SCRIPT, "file": _TRAVERSAL, "status": _SQL}).encode(),
        _JSON,
    ),
    ("a 1 MB body", b'{"data": "' + b"a" * _MEGABYTE + b'"}', _JSON),
    ("the wrong content type", b"<order><id>1</id></order>", {"Content-Type": "application/xml"}),
)


def corpus(route: Route) -> list[Request]:
    # A route that takes a body gets a plain one with the query, so that only the query is hostile.
    body, headers = (b"{}", _JSON) if route.changes_state else (None, {})
    requests = [
        Request(route.method, route.path + query, label, body, dict(headers))
        for label, query in QUERIES
    ]
    if has_params(route.template):  # the path parameter itself: /orders/<id>
        requests += [
            Request(
                route.method,
                concrete(route.template, quote(value, safe="")),
                label,
                body,
                dict(headers),
            )
            for label, value in (
                ("SQL injection in the path", _SQL),
                ("path traversal in the path", _TRAVERSAL),
            )
        ]
    if route.changes_state:
        requests += [
            Request(route.method, route.path, label, body, dict(headers))
            for label, body, headers in BODIES
        ]
    return requests


@dataclass(frozen=True)
class Problem:
    kind: str  # 5xx | stack-trace | hang
    reply: Reply

    def describe(self) -> str:
        reply = self.reply
        if self.kind == "hang":
            return f"no answer within {reply.seconds:.1f} s"
        if self.kind == "stack-trace":
            return f"a stack trace in the {reply.status} response: {reply.stack_trace}"
        return f"answered {reply.status}"


def judge(reply: Reply) -> Problem | None:
    if reply.timed_out:
        return Problem("hang", reply)
    if reply.stack_trace is not None:
        return Problem("stack-trace", reply)
    if reply.status is not None and reply.status >= 500:
        return Problem("5xx", reply)
    return None


def hostile_input(run: StagingRun, base_url: str, routes: list[Route], logs: LogReader) -> float:
    """Send the corpus; returns the seconds of the probe's budget that are left."""
    settings = run.config.hostile
    deadline = time.monotonic() + settings.budget
    requests = [request for route in routes for request in corpus(route)]
    problems: dict[tuple[str, str, str], list[Problem]] = {}
    sent = 0
    with httpx.Client(base_url=base_url) as client:
        for request in requests:
            if run.cancel.is_set() or time.monotonic() + settings.timeout > deadline:
                break
            run.progress(f"staging: hostile input: {request.method} {request.path[:60]}")
            reply = send(client, request, settings.timeout)
            sent += 1
            problem = judge(reply)
            run.exchange(
                SECTION,
                f"{request.method} {request.path.split('?')[0]}  {request.label}",
                reply.summary(),
                "fail" if problem else "pass",
            )
            if problem is not None:
                key = (request.method, request.path.split("?")[0], problem.kind)
                problems.setdefault(key, []).append(problem)
    cut = len(requests) - sent
    found = len(problems)
    detail = f"{sent} hostile request(s) to {len(routes)} route(s): {found} problem(s)"
    if cut:
        detail += f"; {cut} not sent (the {settings.budget:g} s budget ran out)"
    run.probe("hostile-input", "fail" if found else ("warn" if cut else "pass"), detail)
    for (method, path, kind), seen in problems.items():
        _report(run, base_url, method, path, kind, seen, logs)
    return deadline - time.monotonic()


#: Improper input validation, a stack trace shown to the client, a resource held forever.
CWE = {"5xx": ("CWE-20",), "stack-trace": ("CWE-209",), "hang": ("CWE-400",), "schema": ()}
_TITLES = {
    "5xx": "a server error",
    "stack-trace": "a stack trace in the response",
    "hang": "a request that hangs",
}


def _report(
    run: StagingRun,
    base_url: str,
    method: str,
    path: str,
    kind: str,
    seen: list[Problem],
    logs: LogReader,
) -> None:
    first = seen[0]
    reply = first.reply
    server_log = [redact_log(line) for line in logs(reply.started, reply.started + reply.seconds)]
    labels = ", ".join(problem.reply.request.label for problem in seen)
    message = (
        f"input-validation: {method} {path} gives {_TITLES[kind]} on hostile input "
        f"({labels}): {first.describe()}\nreplay: {curl_line(base_url, reply.request)}"
    )
    if server_log:
        message += "\nserver log:\n" + "\n".join(server_log[-8:])
    run.finding(
        f"staging-input-validation-{kind}",
        "blocker",
        message,
        "Production gets malformed and malicious requests every day; an unhandled one is a "
        "500 for that client, a leaked stack trace tells an attacker the code, and a hang "
        "ties up a worker.",
        "Validate the request before using it (a schema: pydantic, marshmallow, zod) and "
        "answer 400/413/415/422 with a short message; never return the exception text.",
        key=f"{method} {path} {kind}",
        cwe=CWE[kind],
    )
