"""The dialogs that record a decision: accepting a finding's risk, answering a step's questions.

Apart from the other modals because they build the decision models (pydantic, yaml): the
app imports this module when one opens, not before its first frame.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from readyterm.engine.decisions import (
    DEFAULT_WAIVER_DAYS,
    MAX_WAIVER_DAYS,
    Attestation,
    WaiverEntry,
)
from readyterm.foundation.findings import Finding
from readyterm.foundation.steps import Step
from readyterm.tui.screens.modals import Dialog
from readyterm.tui.state import location


class WaiverModal(Dialog[WaiverEntry | None]):
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


class AttestModal(Dialog[list[Attestation] | None]):
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
