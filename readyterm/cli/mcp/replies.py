"""From a tool call's arguments to its MCP result: validation, answers and errors.

Errors are MCP tool errors (`isError: true`), which an assistant reads and can act on: the
command line's message and hint, and the exit code the command line would have given with
its meaning. Nothing raised by a tool ever reaches the protocol layer as a crash.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from mcp import types

from readyterm.cli.mcp.handlers import Reply, exit_line
from readyterm.cli.mcp.tools import TOOLS_BY_NAME
from readyterm.foundation.errors import EXIT_CODE_MEANINGS, ConfigError, ExitCode, ReadytermError
from readyterm.foundation.steps import STEP_IDS


def validate(name: str, arguments: dict[str, Any] | None) -> dict[str, Any]:
    """The arguments, checked against the tool's input schema; ConfigError (exit 2) if not."""
    tool = TOOLS_BY_NAME.get(name)
    if tool is None:
        raise ConfigError(
            f"unknown tool {name!r}", hint="tools: " + ", ".join(sorted(TOOLS_BY_NAME))
        )
    arguments = arguments or {}
    validator = jsonschema.Draft202012Validator(tool.inputSchema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(arguments))
    if error is None:
        return arguments
    where = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "enum" and where.split(".")[0] in ("steps", "step"):
        # The command line's words for the same mistake (`--steps`, `readyterm attest STEP`).
        raise ConfigError(
            f"unknown step id {error.instance!r}; step ids are: {', '.join(STEP_IDS)}"
        )
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        described = tool.inputSchema["properties"].get(missing, {}).get("description")
        raise ConfigError(
            f"{name}: the argument {missing!r} is required"
            + (f" ({described})" if described else "")
        )
    if error.validator == "additionalProperties":
        known = ", ".join(tool.inputSchema["properties"]) or "(none)"
        raise ConfigError(f"{name}: {error.message}", hint=f"arguments: {known}")
    raise ConfigError(f"{name}: {where or 'arguments'}: {error.message}")


def answer(reply: Reply) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=reply.text)],
        structuredContent=reply.data,
        isError=False,
    )


def failure(exc: ReadytermError) -> types.CallToolResult:
    """The command line's `readyterm: error: ...` and the exit code it would end with."""
    code = exc.exit_code
    return _error(f"readyterm: error: {exc}\n({exit_line(code)})", exc.message, exc.hint, code)


def crash(log: str) -> types.CallToolResult:
    """A bug in readyterm: the command line's words, and where the traceback is."""
    message = (
        "readyterm: internal error (a bug in readyterm, not in your code).\n"
        f"  details: {log}\n  please report it with that file attached"
    )
    code = ExitCode.CHECK_FAILED
    return _error(f"{message}\n({exit_line(code)})", message, None, code)


def _error(text: str, message: str, hint: str | None, code: ExitCode) -> types.CallToolResult:
    data = {
        "error": message,
        "hint": hint,
        "exit_code": int(code),
        "meaning": EXIT_CODE_MEANINGS[code],
    }
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structuredContent=data,
        isError=True,
    )
