"""The one way readyterm runs an external program: always with a timeout, never raising.

Callers get a `ToolRun` back and decide what a failure means for them; the message for
a missing, hanging or crashing tool is written here once so every backend says it alike.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

BUNDLED_TOOLS = frozenset({"semgrep", "bandit"})
_POLL_SECONDS = 0.1
_TAIL_LINES = 12


@dataclass(frozen=True)
class ToolRun:
    argv: tuple[str, ...]
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    missing: bool = False
    timed_out: bool = False
    cancelled: bool = False

    @property
    def tool(self) -> str:
        return Path(self.argv[0]).name if self.argv else "?"

    def stderr_tail(self, lines: int = _TAIL_LINES) -> str:
        return "\n".join(self.stderr.strip().splitlines()[-lines:])

    def failure(self, timeout: float | None = None) -> str:
        """A readable reason the run went wrong (for `error` outcomes)."""
        if self.missing:
            return (
                f"{self.tool} was not found on PATH; install it "
                f"(`pip install readyterm` brings semgrep and bandit) or fix PATH"
            )
        if self.timed_out:
            limit = f" after {timeout:g} s" if timeout else ""
            return (
                f"{self.tool} did not finish{limit} and was stopped; raise the limit "
                f"with `timeouts.{self.tool}` in .readyterm.yaml or narrow the scope"
            )
        if self.cancelled:
            return f"{self.tool} was cancelled"
        tail = self.stderr_tail() or "(no output on stderr)"
        return f"{self.tool} exited with code {self.returncode}:\n{tail}"


def run_tool(
    argv: Sequence[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    cancel: threading.Event | None = None,
) -> ToolRun:
    """Run argv to completion, a timeout, or cancellation; kill its whole process group."""
    argv = tuple(str(part) for part in argv)
    started = time.monotonic()
    executable = resolve_executable(argv[0], env or os.environ)
    if executable is None:
        return ToolRun(argv, None, "", "", 0.0, missing=True)
    try:
        # A new session so a timeout or Ctrl-C can kill the tool's children too
        # (semgrep forks its OCaml core; a stray child would keep the pipe open).
        proc = subprocess.Popen(
            (executable, *argv[1:]),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return ToolRun(argv, None, "", f"could not start {argv[0]}: {exc}", 0.0)

    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [
        threading.Thread(target=_drain, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=_drain, args=(proc.stderr, err_chunks), daemon=True),
    ]
    for reader in readers:
        reader.start()

    timed_out = cancelled = False
    deadline = started + timeout
    try:
        while proc.poll() is None:
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            if time.monotonic() >= deadline:
                timed_out = True
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(_POLL_SECONDS)
    finally:
        if proc.poll() is None:
            _kill_group(proc)
    for reader in readers:
        reader.join(timeout=5)
    return ToolRun(
        argv,
        None if (timed_out or cancelled) else proc.returncode,
        b"".join(out_chunks).decode("utf-8", "replace"),
        b"".join(err_chunks).decode("utf-8", "replace"),
        time.monotonic() - started,
        timed_out=timed_out,
        cancelled=cancelled,
    )


def resolve_executable(name: str, env: Mapping[str, str]) -> str | None:
    """READYTERM_<TOOL>_BIN, else the tool installed beside readyterm, else PATH.

    Beside readyterm first because `pipx install readyterm` puts semgrep and bandit in
    readyterm's own environment, not on PATH, and those are the versions it was tested with.
    """
    override = env.get(f"READYTERM_{name.upper()}_BIN")
    if override:
        return shutil.which(override)
    beside = Path(sys.executable).parent / name
    if name in BUNDLED_TOOLS and beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name, path=env.get("PATH"))


def _drain(stream: object, sink: list[bytes]) -> None:
    read = getattr(stream, "read", None)
    if read is None:
        return
    while chunk := read(65536):
        sink.append(chunk)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(2)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
