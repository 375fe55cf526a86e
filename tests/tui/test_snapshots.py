"""What a person sees, pinned: each main screen on the fixture result (no scanning).

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

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
