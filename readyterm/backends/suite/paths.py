"""A failure path: a branch the code takes only when something goes wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["except", "timeout", "retry", "status-check", "validation", "catch"]


@dataclass(frozen=True)
class FailurePath:
    path: str
    #: The branch's own lines (the `except` clause with its body, the `if` with its body).
    line: int
    end_line: int
    kind: Kind
    #: The call (or input) the branch guards: "stripe.Charge.create", "`amount`".
    guards: str | None
    #: The branch as written: "except stripe.error.CardError", "if not resp.ok".
    branch: str
    #: Whether a test ran the branch's first statement.
    exercised: bool

    def describe(self) -> str:
        where = f"the `{self.branch}` branch at {self.path}:{self.line}"
        call = f"`{self.guards}`" if self.guards else "the code it guards"
        if self.kind == "timeout":
            return f"no test makes {call} time out: {where} never ran"
        if self.kind == "retry":
            return f"no test makes {call} fail so that it is retried: {where} never ran"
        if self.kind == "status-check":
            return f"no test makes {call} answer with an error status: {where} never ran"
        if self.kind == "validation":
            return f"no test sends the bad input this check rejects: {where} never ran"
        return f"no test makes {call} fail: {where} never ran"
