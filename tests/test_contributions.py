"""Staging's break-it findings join the steps whose questions they answer, and only as findings:
its Docker error or skip never changes those steps, and a re-run of one step keeps them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readyterm.engine.events import RunOptions
from readyterm.engine.runner import prepare, run_to_end
from readyterm.foundation.findings import Finding
from tests.conftest import run_cli

HANDLER = """\
from flask import Flask, request

app = Flask(__name__)


@app.get("/calc")
def calc():
    return str(eval(request.args["expr"]))
"""

DOCKERFILE = "FROM scratch\nCOPY app.py /app.py\nUSER 1000\nEXPOSE 8080\n"


def _app(root: Path) -> Path:
    root.mkdir()
    (root / "app.py").write_text(HANDLER)
    (root / "Dockerfile").write_text(DOCKERFILE)
    return root


def test_an_unreachable_docker_engine_leaves_the_other_steps_judged(tmp_path: Path) -> None:
    app = _app(tmp_path / "app")
    done = run_cli(
        "--ci",
        str(app),
        "--all",
        "--format",
        "json",
        env={
            "DOCKER_HOST": f"unix://{tmp_path}/no-such-docker.sock",
            "READYTERM_TESTS__RUN": "0",
        },
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 3, done.stderr  # staging could not run
    steps = {s["id"]: s for s in json.loads(done.stdout)["steps"]}
    assert steps["staging"]["status"] == "error"
    assert "Docker" in steps["staging"]["summary"]
    for step_id in ("input-validation", "concurrency", "error-handling", "environment"):
        assert steps[step_id]["status"] != "error", steps[step_id]
        assert "Docker" not in steps[step_id]["summary"], steps[step_id]
    assert steps["input-validation"]["status"] == "fail"  # the eval of request data
    assert any("eval" in f["message"] for f in steps["input-validation"]["findings"])


def _staged(rule: str, step: str) -> Finding:
    return Finding(
        rule=rule,
        step=step,
        severity="blocker",
        path="Dockerfile",
        line=0,
        end_line=0,
        message="POST /orders answered 500 to invalid JSON",
        code=f"POST /orders {rule}",
    )


def test_a_step_re_run_without_staging_keeps_what_the_container_showed(tmp_path: Path) -> None:
    app = _app(tmp_path / "app")
    (app / "app.py").write_text("print('ok')\n")  # nothing static to find
    carried = (
        _staged("staging-input-validation-5xx", "input-validation"),
        _staged("staging-concurrency-lost-update", "concurrency"),
    )
    options = RunOptions(path=app, whole=True, steps=("input-validation",), carried=carried)
    result = run_to_end(prepare(options))
    steps = {s.id: s for s in result.steps}
    assert [f.rule for f in steps["input-validation"].findings] == ["staging-input-validation-5xx"]
    assert steps["input-validation"].status == "fail"
    assert steps["input-validation"].findings[0].fingerprint  # judged like any other finding
    assert steps["concurrency"].status == "skipped"  # not re-run: its carried finding waits
    assert steps["staging"].status == "skipped"


def test_carried_findings_are_not_added_when_staging_runs_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With staging in the run, what it finds now counts, not what it found before (here it
    cannot reach Docker, and the old finding is still not copied in)."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-such-docker.sock")
    app = _app(tmp_path / "app")
    (app / "app.py").write_text("print('ok')\n")
    carried = (_staged("staging-input-validation-5xx", "input-validation"),)
    options = RunOptions(
        path=app, whole=True, steps=("input-validation", "staging"), carried=carried
    )
    steps = {s.id: s for s in run_to_end(prepare(options)).steps}
    assert steps["staging"].status == "error"
    assert steps["input-validation"].status == "pass", steps["input-validation"]
    assert steps["input-validation"].findings == []
