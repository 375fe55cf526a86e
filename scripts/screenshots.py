"""Regenerate screenshots/ from the real app (the same `build_app` the tests use).

    .venv/bin/python scripts/screenshots.py            # the real demo, real scans
    .venv/bin/python scripts/screenshots.py --fixture  # the hand-made result: no scanning

Writes SVGs (Textual's own export) and, when `rsvg-convert` is installed, PNGs beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from readyterm.cli.demo import write_demo
from readyterm.engine.runner import RunOptions, prepare
from readyterm.tui.app import ReadytermApp, build_app
from readyterm.tui.fixture import demo_result, write_demo_files
from readyterm.tui.live import LiveSource
from readyterm.tui.source import FixedSource

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)
_RUN_TIMEOUT = 600.0


async def _wait(app: ReadytermApp, ready: Callable[[], bool], pilot_pause: object) -> None:
    deadline = time.monotonic() + _RUN_TIMEOUT
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit("the run did not finish in time")
        await pilot_pause(0.1)  # type: ignore[operator]


async def capture(app: ReadytermApp, live: bool) -> list[Path]:
    shots: list[Path] = []

    def save(name: str) -> None:
        app.clear_notifications()
        shots.append(Path(app.save_screenshot(f"{name}.svg", str(OUT))))

    async with app.run_test(size=SIZE) as pilot:
        state = app.state
        if live:
            # Mid-run: some steps done, others still scanning.
            await _wait(
                app,
                lambda: (
                    any(s.phase == "done" for s in state.steps.values()) and bool(state.running)
                ),
                pilot.pause,
            )
            await pilot.pause(0.5)
            save("checklist-mid-run")
        await _wait(app, lambda: state.result is not None and not state.running, pilot.pause)
        await pilot.pause()
        if not live:
            save("checklist")
        await pilot.press("tab", "down")
        await pilot.pause()
        save("finding")
        await pilot.press("a")
        await pilot.pause()
        save("accept-risk")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        save("summary")
        await pilot.press("q")
    return shots


def _png(svg: Path) -> None:
    converter = shutil.which("rsvg-convert")
    if converter:
        subprocess.run([converter, str(svg), "-o", str(svg.with_suffix(".png"))], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fixture", action="store_true", help="use the hand-made result")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="readyterm-shots-") as tmp:
        if args.fixture:
            root = write_demo_files(Path(tmp) / "demo")
            app = build_app(FixedSource(demo_result(), root))
        else:
            where = write_demo(Path(tmp) / "demo")
            prepared = prepare(RunOptions(path=where, no_staging=True))
            app = build_app(LiveSource(prepared), identity="dev@example.com")
        shots = asyncio.run(capture(app, live=not args.fixture))
    for svg in shots:
        _png(svg)
        print(f"wrote {svg.relative_to(OUT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
