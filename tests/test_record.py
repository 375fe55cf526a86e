"""The readiness record and `readyterm verify`, through the real CLI.

The `monitoring` step needs no scanner, so most runs here are quick; one shared
run adds real semgrep findings to the record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from readyterm import __version__
from readyterm.engine.record import build_record, load_records, record_schema, write_record
from readyterm.engine.result import RunResult, ScopeSummary, StepResult
from readyterm.engine.seal import seal
from readyterm.engine.verify import verify
from readyterm.foundation.config import Config
from readyterm.foundation.errors import RecordError
from readyterm.foundation.findings import Finding
from readyterm.foundation.steps import STEP_IDS
from tests.conftest import GitRepo, run_cli

RECORDS = ".readyterm/records"
NAME = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{12}(-\d+)?\.yaml$")
FAST_STEPS = "monitoring"  # the project backend only: no scanner, quick
WEB_APP = "from flask import Flask\n\napp = Flask(__name__)\n"


# --- helpers -------------------------------------------------------------------------------


def run(repo: GitRepo, *extra: str, steps: str = FAST_STEPS) -> tuple[int, dict[str, Any]]:
    done = run_cli(
        "--ci", str(repo.path), "--format", "json", "--no-staging", "--steps", steps, *extra
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def write(repo: GitRepo, *extra: str, steps: str = FAST_STEPS) -> tuple[Path, dict[str, Any]]:
    """Write a record; returns its path and the JSON result of the run."""
    _, result = run(repo, "--write-record", *extra, steps=steps)
    assert result["record"], result
    return repo.path / result["record"], result


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def validate(data: Any) -> None:
    jsonschema.validate(
        data, record_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def verify_cli(repo: GitRepo, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("verify", str(repo.path), *extra)


def verify_json(repo: GitRepo) -> tuple[int, dict[str, Any]]:
    done = verify_cli(repo, "--format", "json")
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def keys_anywhere(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in keys_anywhere(value)}
    if isinstance(data, list):
        return {k for value in data for k in keys_anywhere(value)}
    return set()


@pytest.fixture
def web(repo: GitRepo) -> GitRepo:
    """A change with a Flask app: monitoring warnings, no scanner needed."""
    repo.write("app/web.py", WEB_APP)
    repo.commit("web app")
    return repo


# --- the record ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned(module_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One record with real semgrep findings, a waiver and an attestation."""
    path = tmp_path_factory.mktemp("scanned") / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.write("app/__init__.py", "")
    main = repo.commit("initial")
    repo.branch("feature")
    repo.write("app/web.py", WEB_APP)
    repo.write(
        "app/settings.py",
        'API = "http://localhost:8000"\nDEBUG = True\nCACHE = "redis://localhost:6379"\n',
    )
    repo.write("app/z_client.py", 'BILLING = "http://127.0.0.1:9000"\n')
    repo.commit("app")
    waived = run_cli(
        "waive", "no-error-reporting", "--reason", "Sentry lands next sprint", "-C", str(path)
    )
    assert waived.returncode == 0, waived.stderr
    attested = run_cli(
        "attest", "monitoring", "--answer", "alert=PagerDuty orders-5xx", "-C", str(path)
    )
    assert attested.returncode == 0, attested.stderr
    record, result = write(repo, steps=f"environment,{FAST_STEPS}")
    return {"repo": repo, "main": main, "path": record, "result": result, "data": load(record)}


@pytest.mark.slow
def test_the_record_is_named_by_utc_time_and_commit(scanned: dict[str, Any]) -> None:
    path: Path = scanned["path"]
    repo: GitRepo = scanned["repo"]
    assert path.parent == repo.path / RECORDS
    assert NAME.match(path.name), path.name
    assert path.name.endswith(f"-{repo.head[:12]}.yaml")
    stamp = dt.datetime.strptime(path.name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 600
    assert scanned["result"]["record"] == f"{RECORDS}/{path.name}"
    created = dt.datetime.strptime(scanned["data"]["created"], "%Y-%m-%dT%H:%M:%SZ")
    assert created.strftime("%Y%m%dT%H%M%SZ") == path.name[:16]


@pytest.mark.slow
def test_the_record_validates_against_the_shipped_schema(scanned: dict[str, Any]) -> None:
    validate(scanned["data"])
    assert scanned["data"]["schema"] == "readyterm.record/1"
    # No temp files are left beside it.
    assert [p.name for p in (scanned["repo"].path / RECORDS).iterdir()] == [scanned["path"].name]


@pytest.mark.slow
def test_the_record_names_tools_rules_and_commits(scanned: dict[str, Any]) -> None:
    data, repo = scanned["data"], scanned["repo"]
    assert data["tool"]["readyterm"] == __version__
    assert re.fullmatch(r"sha256:[0-9a-f]{16,64}", data["tool"]["rules"])
    assert data["tool"]["semgrep"] and data["tool"]["bandit"]
    assert data["branch"] == "feature"
    assert data["base_ref"] == "main"
    assert data["base"] == scanned["main"]
    assert data["head"] == repo.head
    assert data["scope"]["mode"] == "diff"
    assert data["scope"]["digest"] == scanned["result"]["scope"]["digest"]
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", data["scope"]["digest"])
    assert "app/settings.py" in data["scope"]["files"]
    assert data["scope"]["files"] == sorted(data["scope"]["files"])
    assert data["verdict"] == scanned["result"]["verdict"] == "not-ready"
    assert data["strict"] is False
    assert [s["id"] for s in data["steps"]] == list(STEP_IDS)


@pytest.mark.slow
def test_the_record_has_no_line_numbers_and_sorted_findings(scanned: dict[str, Any]) -> None:
    data = scanned["data"]
    assert not keys_anywhere(data) & {"line", "end_line", "start", "end", "code"}
    environment = next(s for s in data["steps"] if s["id"] == "environment")
    assert {f["rule"] for f in environment["findings"]} >= {"localhost-url", "debug-enabled"}
    assert len(environment["findings"]) >= 4
    for item in data["steps"]:
        keys = [(f["path"], f["rule"], f["fingerprint"]) for f in item["findings"]]
        assert keys == sorted(keys), item["id"]
    text = scanned["path"].read_text("utf-8")
    assert not re.search(r"\.py:\d+", text)


@pytest.mark.slow
def test_the_record_holds_unresolved_findings_waivers_and_attestations(
    scanned: dict[str, Any],
) -> None:
    data, result = scanned["data"], scanned["result"]
    monitoring = next(s for s in data["steps"] if s["id"] == "monitoring")
    recorded = {f["rule"] for f in monitoring["findings"]}
    assert "no-error-reporting" not in recorded  # waived: listed under waivers instead
    assert "no-health-endpoint" in recorded
    waived = [
        f
        for s in result["steps"]
        for f in s["findings"]
        if f["waived"] and f["rule"] == "no-error-reporting"
    ]
    assert len(waived) == 1
    assert data["waivers"] == [
        {
            "reason": "Sentry lands next sprint",
            "owner": "dev@example.test",
            "expires": (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat(),
            "fingerprints": [waived[0]["fingerprint"]],
        }
    ]
    [attestation] = data["attestations"]
    assert attestation["step"] == "monitoring" and attestation["question"] == "alert"
    assert attestation["answer"] == "PagerDuty orders-5xx"
    assert attestation["author"] == "dev@example.test"
    assert data["staging"] is None


def test_writing_the_same_run_twice_differs_only_in_created(web: GitRepo) -> None:
    """...and in the seal's digest of it."""
    first, _ = write(web)
    second, _ = write(web)
    assert first != second
    one, two = load(first), load(second)
    for record in (one, two):
        record.pop("created"), record["seal"]["fields"].pop("created")
    assert one == two

    def lines(path: Path) -> list[str]:
        return [x for x in path.read_text().splitlines() if not x.lstrip().startswith("created:")]

    assert lines(first) == lines(second)


def test_records_of_two_branches_merge_without_conflict(web: GitRepo) -> None:
    web.branch("left")
    web.write("app/left.py", "LEFT = 1\n")
    web.commit("left")
    write(web)
    web.commit("left record")
    web.git("checkout", "--quiet", "feature")
    web.branch("right")
    web.write("app/right.py", "RIGHT = 1\n")
    web.commit("right")
    write(web)
    web.commit("right record")
    merged = web.git("merge", "--no-edit", "left", check=False)
    assert "CONFLICT" not in merged
    assert web.git("status", "--porcelain") == ""
    assert len(list((web.path / RECORDS).glob("*.yaml"))) == 2


def _result(head: str, findings: list[Finding], fingerprints: list[str]) -> RunResult:
    steps = [StepResult(step_id, "skipped", "not selected") for step_id in STEP_IDS]
    steps[0] = StepResult("environment", "fail", "2 blockers", findings)
    return RunResult(
        scope=ScopeSummary(
            mode="diff", base=head, head=head, files=["b.py", "a.py"], digest="sha256:" + "0" * 64
        ),
        steps=steps,
        waivers_applied=[
            {"reason": "r", "owner": "o", "expires": "2030-01-01", "fingerprints": fingerprints}
        ],
        tool_versions={"rules": "sha256:1", "readyterm": "0"},
    )


def _at(line: int, path: str, fingerprint: str) -> Finding:
    return Finding("localhost-url", "environment", "blocker", path, line, line, "m", "c", "", "",
                   fingerprint)  # fmt: skip


def test_build_record_is_deterministic_whatever_the_line_order(tmp_path: Path) -> None:
    head = "a" * 40
    now = dt.datetime(2030, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
    one = _result(head, [_at(3, "b.py", "f2"), _at(9, "a.py", "f1")], ["w2", "w1"])
    two = _result(head, [_at(30, "a.py", "f1"), _at(1, "b.py", "f2")], ["w1", "w2"])
    assert build_record(one, now) == build_record(two, now)
    record = build_record(one, now)
    assert record["scope"]["files"] == ["a.py", "b.py"]
    assert record["waivers"][0]["fingerprints"] == ["w1", "w2"]
    assert [f["path"] for f in record["steps"][0]["findings"]] == ["a.py", "b.py"]
    validate(record)
    # The same second and commit twice: a second file, never an overwrite.
    paths = {write_record(tmp_path, one, now) for _ in range(3)}
    assert len(paths) == 3
    assert all(NAME.match(p.name) for p in paths)
    assert {p.name for p in (tmp_path / RECORDS).iterdir()} == {p.name for p in paths}


# --- verify --------------------------------------------------------------------------------


def test_verify_without_a_record_is_a_usage_error(web: GitRepo) -> None:
    done = verify_cli(web)
    assert done.returncode == 2
    assert done.stdout.startswith("missing:")
    assert "--write-record" in done.stdout
    code, data = verify_json(web)
    assert code == 2
    assert data == {
        "schema": "readyterm.verify/1",
        "outcome": "missing",
        "message": data["message"],
        "record": None,
        "details": data["details"],
    }


def test_verify_a_fresh_committed_record_then_stale_after_an_edit(web: GitRepo) -> None:
    path, _ = write(web)
    web.commit("readiness record")
    assert web.git("status", "--porcelain") == ""
    done = verify_cli(web)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("fresh:")
    code, data = verify_json(web)
    assert code == 0
    assert data["outcome"] == "fresh"
    assert data["record"] == f"{RECORDS}/{path.name}"
    assert set(data) == {"schema", "outcome", "message", "record", "details"}
    web.write("app/web.py", WEB_APP + "\n@app.get('/healthz')\ndef health():\n    return 'ok'\n")
    done = verify_cli(web)
    assert done.returncode == 1
    assert done.stdout.startswith("stale:")
    code, data = verify_json(web)
    assert code == 1 and data["outcome"] == "stale"
    assert data["record"] == f"{RECORDS}/{path.name}"
    # Committing the edit does not make the old record fresh again.
    web.commit("health endpoint")
    assert verify_cli(web).returncode == 1


def test_verify_a_new_untracked_file_makes_the_record_stale(web: GitRepo) -> None:
    write(web)
    assert verify_cli(web).returncode == 0
    web.write("app/extra.py", "X = 1\n")
    assert verify_cli(web).returncode == 1


def test_verify_a_not_ready_record_fails(web: GitRepo) -> None:
    path, result = write(web, "--strict")
    assert result["verdict"] == "not-ready"
    assert load(path)["strict"] is True
    web.commit("not-ready record")
    done = verify_cli(web)
    assert done.returncode == 1
    assert done.stdout.startswith("not-ready:")
    assert "monitoring:" in done.stdout
    code, data = verify_json(web)
    assert code == 1 and data["outcome"] == "not-ready"
    assert any(d.startswith("monitoring:") for d in data["details"])


def test_verify_the_newest_matching_record_wins(web: GitRepo) -> None:
    write(web, "--strict")
    web.write("app/web.py", WEB_APP + "# touched\n")
    write(web)
    assert verify_cli(web).returncode == 0
    web.write("app/web.py", WEB_APP)
    done = verify_cli(web)
    assert done.returncode == 1 and done.stdout.startswith("not-ready:")


@pytest.fixture
def with_waiver(web: GitRepo) -> tuple[GitRepo, Path]:
    done = run_cli("waive", "no-health-endpoint", "--reason", "k8s probes the port", "-C",
                   str(web.path), "--days", "1")  # fmt: skip
    assert done.returncode == 0, done.stderr
    path, result = write(web)
    assert result["verdict"] == "ready"
    assert load(path)["waivers"]
    web.commit("record with a waiver")
    return web, path


def test_verify_fails_once_a_waiver_in_the_record_expired(
    with_waiver: tuple[GitRepo, Path],
) -> None:
    repo, path = with_waiver
    config = Config()
    now = dt.datetime.now(dt.UTC).date()
    assert verify(repo.path, config, today=now).outcome == "fresh"
    assert verify(repo.path, config, today=now + dt.timedelta(days=1)).outcome == "fresh"
    late = verify(repo.path, config, today=now + dt.timedelta(days=2))
    assert late.outcome == "expired"
    assert int(late.exit_code) == 1
    assert late.record == f"{RECORDS}/{path.name}"
    assert any("k8s probes the port" in d for d in late.details)


@pytest.mark.parametrize("quoted", [True, False], ids=["quoted", "unquoted"])
def test_verify_a_hand_edited_expiry_still_validates_and_is_caught(
    with_waiver: tuple[GitRepo, Path], quoted: bool
) -> None:
    repo, path = with_waiver
    text = path.read_text("utf-8")
    date = "2001-02-03"
    edited = re.sub(
        r"expires: '\d{4}-\d{2}-\d{2}'",
        f"expires: '{date}'" if quoted else f"expires: {date}",
        text,
    )
    assert edited != text
    path.write_text(edited, "utf-8")
    [stored] = load_records(repo.path)  # still a valid record
    assert stored.data["waivers"][0]["expires"] == date
    done = verify_cli(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("tampered:")
    assert "waivers.0 no longer match(es) its seal" in done.stdout


def _resealed(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit a record and seal it again, as someone who read the source would."""
    data = load(path)
    edit(data)
    data.pop("seal")
    data["seal"] = seal(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def _fail_monitoring(data: dict[str, Any]) -> None:
    data["verdict"] = "not-ready"
    [step] = [s for s in data["steps"] if s["id"] == "monitoring"]
    step["status"] = "fail"


TAMPERING = {
    "verdict-ready": (
        lambda text: text.replace("verdict: not-ready", "verdict: ready"),
        "verdict no longer match(es) its seal",
    ),
    "finding-deleted": (
        lambda text: re.sub(
            r"(?ms)^  findings:\n  - .*?(?=^- id:)",
            "  findings: []\n",
            text,
            count=1,
        ),
        "steps.",
    ),
    "seal-removed": (lambda text: text.split("\nseal:")[0] + "\n", "it has no seal"),
    "scope-digest": (
        lambda text: re.sub(r"digest: sha256:[0-9a-f]{8}", "digest: sha256:00000000", text),
        "scope no longer match(es) its seal",
    ),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_verify_names_the_field_a_hand_edit_changed(web: GitRepo, case: str) -> None:
    web.write("app/settings.py", 'API = "http://localhost:8000"\n')
    web.commit("a blocker")
    path, result = write(web, steps=f"environment,{FAST_STEPS}")
    assert result["verdict"] == "not-ready"
    edit, needle = TAMPERING[case]
    text = path.read_text("utf-8")
    edited = edit(text)
    assert edited != text
    path.write_text(edited, "utf-8")
    load_records(web.path)  # still a valid record: only the seal tells
    code, data = verify_json(web)
    if case == "scope-digest":  # no longer matches the code: stale before it is judged
        assert code == 1 and data["outcome"] == "stale"
        return
    assert code == 1, data
    assert data["outcome"] == "tampered"
    assert needle in data["message"]


def test_verify_recomputes_the_verdict_of_a_resealed_record(web: GitRepo) -> None:
    web.write("app/settings.py", 'API = "http://localhost:8000"\n')
    web.commit("a blocker")
    path, _ = write(web, steps=f"environment,{FAST_STEPS}")

    def claim_ready(data: dict[str, Any]) -> None:
        data["verdict"] = "ready"
        for step in data["steps"]:
            step["status"] = "pass" if step["status"] == "fail" else step["status"]

    _resealed(path, claim_ready)
    code, data = verify_json(web)
    assert code == 1 and data["outcome"] == "tampered"
    assert "steps.environment.status is pass with 1 open blocker(s)" in data["message"]


CORRUPT = {
    "not-yaml": "schema: readyterm.record/1\nsteps: [\n",
    "not-a-mapping": "- just\n- a list\n",
    "empty": "",
    "missing-verdict": None,  # the real record without its verdict
    "bad-expiry": None,  # the real record with a waiver expiring "soon"
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_verify_a_corrupted_record_is_a_usage_error_naming_it(
    with_waiver: tuple[GitRepo, Path], case: str
) -> None:
    repo, path = with_waiver
    text = CORRUPT[case]
    if case == "missing-verdict":
        text = re.sub(r"(?m)^verdict: .*\n", "", path.read_text("utf-8"))
    elif case == "bad-expiry":
        text = re.sub(r"expires: '[^']*'", "expires: soon", path.read_text("utf-8"))
    assert text is not None
    path.write_text(text, "utf-8")
    done = verify_cli(repo)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"{RECORDS}/{path.name}" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    with pytest.raises(RecordError, match=re.escape(path.name)):
        load_records(repo.path)


def test_verify_a_whole_repository_record(web: GitRepo) -> None:
    _, result = write(web, "--all")
    assert result["scope"]["mode"] == "all"
    assert verify_cli(web).returncode == 0
    web.write("app/settings.py", "import os\n\nDATABASE_URL = os.environ['DB']\n")
    assert verify_cli(web).returncode == 1


def test_verify_another_record_does_not_make_the_scope_stale(web: GitRepo) -> None:
    write(web)
    web.commit("record")
    write(web)  # another record (uncommitted) is not part of the scope
    assert verify_cli(web).returncode == 0


def test_verify_of_two_records_in_one_second_takes_the_later(web: GitRepo) -> None:
    path, _ = write(web)
    later = path.with_name(path.name.replace(".yaml", "-2.yaml"))
    later.write_text(path.read_text("utf-8"), "utf-8")
    _resealed(later, _fail_monitoring)
    code, data = verify_json(web)
    assert code == 1 and data["outcome"] == "not-ready"
    assert data["record"] == f"{RECORDS}/{later.name}"


def test_verify_in_a_shallow_clone_without_the_base_says_how_to_fetch_it(
    web: GitRepo, tmp_path: Path
) -> None:
    write(web)
    web.commit("record")
    assert verify_cli(web).returncode == 0
    clone = tmp_path / "shallow"
    web.git(
        "clone", "--quiet", "--depth", "1", "--branch", "feature", web.path.as_uri(), str(clone)
    )
    done = run_cli("verify", str(clone))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "could not be compared" in done.stdout
    assert "git fetch" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_record_with_line_break_lookalikes_and_many_files_verifies_fresh(web: GitRepo) -> None:
    """U+0085 reads back from YAML as a line break; a long list of files is no alias bomb:
    neither makes a record readyterm wrote look edited or unreadable."""
    web.write("app/odd\u0085name.py", "X = 1\n")
    for n in range(300):
        web.write(f"pkg/m{n:04d}.py", "Y = 2\n")
    web.commit("odd names, many files")
    write(web)
    code, data = verify_json(web)
    assert (code, data["outcome"]) == (0, "fresh"), data
