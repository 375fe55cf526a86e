"""What a person sees, pinned: each main screen on the fixture result (no scanning).

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from readyterm.tui.fixture import demo_result
from readyterm.tui.fixture_suite import with_suite_run
from tests.tui.helpers import fixture_app, settle

Compare = Callable[..., bool]


def _then(*keys: str, theme: str | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        if theme:
            pilot.app.theme = theme
        await settle(pilot)
        pilot.app.clear_notifications()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_checklist_at_80x24(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(fixture_app(tmp_path), terminal_size=(80, 24), run_before=_then())


def test_finding_with_its_code_at_120x40(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(
        fixture_app(tmp_path), terminal_size=(120, 40), run_before=_then("tab", "down")
    )


def test_light_theme_at_200x60(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(
        fixture_app(tmp_path),
        terminal_size=(200, 60),
        run_before=_then("down", "tab", theme="textual-light"),
    )


def test_finding_full_screen(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(
        fixture_app(tmp_path), terminal_size=(100, 30), run_before=_then("tab", "enter")
    )


def test_accept_risk_modal(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(fixture_app(tmp_path), terminal_size=(100, 30), run_before=_then("a"))


def test_accept_risk_modal_refuses_an_empty_reason(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(
        fixture_app(tmp_path), terminal_size=(80, 24), run_before=_then("a", "enter")
    )


def test_attest_modal(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(fixture_app(tmp_path), terminal_size=(100, 30), run_before=_then("t"))


def test_summary(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(fixture_app(tmp_path), terminal_size=(120, 40), run_before=_then("s"))


def test_write_record_modal(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(fixture_app(tmp_path), terminal_size=(100, 30), run_before=_then("w"))


def test_help(snap_compare: Compare, tmp_path: Path) -> None:
    assert snap_compare(
        fixture_app(tmp_path), terminal_size=(120, 40), run_before=_then("question_mark")
    )


def test_tests_step_figures_and_lines_no_test_ran(snap_compare: Compare, tmp_path: Path) -> None:
    """The suite's figures in the step pane; the failure path's code with the changed lines
    no test ran highlighted (the tests step is the eighth, its third finding selected)."""
    app = fixture_app(tmp_path, with_suite_run(demo_result()))
    keys = ("down",) * 7 + ("tab", "down", "down")
    assert snap_compare(app, terminal_size=(130, 45), run_before=_then(*keys))
