"""The GitHub Action (action.yml) and its example workflow.

Validated against GitHub's schemas (check-jsonschema's vendored copies: offline), and run:
the action's own `run:` steps, in a temp git repo cloned like actions/checkout does, with the
env vars GitHub sets (tests/ci_runner.py). The install step installs readyterm from this
checkout for real, once per module.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from readyterm.cli.demo import write_demo
from tests.ci_runner import ActionRun, check_jsonschema, checkout, run_composite_action
from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ACTION_FILE = ROOT / "action.yml"
WORKFLOW = ROOT / "examples/ci/github-workflow.yml"


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION_FILE.read_text(encoding="utf-8"))
    return loaded


def job_env() -> dict[str, str]:
    """The runner's environment: `python` is a Python readyterm runs on (setup-python's)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def test_the_action_and_the_example_workflow_are_valid_against_githubs_schemas() -> None:
    for schema, path in (
        ("vendor.github-actions", ACTION_FILE),
        ("vendor.github-workflows", WORKFLOW),
    ):
        done = check_jsonschema(schema, path)
        assert done.returncode == 0, f"{path.name}: {done.stdout}{done.stderr}"
        assert "ok -- validation done" in done.stdout


@pytest.mark.parametrize("name", ["github-actions.yml", "github-actions-matrix.yml"])
def test_the_other_github_examples_are_valid_workflows_too(name: str) -> None:
    example = WORKFLOW.with_name(name)
    done = check_jsonschema("vendor.github-workflows", example)
    assert done.returncode == 0, done.stdout + done.stderr
    linted = subprocess.run(
        [str(Path(sys.executable).with_name("actionlint")), "-no-color", str(example)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_schema_check_would_catch_a_broken_action(tmp_path: Path) -> None:
    """The validation is no formality: a composite step without a shell is rejected."""
    broken = action()
    del broken["runs"]["steps"][1]["shell"]
    target = tmp_path / "action.yml"
    target.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert check_jsonschema("vendor.github-actions", target).returncode == 1


def test_the_example_uses_the_action_as_it_is_defined() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["readyterm"]["steps"]
    checkout, gate = steps
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["fetch-depth"] == 0  # the base must be in the clone
    assert gate["uses"].split("@")[0].endswith("/readyterm")
    assert set(gate["with"]) <= set(action()["inputs"])
    assert workflow["permissions"]["security-events"] == "write"  # the SARIF upload


def test_the_action_is_safe_to_use() -> None:
    """Inputs reach the scripts through env only (no `${{ }}` spliced into shell code), and
    every action it uses is pinned to a major version."""
    for step in action()["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")
        if "uses" in step:
            assert re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", step["uses"]), step["uses"]
    uses = [s["uses"] for s in action()["runs"]["steps"] if "uses" in s]
    assert "github/codeql-action/upload-sarif@v3" in uses
    # Only the gate decides: a failed upload (a fork's pull request) does not fail the job.
    upload = next(s for s in action()["runs"]["steps"] if s.get("id") == "upload-sarif")
    assert upload["continue-on-error"] is True


@dataclass
class Installed:
    """RUNNER_TEMP after the install step ran, that step's outputs and what it put on PATH."""

    temp: Path
    outputs: dict[str, str]
    path_added: list[str]


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory, module_env: None) -> Iterator[Installed]:
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("workspace")
    run = run_composite_action(
        action(),
        action_path=ROOT,
        workspace=workspace,
        runner_temp=temp,
        inputs={},
        github={"base_ref": ""},
        env=job_env(),
        skip=("run", "upload-sarif", "gate"),
    )
    install = run.step("install")
    assert install.ran and install.returncode == 0, install.stdout + install.stderr
    yield Installed(temp, install.outputs, run.path_added)


def test_the_install_step_installs_readyterm_from_the_actions_checkout(
    runner_temp: Installed,
) -> None:
    temp, outputs = runner_temp.temp, runner_temp.outputs
    installed = Path(outputs["readyterm"])
    assert installed.is_file() and installed.is_relative_to(temp)
    done = subprocess.run(
        [str(installed), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    from readyterm import __version__

    assert done.stdout.strip() == f"readyterm {__version__}"
    # A venv of its own: the runner's Python is not touched.
    assert not installed.is_relative_to(Path(sys.prefix))
    assert runner_temp.path_added == [str(installed.parent)]  # on PATH for later steps


def run_action(
    runner_temp: Installed,
    workspace: Path,
    inputs: dict[str, str],
    base_ref: str = "main",
    env: dict[str, str] | None = None,
) -> ActionRun:
    temp, install = runner_temp.temp, runner_temp.outputs
    return run_composite_action(
        action(),
        action_path=ROOT,
        workspace=workspace,
        runner_temp=temp,
        inputs=inputs,
        github={"base_ref": base_ref, "event_name": "pull_request"},
        env={**job_env(), **(env or {})},
        skip=("install",),
        earlier={"install": install},
    )


def test_on_the_demo_change_the_job_fails_with_annotations_a_summary_and_sarif(
    runner_temp: Installed, tmp_path: Path
) -> None:
    workspace = checkout(write_demo(tmp_path / "demo"), tmp_path / "workspace")
    run = run_action(
        runner_temp,
        workspace,
        {"steps": "environment,input-validation,monitoring", "staging": "false"},
    )
    gate = run.step("gate")
    assert gate.ran and gate.returncode == 1, run.log
    assert run.failed is gate  # the checks' own step succeeded: the gate decides, last
    assert gate.stdout.startswith(
        "::error title=readyterm::not ready to deploy: environment, input-validation failed "
        "(exit code 1)"
    )
    assert run.outputs["verdict"] == "not-ready" and run.outputs["exit-code"] == "1"

    checks = run.step("run")
    assert re.search(r"^::error file=app/config\.py,line=\d+", checks.stdout, re.M), checks.stdout
    assert "## readyterm: ❌ Not ready to deploy" in run.summary
    assert "| `environment` | ❌ fail |" in run.summary
    assert "| `staging` | ⏭️ skipped |" in run.summary

    result = json.loads(Path(run.outputs["result"]).read_text())
    merge_base = GitRepo(workspace).git("merge-base", "origin/main", "HEAD")
    assert result["scope"]["base"] == merge_base  # the pull request's base, from base_ref

    sarif = json.loads(Path(run.outputs["sarif"]).read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert "app/config.py" in uris
    upload = run.step("upload-sarif")
    assert upload.ran and upload.uses == "github/codeql-action/upload-sarif@v3"
    assert upload.given == {"sarif_file": run.outputs["sarif"], "category": "readyterm"}


def test_a_clean_change_passes_and_strict_and_base_are_passed_on(
    runner_temp: Installed, repo: GitRepo, tmp_path: Path
) -> None:
    repo.write("app/util.py", "def double(value: int) -> int:\n    return value * 2\n")
    repo.commit("a clean helper")
    workspace = checkout(repo.path, tmp_path / "workspace")
    run = run_action(
        runner_temp,
        workspace,
        {"steps": "environment", "strict": "true", "base": "origin/main", "upload-sarif": "false"},
        base_ref="",
    )
    gate = run.step("gate")
    assert gate.returncode == 0, run.log
    assert gate.stdout.startswith("readyterm: ready to deploy (exit code 0)")
    assert run.outputs["verdict"] == "ready" and run.failed is None
    result = json.loads(Path(run.outputs["result"]).read_text())
    assert result["strict"] is True
    assert result["scope"]["files"] == ["app/util.py"]
    assert not run.step("upload-sarif").ran  # upload-sarif: "false"


@pytest.mark.parametrize(
    ("inputs", "message", "in_log"),
    [
        (
            {"strict": "maybe"},
            "input strict must be true or false, got 'maybe' (exit code 2",
            "::error title=readyterm::input strict",
        ),
        (
            {"steps": "environment,bogus"},
            "readyterm stopped before the checks ran (exit code 2)",
            "unknown step id 'bogus'",
        ),
    ],
)
def test_bad_inputs_fail_the_job_with_exit_2_and_say_why(
    runner_temp: Installed,
    repo: GitRepo,
    tmp_path: Path,
    inputs: dict[str, str],
    message: str,
    in_log: str,
) -> None:
    workspace = checkout(repo.path, tmp_path / "workspace")
    run = run_action(runner_temp, workspace, inputs)
    gate = run.step("gate")
    assert gate.returncode == 2, run.log
    assert gate.stdout.startswith(f"::error title=readyterm::{message}")
    assert in_log in run.log
    assert not run.step("upload-sarif").ran  # there is nothing to upload
    assert "Traceback" not in run.log


def test_a_check_that_cannot_run_fails_the_job_with_exit_3(
    runner_temp: Installed, repo: GitRepo, tmp_path: Path
) -> None:
    broken = tmp_path / "semgrep"
    broken.write_text("#!/bin/sh\necho 'segmentation fault (core dumped)' >&2\nexit 139\n")
    broken.chmod(0o755)
    repo.write("app/util.py", "VALUE = 1\n")
    repo.commit("a change")
    workspace = checkout(repo.path, tmp_path / "workspace")
    run = run_action(
        runner_temp,
        workspace,
        {"steps": "environment,monitoring", "staging": "false"},
        env={"READYTERM_SEMGREP_BIN": str(broken)},
    )
    gate = run.step("gate")
    assert gate.returncode == 3, run.log
    assert gate.stdout.startswith("::error title=readyterm::a check could not run: environment")
    assert run.outputs["verdict"] == "error"
    assert "## readyterm: ⚠️ Unknown: a check could not run" in run.summary
    assert run.step("upload-sarif").ran  # what did run is still uploaded


def test_actionlint_accepts_the_example_with_this_action_and_catches_a_wrong_input(
    tmp_path: Path,
) -> None:
    """actionlint reads action.yml for a local `uses: ./`: the example's inputs must exist."""
    repo = GitRepo(tmp_path / "repo")
    repo.path.mkdir()
    repo.git("init", "--quiet")
    repo.write("action.yml", ACTION_FILE.read_text(encoding="utf-8"))
    example = WORKFLOW.read_text(encoding="utf-8")
    local = re.sub(r"uses: [\w-]+/readyterm@\S+", "uses: ./", example)
    assert local != example
    workflow = repo.write(".github/workflows/readyterm.yml", local)

    def actionlint() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(Path(sys.executable).with_name("actionlint")), "-no-color"],
            cwd=repo.path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = actionlint()
    assert done.returncode == 0, done.stdout + done.stderr
    workflow.write_text(local.replace("strict:", "strictness:"), encoding="utf-8")
    done = actionlint()
    assert done.returncode == 1
    assert 'input "strictness" is not defined in action "readyterm"' in done.stdout
