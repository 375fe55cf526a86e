"""`readyterm mcp` driven by the MCP SDK's own client over stdio, as a coding assistant does.

The server is the real `readyterm mcp` in a subprocess; the repository is the demo's, written
to a temp git repo; semgrep and bandit are real. Faults: bad arguments, a cancelled run, a
server stopped by SIGTERM in the middle of one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
import yaml
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import McpError
from mcp.shared.memory import create_connected_server_and_client_session

from readyterm.cli.demo import write_demo
from readyterm.cli.mcp.handlers import Call, Handlers, Reply
from readyterm.cli.mcp.server import build_server
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

TOOLS = {
    "list_steps",
    "run_checks",
    "explain_finding",
    "waive",
    "attest",
    "write_record",
    "verify",
}
RUN_TIMEOUT = 240


def _server_command() -> list[str]:
    """The `readyterm` the user installs; `python -m readyterm` when the script is absent."""
    script = Path(sys.executable).with_name("readyterm")
    return [str(script), "mcp"] if script.exists() else [sys.executable, "-m", "readyterm", "mcp"]


@asynccontextmanager
async def mcp_session(cwd: Path) -> AsyncIterator[ClientSession]:
    command = _server_command()
    params = StdioServerParameters(
        command=command[0], args=command[1:], env=dict(os.environ), cwd=str(cwd)
    )
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


def drive(scenario: Callable[[ClientSession], Awaitable[None]], cwd: Path) -> None:
    async def main() -> None:
        async with mcp_session(cwd) as session:
            await scenario(session)

    anyio.run(main)


def text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


def crash_logs() -> list[Path]:
    return list(Path(os.environ["READYTERM_LOG_DIR"]).glob("crash-*.log"))


def findings(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for step in result["steps"] for f in step["findings"]]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return write_demo(tmp_path / "demo")


def test_an_assistant_runs_the_demo_waives_a_finding_and_the_next_run_treats_it_as_waived(
    demo: Path,
) -> None:
    notes: list[tuple[float, float | None, str | None]] = []

    async def progress(value: float, total: float | None, message: str | None) -> None:
        notes.append((value, total, message))

    seen: dict[str, Any] = {}

    async def scenario(session: ClientSession) -> None:
        listed = await session.list_tools()
        assert {tool.name for tool in listed.tools} == TOOLS
        steps = await session.call_tool("list_steps", {})
        assert [s["id"] for s in (steps.structuredContent or {})["steps"]][-1] == "staging"

        with anyio.fail_after(RUN_TIMEOUT):
            first = await session.call_tool(
                "run_checks", {"path": ".", "no_staging": True}, progress_callback=progress
            )
        assert not first.isError, text(first)
        seen["first"] = first.structuredContent
        assert text(first).startswith("readyterm: NOT READY to deploy (exit code 1: not ready)")

        blocker = next(
            f for f in findings(seen["first"]) if f["severity"] == "blocker" and f["line"] > 1
        )
        seen["blocker"] = blocker
        explained = await session.call_tool(
            "explain_finding", {"fingerprint": blocker["fingerprint"]}
        )
        assert not explained.isError, text(explained)
        seen["explained"] = explained.structuredContent

        waived = await session.call_tool(
            "waive",
            {
                "path": str(demo),
                "fingerprint": blocker["fingerprint"],
                "reason": "internal tool, replaced next sprint",
            },
        )
        assert not waived.isError, text(waived)
        seen["waivers_via_mcp"] = (demo / ".readyterm/waivers.yaml").read_text()

        with anyio.fail_after(RUN_TIMEOUT):
            second = await session.call_tool("run_checks", {"path": str(demo), "no_staging": True})
        seen["second"] = second.structuredContent
        seen["explained_again"] = await session.call_tool(
            "explain_finding", {"fingerprint": blocker["fingerprint"], "path": str(demo)}
        )

    drive(scenario, demo)

    # The result is the `readyterm.result/1` document, all nine steps in checklist order.
    first = seen["first"]
    assert first["schema"] == "readyterm.result/1" and first["verdict"] == "not-ready"
    assert len(first["steps"]) == 9 and first["steps"][-1]["status"] == "skipped"

    # Progress: every step's end was reported, and each notification shows more progress.
    values = [value for value, _, _ in notes]
    assert values == sorted(values) and len(set(values)) == len(values)
    assert values[-1] == 9.0 and {total for _, total, _ in notes} == {9.0}
    finished = [m for _, _, m in notes if m and m.split(":")[0] in {"environment", "logging"}]
    assert any(m.startswith("environment: fail") for m in finished), notes

    # explain_finding: the lines around the finding (more than it matched) and the fix prompt.
    blocker, explained = seen["blocker"], seen["explained"]
    code = explained["code"]
    source = (demo / blocker["path"]).read_text().splitlines()
    assert code["first_line"] < blocker["line"]
    assert source[blocker["line"] - 1].strip() in code["text"] or "«redacted»" in code["text"]
    assert explained["prompt"].startswith("# Fix: ")
    assert f"`{blocker['path']}:{blocker['line']}` — {blocker['rule']}" in explained["prompt"]
    assert "This code runs in production, not on a laptop" in explained["prompt"]

    # The waiver is what `readyterm waive` writes: owner from git config, expiry in 30 days.
    written = yaml.safe_load(seen["waivers_via_mcp"])["waivers"]
    expires = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    assert written == [
        {
            "fingerprint": blocker["fingerprint"],
            "reason": "internal tool, replaced next sprint",
            "owner": "dev@example.test",
            "expires": expires,
        }
    ]
    (demo / ".readyterm/waivers.yaml").unlink()
    done = run_cli(
        "waive",
        "--fingerprint",
        blocker["fingerprint"],
        "--reason",
        "internal tool, replaced next sprint",
        "-C",
        str(demo),
    )
    assert done.returncode == 0, done.stderr
    assert (demo / ".readyterm/waivers.yaml").read_text() == seen["waivers_via_mcp"]

    # The next run treats that finding, and only that one, as waived.
    again = {f["fingerprint"]: f for f in findings(seen["second"])}
    assert again[blocker["fingerprint"]]["waived"] is True
    assert [f["fingerprint"] for f in findings(seen["second"]) if f["waived"]] == [
        blocker["fingerprint"]
    ]
    assert len(again) == len(findings(first))
    assert text(seen["explained_again"]).endswith(
        "Already accepted (waiver): internal tool, replaced next sprint"
    )


def test_attestations_record_and_verify_write_what_the_cli_writes(demo: Path) -> None:
    seen: dict[str, Any] = {}

    async def scenario(session: ClientSession) -> None:
        attested = await session.call_tool(
            "attest",
            {"path": str(demo), "step": "monitoring", "answers": {"on-call": "team-orders"}},
        )
        assert not attested.isError, text(attested)
        unknown = await session.call_tool(
            "attest", {"path": str(demo), "step": "monitoring", "answers": {"pager": "x"}}
        )
        seen["unknown"] = unknown
        missing = await session.call_tool("verify", {"path": str(demo)})
        seen["missing"] = missing.structuredContent
        with anyio.fail_after(RUN_TIMEOUT):
            recorded = await session.call_tool(
                "write_record", {"path": str(demo), "steps": ["monitoring", "logging"]}
            )
        assert not recorded.isError, text(recorded)
        seen["recorded"] = recorded.structuredContent
        verified = await session.call_tool("verify", {"path": str(demo)})
        seen["verified"] = verified

    drive(scenario, demo)

    attestations = yaml.safe_load((demo / ".readyterm/attestations.yaml").read_text())
    [entry] = attestations["attestations"]
    assert entry["author"] == "dev@example.test" and entry["answer"] == "team-orders"
    assert seen["unknown"].isError
    assert "monitoring has no question 'pager'" in text(seen["unknown"])
    assert "hint: questions: alert, dashboard, on-call" in text(seen["unknown"])
    assert "(exit code 2: usage or configuration error)" in text(seen["unknown"])

    assert seen["missing"]["outcome"] == "missing" and seen["missing"]["exit_code"] == 2
    record = seen["recorded"]["record"]
    assert record.startswith(".readyterm/records/") and (demo / record).is_file()
    # The record holds the attestation given through MCP.
    assert "team-orders" in (demo / record).read_text()
    # Not ready (logging fails), so verify says so with the command line's exit code.
    verified = seen["verified"]
    assert verified.structuredContent["outcome"] == "not-ready"
    assert "(exit code 1: not ready)" in text(verified)


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        ("run_checks", {"path": "."}, None),  # the valid call the others break
        ("run_checks", {"path": ".", "steps": ["bogus"]}, "unknown step id 'bogus'; step ids"),
        ("run_checks", {"path": "app/config.py"}, "app/config.py is not a folder"),
        ("run_checks", {"path": "no/such/folder"}, "no/such/folder does not exist"),
        ("run_checks", {"path": ".", "base": "no-such-ref"}, "no-such-ref"),
        ("run_checks", {"path": ".", "strict": "yes"}, "run_checks: strict: 'yes' is not"),
        ("run_checks", {}, "run_checks: the argument 'path' is required"),
        ("run_checks", {"path": ".", "colour": True}, "Additional properties"),
        ("waive", {"path": ".", "rule": "debug-enabled"}, "the argument 'reason' is required"),
        ("waive", {"path": ".", "rule": "r", "reason": "   "}, "--reason must say why"),
        ("waive", {"path": ".", "reason": "ok"}, "say what to waive"),
        ("waive", {"path": ".", "rule": "r", "reason": "ok", "days": 365}, "days: 365 is"),
        ("attest", {"path": ".", "step": "nope", "answers": {"a": "b"}}, "unknown step id"),
        ("explain_finding", {"fingerprint": "0123abc"}, "no finding with fingerprint"),
        ("no_such_tool", {}, "unknown tool 'no_such_tool'"),
    ],
)
def test_bad_arguments_are_clear_errors_with_the_exit_code_and_the_server_goes_on(
    demo: Path, tool: str, arguments: dict[str, Any], expected: str | None
) -> None:
    outcome: dict[str, Any] = {}

    async def scenario(session: ClientSession) -> None:
        with anyio.fail_after(RUN_TIMEOUT):
            # Only steps that need no scanner: the valid call stays quick.
            call = {"steps": ["monitoring"], **arguments} if tool == "run_checks" else arguments
            outcome["result"] = await session.call_tool(tool, call)
        outcome["after"] = await session.call_tool("list_steps", {})

    drive(scenario, demo)
    result: types.CallToolResult = outcome["result"]
    assert not outcome["after"].isError  # the server is still there and answering
    if expected is None:
        assert not result.isError, text(result)
        return
    assert result.isError
    assert text(result).startswith("readyterm: error: ")
    assert expected in text(result)
    assert result.structuredContent is not None
    assert result.structuredContent["exit_code"] == 2
    assert text(result).endswith("(exit code 2: usage or configuration error)")
    assert "Traceback" not in text(result)
    assert not (demo / ".readyterm").exists()  # nothing was written


def _descendants(pid: int) -> dict[int, str]:
    """The processes below pid and their command lines (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found: dict[int, str] = {}
    stack = list(children.get(pid, []))
    while stack:
        child = stack.pop()
        try:
            raw = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        found[child] = raw.replace(b"\0", b" ").decode(errors="replace")
        stack += children.get(child, [])
    return found


def _tools_running(pid: int) -> dict[int, str]:
    return {
        p: cmd
        for p, cmd in _descendants(pid).items()
        if ("semgrep" in cmd or "bandit" in cmd) and " mcp" not in cmd
    }


def test_a_cancelled_run_stops_its_tools_and_the_server_serves_the_next_call(demo: Path) -> None:
    seen: dict[str, Any] = {}

    async def scenario(session: ClientSession) -> None:
        scanning = anyio.Event()

        async def progress(value: float, total: float | None, message: str | None) -> None:
            if message and "scanning" in message:
                scanning.set()

        # The id the SDK gives the next request: the cancellation must name it.
        request_id = session._request_id

        async def run() -> None:
            try:
                seen["result"] = await session.call_tool(
                    "run_checks",
                    {"path": str(demo), "no_staging": True, "no_cache": True},
                    progress_callback=progress,
                )
            except McpError as exc:
                seen["error"] = exc

        async with anyio.create_task_group() as group:
            group.start_soon(run)
            with anyio.fail_after(RUN_TIMEOUT):
                await scanning.wait()
                while not _tools_running(os.getpid()):
                    await anyio.sleep(0.05)
            seen["running"] = _tools_running(os.getpid())
            await session.send_notification(
                types.ClientNotification(
                    types.CancelledNotification(
                        params=types.CancelledNotificationParams(
                            requestId=request_id, reason="the user pressed stop"
                        )
                    )
                )
            )
        started = time.monotonic()
        while _tools_running(os.getpid()) and time.monotonic() - started < 30:
            await anyio.sleep(0.1)
        seen["left"] = _tools_running(os.getpid())
        seen["stopped_after"] = time.monotonic() - started
        with anyio.fail_after(RUN_TIMEOUT):
            seen["next"] = await session.call_tool(
                "run_checks", {"path": str(demo), "steps": ["monitoring"]}
            )

    drive(scenario, demo)
    assert seen["running"], "the tools never started: the cancel proved nothing"
    assert "result" not in seen and "cancelled" in str(seen["error"]).lower()
    assert seen["left"] == {}, f"still running {seen['stopped_after']:.1f}s after the cancel"
    assert not seen["next"].isError and seen["next"].structuredContent["verdict"] == "ready"
    assert not (demo / ".readyterm").exists()
    assert not crash_logs()  # a cancel is no bug


def _send(server: subprocess.Popen[bytes], message: dict[str, Any]) -> None:
    assert server.stdin is not None
    server.stdin.write(json.dumps({"jsonrpc": "2.0", **message}).encode() + b"\n")
    server.stdin.flush()


@pytest.mark.parametrize("how", ["SIGTERM", "stdin closed"])
def test_a_server_stopped_in_the_middle_of_a_run_stops_the_tools_and_says_so(
    demo: Path, how: str
) -> None:
    """A client that kills its server, or just goes away (an editor closing), leaves no
    scanner running behind it."""
    server = subprocess.Popen(
        _server_command(),
        cwd=demo,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _send(
            server,
            {
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": types.LATEST_PROTOCOL_VERSION,
                    "capabilities": {},
                    "clientInfo": {"name": "test", "version": "0"},
                },
            },
        )
        _send(server, {"method": "notifications/initialized"})
        arguments = {"path": ".", "no_staging": True, "no_cache": True}
        call = {"name": "run_checks", "arguments": arguments, "_meta": {"progressToken": "t"}}
        _send(server, {"id": 2, "method": "tools/call", "params": call})
        deadline = time.monotonic() + RUN_TIMEOUT
        while not _tools_running(server.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        running = _tools_running(server.pid)
        assert running, "the tools never started"
        if how == "SIGTERM":
            # The client keeps its end open: the server must not wait for it to speak.
            server.send_signal(signal.SIGTERM)
        else:
            assert server.stdin is not None
            server.stdin.close()
        server.wait(timeout=60)
        assert server.stderr is not None
        stderr = server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)
    if how == "SIGTERM":
        assert server.returncode == 128 + signal.SIGTERM
        assert b"stopped by SIGTERM; nothing was written" in stderr
    else:
        assert server.returncode == 0, stderr
    assert b"Traceback" not in stderr
    time.sleep(1)
    alive = [p for p in running if Path(f"/proc/{p}").exists() and not _zombie(p)]
    assert alive == [], {p: running[p] for p in alive}
    assert not (demo / ".readyterm").exists()
    assert not crash_logs()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def test_the_readmes_mcp_config_starts_the_server(tmp_path: Path) -> None:
    """The lines the README tells a user to paste into an assistant start a working server."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A coding assistant (MCP)", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    config = json.loads(next(body for lang, body in blocks if lang == "json"))
    server = config["mcpServers"]["readyterm"]
    shell = next(body for lang, body in blocks if lang == "sh")
    add = next(line for line in shell.splitlines() if line.startswith("claude mcp add"))
    # The Claude Code line and the JSON start the same command.
    assert add.split(" -- ", 1)[1].split("#")[0].split() == [server["command"], *server["args"]]

    async def main() -> None:
        # The assistant finds `readyterm` on PATH, where pipx (here: this venv) put it.
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
        params = StdioServerParameters(
            command=server["command"],
            args=server["args"],
            env={**os.environ, "PATH": path},
            cwd=str(tmp_path),
        )
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            initialized = await session.initialize()
            assert initialized.serverInfo.name == "readyterm"
            assert initialized.instructions and "run_checks" in initialized.instructions
            listed = await session.list_tools()
            assert {tool.name for tool in listed.tools} == TOOLS

    anyio.run(main)


class _Broken(Handlers):
    """A tool with a bug in it (fault injection): it raises what no tool should."""

    def tool_list_steps(self, call: Call) -> Reply:
        raise RuntimeError("a bug in a tool")


def test_a_bug_in_a_tool_is_the_clis_internal_error_and_the_server_goes_on(
    tmp_path: Path,
) -> None:
    log = tmp_path / "crash.log"

    def crash_log() -> str:
        log.write_text("the traceback")
        return str(log)

    seen: dict[str, types.CallToolResult] = {}

    async def main() -> None:
        server = build_server(_Broken(), crash_log)
        async with create_connected_server_and_client_session(server) as session:
            seen["broken"] = await session.call_tool("list_steps", {})
            seen["next"] = await session.call_tool("verify", {"path": str(tmp_path)})

    anyio.run(main)
    broken = seen["broken"]
    assert broken.isError
    assert text(broken).startswith("readyterm: internal error (a bug in readyterm")
    assert f"details: {log}" in text(broken)
    assert text(broken).endswith("(exit code 3: a check could not run)")
    assert (broken.structuredContent or {})["exit_code"] == 3
    # The next call is served (and a folder without records is verify's exit 2, no error).
    assert not seen["next"].isError
    assert (seen["next"].structuredContent or {})["outcome"] == "missing"
