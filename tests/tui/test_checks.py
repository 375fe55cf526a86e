"""The checks' helper process: events come back in order, bad input keeps its exit code."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from readyterm.engine.runner import RunFinished, RunOptions, StepFinished, find_root
from readyterm.foundation.errors import ExitCode
from readyterm.tui.checks import _HELPER_NICENESS, CheckServer, HelperError, ProcessSource
from readyterm.tui.source import HeaderKnown
from tests.conftest import GitRepo

pytestmark = pytest.mark.slow


def test_a_run_through_the_helper_prepares_first_then_reports_every_step(repo: GitRepo) -> None:
    repo.write("app/views.py", "from flask import Flask\n\napp = Flask(__name__)\n")
    repo.commit("add a view")
    options = RunOptions(path=repo.path, steps=("monitoring",), no_staging=True)
    server = CheckServer()
    try:
        source = ProcessSource(options, server, find_root(repo.path))
        assert source.header().preparing
        events = list(source.events(None, threading.Event()))
        assert isinstance(events[0], HeaderKnown)
        assert source.header() == events[0].header and source.header().files == 1
        assert isinstance(events[-1], RunFinished)
        finished = {e.result.id for e in events if isinstance(e, StepFinished)}
        assert "monitoring" in finished
        assert source.digest(events[-1].result)  # computed in the helper
        # The helper serves the next run too (a re-run of one step).
        again = list(source.events(("monitoring",), threading.Event()))
        assert isinstance(again[-1], RunFinished)
    finally:
        server.stop()
    assert not server._process.is_alive()


def test_bad_input_found_by_the_helper_keeps_its_message_hint_and_exit_code(
    repo: GitRepo,
) -> None:
    options = RunOptions(path=repo.path, base="no-such-ref", no_staging=True)
    server = CheckServer()
    try:
        source = ProcessSource(options, server, find_root(repo.path))
        with pytest.raises(HelperError) as caught:
            list(source.events(None, threading.Event()))
        assert caught.value.exit_code == ExitCode.USAGE
        assert "no-such-ref" in caught.value.message and caught.value.hint
    finally:
        server.stop()


def test_stopping_the_helper_mid_run_ends_it(repo: GitRepo) -> None:
    options = RunOptions(path=repo.path, whole=True, no_staging=True)
    server = CheckServer()
    source = ProcessSource(options, server, find_root(repo.path))
    events = source.events(None, threading.Event())
    assert isinstance(next(events), HeaderKnown)
    events.close()  # the app quit while the tools ran
    server.stop()
    assert not server._process.is_alive()


def test_the_helper_and_its_tools_yield_the_cpu_to_the_screen() -> None:
    """On a machine whose cores the scanners fill, key presses must not queue behind them."""
    server = CheckServer()
    try:
        pid = server._process.pid
        assert pid is not None
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        deadline = time.monotonic() + 10
        while os.getpriority(os.PRIO_PROCESS, pid) == ours and time.monotonic() < deadline:
            time.sleep(0.02)  # the helper lowers its priority as it starts
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(ours + _HELPER_NICENESS, 19)
        group = Path(f"/proc/{pid}/autogroup")
        if group.exists():  # Linux schedules a session as a whole: its group yields too
            assert group.read_text().split()[-1] == str(_HELPER_NICENESS)
    finally:
        server.stop()
