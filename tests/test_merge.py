"""`readyterm merge`: the results of CI jobs that ran different --steps, put back together.

Three real runs on one repository, shared by the module: two jobs with different step sets
and one run of both sets at once, which the merge must reproduce.
"""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from readyterm.cli import main
from readyterm.engine.merge import NOT_SELECTED, MergeError, merge_results
from readyterm.engine.result import ResultFormatError, RunResult, StepResult
from readyterm.foundation.steps import STEP_IDS
from tests.conftest import GitRepo, run_cli
from tests.test_reports import EXTENSIONS, SARIF_SCHEMA, fixed_result

JOB_A = "environment,error-handling"
JOB_B = "input-validation,logging,monitoring"
FORMATS = sorted(EXTENSIONS)

CLIENT = """\
import pickle
import tempfile

import requests

API = "http://localhost:8000/api"
DOCS = "http://localhost:8080/docs"  # readyterm: ignore[localhost-url] -- dev docs link only


def fetch():
    try:
        return requests.get(API)
    except Exception:
        pass


def load(blob):
    return pickle.loads(blob)


def scratch():
    return tempfile.mktemp()
"""


def _job(repo: GitRepo, out: Path, name: str, steps: str, *extra: str) -> dict[str, Any]:
    """One real headless run, as a CI job would make it; its JSON goes outside the checkout."""
    target = out / f"{name}.json"
    done = run_cli(
        "--ci",
        str(repo.path),
        "--no-staging",
        "--steps",
        steps,
        "--format",
        "json",
        "--output",
        f"json:{target}",
        *extra,
    )
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout) == json.loads(target.read_text("utf-8"))
    return {"path": target, "json": json.loads(done.stdout), "exit": done.returncode}


@pytest.fixture(scope="module")
def runs(module_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("merge") / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.write("app/__init__.py", "")
    repo.commit("initial")
    repo.branch("feature")
    repo.write("app/client.py", CLIENT)
    repo.commit("add a client")
    out = tmp_path_factory.mktemp("merge-out")
    single_outputs = [f"--output={fmt}:{out / ('single.' + EXTENSIONS[fmt])}" for fmt in FORMATS]
    return {
        "repo": repo,
        "out": out,
        "a": _job(repo, out, "a", JOB_A),
        "b": _job(repo, out, "b", JOB_B),
        "single": _job(repo, out, "single", f"{JOB_A},{JOB_B}", *single_outputs),
    }


def merge_cli(*args: str | Path) -> tuple[int, str, str]:
    """`readyterm merge` in a subprocess, as the final CI job runs it."""
    done = run_cli("merge", *(str(a) for a in args))
    return done.returncode, done.stdout, done.stderr


def step_of(result: dict[str, Any], step_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in result["steps"] if s["id"] == step_id)
    return found


# --- merging real runs -----------------------------------------------------------------------


@pytest.mark.slow
def test_the_jobs_really_ran_different_steps(runs: dict[str, Any]) -> None:
    ran_a = {s["id"] for s in runs["a"]["json"]["steps"] if s["status"] != "skipped"}
    ran_b = {s["id"] for s in runs["b"]["json"]["steps"] if s["status"] != "skipped"}
    assert ran_a == set(JOB_A.split(",")) and ran_b == set(JOB_B.split(","))
    single = runs["single"]["json"]
    assert step_of(single, "environment")["status"] == "fail"
    rules = {f["rule"] for s in single["steps"] for f in s["findings"]}
    assert {"localhost-url", "http-request-without-timeout", "swallowed-exception"} <= rules
    assert any(r.startswith("bandit-") for r in rules)  # input-validation ran bandit for real
    inline = [f for f in step_of(single, "environment")["findings"] if f["waived"]]
    assert inline and inline[0]["waiver"]["kind"] == "inline"


@pytest.mark.slow
def test_the_merged_json_equals_one_run_of_both_step_sets(runs: dict[str, Any]) -> None:
    code, stdout, stderr = merge_cli(runs["a"]["path"], runs["b"]["path"], "--format", "json")
    assert stderr == ""
    # The JSON carries no step timing, so nothing needs masking: the documents are equal.
    assert json.loads(stdout) == runs["single"]["json"]
    assert code == runs["single"]["exit"] == 1
    assert json.loads(stdout)["verdict"] == "not-ready"


@pytest.mark.slow
def test_the_order_of_the_results_does_not_matter(runs: dict[str, Any]) -> None:
    code, stdout, _ = merge_cli(runs["b"]["path"], runs["a"]["path"], "--format", "json")
    assert code == 1
    assert json.loads(stdout) == runs["single"]["json"]


@pytest.mark.slow
def test_a_step_no_job_ran_stays_skipped_with_its_reason(runs: dict[str, Any]) -> None:
    _, stdout, _ = merge_cli(runs["a"]["path"], runs["b"]["path"], "--format", "json")
    merged = json.loads(stdout)
    for step_id in ("concurrency", "performance", "tests", "staging"):
        assert step_of(merged, step_id)["status"] == "skipped"
        assert step_of(merged, step_id)["summary"] == NOT_SELECTED  # the runner's wording
    assert [s["id"] for s in merged["steps"]] == list(STEP_IDS)


@pytest.mark.slow
def test_every_format_renders_the_merged_result_as_the_single_run_does(
    runs: dict[str, Any], tmp_path: Path
) -> None:
    outputs = [f"--output={fmt}:{tmp_path / ('merged.' + EXTENSIONS[fmt])}" for fmt in FORMATS]
    code, stdout, stderr = merge_cli(runs["a"]["path"], runs["b"]["path"], *outputs)
    assert code == 1, stderr
    assert "NOT READY to deploy" in stdout  # --format text by default
    for fmt in FORMATS:
        merged = (tmp_path / f"merged.{EXTENSIONS[fmt]}").read_text("utf-8")
        single = (runs["out"] / f"single.{EXTENSIONS[fmt]}").read_text("utf-8")
        if fmt == "junit":  # step timing is not in the JSON: the merged times are zero
            merged_tree, single_tree = ET.fromstring(merged), ET.fromstring(single)
            for element in (*merged_tree.iter(), *single_tree.iter()):
                element.attrib.pop("time", None)
            assert ET.tostring(merged_tree) == ET.tostring(single_tree)
            assert [c.get("name", "").split(":")[0] for c in merged_tree.iter("testcase")] == list(
                STEP_IDS
            )
        else:
            assert merged == single, f"{fmt} differs"
    sarif = json.loads((tmp_path / "merged.sarif.json").read_text("utf-8"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed and suppressed[0]["suppressions"][0]["kind"] == "inSource"
    gitlab = json.loads((tmp_path / "merged.gitlab.json").read_text("utf-8"))
    assert {i["check_name"] for i in gitlab} >= {"localhost-url", "swallowed-exception"}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_goes_to_stdout_too(runs: dict[str, Any], fmt: str) -> None:
    code, stdout, stderr = merge_cli(runs["a"]["path"], runs["b"]["path"], "--format", fmt)
    assert code == 1 and stderr == ""
    single = (runs["out"] / f"single.{EXTENSIONS[fmt]}").read_text("utf-8")
    if fmt != "junit":
        assert stdout == single
    else:
        assert stdout.count("<testcase") == len(STEP_IDS)


@pytest.mark.slow
def test_github_format_appends_one_summary_of_the_merged_result(
    runs: dict[str, Any], tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    done = run_cli(
        "merge",
        str(runs["a"]["path"]),
        str(runs["b"]["path"]),
        "--format",
        "github",
        "--output",
        f"sarif:{tmp_path / 'readyterm.sarif'}",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert done.returncode == 1, done.stderr
    assert "::error file=app/client.py" in done.stdout
    text = summary.read_text("utf-8")
    assert text.count("## readyterm:") == 1
    assert "| `environment` | ❌ fail |" in text and "| `logging` | ❌ fail |" in text
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(
        json.loads((tmp_path / "readyterm.sarif").read_text("utf-8"))
    )


@pytest.mark.slow
def test_merge_never_runs_a_check(runs: dict[str, Any], tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    tool = tmp_path / "tool"
    tool.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    done = run_cli(
        "merge",
        str(runs["a"]["path"]),
        str(runs["b"]["path"]),
        env={"READYTERM_SEMGREP_BIN": str(tool), "READYTERM_BANDIT_BIN": str(tool)},
    )
    assert done.returncode == 1, done.stderr
    assert not marker.exists()


@pytest.mark.slow
def test_a_real_result_round_trips_through_from_dict(runs: dict[str, Any]) -> None:
    for name in ("a", "b", "single"):
        document = runs[name]["json"]
        result = RunResult.from_dict(document)
        assert result.as_dict() == document
        assert result.exit_code == runs[name]["exit"]


# --- verdict and exit code -------------------------------------------------------------------


def _two_jobs(**statuses: str) -> tuple[RunResult, RunResult]:
    """Two job results over the same code, splitting the steps in halves (no timing)."""
    base = RunResult.from_dict(fixed_result().as_dict())
    half = len(STEP_IDS) // 2

    def job(mine: tuple[str, ...]) -> RunResult:
        steps = [
            replace(step, status=statuses.get(step.id.replace("-", "_"), step.status))
            if step.id in mine
            else StepResult(step.id, "skipped", NOT_SELECTED)
            for step in base.steps
        ]
        return replace(base, steps=steps)

    return job(STEP_IDS[:half]), job(STEP_IDS[half:])


@pytest.mark.parametrize(
    ("statuses", "verdict", "code"),
    [
        ({"environment": "pass", "input_validation": "pass"}, "ready", 0),
        ({"input_validation": "pass"}, "not-ready", 1),
        ({"environment": "pass"}, "error", 3),
        ({}, "error", 3),
    ],
)
def test_the_verdict_and_exit_code_are_recomputed(
    statuses: dict[str, str], verdict: str, code: int, tmp_path: Path, capsys: Any
) -> None:
    first, second = _two_jobs(**statuses)
    paths = []
    for i, job in enumerate((first, second)):
        paths.append(tmp_path / f"job{i}.json")
        paths[-1].write_text(json.dumps(job.as_dict()))
    assert main(["merge", *map(str, paths), "--format", "json"]) == code
    merged = json.loads(capsys.readouterr().out)
    assert merged["verdict"] == verdict
    expected = {s.id: s.status for s in first.steps[: len(STEP_IDS) // 2]}
    expected.update({s.id: s.status for s in second.steps[len(STEP_IDS) // 2 :]})
    assert {s["id"]: s["status"] for s in merged["steps"]} == expected


def test_a_skip_reason_other_than_not_selected_wins() -> None:
    first, second = _two_jobs()
    staging = STEP_IDS.index("staging")
    second.steps[staging] = StepResult("staging", "skipped", "--no-staging was given")
    first.steps[staging] = StepResult("staging", "skipped", NOT_SELECTED)
    merged = merge_results([("a.json", first), ("b.json", second)])
    assert merged.steps[staging].summary == "--no-staging was given"


def test_notices_of_all_jobs_are_kept_once_in_order() -> None:
    first, second = _two_jobs()
    first.notices = ["HEAD is detached", "cache rebuilt"]
    second.notices = ["cache rebuilt", "an expired waiver"]
    merged = merge_results([("a.json", first), ("b.json", second)])
    assert merged.notices == ["HEAD is detached", "cache rebuilt", "an expired waiver"]


def test_strict_survives_the_round_trip_and_the_merge() -> None:
    first, second = _two_jobs()
    first.strict = True
    assert RunResult.from_dict(first.as_dict()).strict is True
    assert "strict" not in second.as_dict()  # the default stays out of the document
    assert merge_results([("a", first), ("b", second)]).strict is True


# --- as_dict / from_dict ---------------------------------------------------------------------


def test_from_dict_inverts_as_dict_on_every_shape() -> None:
    """fail, error, skip, waived (waivers.yaml), inline-suppressed, line 0, staging details."""
    result = fixed_result()
    staging = STEP_IDS.index("staging")
    result.steps[staging] = StepResult(
        "staging", "pass", "served", details={"image": "sha256:abc", "probes": [{"ok": True}]}
    )
    result.scope.skipped = {"big.bin": "larger than max_file_bytes", "a.png": "binary"}
    result.scope.deleted = ["old.py"]
    result.record = ".readyterm/records/x.yaml"
    document = result.as_dict()
    again = RunResult.from_dict(json.loads(json.dumps(document)))
    assert again.as_dict() == document
    assert [s.findings for s in again.steps] == [s.findings for s in result.steps]
    assert again.scope == result.scope
    assert again.verdict == result.verdict and again.exit_code == result.exit_code


@pytest.mark.parametrize("bad", ["CWE-89", ["89"], [89], ["CWE-89", None], ["cwe 89"]])
def test_from_dict_rejects_a_cwe_that_is_not_a_list_of_ids(bad: object) -> None:
    document = fixed_result().as_dict()
    environment = document["steps"][STEP_IDS.index("environment")]
    environment["findings"][0]["cwe"] = bad
    with pytest.raises(ResultFormatError, match="cwe"):
        RunResult.from_dict(document)


def test_from_dict_recomputes_the_verdict_instead_of_trusting_it() -> None:
    document = fixed_result().as_dict()
    document["verdict"] = "ready"
    assert RunResult.from_dict(document).verdict == "error"


# --- bad input: exit 2, one line naming the file, never a traceback ---------------------------


@pytest.fixture
def job_files(tmp_path: Path) -> tuple[Path, Path]:
    first, second = _two_jobs()
    paths = (tmp_path / "a.json", tmp_path / "b.json")
    for path, job in zip(paths, (first, second), strict=True):
        path.write_text(json.dumps(job.as_dict()))
    return paths


def rejected(capsys: Any, *args: str | Path) -> str:
    """Run merge in-process; it must exit 2 with one error line and no traceback."""
    code = main(["merge", *(str(a) for a in args)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("readyterm: error: "), captured.err
    return lines[0]


def test_the_happy_path_of_the_bad_input_fixture(job_files: tuple[Path, Path], capsys: Any) -> None:
    assert main(["merge", *map(str, job_files)]) == 3  # input-validation errored
    assert "UNKNOWN: a check could not run" in capsys.readouterr().out


def test_no_files(capsys: Any) -> None:
    assert "no results given" in rejected(capsys)
    with pytest.raises(MergeError):
        merge_results([])


def test_a_missing_file(job_files: tuple[Path, Path], capsys: Any, tmp_path: Path) -> None:
    missing = tmp_path / "results" / "c.json"
    message = rejected(capsys, job_files[0], missing)
    assert f"{missing}: no such file" in message


def test_an_unreadable_file(job_files: tuple[Path, Path], capsys: Any, tmp_path: Path) -> None:
    message = rejected(capsys, job_files[0], job_files[1] / "c.json")  # under a file
    assert f"{job_files[1] / 'c.json'}: cannot read it" in message
    assert f"{tmp_path}: is a folder" in rejected(capsys, tmp_path)
    if os.geteuid() != 0:  # root reads anything
        job_files[1].chmod(0)
        assert f"{job_files[1]}: cannot read it: Permission denied" in rejected(capsys, *job_files)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{\n  "schema": ', "not JSON (Expecting value at line 2"),
        (b"", "not JSON (the file is empty)"),
        (b"\xff\xfe{}", "not JSON (not UTF-8 text)"),
        (b"::error file=app/x.py::boom\n", "not JSON"),
    ],
)
def test_not_json(content: bytes, says: str, tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "job.json"
    target.write_bytes(content)
    assert f"{target}: {says}" in rejected(capsys, target)


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ([{"schema": "readyterm.result/1"}], "not a readyterm result (a JSON list"),
        ({"verdict": "ready", "steps": []}, 'not a readyterm result (no "schema"'),
        ({"$schema": "https://json.schemastore.org/sarif-2.1.0.json"}, "not a readyterm result"),
        ({"schema": "readyterm.record/1"}, "not a readyterm result (schema 'readyterm.record/1'"),
        ({"schema": "readyterm.result/2"}, "written by a newer readyterm"),
        ({"schema": "readyterm.result/beta"}, "unknown result schema"),
    ],
)
def test_not_a_readyterm_result(document: Any, says: str, tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "job.json"
    target.write_text(json.dumps(document))
    assert f"{target}: {says}" in rejected(capsys, target)


def test_a_newer_schema_says_to_upgrade(job_files: tuple[Path, Path], capsys: Any) -> None:
    document = json.loads(job_files[1].read_text())
    document["schema"] = "readyterm.result/2"
    job_files[1].write_text(json.dumps(document))
    message = rejected(capsys, *job_files)
    assert str(job_files[1]) in message and "upgrade readyterm" in message


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda d: d.pop("steps"), "the document: no 'steps'"),
        (lambda d: d["steps"].pop(), "no step 'staging'"),
        (lambda d: d["steps"].append(d["steps"][0]), "step 'environment' listed twice"),
        (lambda d: d["steps"][0].update(id="security"), "steps[0]: unknown step id 'security'"),
        (lambda d: d["steps"][0].update(status="ok"), "steps[0].status: unknown status 'ok'"),
        (
            lambda d: d["steps"][0]["findings"][0].update(line="7"),
            "steps[0].findings[0].line: expected int, got str",
        ),
        (
            lambda d: d["steps"][0]["findings"][0].update(severity="critical"),
            "unknown severity 'critical'",
        ),
        (lambda d: d["scope"].update(mode="partial"), "scope.mode: expected diff or all"),
        (lambda d: d["scope"].update(files=[1]), "scope.files[0]: expected str, got int"),
        (lambda d: d.update(notices="none"), "notices: expected list, got str"),
    ],
)
def test_a_malformed_result_names_the_file_and_the_field(
    edit: Any, says: str, job_files: tuple[Path, Path], capsys: Any
) -> None:
    document = json.loads(job_files[0].read_text())
    edit(document)
    job_files[0].write_text(json.dumps(document))
    message = rejected(capsys, *job_files)
    assert f"{job_files[0]}: " in message and says in message


def test_results_of_different_code(job_files: tuple[Path, Path], capsys: Any) -> None:
    document = json.loads(job_files[1].read_text())
    document["scope"]["digest"] = "sha256:" + "d" * 64
    job_files[1].write_text(json.dumps(document))
    message = rejected(capsys, *job_files)
    assert f"{job_files[0]} and {job_files[1]} checked different code" in message
    assert "scope digest" in message and "all jobs must check out the same commit" in message


def test_without_digests_the_head_commits_must_agree(
    job_files: tuple[Path, Path], capsys: Any
) -> None:
    first, second = (json.loads(p.read_text()) for p in job_files)
    first["scope"]["digest"] = second["scope"]["digest"] = ""
    job_files[0].write_text(json.dumps(first))
    job_files[1].write_text(json.dumps(second))
    assert main(["merge", *map(str, job_files)]) == 3  # same head: they merge
    capsys.readouterr()
    second["scope"]["head"] = "e" * 40
    job_files[1].write_text(json.dumps(second))
    message = rejected(capsys, *job_files)
    assert "head commit" in message and "same commit" in message


def test_the_same_step_run_twice(job_files: tuple[Path, Path], capsys: Any) -> None:
    first, second = (json.loads(p.read_text()) for p in job_files)
    second["steps"][0] = first["steps"][0]  # both ran environment
    job_files[1].write_text(json.dumps(second))
    message = rejected(capsys, *job_files)
    assert f"step 'environment' ran in both {job_files[0]} and {job_files[1]}" in message
    assert "different --steps" in message


def test_a_bad_output_fails_before_reading(job_files: tuple[Path, Path], capsys: Any) -> None:
    message = rejected(capsys, *job_files, "--output", f"sarif:{job_files[0].parent}")
    assert "is a folder" in message


def test_bad_input_in_a_real_subprocess_prints_no_traceback(tmp_path: Path) -> None:
    target = tmp_path / "job.json"
    target.write_text("not json")
    done = run_cli("merge", str(target))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"readyterm: error: {target}: not JSON (Expecting value at line 1, column 1)"
    ]
    done = run_cli("merge")
    assert done.returncode == 2 and "no results given" in done.stderr
    assert "Traceback" not in done.stderr
