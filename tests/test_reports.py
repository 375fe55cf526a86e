"""Every report format: golden output on a fixed result, validated by the consumer's rules."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
import yaml

from readyterm.engine.result import RunResult, ScopeSummary, StepResult
from readyterm.foundation.findings import Finding, Waiver
from readyterm.foundation.steps import STEP_IDS
from readyterm.reports import formatters
from readyterm.reports.github import render_github_summary
from tests.conftest import GitRepo, run_cli

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SARIF_SCHEMA = json.loads((HERE / "schemas" / "sarif-schema-2.1.0.json").read_text())
EXTENSIONS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif.json",
    "junit": "junit.xml",
    "github": "github.txt",
    "gitlab": "gitlab.json",
    "prompt": "prompt.md",
}


def fixed_result() -> RunResult:
    """A deterministic result touching every shape: fail, error, skip, waived, inline, line 0."""
    localhost = Finding(
        rule="localhost-url",
        step="environment",
        severity="blocker",
        path="app/config.py",
        line=7,
        end_line=7,
        message="A localhost address is hardcoded: `http://localhost:8001`.",
        code='PAYMENT_API = "http://localhost:8001/v1"',
        why="In production it points at itself.",
        fix="Read it from the environment.",
        cwe=("CWE-547",),
        fingerprint="f00dfeedcafe00000001",
    )
    waived = Finding(
        rule="debug-enabled",
        step="environment",
        severity="blocker",
        path="app/config.py",
        line=5,
        end_line=5,
        message="Debug mode is on.",
        code="DEBUG = True",
        why="Stack traces leak.",
        fix="Default it to off.",
        fingerprint="f00dfeedcafe00000002",
        waiver=Waiver("waiver", "dev image only", "alice@example.com", "2026-12-31"),
    )
    inline = Finding(
        rule="subprocess-without-timeout",
        step="error-handling",
        severity="warning",
        path='app/jobs, "odd".py',
        line=3,
        end_line=4,
        message="No timeout: 100% stuck\nforever",
        code="subprocess.run(cmd)",
        fingerprint="f00dfeedcafe00000003",
        waiver=Waiver("inline", "bounded by the job runner"),
    )
    attest = Finding(
        rule="attestation-missing",
        step="monitoring",
        severity="warning",
        path=".readyterm/attestations.yaml",
        line=0,
        end_line=0,
        message="not attested: Which alert fires?",
        fingerprint="f00dfeedcafe00000004",
    )
    steps = []
    for step_id in STEP_IDS:
        if step_id == "environment":
            steps.append(
                StepResult(step_id, "fail", "1 blocker, 1 waived", [localhost, waived], 1.5)
            )
        elif step_id == "error-handling":
            steps.append(StepResult(step_id, "pass", "1 waived", [inline], 1.25))
        elif step_id == "input-validation":
            steps.append(StepResult(step_id, "error", "bandit exited with code 2:\nboom", [], 0.5))
        elif step_id == "monitoring":
            steps.append(StepResult(step_id, "pass", "1 warning", [attest], 0.01))
        elif step_id == "staging":
            steps.append(StepResult(step_id, "skipped", "--no-staging was given"))
        else:
            steps.append(StepResult(step_id, "pass", "no findings", [], 0.25))
    return RunResult(
        scope=ScopeSummary(
            mode="diff",
            base="a" * 40,
            head="b" * 40,
            files=["app/config.py"],
            base_ref="main",
            branch="feature/x",
            digest="sha256:" + "c" * 64,
        ),
        steps=steps,
        notices=["HEAD is detached at bbbbbbbbbbbb"],
        tool_versions={"readyterm": "0.1.0"},
    )


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_each_format_matches_its_golden_file(fmt: str) -> None:
    rendered = formatters()[fmt](fixed_result(), False)
    golden = GOLDEN / f"result.{EXTENSIONS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(rendered)
    assert rendered == golden.read_text(), f"{fmt} changed; UPDATE_GOLDEN=1 to accept"


def test_sarif_validates_against_the_oasis_schema_and_keeps_suppressions() -> None:
    document = json.loads(formatters()["sarif"](fixed_result(), False))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    [run] = document["runs"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["debug-enabled"]["suppressions"][0]["kind"] == "external"
    assert "alice@example.com" in by_rule["debug-enabled"]["suppressions"][0]["justification"]
    assert by_rule["subprocess-without-timeout"]["suppressions"][0]["kind"] == "inSource"
    assert "suppressions" not in by_rule["localhost-url"]
    assert by_rule["localhost-url"]["partialFingerprints"] == {
        "readyterm/v1": "f00dfeedcafe00000001"
    }
    project_level = by_rule["attestation-missing"]["locations"][0]["physicalLocation"]
    assert project_level["region"] == {"startLine": 1, "endLine": 1}
    odd_name = by_rule["subprocess-without-timeout"]["locations"][0]["physicalLocation"]
    assert odd_name["artifactLocation"]["uri"] == "app/jobs%2C%20%22odd%22.py"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "external/cwe/cwe-547" in rules["localhost-url"]["properties"]["tags"]
    assert not any("cwe" in tag for tag in rules["debug-enabled"]["properties"]["tags"])
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(
        run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"]
    )
    assert len(rule_ids) == len(set(rule_ids))
    assert run["invocations"][0]["executionSuccessful"] is False


def test_junit_parses_with_one_testcase_per_step() -> None:
    root = ET.fromstring(formatters()["junit"](fixed_result(), False))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name", "").split(":")[0] for c in cases] == list(STEP_IDS)
    assert suite.get("tests") == "9" and suite.get("failures") == "1" and suite.get("errors") == "1"
    by_step = {c.get("name", "").split(":")[0]: c for c in cases}
    failure = by_step["environment"].find("failure")
    assert failure is not None and "app/config.py:7" in (failure.text or "")
    assert "debug-enabled" not in (failure.text or "")  # waived
    assert by_step["input-validation"].find("error") is not None
    assert by_step["staging"].find("skipped") is not None


def test_github_annotations_escape_properties_and_data() -> None:
    lines = formatters()["github"](fixed_result(), False).splitlines()
    errored = next(line for line in lines if "input-validation" in line)
    assert errored.startswith("::error title=readyterm input-validation::bandit exited")
    assert "%0Aboom" in errored
    error = next(line for line in lines if "localhost-url" in line)
    assert error.startswith(
        "::error file=app/config.py,line=7,endLine=7,title=environment%3A localhost-url::"
    )
    assert not any("debug-enabled" in line for line in lines)  # waived findings are not annotated
    notice = next(line for line in lines if "attestation-missing" in line)
    assert notice.startswith("::warning file=.readyterm/attestations.yaml,title=")


def test_github_summary_is_appended_when_the_variable_is_set(repo: GitRepo, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    repo.write("app/client.py", 'API = "http://localhost:8000/api"\n')
    repo.commit()
    done = run_cli(
        "--ci",
        str(repo.path),
        "--steps",
        "environment",
        "--format",
        "github",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert done.returncode == 1
    assert "::error file=app/client.py,line=1" in done.stdout
    text = summary.read_text()
    assert text.startswith("earlier step\n## readyterm: ❌ Not ready to deploy")
    assert "| `environment` | ❌ fail |" in text and "localhost-url" in text


def test_gitlab_code_quality_has_unique_fingerprints_and_no_waived_findings() -> None:
    issues = json.loads(formatters()["gitlab"](fixed_result(), False))
    assert {i["check_name"] for i in issues} == {"localhost-url", "attestation-missing"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["description"] and issue["location"]["path"]


def test_the_prompt_spells_out_production_and_asks_for_adversarial_tests() -> None:
    prompt = formatters()["prompt"](fixed_result(), False)
    assert (
        "hundreds of users" in prompt and "rate-limited" in prompt and "millions of rows" in prompt
    )
    assert "app/config.py:7" in prompt and 'PAYMENT_API = "http://localhost:8001/v1"' in prompt
    assert "tests that try to break the fix" in prompt
    assert "could not run" in prompt  # the errored step
    assert "Debug mode is on" not in prompt  # waived


def test_github_summary_lists_blockers() -> None:
    text = render_github_summary(fixed_result())
    assert "### What blocks" in text and "`app/config.py:7`" in text


SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dcQx"


@pytest.mark.slow
def test_no_format_ever_leaks_a_matched_secret(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("app/billing.py", f'STRIPE_KEY = "{SECRET}"\nDB_PASSWORD = "{SECRET}"\n')
    repo.commit("add billing")
    outputs = [f"--output={fmt}:{tmp_path / ('out.' + fmt)}" for fmt in EXTENSIONS]
    done = run_cli("--ci", str(repo.path), "--no-staging", "--write-record", *outputs)
    assert done.returncode == 1, done.stderr
    written = [tmp_path / f"out.{fmt}" for fmt in EXTENSIONS]
    records = list((repo.path / ".readyterm" / "records").glob("*.yaml"))
    assert len(records) == 1
    assert any(
        "hardcoded-secret" in p.read_text() or "bandit-B105" in p.read_text() for p in written
    )
    for path in [*written, *records]:
        assert SECRET not in path.read_text(), f"{path.name} leaks the secret"
        assert SECRET[8:] not in path.read_text(), f"{path.name} leaks part of the secret"
    assert SECRET not in done.stdout + done.stderr


def test_the_ci_examples_parse_and_use_real_options() -> None:
    examples = HERE.parent / "examples" / "ci"
    github = yaml.safe_load((examples / "github-actions.yml").read_text())
    steps = [s.get("run", "") for job in github["jobs"].values() for s in job["steps"]]
    assert any("--output sarif:" in run for run in steps)
    assert any("readyterm verify --format github" in run for run in steps)
    gitlab = yaml.safe_load((examples / "gitlab-ci.yml").read_text())
    assert gitlab["readyterm"]["artifacts"]["reports"] == {
        "junit": "readyterm-junit.xml",
        "codequality": "gl-code-quality-report.json",
    }
    hooks = yaml.safe_load((HERE.parent / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "readyterm" and "--no-staging" in hooks[0]["entry"]
    precommit = yaml.safe_load((examples / "pre-commit-config.yaml").read_text())
    assert precommit["repos"][0]["hooks"][0]["id"] == "readyterm"


def test_the_matrix_example_splits_every_step_once_and_merges_with_real_options() -> None:
    """examples/ci/github-actions-matrix.yml: each readyterm line parses with the real CLI."""
    from readyterm.cli.arguments import command_parser, run_parser

    workflow = yaml.safe_load(
        (HERE.parent / "examples" / "ci" / "github-actions-matrix.yml").read_text()
    )
    jobs = workflow["jobs"]
    matrix = jobs["checks"]["strategy"]["matrix"]["include"]
    assert jobs["checks"]["strategy"]["fail-fast"] is False
    split = [step for entry in matrix for step in entry["steps"].split(",")]
    assert sorted(split) == sorted(STEP_IDS)  # every step in exactly one job

    def commands(job: dict[str, Any], entry: dict[str, str]) -> list[list[str]]:
        lines = []
        for step in job["steps"]:
            run = step.get("run", "")
            for name, value in entry.items():
                run = run.replace("${{ matrix." + name + " }}", value)
            run = re.sub(r"\$\{\{[^}]*\}\}", "X", run)
            if run.startswith("readyterm "):
                lines.append(shlex.split(run)[1:])
        return lines

    for entry in matrix:
        [check] = commands(jobs["checks"], entry)
        options = run_parser().parse_args(check)
        assert options.ci and options.steps == tuple(entry["steps"].split(","))
        assert [fmt for fmt, _ in options.output] == ["json"]
    uploads = [s for s in jobs["checks"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["if"] == "always()"
    report = jobs["report"]
    assert report["needs"] == "checks" and report["if"] == "always()"
    [merge] = commands(report, {})
    assert merge[0] == "merge"
    options = command_parser("merge").parse_args(merge[1:])
    assert options.format == "github" and [fmt for fmt, _ in options.output] == ["sarif"]
    assert [str(p) for p in options.results] == ["results/*.json"]
    download = next(s for s in report["steps"] if "download-artifact" in s.get("uses", ""))
    assert download["with"]["path"] == "results"
    assert any("upload-sarif" in s.get("uses", "") for s in report["steps"])


def test_verify_speaks_github(repo: GitRepo) -> None:
    done = run_cli("verify", str(repo.path), "--format", "github")
    assert done.returncode == 2
    assert done.stdout.startswith("::error title=readyterm verify::no readiness record")


@pytest.mark.slow
def test_the_pre_commit_hook_runs_for_real(repo: GitRepo, tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed in this environment")
    project = HERE.parent
    repo.write("app/client.py", 'API = "http://localhost:8000/api"\n')
    repo.git("add", "app/client.py")
    done = subprocess.run(
        [str(pre_commit), "try-repo", str(project), "readyterm", "--verbose"],
        cwd=repo.path,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert "localhost-url" in output and "NOT READY" in output, output[-3000:]


def _sarif_validator() -> list[str] | None:
    npx = shutil.which("npx")
    if npx is None:
        if os.environ.get("CI"):
            pytest.fail("npx is missing: .ci/run installs Node.js for the SARIF validator")
        return None
    return [npx, "-y", "@microsoft/sarif-multitool@5.7.0", "validate"]


@pytest.mark.slow
def test_a_real_sarif_passes_githubs_ingestion_rules(repo: GitRepo, tmp_path: Path) -> None:
    """GitHub code scanning rejects results without a region in a file of the repository
    (GH1001-GH1007); the SARIF SDK's validator runs those rules and SARIF's own."""
    validator = _sarif_validator()
    if validator is None:
        pytest.skip("npx (Node.js) is not installed")
    repo.write(
        "app/odd name, x.py",
        'import requests\nAPI = "http://localhost:8000/api"\n\n\ndef get(u):\n'
        "    return requests.get(API + u, verify=False)\n",
    )
    repo.commit("odd")
    done = run_cli("--ci", str(repo.path), "--no-staging", "--format", "sarif")
    assert done.returncode == 1, done.stderr
    log = tmp_path / "result.sarif"
    log.write_text(done.stdout)
    document = json.loads(done.stdout)
    for result in document["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert (repo.path / unquote(uri)).is_file(), uri  # every result in a real file
        assert location["region"]["startLine"] >= 1
    report = tmp_path / "validation.sarif"
    checked = subprocess.run(
        [
            *validator,
            str(log),
            "--rule-kind",
            '"Gh;Sarif"',  # npx hands the arguments to a shell: quoted for it
            "--output",
            str(report),
            "--log",
            "ForceOverwrite",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    problems = [
        (r["ruleId"], r.get("message", {}).get("text", r.get("message")))
        for r in json.loads(report.read_text())["runs"][0].get("results", [])
        if r.get("level", "warning") in ("error", "warning")
    ]
    assert problems == []
