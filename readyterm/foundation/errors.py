"""The error vocabulary: every user-facing failure maps to one exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes. A public API: CI scripts branch on these."""

    READY = 0
    NOT_READY = 1
    USAGE = 2
    CHECK_FAILED = 3
    INTERRUPTED = 130


#: What each exit code means, in the words of `readyterm --help` (the MCP server says them too).
EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.READY: "ready",
    ExitCode.NOT_READY: "not ready",
    ExitCode.USAGE: "usage or configuration error",
    ExitCode.CHECK_FAILED: "a check could not run",
    ExitCode.INTERRUPTED: "interrupted",
}


class ReadytermError(Exception):
    """An error whose message is written for the user; the CLI prints it without a traceback."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class ConfigError(ReadytermError):
    """Invalid configuration: names the file and the key."""


class ScopeError(ReadytermError):
    """The change to judge could not be determined (unknown ref, shallow clone, ...)."""


class RecordError(ReadytermError):
    """A readiness record or decisions file is missing, malformed or could not be written."""


class ToolError(ReadytermError):
    """An external tool (git, semgrep, bandit, docker) is missing, hung or failed."""

    exit_code = ExitCode.CHECK_FAILED
