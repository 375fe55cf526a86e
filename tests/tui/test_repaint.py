"""Repaints that skip the layout pass must still follow a change of height."""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from readyterm.engine.events import Event, StepProgress, StepStarted
from readyterm.foundation.findings import Finding
from readyterm.tui.app import build_app
from readyterm.tui.fixture import demo_result, write_demo_files
from readyterm.tui.source import FixedSource
from readyterm.tui.widgets.step_pane import update_in_place
from tests.tui.helpers import wait_until

pytestmark = pytest.mark.anyio


class _OneStatic(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("one line", id="info")
        yield Static("below", id="below")


async def test_update_in_place_lays_out_again_only_when_the_height_changes() -> None:
    app = _OneStatic()
    async with app.run_test(size=(40, 10)) as pilot:
        info = app.query_one("#info", Static)
        below = app.query_one("#below", Static)
        assert info.size.height == 1 and below.region.y == 1

        update_in_place(info, Content("first\nsecond\nthird"))
        await pilot.pause()
        assert info.size.height == 3 and below.region.y == 3, "a taller text pushes on"

        update_in_place(info, Content("x" * 100))  # wraps at 40 cells: 3 lines again
        await pilot.pause()
        assert info.size.height == 3 and below.region.y == 3
        assert "x" * 40 in info.render_line(0).text

        update_in_place(info, Content("short"))
        await pilot.pause()
        assert info.size.height == 1 and below.region.y == 1, "a shorter one pulls back"
        assert info.render_line(0).text.startswith("short")


class _StalledRun(FixedSource):
    """Steps that started and reported progress, then run on until the app quits."""

    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[Event, None, None]:
        yield StepStarted("environment")
        yield StepProgress("environment", "semgrep: scanning 5458 files")
        yield StepProgress("environment", "bandit: scanning 2823 Python files")
        yield StepStarted("error-handling")
        yield StepProgress("error-handling", "semgrep: scanning 5458 files")
        cancel.wait(60)


async def test_running_steps_share_one_shape_so_moving_between_them_keeps_the_layout(
    tmp_path: Path,
) -> None:
    write_demo_files(tmp_path)
    app = build_app(_StalledRun(demo_result(), tmp_path), identity="dev@example.com")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(app.state.steps["error-handling"].log) == 1)
        await pilot.pause()
        info = app.walkthrough.query_one("#step-info", Static)
        shapes, texts = [], []
        for key in ("down", "up", "down"):
            await pilot.press(key)
            await pilot.pause()
            shapes.append(info.size.height)
            texts.append("\n".join(info.render_line(y).text for y in range(info.size.height)))
        assert len(set(shapes)) == 1, shapes
        assert "bandit: scanning" in texts[1] and "bandit" not in texts[0]
        assert "Log (latest last)" in texts[0], "the shorter log is padded, not hidden"
        await pilot.press("q")


async def test_a_running_step_shows_no_empty_findings_table(tmp_path: Path) -> None:
    write_demo_files(tmp_path)
    app = build_app(_StalledRun(demo_result(), tmp_path), identity="dev@example.com")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(app.state.steps["error-handling"].log) == 1)
        for key in ("", "down", "up"):
            if key:
                await pilot.press(key)
            await pilot.pause()
            assert not app.walkthrough.query_one("#findings").display
        await pilot.press("q")
