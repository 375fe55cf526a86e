"""Property-based fuzzing from the service's own OpenAPI document, with schemathesis.

Generated valid and invalid requests per operation; a 5xx, a stack trace in the body, a
response that breaks the document's own schema, or a request that outlives the probe
timeout is an `input-validation` finding with the curl line schemathesis gives for it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import yaml

from readyterm.backends.staging.breakage import StagingRun
from readyterm.backends.staging.hostile import CWE, LogReader
from readyterm.backends.staging.probes import redact_log
from readyterm.backends.staging.traffic import Reply, Request

SECTION = "API fuzzing"
_SERVED = ("/openapi.json",)
_SHIPPED = ("openapi.yaml", "openapi.yml", "openapi.json", "docs/openapi.yaml", "api/openapi.yaml")


@dataclass
class Failure:
    operation: str
    kind: str  # 5xx | schema | stack-trace | hang
    what: str
    curl: str
    started: float
    seconds: float


def find_spec(run: StagingRun, base_url: str, timeout: float) -> tuple[dict[str, Any], str] | None:
    """The document and where it came from; None when the app neither serves nor ships one.
    A shipped document that cannot be read is a ValueError naming it."""
    configured = run.config.hostile.openapi
    served = [configured] if configured and configured.startswith("/") else list(_SERVED)
    shipped = [configured] if configured and not configured.startswith("/") else list(_SHIPPED)
    for path in served:
        try:
            response = httpx.get(base_url + path, timeout=timeout)
            document = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            document = None
        if isinstance(document, dict) and ("openapi" in document or "swagger" in document):
            return document, f"served at {path}"
    for name in shipped:
        file = (run.root / name).resolve()
        if not file.is_file() or not file.is_relative_to(run.root.resolve()):
            continue
        try:
            text = file.read_text("utf-8")
            loaded = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise ValueError(f"{name} could not be read: {' '.join(str(exc).split())}") from None
        if isinstance(loaded, dict):
            return loaded, name
    return None


def fuzz_openapi(run: StagingRun, base_url: str, budget: float, logs: LogReader) -> None:
    settings = run.config.hostile
    try:
        found = find_spec(run, base_url, settings.timeout)
    except ValueError as exc:
        run.probe("openapi-fuzz", "warn", str(exc)[:200])
        return
    if found is None:
        run.probe(
            "openapi-fuzz",
            "skipped",
            "no OpenAPI document (none served at /openapi.json, no openapi.yaml in the "
            "repository); set staging.hostile.openapi",
        )
        return
    document, source = found
    deadline = time.monotonic() + budget
    try:
        failures, cases, operations = _run(run, document, base_url, deadline)
    except Exception as exc:  # an invalid document or a schemathesis bug: say so, go on
        run.probe(
            "openapi-fuzz", "warn", f"the OpenAPI document ({source}) cannot be fuzzed: {exc}"[:300]
        )
        return
    cut = " (stopped at the time budget)" if time.monotonic() >= deadline else ""
    detail = (
        f"{cases} generated request(s) to {operations} operation(s) from the document "
        f"{source}: {len(failures)} problem(s){cut}"
    )
    run.probe("openapi-fuzz", "fail" if failures else "pass", detail)
    # One finding per operation and kind, replayed by its shortest request.
    shortest: dict[tuple[str, str], Failure] = {}
    for failure in failures:
        key = (failure.operation, failure.kind)
        if key not in shortest or len(failure.curl) < len(shortest[key].curl):
            shortest[key] = failure
    for failure in shortest.values():
        _report(run, failure, logs)


class _Fuzzer:
    """Sends schemathesis' generated cases and keeps what went wrong (never raises for it)."""

    def __init__(self, run: StagingRun, base_url: str, deadline: float) -> None:
        from schemathesis.checks import not_a_server_error
        from schemathesis.specs.openapi.checks import response_schema_conformance

        self.run, self.base_url, self.deadline = run, base_url, deadline
        self.timeout = run.config.hostile.timeout
        self.checks = {"5xx": not_a_server_error, "schema": response_schema_conformance}
        self.failures: list[Failure] = []
        self.cases = 0

    def out_of_time(self) -> bool:
        return self.run.cancel.is_set() or time.monotonic() + self.timeout > self.deadline

    def attempt(self, case: Any, mode: str) -> None:
        import requests

        if self.out_of_time():
            return  # the remaining examples pass without a request
        self.cases += 1
        label = case.operation.label
        self.run.progress(f"staging: API fuzzing: {label}")
        started, wall = time.monotonic(), time.time()
        try:
            response = case.call(base_url=self.base_url, timeout=self.timeout)
        except requests.exceptions.Timeout:
            self.failures.append(_failure(case, self.base_url, "hang", "no answer", wall, started))
            return
        except requests.exceptions.RequestException as exc:
            self.run.exchange(SECTION, label, type(exc).__name__, "warn")
            return
        reply = Reply(
            Request(case.method, case.formatted_path, mode),
            response.status_code,
            time.monotonic() - started,
            wall,
            response.text[:65536],
        )
        problems = self.problems(case, response, reply)
        verdict = "fail" if problems else "pass"
        self.run.exchange(
            SECTION, f"{label}  {mode}: {_shown_body(case)}", reply.summary(), verdict
        )
        for kind, what in problems:
            self.failures.append(_failure(case, self.base_url, kind, what, wall, started))

    def problems(self, case: Any, response: Any, reply: Reply) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if reply.stack_trace:
            found.append(("stack-trace", f"a stack trace in the body: {reply.stack_trace}"))
        for kind, check in self.checks.items():
            try:
                case.validate_response(response, checks=[check])
            # schemathesis raises a FailureGroup, a BaseExceptionGroup of failures.
            except (AssertionError, BaseExceptionGroup) as exc:
                what = f"answered {response.status_code}" if kind == "5xx" else _first_failure(exc)
                found.append((kind, what))
        return found


def _run(
    run: StagingRun, document: dict[str, Any], base_url: str, deadline: float
) -> tuple[list[Failure], int, int]:
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.core.result import Ok

    # An explicit config: schemathesis would otherwise read a schemathesis.toml from the cwd.
    schema = schemathesis.openapi.from_dict(document, config=schemathesis.Config())
    fuzzer = _Fuzzer(run, base_url, deadline)
    limits = settings(
        max_examples=run.config.hostile.max_examples,
        deadline=None,
        database=None,  # never write a .hypothesis folder into the user's cwd
        derandomize=True,
        phases=[Phase.generate],  # every failure is kept; shrinking costs time
        suppress_health_check=list(HealthCheck),
    )
    operations = 0
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):  # an operation the document describes wrongly
            run.exchange(SECTION, "(the document)", str(result.err())[:200], "warn")
            continue
        operation = result.ok()
        operations += 1
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)
            limits(given(case=strategy)(_sender(fuzzer, mode.value)))()
            if fuzzer.out_of_time():
                return fuzzer.failures, fuzzer.cases, operations
    return fuzzer.failures, fuzzer.cases, operations


def _sender(fuzzer: _Fuzzer, mode: str) -> Callable[[Any], None]:
    """The test function hypothesis drives: one generated case, sent and judged."""

    def send_case(case: Any) -> None:
        fuzzer.attempt(case, mode)

    return send_case


def _shown_body(case: Any) -> str:
    body = getattr(case, "body", None)
    if isinstance(body, dict | list | str | int | float | bool):
        return json.dumps(body, ensure_ascii=True)[:100]
    return "(no body)"


def _first_failure(exc: BaseException) -> str:
    inner = getattr(exc, "exceptions", None) or [exc]
    first = inner[0]
    title = getattr(first, "title", "") or type(first).__name__
    message = " ".join(str(getattr(first, "message", "") or first).split())
    return f"{title}: {message}"[:300]


def _failure(
    case: Any, base_url: str, kind: str, what: str, wall: float, started: float
) -> Failure:
    try:
        curl = case.as_curl_command(base_url=base_url)
    except Exception:  # a case schemathesis cannot render: the operation still names it
        curl = f"{case.method} {base_url}{case.formatted_path}"
    return Failure(case.operation.label, kind, what, curl, wall, time.monotonic() - started)


_TITLES = {
    "5xx": "a server error",
    "schema": "a response that breaks its own schema",
    "stack-trace": "a stack trace in the response",
    "hang": "a request that hangs",
}


def _report(run: StagingRun, failure: Failure, logs: LogReader) -> None:
    server_log = [redact_log(x) for x in logs(failure.started, failure.started + failure.seconds)]
    message = (
        f"input-validation: {failure.operation} gives {_TITLES[failure.kind]} on a generated "
        f"request: {failure.what}\nreplay: {failure.curl}"
    )
    if server_log:
        message += "\nserver log:\n" + "\n".join(server_log[-8:])
    schema_break = failure.kind == "schema"
    run.finding(
        f"staging-input-validation-{'schema' if schema_break else failure.kind}",
        "warning" if schema_break else "blocker",
        message,
        "The API document is the contract clients are built against; a request that fits "
        "it (or nearly does) must not crash, hang or get an answer the document says "
        "cannot happen.",
        "Validate the request against the same schema the document publishes, answer 4xx "
        "for what does not fit, and make responses match their declared schema.",
        key=f"{failure.operation} {failure.kind}",
        cwe=CWE[failure.kind],
    )
