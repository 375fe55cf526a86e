"""The staging pane's break-it sections: what was sent and what came back, failures first."""

from __future__ import annotations

from readyterm.tui.widgets.step_pane import _probe_sections


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
