"""The staging pane's break-it sections: what was sent and what came back, failures first."""

from __future__ import annotations

from pathlib import Path

from readyterm.engine.result import StepResult
from readyterm.engine.test_figures import figures_line
from readyterm.tui.state import StepState, WalkState
from readyterm.tui.widgets.step_pane import StepPane, _probe_sections, summary_notes


def test_sections_show_failures_first_in_the_order_they_were_sent() -> None:
    entries = [{"sent": f"GET /ok{i}", "got": "200 in 1 ms", "verdict": "pass"} for i in range(5)]
    entries.insert(
        3, {"sent": "POST /orders  invalid JSON", "got": "500 in 9 ms", "verdict": "fail"}
    )
    lines = [line.plain for line in _probe_sections({"sections": {"hostile input": entries}})]
    assert lines[0] == "Hostile input  6 tried, 1 went wrong"
    assert lines[1:] == [
        "  ● GET /ok0  →  200 in 1 ms",
        "  ● GET /ok1  →  200 in 1 ms",
        "  ● POST /orders  invalid JSON  →  500 in 9 ms",
    ]


def test_no_details_and_no_sections_show_nothing() -> None:
    assert _probe_sections(None) == []
    assert _probe_sections({"probes": []}) == []


def _pane_with_staging(result: StepResult) -> tuple[StepPane, StepState]:
    walk = WalkState()
    state = walk.steps["staging"]
    state.phase = "done"
    state.result = result
    state.log = [f"build: Step {i}/9" for i in range(1, 10)]
    return StepPane(Path("."), walk), state


def test_a_finished_staging_run_shows_its_sections_instead_of_the_build_log() -> None:
    details = {"sections": {"hostile input": [{"sent": "a", "got": "b", "verdict": "pass"}]}}
    pane, state = _pane_with_staging(StepResult("staging", "pass", "no findings", [], 1.0, details))
    assert pane._log_rows(state) == 0  # the sections are shown with the outcome


def test_a_staging_run_that_could_not_run_shows_why_not_the_build_log() -> None:
    result = StepResult("staging", "error", "the image could not be built: no registry")
    pane, state = _pane_with_staging(result)
    assert pane._log_rows(state) == 0  # the "Could not run:" block with the reason
    result = StepResult("staging", "fail", "1 blocker")
    pane, state = _pane_with_staging(result)
    assert pane._log_rows(state) == 8  # no sections (the build failed): the build log


def test_what_a_summary_says_besides_its_counts_is_shown_as_notes() -> None:
    walk = WalkState()
    state = walk.steps["tests"]
    state.phase = "done"
    state.result = StepResult(
        "tests", "pass", "no findings; `tests.run` is off: the suite was not run"
    )
    text = StepPane(Path("."), walk)._info(state).plain
    assert "Outcome  no findings" in text
    assert "Note  `tests.run` is off: the suite was not run" in text


def test_notes_keep_bracketed_lists_whole_and_leave_the_figures_to_their_own_lines() -> None:
    figures = {
        "tests": {"run": 3, "passed": 3, "failed": 0, "skipped": 0},
        "diff_coverage": {"percent": 90.0, "covered": 9, "lines": 10, "threshold": 80},
        "failure_paths": {"exercised": 1, "total": 1},
    }
    line = figures_line(figures)
    summary = f"1 warning · {line}; 2 file(s) no check could read (a.js: x; b.js: y)"
    assert summary_notes(summary, figures) == ["2 file(s) no check could read (a.js: x; b.js: y)"]
    assert summary_notes(f"1 warning · {line}", figures) == []
    assert summary_notes("2 warnings, 1 waived", None) == []
    cut = "1 blocker; 1 file(s) no check could read (app.py: '(' was never closed"
    assert summary_notes(cut, None) == [
        "1 file(s) no check could read (app.py: '(' was never closed"
    ]
