"""The walkthrough on a real git repository with real semgrep and bandit, driven like a person.

One flow per test because a run takes seconds: the run completes, a finding is opened, a
risk is accepted (a reasonless one refused), the monitoring questions are attested, and
the record is written and verifies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from readyterm.engine.runner import RunOptions, prepare
from readyterm.engine.verify import verify
from readyterm.foundation.config import Config
from readyterm.tui.app import build_app
from readyterm.tui.live import LiveSource
from readyterm.tui.screens.decision_modals import AttestModal, WaiverModal
from readyterm.tui.screens.modals import RecordModal
from readyterm.tui.screens.walkthrough import FindingScreen
from tests.conftest import GitRepo
from tests.tui.helpers import settle

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

STEPS = ("environment", "monitoring")


def _app(repo: GitRepo):  # type: ignore[no-untyped-def]
    prepared = prepare(RunOptions(path=repo.path, steps=STEPS, no_staging=True))
    return build_app(LiveSource(prepared), identity="dev@example.test")


async def test_the_walkthrough_from_run_to_a_verified_record(repo: GitRepo) -> None:
    repo.write("app/client.py", 'import requests\n\nAPI = "http://localhost:8000/api"\n')
    repo.commit("add client")
    app = _app(repo)
    async with app.run_test(size=(120, 40)) as pilot:
        # The run completes; the environment step fails on the localhost URL.
        await settle(pilot)
        environment = app.state.steps["environment"].result
        assert environment is not None and environment.status == "fail", environment
        finding = next(f for f in environment.findings if f.path == "app/client.py")
        assert finding.line == 3
        assert app.state.steps["concurrency"].result.status == "skipped"  # type: ignore[union-attr]

        # A finding is opened.
        await pilot.press("tab")
        rows = app.walkthrough.step_pane._rows
        app.walkthrough.step_pane.table.move_cursor(row=rows.index(finding))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FindingScreen)
        assert app.screen.finding.fingerprint == finding.fingerprint
        await pilot.press("escape")

        # A risk without a reason is refused; with one it is accepted and the step re-runs.
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, WaiverModal)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WaiverModal)
        assert not (repo.path / ".readyterm/waivers.yaml").exists()
        await pilot.press(*"client only talks to the sidecar", "enter")
        await pilot.pause()
        await settle(pilot)
        waivers = yaml.safe_load((repo.path / ".readyterm/waivers.yaml").read_text())["waivers"]
        assert waivers[0]["fingerprint"] == finding.fingerprint
        assert waivers[0]["owner"] == "dev@example.test"
        environment = app.state.steps["environment"].result
        assert environment is not None
        waived = next(f for f in environment.findings if f.fingerprint == finding.fingerprint)
        assert waived.waived
        assert app.state.result is not None and app.state.result.waivers_applied

        # The monitoring questions are attested.
        app.walkthrough.checklist.highlighted = app.walkthrough.checklist.get_option_index(
            "monitoring"
        )
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, AttestModal)
        await pilot.press(*"PagerDuty orders-5xx", "enter")
        await pilot.press(*"grafana/orders", "enter")
        await pilot.press(*"team-orders", "enter", "enter")
        await pilot.pause()
        await settle(pilot)
        attested = {a["question"] for a in app.state.result.attestations}  # type: ignore[union-attr]
        assert attested == {"alert", "dashboard", "on-call"}
        monitoring = app.state.steps["monitoring"].result
        assert monitoring is not None
        assert not [f for f in monitoring.findings if f.rule == "attestation-missing"]

        # w + Enter writes the record.
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, RecordModal)
        await pilot.press("enter")
        await pilot.pause()
        await settle(pilot)
        for _ in range(600):
            if app.state.record:
                break
            await pilot.pause(0.1)
        assert app.state.record, "the record was not written"
        assert app.state.result is not None and app.state.result.verdict == "ready"
        await pilot.press("q")
    assert app.return_value == 0
    record = repo.path / app.state.record
    assert record.is_file()
    outcome = verify(repo.path, Config())
    assert outcome.outcome == "fresh", outcome


async def test_a_record_of_a_failing_change_is_written_but_verify_rejects_it(
    repo: GitRepo,
) -> None:
    repo.write("app/client.py", 'API = "http://localhost:8000/api"\n')
    repo.commit("add client")
    app = _app(repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.state.result is not None and app.state.result.verdict == "not-ready"
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(600):
            if app.state.record:
                break
            await pilot.pause(0.1)
        assert app.state.record
        await pilot.press("q")
    assert app.return_value == 1
    outcome = verify(repo.path, Config())
    assert outcome.outcome == "not-ready", outcome


async def test_editing_a_file_after_the_run_re_checks_it_before_the_record(
    repo: GitRepo, tmp_path: Path
) -> None:
    repo.write("app/client.py", 'API = "http://localhost:8000/api"\n')
    repo.commit("add client")
    app = _app(repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.state.result is not None and app.state.result.verdict == "not-ready"
        # The developer fixes the code in their editor, then writes the record.
        repo.write("app/client.py", 'import os\n\nAPI = os.environ["API_URL"]\n')
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(1200):
            if app.state.record:
                break
            await pilot.pause(0.1)
        assert app.state.record
        assert app.state.result.verdict == "ready", "the stale step was not re-checked"
        await pilot.press("q")
    assert verify(repo.path, Config()).outcome == "fresh"
