"""The right-hand pane for one step: its production question, its findings, the one selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.widgets import DataTable, Static

from readyterm.engine.test_figures import figures_line
from readyterm.foundation.findings import Finding
from readyterm.foundation.steps import STEPS_BY_ID
from readyterm.tui.state import StepState, WalkState, headline, location
from readyterm.tui.widgets.checklist import STATUS_LOOK, counts_text, status_key
from readyterm.tui.widgets.finding_view import (
    FindingView,
    lines_not_run,
    severity_label,
    theme_colours,
)

_LOG_SHOWN = 8
_EXCHANGES_SHOWN = 3
_GOT_SHOWN = 72
_VERDICT_STYLE = {"fail": "$error", "warn": "$warning", "pass": "$success"}


def _sections(state: StepState) -> dict[str, list[dict[str, str]]]:
    details = state.result.details if state.result is not None else None
    return dict((details or {}).get("sections") or {})


def _probe_sections(details: dict[str, Any] | None) -> list[Content]:
    """Each break-it probe of the staging run: what was sent -> what came back (failures
    first), so the pane answers "what did it try?" without opening the record."""
    sections = (details or {}).get("sections") or {}
    lines: list[Content] = []
    for name, entries in sections.items():
        failed = [e for e in entries if e.get("verdict") != "pass"]
        # The ones that went wrong are picked first, and shown in the order they were sent.
        ranked = sorted(range(len(entries)), key=lambda i: entries[i].get("verdict") == "pass")
        shown = [entries[i] for i in sorted(ranked[:_EXCHANGES_SHOWN])]
        lines.append(
            Content.assemble(
                (name.capitalize(), "bold"),
                (
                    f"  {len(entries)} tried, {len(failed)} went wrong",
                    "$text-muted",
                ),
            )
        )
        for entry in shown:
            style = _VERDICT_STYLE.get(entry.get("verdict", ""), "$text-muted")
            lines.append(
                Content.assemble(
                    ("  ● ", style),
                    entry.get("sent", "")[:48],
                    ("  →  ", "$text-muted"),
                    (entry.get("got", "")[:_GOT_SHOWN], "$text-muted"),
                )
            )
    return lines


def update_in_place(static: Static, content: Content) -> None:
    """Update a Static, laying the screen out again only when its height changes.

    A layout pass of the whole screen is most of what a key press costs; moving between
    steps mostly swaps text of the same height.
    """
    width, height = static.content_region.width, static.content_region.height
    same_height = width > 0 and content.get_height(cast(RulesMap, static.styles), width) == height
    static.update(content, layout=not same_height)


class StepPane(Vertical):
    DEFAULT_CSS = """
    StepPane { height: 1fr; }
    StepPane #step-info { height: auto; padding: 0 1 1 1; }
    StepPane #findings { height: auto; max-height: 45%; scrollbar-size-horizontal: 0; }
    StepPane #finding-scroll { height: 1fr; border-top: solid $panel-lighten-2; }
    """

    def __init__(self, root: Path, walk: WalkState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.root = root
        self.walk = walk
        self.state: StepState | None = None
        self._rows: list[Finding] = []

    def compose(self) -> ComposeResult:
        yield Static(id="step-info")
        table: DataTable[object] = DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        table.add_columns("severity", "location", "message")
        table.display = False  # until a step with findings is shown
        yield table
        with VerticalScroll(id="finding-scroll"):
            yield FindingView(id="finding")

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#findings", DataTable)

    def show(self, state: StepState) -> None:
        same_step = self.state is not None and self.state.id == state.id
        previous = self.selected_finding if same_step else None
        self.state = state
        update_in_place(self.query_one("#step-info", Static), self._info(state))
        findings = state.result.findings if state.result else []
        # An empty table stays as it is: clearing it again costs a layout pass per key.
        if findings != self._rows or (not same_step and findings):
            self._fill(findings, previous)
        self._show_selected()

    def _info(self, state: StepState) -> Content:
        step = STEPS_BY_ID[state.id]
        icon, word, colour = STATUS_LOOK[status_key(state)]
        lines = [
            Content.assemble((step.title, "bold"), "  ", (f"{icon} {word}", f"bold {colour}")),
            Content.assemble(("Question  ", "$text-muted"), step.question),
            Content.assemble(("Checked by  ", "$text-muted"), step.checked_by),
        ]
        if state.phase == "running":
            lines.append(Content.styled(f"… {state.progress or 'starting'}", "$accent"))
        rows = self._log_rows(state)
        if rows > 1:
            shown = state.log[-rows:]
            lines.append(Content.styled("Log (latest last)", "bold"))
            lines += [Content.styled(line, "$text-muted") for line in shown]
            lines += [Content("")] * (rows - len(shown))
        elif state.result is not None:
            summary = state.result.summary
            if state.result.status == "error":
                lines.append(Content.styled("Could not run:", f"bold {colour}"))
                lines += [Content(line) for line in summary.splitlines()[:12]]
                lines.append(Content.styled("Fix the cause, then press r to re-run.", "italic"))
            elif state.result.status == "skipped":
                lines.append(Content.assemble(("Skipped  ", "$text-muted"), summary))
            else:
                outcome = counts_text(state) or "no findings"
                lines.append(Content.assemble(("Outcome  ", "$text-muted"), outcome))
                lines += [
                    Content.assemble(("Note  ", "$text-muted"), note)
                    for note in summary_notes(summary, state.result.details)
                ]
                lines += _suite_figures(state.result.details if state.id == "tests" else None)
                lines += _probe_sections(state.result.details)
        return Content("\n").join(lines)

    def _log_rows(self, state: StepState) -> int:
        """Lines of log to show: running steps share one height, so moving between them
        keeps the pane's shape (and costs no layout pass, most of a key press)."""
        if state.phase == "running":
            running = [s for s in self.walk.steps.values() if s.phase == "running"]
            return min(max(len(s.log) for s in running), _LOG_SHOWN)
        could_not_run = state.result is not None and state.result.status == "error"
        if state.id == "staging" and not _sections(state) and not could_not_run:
            # Until a run has probe sections, the build and container log is its story.
            return min(len(state.log), _LOG_SHOWN)
        return 0

    def _fill(self, findings: list[Finding], keep: Finding | None) -> None:
        table = self.table
        table.clear()
        self._rows = list(findings)
        colours = theme_colours(self.query_one(FindingView))
        for finding in findings:
            table.add_row(
                severity_label(finding, colours),
                location(finding),
                Text(headline(finding.message)),
            )
        table.display = bool(findings)
        if keep is not None:
            for index, finding in enumerate(findings):
                if finding.fingerprint == keep.fingerprint:
                    table.move_cursor(row=index)

    @property
    def selected_finding(self) -> Finding | None:
        if not self._rows:
            return None
        row = self.table.cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _show_selected(self) -> None:
        view = self.query_one(FindingView)
        hint = ""
        result = self.state.result if self.state is not None else None
        if result is not None and result.status in ("pass", "fail") and not self._rows:
            hint = "Nothing to show: this step has no findings."
        finding = self.selected_finding
        secrets = self.walk.secrets_in(finding.path) if finding else []
        view.show(self.root, finding, hint, secrets, lines_not_run(self.walk, finding))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_selected()


def summary_notes(summary: str, details: dict[str, Any] | None) -> list[str]:
    """What a judged step's summary says besides its counts (and the tests step's figures,
    shown on their own): "`tests.run` is off", files no check could read."""
    figures = figures_line(details)
    if figures:
        summary = summary.replace(f" · {figures}", "")
    cut = min((i for i in (summary.find("; "), summary.find(" · ")) if i != -1), default=-1)
    if cut == -1:
        return []
    notes, depth, start = [], 0, cut + 2
    for index, char in enumerate(summary + ";"):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if index >= start and char == ";" and depth <= 0:  # a list in brackets stays whole
            notes.append(summary[start:index].strip(" ·"))
            start = index + 1
    if start < len(summary):  # an unclosed bracket (a cut message): keep the rest whole
        notes.append(summary[start:].strip(" ·"))
    return [note for note in notes if note]


def _suite_figures(details: dict[str, Any] | None) -> list[Content]:
    """The tests step's figures: what the suite ran, the diff coverage, the failure paths."""
    if not details or "diff_coverage" not in details:
        return []
    lines = []
    tests = details.get("tests")
    if tests:
        failed = tests["failed"]
        ran = Content.assemble(
            f"{tests['run']} run · {tests['passed']} passed · ",
            (f"{failed} failed", "bold $error" if failed else ""),
            (
                f"   {' / '.join(details.get('sources', []))}, {details.get('seconds', 0):g} s",
                "$text-muted",
            ),
        )
        lines.append(Content.assemble(("Tests  ", "$text-muted"), ran))
    coverage = details["diff_coverage"]
    if coverage.get("percent") is not None:
        low = coverage["percent"] < coverage["threshold"]
        lines.append(
            Content.assemble(
                ("Diff coverage  ", "$text-muted"),
                (f"{coverage['percent']:.0f} %", "bold $warning" if low else "bold $success"),
                f" of {coverage['lines']} changed lines ran under the tests "
                f"(threshold {coverage['threshold']:g} %)",
            )
        )
    paths = details["failure_paths"]
    if paths.get("total"):
        untaken = paths["total"] - paths["exercised"]
        lines.append(
            Content.assemble(
                ("Failure paths  ", "$text-muted"),
                (
                    f"{paths['exercised']} of {paths['total']}",
                    "bold $warning" if untaken else "bold",
                ),
                " exercised by a test",
            )
        )
    if details.get("partial"):
        lines.append(
            Content.styled("Partial: only the tests that import a changed module ran", "italic")
        )
    return lines
