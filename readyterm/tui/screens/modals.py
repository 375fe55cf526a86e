"""Modal screens. Each returns its answer through `dismiss` (None when cancelled)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static, TextArea

from readyterm.decisions import DEFAULT_WAIVER_DAYS, MAX_WAIVER_DAYS, Attestation, WaiverEntry
from readyterm.findings import Finding
from readyterm.steps import Step
from readyterm.tui.actions import ACTIONS
from readyterm.tui.state import location

CSS_PATH = "modals.tcss"
T = TypeVar("T")
#: Terminal rows from which dialogs use bordered inputs and buttons.
_ROOMY_HEIGHT = 32


class _Modal(ModalScreen[T]):
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


class WaiverModal(_Modal[WaiverEntry | None]):
    """Accept a finding's risk: a reason is required; owner and expiry are pre-filled."""

    def __init__(self, finding: Finding, owner: str, today: dt.date) -> None:
        super().__init__()
        self.finding = finding
        self.owner = owner
        self.today = today

    def compose(self) -> ComposeResult:
        finding = self.finding
        with VerticalScroll(id="dialog", classes="compact" if self.compact else ""):
            yield Static("Accept the risk", classes="title")
            yield Static(
                Content.assemble(
                    (f"{finding.severity} ", "bold"),
                    (location(finding), "bold"),
                    f"  [{finding.rule}]\n{finding.message}",
                ),
                classes="subject clipped",
            )
            yield Label("Why is this safe in production? (required)")
            yield Input(
                id="reason",
                placeholder="e.g. internal tool behind the VPN, fixed in #123",
                compact=self.compact,
            )
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Owner")
                    yield Input(self.owner, id="owner", compact=self.compact)
                with Vertical(classes="narrow"):
                    yield Label(f"Expires in days (1–{MAX_WAIVER_DAYS})")
                    yield Input(
                        str(DEFAULT_WAIVER_DAYS), id="days", type="integer", compact=self.compact
                    )
            yield Static(id="error")
            yield Static(self._cli(), classes="cli")
            with Horizontal(classes="buttons"):
                yield Button("Accept risk", id="accept", variant="warning", compact=self.compact)
                yield Button("Cancel", id="cancel", compact=self.compact)

    def _cli(self) -> str:
        f = self.finding
        return (
            f"same as: readyterm waive {f.rule} --path {f.path} --fingerprint {f.fingerprint} "
            f"--reason '…' --days {DEFAULT_WAIVER_DAYS}"
        )

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#accept")
    def action_accept(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        owner = self.query_one("#owner", Input).value.strip()
        days_text = self.query_one("#days", Input).value.strip()
        if not reason:
            self.show_error("A reason is required: say why this risk is acceptable in production.")
            self.query_one("#reason", Input).focus()
            return
        if not owner:
            self.show_error("An owner is required: who answers for this risk?")
            self.query_one("#owner", Input).focus()
            return
        try:
            days = int(days_text)
        except ValueError:
            days = -1
        if not 1 <= days <= MAX_WAIVER_DAYS:
            self.show_error(f"The expiry must be 1 to {MAX_WAIVER_DAYS} days from today.")
            self.query_one("#days", Input).focus()
            return
        try:
            entry = WaiverEntry(
                rule=self.finding.rule,
                path=self.finding.path,
                fingerprint=self.finding.fingerprint,
                reason=reason,
                owner=owner,
                expires=self.today + dt.timedelta(days=days),
            )
        except ValidationError as exc:
            self.show_error(str(exc.errors()[0]["msg"]))
            return
        self.dismiss(entry)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class AttestModal(_Modal[list[Attestation] | None]):
    """Answer what no tool can decide; empty answers are left out, at least one is needed."""

    def __init__(self, step: Step, answers: dict[str, str], author: str, now: str) -> None:
        super().__init__()
        self.step = step
        self.answers = answers
        self.author = author
        self.now = now

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="compact" if self.compact else ""):
            yield Static(f"Attest: {self.step.title}", classes="title")
            yield Static(self.step.question, classes="subject")
            with VerticalScroll(classes="fields"):
                for question in self.step.questions:
                    yield Label(question.text)
                    yield Input(
                        self.answers.get(question.id, ""),
                        id=f"q-{question.id}",
                        compact=self.compact,
                    )
                yield Label("Answered by")
                yield Input(self.author, id="author", compact=self.compact)
            yield Static(id="error")
            yield Static(
                f"same as: readyterm attest {self.step.id} --answer QUESTION='…'", classes="cli"
            )
            with Horizontal(classes="buttons"):
                yield Button("Record answers", id="save", variant="primary", compact=self.compact)
                yield Button("Cancel", id="cancel", compact=self.compact)

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        author = self.query_one("#author", Input).value.strip()
        if not author:
            self.show_error("Say who answers: the author is required.")
            return
        entries = []
        for question in self.step.questions:
            answer = self.query_one(f"#q-{question.id}", Input).value.strip()
            if answer and answer != self.answers.get(question.id):
                entries.append(
                    Attestation(
                        step=self.step.id,
                        question=question.id,
                        answer=answer,
                        author=author,
                        at=self.now,
                    )
                )
        if not entries:
            self.show_error("Answer at least one question (or change an answer), or press Esc.")
            return
        self.dismiss(entries)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class RecordChoice:
    commit: bool


class RecordModal(_Modal[RecordChoice | None]):
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
                "Writes .readyterm/records/<UTC time>-<commit>.yaml with what the summary shows. "
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


class ErrorModal(_Modal[None]):
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


class PromptModal(_Modal[None]):
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


class HelpModal(_Modal[None]):
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
