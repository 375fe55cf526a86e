"""One request to the staged service, what came back, and how to replay it with curl."""

from __future__ import annotations

import re
import shlex
import time
from dataclasses import dataclass, field

import httpx

#: A stack trace in a response body: Python, Java/JS ("at x (file:1)"), Go, Ruby, PHP, .NET.
_STACK_TRACE = re.compile(
    r"Traceback \(most recent call last\)|"
    r"^\s+at [\w$.<>]+ ?\(.*:\d+(:\d+)?\)|"
    r"^goroutine \d+ \[|"
    r"\.rb:\d+:in `|"
    r"(Fatal error|Stack trace):.*\.php|"
    r"^\s+at [\w.]+\(.*\) in .*:line \d+|"
    r'File "[^"]+", line \d+, in ',
    re.M,
)
_SHOWN_BODY = 160
_KEPT_BODY = 65536
#: Bodies longer than this are replayed from a generated file, not inlined in the curl line.
_INLINE_BODY = 2000


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    label: str  # what the request tries: "invalid JSON", "SQL in the query"
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    request: Request
    status: int | None
    seconds: float
    started: float  # wall clock, to find the server's log lines of that moment
    body: str = ""
    error: str | None = None  # a timeout or a dropped connection

    @property
    def timed_out(self) -> bool:
        return self.error is not None and "Timeout" in self.error

    @property
    def stack_trace(self) -> str | None:
        match = _STACK_TRACE.search(self.body)
        if match is None:
            return None
        line_start = self.body.rfind("\n", 0, match.start()) + 1
        return self.body[line_start : line_start + 200].splitlines()[0].strip()

    def summary(self) -> str:
        """What came back, in one line: '500 in 12 ms: Internal error…'."""
        if self.status is None:
            return f"{self.error} after {self.seconds:.1f} s"
        excerpt = " ".join(self.body.split())[:_SHOWN_BODY]
        return f"{self.status} in {self.seconds * 1000:.0f} ms" + (
            f": {excerpt}" if excerpt else ""
        )


def send(client: httpx.Client, request: Request, timeout: float) -> Reply:
    started, wall = time.monotonic(), time.time()
    kept = bytearray()
    try:
        with client.stream(
            request.method,
            request.path,
            content=request.body,
            headers=request.headers,
            timeout=timeout,
        ) as response:
            # Only the start of the body is judged: a service that answers a hostile request
            # with gigabytes does not fill our memory.
            for chunk in response.iter_bytes():
                kept += chunk
                if len(kept) >= _KEPT_BODY:
                    break
                if time.monotonic() - started > timeout:  # a trickle resets read timeouts
                    seconds = time.monotonic() - started
                    return Reply(request, None, seconds, wall, error="Timeout: a trickling body")
    except httpx.HTTPError as exc:
        return Reply(request, None, time.monotonic() - started, wall, error=type(exc).__name__)
    body = bytes(kept[:_KEPT_BODY]).decode("utf-8", "replace")
    return Reply(request, response.status_code, time.monotonic() - started, wall, body)


def curl_line(base_url: str, request: Request) -> str:
    """A command that sends the same request again (a huge body is generated, not inlined)."""
    parts = ["curl", "-sS", "-i", "-X", request.method, shlex.quote(base_url + request.path)]
    for name, value in request.headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    body = request.body
    if body is not None and len(body) > _INLINE_BODY:
        filler = chr(body[0]) if body and len(set(body)) == 1 else "a"
        parts += [
            "--data-binary",
            f"@<(head -c {len(body)} /dev/zero | tr '\\0' {shlex.quote(filler)})",
        ]
    elif body is not None:
        parts += ["--data-binary", shlex.quote(body.decode("utf-8", "replace"))]
    return " ".join(parts)
