"""The walkthrough's checks in a process of their own, so they never slow the screen down.

The core's work between the tools (parsing semgrep's JSON, hashing files, `ast`-parsing
every Python file for the project checks) holds the GIL for long stretches; in the app's
process that made key presses wait hundreds of milliseconds while the steps ran, and
preparing the run (the scope, the rule packs) delayed the first frame by seconds on a big
repository. Here the app only draws: `CheckServer` forks a helper before Textual is
imported (the process is still single-threaded), and the helper prepares and runs each run
the app asks for, sending the core's events back over a pipe. Neither side imports what it
does not use: the helper imports the scanning code (runner, backends, config models) on
another core while the app imports Textual and draws its first frame.

The helper leaves the terminal alone (its own session, stdio on /dev/null). It stops its
tools when the app cancels, quits or dies: the app's end of the pipe closing is the signal.
No Textual here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import traceback
from collections.abc import Generator
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from readyterm.engine.events import Event, RunFinished, RunOptions
from readyterm.engine.result import RunResult
from readyterm.foundation.errors import ExitCode, ReadytermError
from readyterm.foundation.findings import Finding
from readyterm.foundation.procs import lower_priority
from readyterm.tui.source import Header, HeaderKnown, RunSource, Snapshot, header_of

#: How long the app waits for the helper to stop its tools when it quits.
_STOP_SECONDS = 15.0
#: Added to the helper's niceness, and so to its tools': they yield the CPU to the screen and
#: the terminal (at 10, p95 key latency on a busy 2-core machine was 119 ms; at 19, 87 ms).
_HELPER_NICENESS = 19


class HelperError(ReadytermError):
    """A failure the helper reported: a ReadytermError there keeps its code and hint."""

    def __init__(self, message: str, hint: str | None, exit_code: int) -> None:
        super().__init__(message, hint)
        self.exit_code = ExitCode(exit_code)


class HelperCrash(Exception):
    """An unexpected exception in the helper (a bug): its type, message and traceback."""


# --- the helper's side -----------------------------------------------------------------


def _serve(conn: Connection, apps_end: Connection) -> None:
    """The helper's main loop: one run at a time, until the app's end of the pipe closes."""
    apps_end.close()  # a forked copy of it: kept open, the app closing its own went unseen
    with contextlib.suppress(OSError):  # no SIGINT/SIGHUP from the app's terminal
        os.setsid()
    _yield_cpu_to_screen()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    requests: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
    current: list[threading.Event] = [threading.Event()]

    def stop(_signum: int, _frame: object) -> None:
        current[0].set()
        requests.put(None)

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, stop)

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message[0] == "cancel":
                current[0].set()
            else:
                requests.put(message)
        current[0].set()  # the app is gone: stop whatever runs
        requests.put(None)

    threading.Thread(target=read, name="readyterm-helper-reader", daemon=True).start()
    while (request := requests.get()) is not None:
        _, options, steps = request
        cancel = threading.Event()
        current[0] = cancel
        if not _run(conn, options, steps, cancel):
            break


def _yield_cpu_to_screen() -> None:
    """Lower the helper's priority (its tools inherit it): key presses come before scans.

    On a machine whose cores semgrep and bandit fill, the screen otherwise waits its turn at
    every wake-up. The helper has a session of its own, so the session's niceness is set too.
    """
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    lower_priority(os.getpid(), min(ours + _HELPER_NICENESS, 19))


def _run(
    conn: Connection, options: RunOptions, steps: tuple[str, ...] | None, cancel: threading.Event
) -> bool:
    """One run, its events sent as they come; False when the app went away."""
    try:
        # Here, not at the top: the app's process never needs the scanning code, and the
        # helper imports it on its own core while the app imports Textual and draws.
        from readyterm.engine.runner import prepare, run_checklist
        from readyterm.engine.scope import code_digest

        prepared = prepare(replace(options, steps=steps or options.steps))
        conn.send(("event", HeaderKnown(header_of(prepared.scope, prepared.scope.root.name))))
        events = run_checklist(prepared, cancel)
        try:
            for event in events:
                if isinstance(event, RunFinished):
                    scope = event.result.scope
                    digest = code_digest(prepared.scope.root, scope.files, scope.deleted)
                    conn.send(("finished", event, digest))
                else:
                    conn.send(("event", event))
        finally:
            events.close()  # stops the tools when we left early
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return False
    except ReadytermError as exc:
        return _send(conn, ("error", exc.message, exc.hint, int(exc.exit_code)))
    except BaseException as exc:  # a bug: the app shows it, the helper serves on
        text = "".join(traceback.format_exception(exc))
        return _send(conn, ("crash", f"{type(exc).__name__}: {exc}", text))
    return _send(conn, ("done",))


def _send(conn: Connection, message: tuple[Any, ...]) -> bool:
    try:
        conn.send(message)
        return True
    except OSError:
        return False


# --- the app's side --------------------------------------------------------------------


class CheckServer:
    """The app's handle on the helper: start it early, run through it, stop it at the end."""

    def __init__(self) -> None:
        # fork while single-threaded: the helper inherits the imported core, no spawn cost.
        single = threading.active_count() == 1
        context: Any = multiprocessing.get_context("fork" if single else "spawn")
        self._conn, child = context.Pipe()
        self._process: multiprocessing.process.BaseProcess = context.Process(
            target=_serve, args=(child, self._conn), name="readyterm-checks"
        )
        self._process.start()
        child.close()
        self._dirty = False  # a run was left early: its remaining messages are still coming
        self.last_digest = ""

    def events(
        self, options: RunOptions, steps: tuple[str, ...] | None, cancel: threading.Event
    ) -> Generator[Event | HeaderKnown, None, None]:
        """Ask the helper for a run and yield its events; cancel (or close) stops its tools."""
        conn = self._conn
        if self._dirty:
            self._drain()
        conn.send(("run", options, steps))
        self._dirty = True
        cancelled = False
        try:
            while True:
                if cancel.is_set() and not cancelled:
                    conn.send(("cancel",))
                    cancelled = True
                if not conn.poll(0.1):
                    if not self._process.is_alive() and not conn.poll():
                        raise HelperCrash(
                            f"the checks' helper process exited ({self._process.exitcode})"
                        )
                    continue
                message = conn.recv()
                kind = message[0]
                if kind == "event":
                    yield message[1]
                elif kind == "finished":
                    self.last_digest = message[2]
                    yield message[1]
                elif kind == "done":
                    self._dirty = False
                    return
                elif kind == "error":
                    self._dirty = False
                    raise HelperError(message[1], message[2], message[3])
                elif kind == "crash":
                    self._dirty = False
                    raise HelperCrash(message[1])
        finally:
            if self._dirty and not cancelled:
                with contextlib.suppress(OSError):
                    conn.send(("cancel",))

    def _drain(self) -> None:
        while True:
            if not self._conn.poll(_STOP_SECONDS):
                raise HelperCrash("the checks' helper process stopped answering")
            if self._conn.recv()[0] in ("done", "error", "crash"):
                self._dirty = False
                return

    def stop(self) -> None:
        """Close the pipe (the helper cancels and stops its tools), wait, then make sure."""
        self._conn.close()
        self._process.join(_STOP_SECONDS)
        if self._process.is_alive():
            self._process.terminate()  # SIGTERM: it still cancels its tools
            self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)


class ProcessSource(RunSource):
    """The real checks, run by the helper: `LiveSource` without the work in the app's process.

    The header is known once the helper has prepared the first run (`HeaderKnown`); until
    then it says the run is being prepared.
    """

    def __init__(self, options: RunOptions, server: CheckServer, root: Path) -> None:
        self.options = options
        self.server = server
        self.root = root
        mode = "all" if options.whole else "diff"
        self._header = Header(root.name, None, None, None, mode, 0, preparing=True)

    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[Event | HeaderKnown, None, None]:
        events = self.server.events(replace(self.options, carried=carried), steps, cancel)
        try:
            for event in events:
                if isinstance(event, HeaderKnown):
                    self._header = event.header
                yield event
        finally:
            events.close()

    def snapshot(self) -> Snapshot:
        from readyterm.tui.live import snapshot_of  # in a worker, when a record is written

        return snapshot_of(self.options)

    def digest(self, result: RunResult) -> str:
        return self.server.last_digest
