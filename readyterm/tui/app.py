"""The walkthrough app. `build_app` is the one factory for main, the tests and the screenshots.

The core runs in thread workers that turn its events into Messages; the App applies them
to a `WalkState` and redraws. Worker failures all land in `on_worker_state_changed`.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from readyterm.engine.events import RunFinished, StepFinished, StepProgress, StepStarted
from readyterm.engine.result import RunResult
from readyterm.foundation.errors import ExitCode, ReadytermError
from readyterm.foundation.findings import STAGING_RULES, Finding
from readyterm.foundation.gitcmd import Git, open_repo
from readyterm.foundation.paths import ATTESTATIONS_FILE
from readyterm.foundation.steps import STAGING_CONTRIBUTES, STEP_IDS, STEPS, STEPS_BY_ID
from readyterm.reports.code_context import code_context
from readyterm.reports.prompt import step_prompt
from readyterm.tui.actions import ACTIONS
from readyterm.tui.screens.modals import (
    ErrorModal,
    HelpModal,
    PromptModal,
    RecordChoice,
    RecordModal,
)
from readyterm.tui.screens.walkthrough import FindingScreen, WalkthroughScreen
from readyterm.tui.source import HeaderKnown, Snapshot, Source, SourceEvent
from readyterm.tui.state import WalkState
from readyterm.tui.widgets.finding_view import lines_not_run

if TYPE_CHECKING:
    from readyterm.engine.decisions import Attestation, WaiverEntry

#: How often a record is re-attempted when files keep changing while it re-checks them.
_RECORD_ATTEMPTS = 3
_ACTION_NAMES = frozenset(a.action for a in ACTIONS)


class CoreEvent(Message):
    """One event of the core's run, in order; `digest` is set on RunFinished."""

    def __init__(self, event: SourceEvent, steps: tuple[str, ...], digest: str = "") -> None:
        super().__init__()
        self.event = event
        self.steps = steps
        self.digest = digest


class SnapshotTaken(Message):
    def __init__(self, snapshot: Snapshot, choice: RecordChoice, attempt: int) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.choice = choice
        self.attempt = attempt


class RecordWritten(Message):
    def __init__(self, path: str, note: str) -> None:
        super().__init__()
        self.path = path
        self.note = note


@dataclass
class _PendingRecord:
    choice: RecordChoice
    attempt: int


class ReadytermApp(App[ExitCode]):
    CSS_PATH = "app.tcss"
    TITLE = "readyterm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(a.key, a.action, a.label, show=a.show) for a in ACTIONS if a.key != "enter"
    ]

    def __init__(
        self,
        source: Source,
        *,
        today: dt.date | None = None,
        identity: str | None = None,
        now: Callable[[], dt.datetime] | None = None,
        autostart: bool = True,
    ) -> None:
        super().__init__()
        self.source = source
        self.state = WalkState()
        self.today = today
        self.identity = identity
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self.autostart = autostart
        self._cancel = threading.Event()
        self._pending_record: _PendingRecord | None = None
        self.last_error: str | None = None
        #: A usage error of the first run (a bad --base, config): readyterm exits with it,
        #: as if it had failed before the screen opened.
        self.fatal_error: ReadytermError | None = None
        self._events_seen = False

    # --- screens -----------------------------------------------------------------------

    @property
    def walkthrough(self) -> WalkthroughScreen:
        return self._walkthrough

    def on_mount(self) -> None:
        # Pushed rather than the default screen, so that its .tcss file is loaded.
        self._walkthrough = WalkthroughScreen(self.source.header(), self.state, self.source.root)
        self.push_screen(self._walkthrough)
        if self.autostart:  # after the first refresh, so every pane exists to show events
            self.call_after_refresh(self.start_run, None)

    # --- running the core --------------------------------------------------------------

    def start_run(self, steps: tuple[str, ...] | None) -> bool:
        if self.state.running or self.checks_active:
            self.notify("Checks are running: wait for them, or press c to cancel.")
            return False
        self._cancel = threading.Event()
        for step_id in steps or self.source.selected_steps():
            self.state.steps[step_id].progress = "queued"
        self.run_checks(steps, self._cancel, self._carried(steps))
        return True

    def _carried(self, steps: tuple[str, ...] | None) -> tuple[Finding, ...]:
        """What staging found for the steps re-run without it: the container still said so."""
        if steps is None or "staging" in steps:
            return ()
        results = [self.state.steps[s].result for s in steps]
        return tuple(
            f
            for result in results
            if result is not None
            for f in result.findings
            if f.rule.startswith(STAGING_RULES)
        )

    @property
    def checks_active(self) -> bool:
        """A run is under way (also while it is being prepared, before any step started)."""
        return any(
            w.group == "checks" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in self.workers
        )

    @work(thread=True, exit_on_error=False, group="checks")
    def run_checks(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> None:
        worker = get_current_worker()
        ran = steps or STEP_IDS
        events = self.source.events(steps, cancel, carried)
        try:
            for event in events:
                if worker.is_cancelled:
                    cancel.set()
                    break
                digest = self.source.digest(event.result) if isinstance(event, RunFinished) else ""
                self.post_message(CoreEvent(event, ran, digest))
        finally:
            events.close()  # stops the tools when we left early

    def on_core_event(self, message: CoreEvent) -> None:
        event = message.event
        screen = self.walkthrough
        self._events_seen = True
        if isinstance(event, HeaderKnown):
            screen.show_header(event.header)
        elif isinstance(event, StepStarted):
            self.state.start(event.step_id)
            screen.refresh_state(event.step_id)
        elif isinstance(event, StepProgress):
            if self.state.steps[event.step_id].phase == "running":
                self.state.progress(event.step_id, event.message)
                screen.refresh_state(event.step_id)
        elif isinstance(event, StepFinished):
            if event.result.id not in message.steps:
                return  # a re-run of one step reports the others as not selected
            self.state.finish(event.result)
            screen.refresh_state(event.result.id)
            if event.result.status == "error" and not event.revised:
                first = (event.result.summary.splitlines() or [""])[0]
                self.notify(
                    f"{event.result.title} could not run: {first[:160]}\n"
                    "Select the step for what to do.",
                    severity="error",
                    timeout=8,
                )
        elif isinstance(event, RunFinished):
            self.state.run_finished(event.result, message.steps, message.digest)
            screen.refresh_state()
            pending, self._pending_record = self._pending_record, None
            if pending is not None:
                self._plan_record(pending.choice, pending.attempt + 1)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's failure is handled: a modal with what to do."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self._pending_record = None
        # Bad input found while preparing the first run (a source that prepares after the
        # screen opened): exit 2 with the message, as when it failed before the screen.
        preparing = self.source.header().preparing and not self._events_seen
        if preparing and isinstance(error, ReadytermError) and error.exit_code == ExitCode.USAGE:
            self.fatal_error = error
            self.exit(ExitCode.USAGE)
            return
        for state in self.state.steps.values():
            if state.phase == "running":
                state.phase = "done" if state.result else "waiting"
                state.progress = ""
        self.walkthrough.refresh_state()
        if isinstance(error, ReadytermError):
            title, message, hint = "readyterm could not go on", error.message, error.hint
        else:
            title = "Something failed unexpectedly"
            message = f"{type(error).__name__}: {error}"
            hint = "This is a bug in readyterm. Press r to retry; `readyterm --ci` shows the same."
        self.last_error = message
        self.push_screen(ErrorModal(title, message, hint))

    # --- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The walkthrough's keys do nothing while a dialog is open.
        return not (isinstance(self.screen, ModalScreen) and action in _ACTION_NAMES)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for action in ACTIONS:
            key = "?" if action.key == "question_mark" else action.key
            yield SystemCommand(
                f"{action.label} ({key})",
                f"{action.help}" + (f" — {action.cli}" if action.cli else ""),
                partial(self.run_action, action.action),
            )

    def _finding_or_hint(self, verb: str) -> tuple[str | None, object]:
        screen = self.walkthrough
        if screen.selected_step is None:
            return f"Select a step with findings to {verb}.", None
        finding = screen.selected_finding
        if finding is None:
            return f"This step has no finding to {verb}.", None
        return None, finding

    def action_open_finding(self) -> None:
        finding = self.walkthrough.selected_finding
        if finding is None:
            self.notify("Select a finding first (Tab to the table, arrows to choose).")
            return
        secrets = self.state.secrets_in(finding.path)
        not_run = lines_not_run(self.state, finding)
        self.push_screen(FindingScreen(self.source.root, finding, secrets, not_run))

    def action_edit(self) -> None:
        finding = self.walkthrough.selected_finding
        if finding is None:
            self.notify("Select a finding to open it in your editor.")
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        target = self.source.root / finding.path
        if not editor:
            self.notify(
                f"Set $EDITOR to open files from here. The finding is at {target}:{finding.line}",
                severity="warning",
                timeout=8,
            )
            return
        argv = [*shlex.split(editor), f"+{max(finding.line, 1)}", str(target)]
        try:
            with self.suspend():
                # The developer's own editor session: it lasts as long as they edit, so it
                # deliberately has no timeout (the terminal is theirs until they quit it).
                subprocess.run(argv, check=False)
        except Exception as exc:  # SuspendNotSupported in tests, a missing editor binary, ...
            self.notify(f"Could not start the editor ({exc}).", severity="error")
            return
        self.notify("Press r to re-run the step after your fix.")

    def action_rerun(self) -> None:
        step_id = self.walkthrough.selected_step
        if step_id is None:
            self.notify("Select a step to re-run it.")
            return
        if step_id not in self.source.selected_steps():
            self.notify(f"{STEPS_BY_ID[step_id].title} is not part of this run (--steps).")
            return
        steps: tuple[str, ...] = (step_id,)
        if step_id == "staging":
            # Its findings live in the steps it answers: judge those again with it, or the
            # old ones would stay there beside the new ones.
            selected = self.source.selected_steps()
            steps = tuple(
                s for s in STEP_IDS if s == step_id or (s in STAGING_CONTRIBUTES and s in selected)
            )
        if self.start_run(steps):
            self.notify(f"Re-running {STEPS_BY_ID[step_id].title}…", timeout=3)

    def action_cancel_run(self) -> None:
        if not self.state.running:
            self.notify("Nothing is running.")
            return
        self._cancel.set()
        self.notify("Cancelling the running checks…", timeout=3)

    def action_accept_risk(self) -> None:
        hint, finding = self._finding_or_hint("accept")
        if hint is not None:
            self.notify(hint)
            return
        assert finding is not None
        today = self.today or dt.datetime.now(dt.UTC).date()
        from readyterm.tui.screens.decision_modals import WaiverModal  # pydantic: not at start

        modal = WaiverModal(finding, self._identity(), today)  # type: ignore[arg-type]
        self.push_screen(modal, self._save_waiver)

    def _save_waiver(self, entry: WaiverEntry | None) -> None:
        if entry is None:
            return
        from readyterm.engine.decisions import add_waiver  # pydantic, yaml: not for the first frame

        try:
            add_waiver(self.source.root, entry)
        except ReadytermError as exc:
            self.push_screen(ErrorModal("The waiver was not saved", exc.message, exc.hint))
            return
        self.notify(f"Accepted until {entry.expires.isoformat()}; written to waivers.yaml")
        step_id = self.walkthrough.selected_step
        if step_id:
            self.start_run((step_id,))

    def action_attest(self) -> None:
        step_id = self.walkthrough.selected_step
        step = STEPS_BY_ID[step_id] if step_id else None
        if step is None or not step.questions:
            step = next(s for s in STEPS if s.questions)
            if step_id:
                self.notify(f"No questions for this step; attesting {step.title}.", timeout=3)
        answers = {
            str(item["question"]): str(item["answer"])
            for item in (self.state.result.attestations if self.state.result else [])
            if item["step"] == step.id
        }
        now = self._now().strftime("%Y-%m-%dT%H:%M:%SZ")
        from readyterm.tui.screens.decision_modals import AttestModal  # pydantic: not at start

        self.push_screen(AttestModal(step, answers, self._identity(), now), self._save_attestations)

    def _save_attestations(self, entries: list[Attestation] | None) -> None:
        if not entries:
            return
        from readyterm.engine.decisions import (
            add_attestation,  # pydantic, yaml: not for the first frame
        )

        try:
            for entry in entries:
                add_attestation(self.source.root, entry)
        except ReadytermError as exc:
            self.push_screen(ErrorModal("The answers were not saved", exc.message, exc.hint))
            return
        self.notify(f"Recorded {len(entries)} answer(s) in {ATTESTATIONS_FILE}")
        self.start_run((entries[0].step,))

    def action_prompt(self) -> None:
        screen = self.walkthrough
        root = self.source.root
        finding = screen.selected_finding
        result = screen.selected_result
        secrets = self.state.secrets_in()

        def excerpt(item: Finding) -> str:  # the lines around it, not only those it matched
            return code_context(root, item, secrets=secrets)[0]

        if finding is not None and result is not None:
            text = step_prompt(result, [finding], excerpt)
            self.push_screen(PromptModal("Fix prompt for this finding", text))
        elif result is not None and result.open_findings():
            text = step_prompt(result)
            self.push_screen(PromptModal(f"Fix prompt for {result.title}", text))
        else:
            self.notify("Select a step or finding with something to fix.")

    def action_write_record(self) -> None:
        result = self.state.result
        if result is None or self.state.running:
            self.notify("Wait until the checks have finished to write the record.")
            return
        self.push_screen(
            RecordModal(
                result.verdict,
                len(result.blocking()),
                sum(len(w["fingerprints"]) for w in result.waivers_applied),
                len(result.attestations),
            ),
            lambda choice: self._plan_record(choice, 1) if choice else None,
        )

    def _plan_record(self, choice: RecordChoice, attempt: int) -> None:
        if attempt > _RECORD_ATTEMPTS:
            self.push_screen(
                ErrorModal(
                    "The record was not written",
                    "Files kept changing while readyterm re-checked them.",
                    "Stop editing (or wait for the formatter) and press w again.",
                )
            )
            return
        self.take_snapshot(choice, attempt)

    @work(thread=True, exit_on_error=False, group="record")
    def take_snapshot(self, choice: RecordChoice, attempt: int) -> None:
        self.post_message(SnapshotTaken(self.source.snapshot(), choice, attempt))

    def on_snapshot_taken(self, message: SnapshotTaken) -> None:
        stale = self.state.stale(message.snapshot.code_digest)
        if stale:
            titles = ", ".join(STEPS_BY_ID[s].title for s in stale)
            self.notify(f"Files changed since they ran; re-checking {titles} first…", timeout=6)
            self._pending_record = _PendingRecord(message.choice, message.attempt)
            self.start_run(stale)
            return
        assert self.state.result is not None
        result = replace(self.state.result, scope=message.snapshot.scope)
        self.write_record_file(result, message.choice)

    @work(thread=True, exit_on_error=False, group="record")
    def write_record_file(self, result: RunResult, choice: RecordChoice) -> None:
        root = self.source.root
        from readyterm.engine.record import write_record  # jsonschema: not for the first frame

        path = write_record(root, result)
        relative = path.relative_to(root).as_posix()
        note = ""
        if choice.commit:
            note = _commit_only(root, relative)
        self.post_message(RecordWritten(relative, note))

    def on_record_written(self, message: RecordWritten) -> None:
        self.state.record = message.path
        if self.state.result is not None:
            self.state.result.record = message.path
        self.walkthrough.refresh_state()
        self.walkthrough.show_summary()
        self.notify(
            f"Record written: {message.path}" + (f"\n{message.note}" if message.note else "")
        )

    def action_show_summary(self) -> None:
        self.walkthrough.show_summary()

    def action_help(self) -> None:
        self.push_screen(HelpModal())

    async def action_quit(self) -> None:
        self._cancel.set()
        result = self.state.result
        if result is None or self.state.running:
            self.exit(ExitCode.INTERRUPTED)
        else:
            self.exit(result.exit_code)

    def _identity(self) -> str:
        if self.identity is None:
            repo = _repo(self.source.root)
            self.identity = (repo and repo.identity()) or os.environ.get("USER", "")
        return self.identity


def _repo(root: Path) -> Git | None:
    """The repository, its git commands bounded by `timeouts.git` from its config."""
    # Not at import: the config models are not needed for the first frame (start-up speed).
    from readyterm.foundation.config import git_timeout

    return open_repo(root, git_timeout(root))


def _commit_only(root: Path, relative: str) -> str:
    """Commit the record file and nothing else; say what happened."""
    repo = _repo(root)
    try:
        if repo is None:
            raise ReadytermError(f"{root} is not a git repository")
        repo.commit_only(relative, "Add readiness record")
    except ReadytermError as exc:
        raise ReadytermError(
            f"the record was written but not committed: {exc.message}",
            hint=f"commit it yourself: git add {relative} && git commit {relative}",
        ) from None
    return "Committed the record file (only that file)."


def build_app(
    source: Source,
    *,
    today: dt.date | None = None,
    identity: str | None = None,
    now: Callable[[], dt.datetime] | None = None,
    autostart: bool = True,
) -> ReadytermApp:
    """The one way to make the app: `readyterm`, the tests and the screenshot script."""
    return ReadytermApp(source, today=today, identity=identity, now=now, autostart=autostart)
