"""One finding: where, the code around it, why it fails in production, how to fix it."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import Static

from readyterm.foundation.findings import Finding
from readyterm.reports.code_context import code_context
from readyterm.tui.state import WalkState, location

SEVERITY_LOOK = {"blocker": ("✘", "blocker"), "warning": ("▲", "warning"), "info": ("ℹ", "info")}


def severity_label(finding: Finding, colours: dict[str, str]) -> Text:
    if finding.waived:
        return Text("≈ waived", style=colours.get("muted", "dim"))
    icon, word = SEVERITY_LOOK[finding.severity]
    return Text(f"{icon} {word}", style=f"bold {colours.get(finding.severity, '')}")


def render_finding(
    root: Path,
    finding: Finding,
    colours: dict[str, str],
    dark: bool,
    around: int = 3,
    secrets: list[Finding] | None = None,
    not_run: frozenset[int] = frozenset(),
) -> RenderableType:
    """not_run: lines of the finding's file that no test ran (the tests step's diff
    coverage), highlighted in the code with the finding's own lines."""
    head = Text.assemble(
        severity_label(finding, colours),
        "  ",
        (location(finding), "bold"),
        "  ",
        (f"[{finding.rule}]", colours.get("muted", "dim")),
    )
    parts: list[RenderableType] = [head, Text(finding.message)]
    code, first = code_context(root, finding, around, secrets or [])
    own = set(range(finding.line, max(finding.end_line, finding.line) + 1))
    shown_not_run = {n for n in not_run if first <= n < first + len(code.splitlines())}
    if code.strip():
        parts.append(Text(""))
        if shown_not_run:
            parts.append(Text("Highlighted: changed lines no test ran", style="italic"))
        parts.append(
            Syntax(
                code,
                _lexer(finding.path),
                theme="ansi_dark" if dark else "ansi_light",
                line_numbers=True,
                start_line=first,
                highlight_lines=own | shown_not_run,
                word_wrap=True,
                background_color=colours.get("background", "default"),
            )
        )
    if finding.why:
        parts += [Text(""), Text("Why it fails in production", style="bold"), Text(finding.why)]
    if finding.fix:
        parts += [Text(""), Text("How to fix it", style="bold"), Text(finding.fix)]
    if finding.waiver is not None:
        waiver = finding.waiver
        by = f" by {waiver.owner} until {waiver.expires}" if waiver.owner else " (inline)"
        parts += [Text(""), Text(f"Accepted{by}: {waiver.reason}", style="italic")]
    if not finding.introduced:
        parts.append(Text("Existed before this change (shown with --all-findings).", style="dim"))
    parts.append(Text(f"fingerprint {finding.fingerprint}", style=colours.get("muted", "dim")))
    return Group(*parts)


def _lexer(path: str) -> str:
    lexer = Syntax.guess_lexer(path)
    return lexer if lexer != "default" else "text"


class FindingView(Static):
    """Renders a finding; `show(None, ...)` shows a hint instead."""

    DEFAULT_CSS = "FindingView { height: auto; padding: 0 1; }"

    def __init__(self, *, around: int = 3, id: str | None = None) -> None:
        super().__init__(id=id)
        self.around = around
        self._shown: tuple[object, ...] | None = None

    def show(
        self,
        root: Path,
        finding: Finding | None,
        hint: str = "",
        secrets: list[Finding] | None = None,
        not_run: frozenset[int] = frozenset(),
    ) -> None:
        if finding is None:
            # Moving through running steps shows the same (empty) hint again and again: an
            # update would re-layout and repaint the pane for no change.
            if self._shown != (hint,):
                self._shown = (hint,)
                self.update(Text(hint, style="dim"))
            return
        self._shown = None  # a finding's file may have changed: always drawn afresh
        dark = self.app.current_theme.dark
        colours = theme_colours(self)
        self.update(render_finding(root, finding, colours, dark, self.around, secrets, not_run))


def theme_colours(widget: Static) -> dict[str, str]:
    theme = widget.app.current_theme
    return {
        "blocker": theme.error or "red",
        "warning": theme.warning or "yellow",
        "info": theme.accent or "cyan",
        "muted": "dim",
        "background": theme.background or "default",
    }


def lines_not_run(walk: WalkState, finding: Finding | None) -> frozenset[int]:
    """The lines of a tests finding's file that the suite never ran (its diff coverage)."""
    state = walk.steps.get("tests")
    details = state.result.details if state is not None and state.result is not None else None
    if not details or finding is None or finding.step != "tests":
        return frozenset()
    runs = details.get("diff_coverage", {}).get("uncovered", {}).get(finding.path, [])
    return frozenset(n for first, last in runs for n in range(first, last + 1))
