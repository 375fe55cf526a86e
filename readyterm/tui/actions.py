"""Every action once: its key, what it does, and the command line that does the same.

The footer, the help screen (`?`) and the command palette are all built from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from readyterm.foundation.paths import ATTESTATIONS_FILE, WAIVERS_FILE


@dataclass(frozen=True)
class Action:
    key: str
    action: str
    label: str
    help: str
    cli: str
    show: bool = True


ACTIONS: tuple[Action, ...] = (
    Action(
        "enter",
        "open_finding",
        "Open",
        "Open the selected finding full screen",
        "readyterm --ci --format text",
        show=False,
    ),
    Action("e", "edit", "Edit", "Open the finding in $EDITOR at its line", "$EDITOR +LINE PATH"),
    Action(
        "r", "rerun", "Re-run", "Re-run the selected step (after a fix)", "readyterm --steps STEP"
    ),
    Action(
        "a",
        "accept_risk",
        "Accept risk",
        f"Accept the risk of the finding: reason, owner, expiry (writes {WAIVERS_FILE})",
        "readyterm waive RULE --path PATH --fingerprint FP --reason WHY --days 30",
    ),
    Action(
        "t",
        "attest",
        "Attest",
        f"Answer the step's questions no tool can decide (writes {ATTESTATIONS_FILE})",
        "readyterm attest STEP --answer QUESTION=TEXT",
    ),
    Action(
        "p",
        "prompt",
        "Fix prompt",
        "The production-context fix prompt for the finding (or step), copied with OSC 52",
        "readyterm --ci --format prompt (planned)",
    ),
    Action(
        "w",
        "write_record",
        "Write record",
        "Write the readiness record (Enter confirms; optionally commit only that file)",
        "readyterm --ci --write-record",
    ),
    Action("s", "show_summary", "Summary", "Show the verdict and what blocks", "readyterm --ci"),
    Action(
        "c",
        "cancel_run",
        "Cancel",
        "Cancel the running checks (the steps still running end as errors)",
        "Ctrl-C",
        show=False,
    ),
    Action("question_mark", "help", "Help", "Show every action and its command line", "--help"),
    Action("q", "quit", "Quit", "Quit (exit code: 0 ready, 1 not ready, 3 a check failed)", ""),
)
