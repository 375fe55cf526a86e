"""The checklist: nine steps with live status, and the summary as the last entry."""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from readyterm.foundation.steps import STEPS, STEPS_BY_ID
from readyterm.tui.state import StepState, WalkState

SUMMARY_ID = "summary"

# Every status has an icon and a word: nothing depends on colour alone.
STATUS_LOOK = {
    "waiting": ("○", "waiting", "$text-muted"),
    "running": ("◔", "running", "$accent"),
    "pass": ("✔", "pass", "$success"),
    "fail": ("✘", "fail", "$error"),
    "error": ("!", "error", "$warning"),
    "skipped": ("–", "skipped", "$text-muted"),
}
VERDICT_LOOK = {
    "ready": ("✔", "READY to deploy", "$success"),
    "not-ready": ("✘", "NOT READY to deploy", "$error"),
    "error": ("!", "UNKNOWN: a check could not run", "$warning"),
}
_VERDICT_SHORT = {"ready": "READY", "not-ready": "NOT READY", "error": "UNKNOWN"}
_VERDICT_HINT = "verdict · press s"
_TITLE = 17
# A no-break indent: the option list would drop ordinary leading spaces when it wraps.
_INDENT = "\u00a0\u00a0"
_SHORT = {"blocker": "blocker", "warning": "warning", "info": "info"}


def status_key(state: StepState) -> str:
    if state.phase == "done" and state.result is not None:
        return state.result.status
    return state.phase


def counts_text(state: StepState) -> str:
    result = state.result
    if result is None:
        return ""
    counts = result.counts()
    parts = [f"{n} {_SHORT[s]}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    waived = len(result.findings) - len(result.open_findings())
    if waived:
        parts.append(f"{waived} waived")
    return ", ".join(parts)


def step_prompt(state: StepState, line: int = 28) -> Content:
    """Two lines: icon, title and status word; then counts, progress or the reason."""
    icon, word, colour = STATUS_LOOK[status_key(state)]
    title = STEPS_BY_ID[state.id].title
    detail = ""
    if state.phase == "running":
        detail = state.progress
    elif state.phase == "done" and state.result is not None:
        if state.result.status in ("error", "skipped"):
            detail = (state.result.summary.splitlines() or [""])[0]
        else:
            detail = counts_text(state) or "no findings"
    first = Content.assemble(
        (f"{icon} ", f"bold {colour}"), (f"{title:<{_TITLE}}", "bold"), (word, f"bold {colour}")
    )
    second = Content.styled(f"{_INDENT}{detail}", "$text-muted").truncate(line, ellipsis=True)
    return Content("\n").join([first, second])


def summary_prompt(state: WalkState) -> Content:
    if state.result is None:
        return Content.assemble(
            ("≡ ", "bold"),
            ("Summary", "bold"),
            (f"\n{_INDENT}verdict after the run", "$text-muted"),
        )
    icon, _word, colour = VERDICT_LOOK[state.result.verdict]
    word = _VERDICT_SHORT[state.result.verdict]
    first = Content.assemble(
        (f"{icon} ", f"bold {colour}"), (f"{'Summary':<{_TITLE}}", "bold"), (word, f"bold {colour}")
    )
    return Content("\n").join([first, Content.styled(f"{_INDENT}{_VERDICT_HINT}", "$text-muted")])


class Checklist(OptionList):
    DEFAULT_CSS = """
    Checklist { height: 1fr; }
    Checklist > .option-list--option { padding: 0 1; }
    """

    # Repainted option by option: a key press redraws the two entries whose highlight
    # changed, not the whole list (which cost about 9 ms of every key press).
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(
        self,
        state: WalkState,
        *,
        on_move: Callable[[], None] | None = None,
        id: str | None = None,
    ) -> None:
        self.state = state
        self.on_move = on_move
        self._drawn_highlight: int | None = None
        options = [Option(step_prompt(state.steps[s.id]), id=s.id) for s in STEPS]
        options.append(Option(summary_prompt(state), id=SUMMARY_ID))
        super().__init__(*options, id=id)

    @property
    def line_width(self) -> int:
        """Cells for an entry's second line: it is cut, never wrapped."""
        return max(self.size.width - 4, 16) if self.size.width else 28

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        previous, self._drawn_highlight = self._drawn_highlight, highlighted
        for index in (previous, highlighted):
            self._refresh_option(index)
        # The pane on the right follows at once, in the same frame: waiting for the
        # OptionHighlighted message drew the screen twice per key press.
        if self.on_move is not None and highlighted is not None and self.is_mounted:
            self.on_move()

    def _refresh_option(self, index: int | None) -> None:
        if index is None or not self.is_mounted:
            return
        try:
            self.refresh_lines(self._index_to_line[index], self._heights[index])
        except KeyError:  # not laid out yet
            self.refresh()

    def on_resize(self) -> None:
        self.show()

    def show(self, step_id: str | None = None) -> None:
        """Redraw one step's entry (or all) and the summary entry."""
        for step in STEPS:
            if step_id is None or step.id == step_id:
                prompt = step_prompt(self.state.steps[step.id], self.line_width)
                self.replace_option_prompt(step.id, prompt)
        self.replace_option_prompt(SUMMARY_ID, summary_prompt(self.state))

    @property
    def selected_id(self) -> str:
        option = self.highlighted_option
        return option.id if option is not None and option.id else STEPS[0].id
