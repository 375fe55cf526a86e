"""Repaints that skip the layout pass must still follow a change of height."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Static

from readyterm.tui.widgets.step_pane import update_in_place

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
