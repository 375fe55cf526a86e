"""The summary: the verdict and what the record will hold (blockers, waivers, attestations)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from readyterm.engine.result import RunResult
from readyterm.foundation.steps import STEPS_BY_ID
from readyterm.tui.state import WalkState, headline, location
from readyterm.tui.widgets.checklist import VERDICT_LOOK

_MAX_LISTED = 30


def summary_content(state: WalkState) -> Content:
    result = state.result
    if result is None:
        running = ", ".join(state.running) or "nothing yet"
        return Content.from_markup(
            "[b]Summary[/b]\n\nThe verdict appears when every step has finished.\n"
            "Running: $running",
            running=running,
        )
    icon, word, colour = VERDICT_LOOK[result.verdict]
    lines = [Content.styled(f"{icon} {word}", f"bold {colour}"), Content("")]
    lines += _blocking(result)
    lines += _errors(result)
    lines += _waivers(result)
    lines += _attestations(result)
    if result.notices:
        lines += [Content(""), Content.styled("Notes", "bold")]
        lines += [Content(f"  • {notice}") for notice in result.notices]
    lines.append(Content(""))
    if state.record:
        lines.append(Content.assemble(("Record written  ", "bold $success"), state.record))
    else:
        lines.append(
            Content.styled("Press w to write the readiness record (this content).", "italic")
        )
    return Content("\n").join(lines)


def _blocking(result: RunResult) -> list[Content]:
    blocking = result.blocking()
    floor = "warnings and blockers" if result.strict else "blockers"
    if not blocking:
        return [Content.styled(f"Nothing blocks: no open {floor}.", "$success")]
    lines = [Content.styled(f"What still blocks ({len(blocking)} open {floor})", "bold")]
    for finding in blocking[:_MAX_LISTED]:
        lines.append(
            Content.assemble(
                ("  ✘ ", "$error"),
                (f"{STEPS_BY_ID[finding.step].title}: ", "bold"),
                location(finding),
                (f"  {headline(finding.message)}", "$text-muted"),
            )
        )
    if len(blocking) > _MAX_LISTED:
        lines.append(Content(f"  … and {len(blocking) - _MAX_LISTED} more"))
    return lines


def _errors(result: RunResult) -> list[Content]:
    errors = [s for s in result.steps if s.status == "error"]
    if not errors:
        return []
    lines = [Content(""), Content.styled("Could not run", "bold")]
    for step in errors:
        first = step.summary.splitlines()[0] if step.summary else ""
        lines.append(Content.assemble(("  ! ", "$warning"), (f"{step.title}: ", "bold"), first))
    return lines


def _waivers(result: RunResult) -> list[Content]:
    lines = [Content(""), Content.styled("Accepted risks", "bold")]
    if not result.waivers_applied:
        return [*lines, Content.styled("  none", "$text-muted")]
    for waiver in result.waivers_applied:
        count = len(waiver["fingerprints"])
        lines.append(
            Content.assemble(
                "  ≈ ",
                (str(waiver["owner"]), "bold"),
                f" until {waiver['expires']}: {waiver['reason']} ",
                (f"({count} finding{'s' if count != 1 else ''})", "$text-muted"),
            )
        )
    return lines


def _attestations(result: RunResult) -> list[Content]:
    lines = [Content(""), Content.styled("Attested", "bold")]
    if not result.attestations:
        return [*lines, Content.styled("  nothing yet (press t)", "$text-muted")]
    for item in result.attestations:
        step = STEPS_BY_ID[item["step"]]
        question = next((q.text for q in step.questions if q.id == item["question"]), "")
        lines.append(
            Content.assemble(
                ("  ✔ ", "$success"),
                (f"{step.title} · {item['question']}: ", "bold"),
                str(item["answer"]),
                (f"  ({item['author']}, {item['at']})", "$text-muted"),
            )
        )
        if question:
            lines.append(Content.styled(f"      {question}", "$text-muted"))
    return lines


class SummaryPane(VerticalScroll):
    DEFAULT_CSS = """
    SummaryPane { height: 1fr; padding: 0 1; }
    SummaryPane > Static { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="summary-body")

    def show(self, state: WalkState) -> None:
        self.query_one("#summary-body", Static).update(summary_content(state))
