"""Pilot tests on the fixture result: the walkthrough's keys, modals and failure handling."""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path

import pytest
import yaml
from textual.widgets import Button

from readyterm.engine.result import RunResult
from readyterm.engine.runner import Event
from readyterm.foundation.errors import ExitCode, ScopeError
from readyterm.foundation.findings import Finding
from readyterm.tui.app import build_app
from readyterm.tui.fixture import demo_result, write_demo_files
from readyterm.tui.screens.decision_modals import AttestModal, WaiverModal
from readyterm.tui.screens.modals import ErrorModal, HelpModal, PromptModal, RecordModal
from readyterm.tui.screens.walkthrough import FindingScreen
from readyterm.tui.source import FixedSource, Header, Snapshot
from tests.tui.helpers import IDENTITY, NOW, TODAY, fixture_app, settle

pytestmark = pytest.mark.anyio


async def test_the_checklist_shows_every_step_with_a_word_beside_its_status(
    tmp_path: Path,
) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        prompts = [str(option.prompt) for option in app.walkthrough.checklist.options]
        assert len(prompts) == 10  # nine steps and the summary
        assert "✘ Environment" in prompts[0] and "fail" in prompts[0]
        assert "blockers" in prompts[0]
        assert "✔ Concurrency" in prompts[3] and "pass" in prompts[3]
        assert "! Performance" in prompts[4] and "error" in prompts[4]
        assert "– Staging" in prompts[8] and "skipped" in prompts[8]
        assert "UNKNOWN" in prompts[9]


async def test_a_finding_opens_full_screen_and_escape_comes_back(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FindingScreen)
        assert app.screen.finding.rule == "localhost-url"
        await pilot.press("escape")
        assert app.screen is app.walkthrough


async def test_a_risk_without_a_reason_is_refused(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, WaiverModal)
        await pilot.press("enter")  # submit with the reason still empty
        await pilot.pause()
        assert isinstance(app.screen, WaiverModal), "a reasonless waiver must not be accepted"
        assert "reason is required" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        assert not (tmp_path / ".readyterm/waivers.yaml").exists()


async def test_an_expiry_beyond_90_days_is_refused_and_a_valid_one_is_written(
    tmp_path: Path,
) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, WaiverModal)
        await pilot.press(*"internal only")
        modal.query_one("#days").value = "120"  # type: ignore[attr-defined]
        await pilot.click("#accept")
        await pilot.pause()
        assert app.screen is modal
        modal.query_one("#days").value = "14"  # type: ignore[attr-defined]
        # The error line can push the button below a 30-row screen: press it, not its pixels.
        modal.query_one("#accept", Button).press()
        await settle(pilot)
        waivers = tmp_path / ".readyterm/waivers.yaml"
        for _ in range(100):  # a loaded CI machine may need more than one settle for the write
            if waivers.exists():
                break
            await pilot.pause(0.1)
        if not waivers.exists():  # say what the modal showed instead of a bare FileNotFoundError
            shown = [str(w.render()) for w in app.screen.query("Label, Static")]
            raise AssertionError(f"no waivers.yaml; the screen shows: {shown}")
        data = yaml.safe_load(waivers.read_text())
        entry = data["waivers"][0]
        assert entry["reason"] == "internal only"
        assert entry["owner"] == "dev@example.com"
        assert entry["expires"] == "2025-06-15"
        assert entry["rule"] == "hardcoded-secret"
        assert entry["fingerprint"] == f"{1:020x}"


async def test_attesting_writes_only_new_answers(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # on a step without questions it attests monitoring
        await pilot.pause()
        assert isinstance(app.screen, AttestModal)
        assert app.screen.step.id == "monitoring"
        await pilot.press("enter")  # alert keeps its recorded answer
        await pilot.press(*"grafana/orders", "enter")
        await pilot.press(*"team-orders", "enter", "enter")
        await settle(pilot)
        data = yaml.safe_load((tmp_path / ".readyterm/attestations.yaml").read_text())
        answers = {a["question"]: a for a in data["attestations"]}
        assert set(answers) == {"dashboard", "on-call"}
        assert answers["on-call"]["answer"] == "team-orders"
        assert answers["on-call"]["author"] == "dev@example.com"
        assert answers["on-call"]["at"] == "2025-06-01T09:30:00Z"


async def test_the_fix_prompt_is_copied_and_holds_no_secret(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        copied = app.clipboard
        assert "app/config.py:8" in copied and "hardcoded-secret" in copied
        assert "production" in copied
        assert "sk_test" not in copied, "a matched secret must never leave in a prompt"
        assert "«redacted»" in copied


async def test_help_and_the_command_palette_list_every_action(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        text = str(app.screen.query_one(".fields").query_one("Static").render())
        for cli in ("readyterm waive", "readyterm attest", "--write-record", "$EDITOR"):
            assert cli in text
        await pilot.press("escape")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Accept risk (a)", "Attest (t)", "Write record (w)", "Re-run (r)"):
            assert title in titles


async def test_walkthrough_keys_do_nothing_inside_a_dialog(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RecordModal)
        await pilot.press("t", "q")
        await pilot.pause()
        assert app.screen is modal and app.is_running
        await pilot.press("escape")
        assert app.screen is app.walkthrough


async def test_quit_returns_the_verdicts_exit_code(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
    assert app.return_value == ExitCode.CHECK_FAILED  # the fixture has a step in error


class _FailingSource(FixedSource):
    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[Event, None, None]:
        raise ScopeError("the base ref 'main' is not in this clone", hint="git fetch origin main")
        yield  # pragma: no cover


async def test_a_core_error_shows_a_modal_with_what_to_do(tmp_path: Path) -> None:
    write_demo_files(tmp_path)
    app = build_app(_FailingSource(demo_result(), tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.5)
        await pilot.pause()
        assert isinstance(app.screen, ErrorModal)
        assert app.screen.message == "the base ref 'main' is not in this clone"
        assert app.screen.hint == "git fetch origin main"
        await pilot.press("escape")
        assert app.screen is app.walkthrough
        assert app.is_running


class _SlowSource(FixedSource):
    """Starts every step, then waits until cancelled: the UI must stay responsive."""

    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[Event, None, None]:
        events = super().events(steps, cancel)
        yield next(events)
        cancel.wait(30)
        yield from events

    def snapshot(self) -> Snapshot:
        return super().snapshot()

    def header(self) -> Header:
        return super().header()


async def test_a_running_check_can_be_cancelled(tmp_path: Path) -> None:
    write_demo_files(tmp_path)
    result: RunResult = demo_result()
    app = build_app(_SlowSource(result, tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        assert app.state.running == ["environment"]
        await pilot.press("w")  # not while running: a note, no dialog
        await pilot.pause()
        assert app.screen is app.walkthrough
        await pilot.press("c")
        await settle(pilot)
        assert app.state.result is not None


class _RecordingSource(FixedSource):
    """Remembers what each run was asked to carry over."""

    def __init__(self, result: RunResult, root: Path) -> None:
        super().__init__(result, root)
        self.runs: list[tuple[tuple[str, ...] | None, tuple[Finding, ...]]] = []

    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[Event, None, None]:
        self.runs.append((steps, carried))
        yield from super().events(steps, cancel, carried)


async def test_re_running_a_step_without_staging_carries_what_staging_found(
    tmp_path: Path,
) -> None:
    result = demo_result()
    staged = Finding(
        rule="staging-input-validation-5xx",
        step="input-validation",
        severity="blocker",
        path="Dockerfile",
        line=0,
        end_line=0,
        message="POST /orders answered 500 to invalid JSON",
    )
    validation = next(s for s in result.steps if s.id == "input-validation")
    validation.findings.append(staged)
    write_demo_files(tmp_path)
    source = _RecordingSource(result, tmp_path)
    app = build_app(source, today=TODAY, identity=IDENTITY, now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        checklist = app.walkthrough.checklist
        checklist.highlighted = checklist.get_option_index("input-validation")
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        assert source.runs[-1] == (("input-validation",), (staged,))  # static ones re-found
        # staging re-runs with the steps it answers: its new findings replace the old there
        checklist.highlighted = checklist.get_option_index("staging")
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        assert source.runs[-1] == (
            (
                "environment",
                "error-handling",
                "input-validation",
                "concurrency",
                "monitoring",
                "staging",
            ),
            (),
        )
