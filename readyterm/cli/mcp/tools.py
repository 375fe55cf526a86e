"""The MCP server's tools: names, descriptions and input schemas (what the assistant sees).

Argument names follow the command line's flags (`base`, `all`, `steps`, `no_staging`, ...), so
what an assistant learns here carries over to `readyterm --ci` in CI, and back.
"""

from __future__ import annotations

from typing import Any

from mcp import types

from readyterm.engine.decisions import DEFAULT_WAIVER_DAYS, MAX_WAIVER_DAYS
from readyterm.foundation.paths import RECORDS_DIR, WAIVERS_FILE
from readyterm.foundation.steps import STEP_IDS

_PATH = {
    "type": "string",
    "description": "the repository folder (absolute, or relative to the folder the server "
    "was started in)",
}
_RUN: dict[str, Any] = {
    "path": _PATH,
    "base": {
        "type": "string",
        "description": "compare with this git ref (default: merge-base with the remote "
        "default branch, then main/master)",
    },
    "all": {"type": "boolean", "description": "judge the whole repository, not only the change"},
    "steps": {
        "type": "array",
        "items": {"type": "string", "enum": list(STEP_IDS)},
        "minItems": 1,
        "description": "run only these steps (default: all)",
    },
    "no_staging": {"type": "boolean", "description": "skip the Docker smoke test"},
    "strict": {"type": "boolean", "description": "warnings fail the gate too"},
    "all_findings": {
        "type": "boolean",
        "description": "also report findings that existed before the change",
    },
    "no_cache": {"type": "boolean", "description": "scan every file again"},
}


def _schema(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _tool(
    name: str, description: str, schema: dict[str, Any], *, read_only: bool, idempotent: bool
) -> types.Tool:
    return types.Tool(
        name=name,
        description=description,
        inputSchema=schema,
        annotations=types.ToolAnnotations(
            readOnlyHint=read_only,
            destructiveHint=False,
            idempotentHint=idempotent,
            openWorldHint=False,
        ),
    )


TOOLS: tuple[types.Tool, ...] = (
    _tool(
        "list_steps",
        "The checklist: each step's id, title, question, what checks it, and the questions "
        "only the developer can answer (attestations).",
        _schema({}),
        read_only=True,
        idempotent=True,
    ),
    _tool(
        "run_checks",
        "Run readyterm's pre-deployment checks on the change in a repository (as `readyterm "
        "--ci --format json`) and return the JSON result (schema readyterm.result/1). Findings "
        'with "waived": false are open; explain_finding gives one\'s code and a fix prompt. '
        "Fix, then run again. Reports progress while it runs; a run can take minutes.",
        _schema(_RUN, ("path",)),
        read_only=False,  # writes the result cache only; never the work tree
        idempotent=True,
    ),
    _tool(
        "explain_finding",
        "A finding of the last run_checks (by its fingerprint): the code around it and the "
        "production-context fix prompt.",
        _schema(
            {
                "fingerprint": {"type": "string", "minLength": 1},
                "path": {**_PATH, "description": "only look in this repository's last run"},
            },
            ("fingerprint",),
        ),
        read_only=True,
        idempotent=True,
    ),
    _tool(
        "waive",
        f"Accept a risk the team has decided to take: add a waiver to {WAIVERS_FILE} (as "
        "`readyterm waive`). Needs a rule, a file glob or a finding's fingerprint, and a "
        "reason a reviewer can check. The owner is git's user.email unless given. Never waive "
        "to make the gate pass: fix the code instead.",
        _schema(
            {
                "path": _PATH,
                "rule": {"type": "string", "minLength": 1, "description": "rule id to waive"},
                "fingerprint": {"type": "string", "minLength": 1},
                "file": {"type": "string", "minLength": 1, "description": "file or glob"},
                "reason": {
                    "type": "string",
                    "minLength": 1,
                    "description": "why the risk is acceptable",
                },
                "days": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": MAX_WAIVER_DAYS,
                    "description": f"expires in N days (default {DEFAULT_WAIVER_DAYS})",
                },
                "owner": {"type": "string", "description": "default: git user.email"},
            },
            ("path", "reason"),
        ),
        read_only=False,
        idempotent=False,
    ),
    _tool(
        "attest",
        "Record the developer's answers to a step's questions that no tool can decide (as "
        "`readyterm attest`); list_steps names them. Only answer with what the developer "
        "told you.",
        _schema(
            {
                "path": _PATH,
                "step": {"type": "string", "enum": list(STEP_IDS)},
                "answers": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "minProperties": 1,
                    "description": "question id -> answer, e.g. {'alert': 'PagerDuty: orders-5xx'}",
                },
                "author": {"type": "string", "description": "default: git user.email"},
            },
            ("path", "step", "answers"),
        ),
        read_only=False,
        idempotent=False,
    ),
    _tool(
        "write_record",
        f"Run the checks (same arguments as run_checks) and write the readiness record to "
        f"{RECORDS_DIR}/ (as `readyterm --ci --write-record`); returns the JSON result with its "
        "path. Commit the record with the change.",
        _schema(_RUN, ("path",)),
        read_only=False,
        idempotent=False,
    ),
    _tool(
        "verify",
        "Does a committed readiness record cover the code as it is now (as `readyterm verify`)?",
        _schema({"path": _PATH}, ("path",)),
        read_only=True,
        idempotent=True,
    ),
)

TOOLS_BY_NAME = {tool.name: tool for tool in TOOLS}
