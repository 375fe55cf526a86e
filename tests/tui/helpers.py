"""Shared helpers for the TUI tests: the fixture app and waiting for the worker."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from readyterm.engine.result import RunResult
from readyterm.tui.app import ReadytermApp, build_app
from readyterm.tui.fixture import demo_result, write_demo_files
from readyterm.tui.source import FixedSource

TODAY = dt.date(2025, 6, 1)
NOW = dt.datetime(2025, 6, 1, 9, 30, tzinfo=dt.UTC)
IDENTITY = "dev@example.com"


def fixture_app(root: Path, result: RunResult | None = None) -> ReadytermApp:
    """The real app over a hand-made result: no scanning, the same pictures every time."""
    write_demo_files(root)
    return build_app(
        FixedSource(result or demo_result(), root), today=TODAY, identity=IDENTITY, now=lambda: NOW
    )


async def wait_until(
    pilot: Pilot[object], predicate: Callable[[], bool], timeout: float = 240.0
) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
        await pilot.pause(0.1)
    await pilot.pause()


async def settle(pilot: Pilot[object]) -> None:
    """Wait until the run has finished and the screen shows it."""
    app = pilot.app
    assert isinstance(app, ReadytermApp)
    await wait_until(pilot, lambda: app.state.result is not None and not app.state.running)
    await asyncio.sleep(0)
    await pilot.pause()
