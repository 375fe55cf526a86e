"""The GitLab CI template (ci/gitlab/readyterm.gitlab-ci.yml).

Validated against GitLab's CI schema (check-jsonschema's vendored copy: offline), alone and
as a user's `include:`; then its job's script runs in a POSIX shell in cloned temp repos with
the variables GitLab sets for a merge-request pipeline (tests/ci_runner.py). The script's
`pip install` installs readyterm from this checkout into a venv made for the job.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from readyterm.cli.demo import write_demo
from tests.ci_runner import JobRun, check_jsonschema, checkout, gitlab_job, run_gitlab_job
from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "ci/gitlab/readyterm.gitlab-ci.yml"


def pipeline() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    return loaded


def test_the_template_is_valid_against_gitlabs_ci_schema(tmp_path: Path) -> None:
    done = check_jsonschema("vendor.gitlab-ci", TEMPLATE)
    assert done.returncode == 0, done.stdout + done.stderr
    # As a user includes it (the README's two lines), with a variable of theirs.
    user = tmp_path / ".gitlab-ci.yml"
    user.write_text(
        "include:\n"
        '  - remote: "https://example.invalid/ci/gitlab/readyterm.gitlab-ci.yml"\n'
        "variables:\n"
        '  RT_STRICT: "true"\n',
        encoding="utf-8",
    )
    done = check_jsonschema("vendor.gitlab-ci", user)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_gitlab_example_is_valid_too() -> None:
    done = check_jsonschema("vendor.gitlab-ci", ROOT / "examples/ci/gitlab-ci.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_would_catch_a_broken_template(tmp_path: Path) -> None:
    broken = pipeline()
    # (The schema leaves hidden jobs free-form: break the job that runs.)
    broken["readyterm"]["artifacts"] = {"when": "sometimes"}
    target = tmp_path / "broken.gitlab-ci.yml"
    target.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert check_jsonschema("vendor.gitlab-ci", target).returncode == 1


def test_the_default_job_is_the_hidden_one_with_the_reports_it_writes() -> None:
    template = pipeline()
    assert template["readyterm"]["extends"] == ".readyterm"
    job = gitlab_job(template, "readyterm")
    script = "\n".join(job["script"])
    reports = job["artifacts"]["reports"]
    assert f"--output gitlab:{reports['codequality']}" in script
    assert f"--output junit:{reports['junit']}" in script
    assert job["artifacts"]["when"] == "always"
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert "CI_MERGE_REQUEST_DIFF_BASE_SHA" in script
    # Not READYTERM_*: readyterm would read those as configuration (and reject RT_STRICT's).
    assert not [name for name in template["variables"] if name.startswith("READYTERM_")]


@pytest.fixture(scope="module")
def job_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The job image's Python: a fresh venv, so the script's `pip install` is the real one."""
    venv = tmp_path_factory.mktemp("job-python") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    return venv / "bin"


def merge_request_job(
    project: Path, job_bin: Path, tmp: Path, variables: dict[str, str]
) -> tuple[JobRun, str]:
    """Run the `readyterm` job as a merge-request pipeline into main; returns the diff base."""
    repo = GitRepo(project)
    diff_base = repo.git("merge-base", "origin/main", "HEAD")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(job_bin), os.environ["PATH"]]),
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": diff_base,
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": repo.git("rev-parse", "--abbrev-ref", "HEAD"),
        "CI_DEFAULT_BRANCH": "main",
        "CI_COMMIT_SHA": repo.head,
        "RT_PACKAGE": str(ROOT),
        **variables,
    }
    return run_gitlab_job(pipeline(), "readyterm", project_dir=project, env=env, tmp=tmp), diff_base


def test_a_merge_request_with_the_demo_change_fails_with_a_code_quality_report(
    job_bin: Path, tmp_path: Path
) -> None:
    project = checkout(write_demo(tmp_path / "demo"), tmp_path / "project")
    run, diff_base = merge_request_job(
        project,
        job_bin,
        tmp_path,
        {"RT_STEPS": "environment,input-validation,monitoring,staging"},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "NOT READY to deploy" in run.stdout

    report = json.loads((project / "gl-code-quality-report.json").read_text())
    assert report and isinstance(report, list)
    for issue in report:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["lines"]["begin"] >= 1
    assert "app/config.py" in {issue["location"]["path"] for issue in report}
    assert len({issue["fingerprint"] for issue in report}) == len(report)

    cases = ET.parse(project / "readyterm-junit.xml").getroot().iter("testcase")
    failed = {
        str(case.get("name")).split(":")[0] for case in cases if case.find("failure") is not None
    }
    assert failed == {"environment", "input-validation"}
    result = json.loads((project / "readyterm.json").read_text())
    assert result["scope"]["base"] == diff_base  # the merge request's diff base
    assert result["steps"][-1]["summary"] == "--no-staging was given"  # RT_STAGING default


def test_a_clean_merge_request_passes_strict(job_bin: Path, repo: GitRepo, tmp_path: Path) -> None:
    repo.write("app/util.py", "def double(value: int) -> int:\n    return value * 2\n")
    repo.commit("a clean helper")
    project = checkout(repo.path, tmp_path / "project")
    run, _ = merge_request_job(
        project, job_bin, tmp_path, {"RT_STEPS": "environment", "RT_STRICT": "true"}
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "READY to deploy" in run.stdout
    result = json.loads((project / "readyterm.json").read_text())
    assert result["strict"] is True and result["scope"]["files"] == ["app/util.py"]
    assert json.loads((project / "gl-code-quality-report.json").read_text()) == []


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"RT_STRICT": "yes"}, "RT_STRICT must be true or false, got 'yes' (exit code 2"),
        ({"RT_STEPS": "bogus"}, "unknown step id 'bogus'"),
        ({"RT_BASE": "no-such-ref"}, "no-such-ref"),
    ],
)
def test_bad_variables_fail_the_job_with_exit_2_and_say_why(
    job_bin: Path, repo: GitRepo, tmp_path: Path, variables: dict[str, str], message: str
) -> None:
    project = checkout(repo.path, tmp_path / "project")
    run, _ = merge_request_job(project, job_bin, tmp_path, variables)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr
