"""`readyterm mcp`: the checklist as MCP tools over stdio, for coding assistants.

Each call runs in a worker thread while the event loop keeps reading the client: progress
goes back as notifications, and a cancelled call (or a server that is stopped) sets the run's
cancel switch, which stops the tools' processes as Ctrl-C does on the command line.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

import anyio
import anyio.lowlevel
import anyio.to_thread
from anyio import from_thread
from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.session import ServerSession
from mcp.server.stdio import stdio_server

from readyterm import __version__
from readyterm.cli.mcp.handlers import Call, Handlers
from readyterm.cli.mcp.replies import answer, crash, failure, validate
from readyterm.cli.mcp.tools import TOOLS
from readyterm.foundation.errors import ExitCode, ReadytermError
from readyterm.foundation.steps import STEP_IDS

INSTRUCTIONS = """\
readyterm checks a code change against a pre-deployment checklist (configuration from the
environment, error handling of external calls, input validation, concurrency, performance,
logging, monitoring, tests, a staging container). Loop: run_checks on the repository; for each
open finding call explain_finding and fix the code at its cause; run_checks again until the
verdict is ready. Waive a finding only for a risk the developer has accepted, with their
reason; attest only with the developer's own answers."""

#: Progress notes between two finished steps before the rest are dropped: the reported
#: progress must grow with every notification, and it approaches the next step's value.
_NOTES_PER_STEP = 30
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class ProgressSender:
    """Progress notifications for one call, sent from its worker thread.

    Progress is the number of finished steps (of all nine), and grows a little with each
    note in between, as the protocol wants every notification to show more progress.
    """

    def __init__(
        self, session: ServerSession, token: types.ProgressToken | None, request: types.RequestId
    ) -> None:
        self.session, self.token, self.request = session, token, request
        self.finished = 0
        self.notes = 0

    def __call__(self, message: str, finished: bool) -> None:
        if self.token is None:
            return
        if finished:
            self.finished, self.notes = self.finished + 1, 0
            value = float(self.finished)
        elif self.notes >= _NOTES_PER_STEP:
            return
        else:
            self.notes += 1
            value = self.finished + 1 - math.pow(0.5, self.notes)
        # A client that went away is no error here: its call is being cancelled anyway.
        with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):
            from_thread.run(
                self.session.send_progress_notification,
                self.token,
                value,
                float(len(STEP_IDS)),
                message,
                str(self.request),
            )


def build_server(handlers: Handlers, crash_log: Callable[[], str]) -> Server[Any, Any]:
    """The server; crash_log writes the traceback of a bug and says where (the CLI's)."""
    server: Server[Any, Any] = Server("readyterm", version=__version__, instructions=INSTRUCTIONS)

    async def list_tools() -> list[types.Tool]:
        return list(TOOLS)

    async def call_tool(name: str, arguments: dict[str, Any] | None) -> types.CallToolResult:
        context = server.request_context
        token = context.meta.progressToken if context.meta else None
        progress = ProgressSender(context.session, token, context.request_id)
        call = Call(arguments={}, progress=progress)
        try:
            call.arguments = validate(name, arguments)
        except ReadytermError as exc:
            return failure(exc)
        return await _run_in_thread(handlers, name, call, crash_log)

    server.list_tools()(list_tools)  # type: ignore[no-untyped-call]
    # Arguments are validated by `validate`, which answers in the command line's words.
    server.call_tool(validate_input=False)(call_tool)
    return server


async def _run_in_thread(
    handlers: Handlers, name: str, call: Call, crash_log: Callable[[], str]
) -> types.CallToolResult:
    def work() -> types.CallToolResult:
        try:
            return answer(handlers.call(name, call))
        except ReadytermError as exc:
            return failure(exc)
        except Exception:  # the one place a tool's bug becomes a message, as in the CLI
            return crash(crash_log())

    over = anyio.Event()

    async def cancel_when_cancelled() -> None:
        try:
            await over.wait()
        except anyio.get_cancelled_exc_class():
            call.cancel.set()  # the client cancelled the call: stop the tools
            raise

    handlers.running.add(call.cancel)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(cancel_when_cancelled)
            # Not abandoned on cancel: the thread is waited for, so the tools are stopped
            # (and nothing is half-written) before the call ends.
            result = await anyio.to_thread.run_sync(work)
            over.set()
    finally:
        handlers.running.discard(call.cancel)
    # A cancellation that came while the thread ran is raised here (the SDK has answered
    # the request already), instead of this call answering it a second time.
    await anyio.lowlevel.checkpoint()
    return result


def serve(
    crash_log: Callable[[], str], stopped: Callable[[signal.Signals], BaseException]
) -> ExitCode:
    """Serve MCP on stdin/stdout until the client closes them (or a signal stops it).

    The command line hands in how it reports a bug (crash_log) and a stop by a signal
    (stopped: the exception it turns into its message and exit code).
    """
    if sys.stdin.isatty():  # started by hand: say what this waits for
        print(
            "readyterm mcp: serving MCP on stdin/stdout for a coding assistant "
            "(configure it to run `readyterm mcp`); Ctrl-C stops",
            file=sys.stderr,
        )
    reader, writer = _claim_stdio()
    handlers = Handlers()
    stopped_by: list[signal.Signals] = []

    async def stop_on_signal(scope: anyio.CancelScope) -> None:
        # The loop's own handlers, not the command line's (which raise wherever the main
        # thread is): the calls are cancelled, their tools stopped, and then the server ends.
        with anyio.open_signal_receiver(*_STOP_SIGNALS) as signals:
            async for signum in signals:
                stopped_by.append(signal.Signals(signum))
                handlers.cancel_all()
                scope.cancel()
                return

    async def main() -> None:
        server = build_server(handlers, crash_log)
        async with anyio.create_task_group() as group:
            group.start_soon(stop_on_signal, group.cancel_scope)
            # stdio_server only iterates its stdin: the lines serve as the file.
            requests = cast(anyio.AsyncFile[str], _ClientLines(reader))
            async with stdio_server(requests, anyio.wrap_file(writer)) as (incoming, outgoing):
                await server.run(incoming, outgoing, server.create_initialization_options())
            group.cancel_scope.cancel()  # the client closed the connection

    try:
        anyio.run(main)
    finally:
        handlers.cancel_all()  # whatever ended the loop, no tool keeps running behind us
    if stopped_by:
        raise stopped(stopped_by[0])
    return ExitCode.READY


def _claim_stdio() -> tuple[int, io.TextIOWrapper]:
    """The protocol's own copies of stdin and stdout; fd 0 and 1 then point elsewhere.

    One stray print (ours, a library's or a child process's) on stdout would break the
    JSON-RPC stream, and a child reading stdin would eat the client's requests.
    """
    requests = os.dup(0)
    writer = io.TextIOWrapper(os.fdopen(os.dup(1), "wb"), encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return requests, writer


class _ClientLines:
    """The client's messages, one per line, read by a daemon thread.

    Not anyio's file wrapper: its read waits in a worker thread that cannot be abandoned, so
    a server told to stop (SIGTERM) would wait for a client that keeps its end open but says
    nothing. Raw reads, so no buffer lock is held when the interpreter exits.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd

    async def __aiter__(self) -> AsyncIterator[str]:
        send, receive = anyio.create_memory_object_stream[str](16)
        token = anyio.lowlevel.current_token()
        gone = (anyio.RunFinishedError, anyio.BrokenResourceError, anyio.ClosedResourceError)

        def pump() -> None:
            pending = b""
            try:
                while chunk := os.read(self.fd, 1 << 16):
                    *lines, pending = (pending + chunk).split(b"\n")
                    for line in lines:
                        if line.strip():
                            from_thread.run(send.send, line.decode("utf-8", "replace"), token=token)
            except (*gone, OSError):
                pass
            finally:
                with contextlib.suppress(*gone):
                    from_thread.run_sync(send.close, token=token)

        threading.Thread(target=pump, name="readyterm-mcp-requests", daemon=True).start()
        async with receive:
            async for line in receive:
                yield line
