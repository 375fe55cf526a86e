"""The main screen: header, checklist on the left, the step (or the summary) on the right."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, OptionList, Static

from readyterm.engine.result import StepResult
from readyterm.foundation.findings import Finding
from readyterm.tui.source import Header
from readyterm.tui.state import WalkState
from readyterm.tui.widgets.checklist import SUMMARY_ID, Checklist
from readyterm.tui.widgets.finding_view import FindingView
from readyterm.tui.widgets.step_pane import StepPane
from readyterm.tui.widgets.summary import SummaryPane


def header_content(header: Header, state: WalkState) -> Content:
    """One line, most important first: it is cut at the right on a narrow terminal."""
    parts = [Content.assemble(("readyterm ", "bold $accent"), (header.repo, "bold"))]
    if header.preparing:
        parts.append(Content.styled("◔ finding what to check…", "$text-muted"))
        return Content(" · ").join(parts)
    running = state.running
    if running:
        parts.append(Content.styled(f"◔ {len(running)} running", "bold $accent"))
    where = Content(header.branch or "detached HEAD")
    if header.mode == "all":
        where = Content.assemble(where, ("  whole repository (--all)", "bold"))
    elif header.base:
        base = header.base_ref or "base"
        where = Content.assemble(where, (" vs ", "$text-muted"), f"{base} ({header.base[:7]})")
    else:
        where = Content.assemble(where, (" (no commits yet)", "$text-muted"))
    parts.append(where)
    noun = "file" if header.files == 1 else "files"
    parts.append(Content(f"{header.files} {noun} {'changed' if header.mode == 'diff' else ''}"))
    return Content(" · ").join(parts)


class WalkthroughScreen(Screen[None]):
    CSS_PATH = "walkthrough.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "focus_checklist", "Checklist", show=False)
    ]

    def __init__(self, header: Header, state: WalkState, root: Path) -> None:
        super().__init__()
        self.header_info = header
        self.state = state
        self.root = root

    def compose(self) -> ComposeResult:
        yield Static(header_content(self.header_info, self.state), id="header")
        with Horizontal(id="body"):
            yield Checklist(self.state, on_move=self.show_selected, id="checklist")
            with ContentSwitcher(initial="step", id="detail"):
                yield StepPane(self.root, self.state, id="step")
                yield SummaryPane(id="summary")
        yield Footer()

    def on_mount(self) -> None:
        checklist = self.query_one(Checklist)
        checklist.highlighted = 0
        checklist.focus()
        self.show_selected()

    @property
    def checklist(self) -> Checklist:
        return self.query_one(Checklist)

    @property
    def step_pane(self) -> StepPane:
        return self.query_one(StepPane)

    @property
    def selected_step(self) -> str | None:
        """The step shown on the right (None while the summary is shown)."""
        selected = self.checklist.selected_id
        return None if selected == SUMMARY_ID else selected

    @property
    def selected_result(self) -> StepResult | None:
        step_id = self.selected_step
        return self.state.steps[step_id].result if step_id else None

    @property
    def selected_finding(self) -> Finding | None:
        return self.step_pane.selected_finding if self.selected_step else None

    def show_header(self, header: Header) -> None:
        """What the run covers, once it has been prepared."""
        self.header_info = header
        # one line, always (walkthrough.tcss): no layout pass
        self.query_one("#header", Static).update(
            header_content(self.header_info, self.state), layout=False
        )

    def refresh_state(self, step_id: str | None = None) -> None:
        """Redraw after the state changed (one step, or everything)."""
        # one line, always (walkthrough.tcss): no layout pass
        self.query_one("#header", Static).update(
            header_content(self.header_info, self.state), layout=False
        )
        self.checklist.show(step_id)
        selected = self.checklist.selected_id
        if step_id is None or selected in (step_id, SUMMARY_ID):
            self.show_selected()

    def show_selected(self) -> None:
        selected = self.checklist.selected_id
        switcher = self.query_one(ContentSwitcher)
        if selected == SUMMARY_ID:
            switcher.current = "summary"
            self.query_one(SummaryPane).show(self.state)
        else:
            switcher.current = "step"
            self.step_pane.show(self.state.steps[selected])

    def show_summary(self) -> None:
        self.checklist.highlighted = self.checklist.get_option_index(SUMMARY_ID)
        self.show_selected()

    @on(OptionList.OptionSelected, "#checklist")
    def _step_selected(self) -> None:
        if self.selected_step and self.step_pane.selected_finding is not None:
            self.step_pane.table.focus()

    @on(DataTable.RowSelected, "#findings")
    def _finding_selected(self) -> None:
        self.run_worker(self.app.run_action("open_finding"))

    def action_focus_checklist(self) -> None:
        self.checklist.focus()


class FindingScreen(Screen[None]):
    """One finding full screen, with more room for its code."""

    CSS_PATH = "walkthrough.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(
        self,
        root: Path,
        finding: Finding,
        secrets: list[Finding],
        not_run: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__()
        self.root = root
        self.finding = finding
        self.secrets = secrets
        self.not_run = not_run

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(("readyterm ", "bold $accent"), "finding · Esc goes back"),
            id="header",
        )
        with VerticalScroll(id="finding-full"):
            yield FindingView(around=12, id="finding-full-view")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FindingView).show(
            self.root, self.finding, secrets=self.secrets, not_run=self.not_run
        )
        self.query_one("#finding-full").focus()
