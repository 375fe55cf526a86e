"""Modal screens. Each returns its answer through `dismiss` (None when cancelled).

The dialogs that make decisions (waivers, attestations) are in `decision_modals`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static, TextArea

from readyterm.foundation.paths import RECORDS_DIR
from readyterm.tui.actions import ACTIONS

CSS_PATH = "modals.tcss"
T = TypeVar("T")
#: Terminal rows from which dialogs use bordered inputs and buttons.
_ROOMY_HEIGHT = 32


class Dialog(ModalScreen[T]):
    CSS_PATH = CSS_PATH
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    @property
    def compact(self) -> bool:
        """Borderless inputs and buttons on a short terminal, so the whole form fits."""
        return self.app.size.height < _ROOMY_HEIGHT

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Content.styled(message, "bold $error"))
        error.display = True


@dataclass(frozen=True)
class RecordChoice:
    commit: bool


class RecordModal(Dialog[RecordChoice | None]):
    """Confirm writing the readiness record: Enter confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "confirm", "Write", priority=True),
    ]

    def __init__(self, verdict: str, blocking: int, waived: int, attested: int) -> None:
        super().__init__()
        self.verdict = verdict
        self.blocking = blocking
        self.waived = waived
        self.attested = attested

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="compact" if self.compact else ""):
            yield Static("Write the readiness record", classes="title")
            yield Static(
                f"verdict: {self.verdict} · {self.blocking} blocking · "
                f"{self.waived} accepted risk(s) · {self.attested} attestation(s)",
                classes="subject",
            )
            yield Static(
                f"Writes {RECORDS_DIR}/<UTC time>-<commit>.yaml with what the summary shows. "
                "Steps whose files changed since they ran are re-checked first. "
                "Commit it next to the code; `readyterm verify` checks it in CI."
            )
            yield Checkbox("also commit the record file (only that file)", id="commit")
            yield Static("same as: readyterm --ci --write-record", classes="cli")
            with Horizontal(classes="buttons"):
                yield Button(
                    "Write record (Enter)", id="write", variant="primary", compact=self.compact
                )
                yield Button("Cancel (Esc)", id="cancel", compact=self.compact)

    def on_mount(self) -> None:
        self.query_one("#write", Button).focus()

    @on(Button.Pressed, "#write")
    def action_confirm(self) -> None:
        self.dismiss(RecordChoice(commit=self.query_one("#commit", Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class ErrorModal(Dialog[None]):
    """The one place a failure is shown: what failed, and what to do about it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "cancel", "Close")]

    def __init__(self, title: str, message: str, hint: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="error"):
            yield Static(self.title_text, classes="title")
            with VerticalScroll(classes="fields"):
                yield Static(self.message, markup=False)
                if self.hint:
                    yield Static(Content.assemble(("What to do  ", "bold"), self.hint))
            with Horizontal(classes="buttons"):
                yield Button("Close (Esc)", id="close", variant="error", compact=self.compact)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)


class PromptModal(Dialog[None]):
    """The fix prompt, copied to the clipboard with OSC 52 and shown for reading or copying."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),
        Binding("c", "copy", "Copy again"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            yield Static(self.title_text, classes="title")
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="prompt-text")
            yield Static(
                "Copied to the clipboard (OSC 52; if your terminal blocks it, select the text). "
                "c copies again, Esc closes.",
                classes="cli",
            )

    def on_mount(self) -> None:
        self.action_copy()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Fix prompt copied to the clipboard", timeout=3)


class HelpModal(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "cancel", "Close")]

    def compose(self) -> ComposeResult:
        lines: list[Content | str] = [
            Content.styled("Keys, and the command line that does the same", "bold"),
            "",
        ]
        for action in ACTIONS:
            key = "?" if action.key == "question_mark" else action.key
            lines.append(Content.assemble((f"{key:>6}  ", "bold $accent"), action.help))
            if action.cli:
                lines.append(Content.styled(f"{'':>8}{action.cli}", "$text-muted"))
        lines += [
            "",
            Content.assemble(
                ("Ctrl+P  ", "bold $accent"), "command palette: every action, and the theme"
            ),
            Content.assemble(("   Tab  ", "bold $accent"), "move between the checklist and panes"),
        ]
        with Vertical(id="dialog", classes="wide"):
            yield Static("readyterm — help", classes="title")
            with VerticalScroll(classes="fields"):
                yield Static(Content("\n").join(lines))
            yield Static("Esc closes", classes="cli")
