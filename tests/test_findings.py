"""Findings: introduced vs pre-existing, fingerprints, redaction, the JSON and text reports.

Real semgrep and bandit on real git repositories. The expensive runs are shared through
module-scoped fixtures; each test only reads what a run produced.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from readyterm.foundation.findings import (
    REDACTED,
    Finding,
    fingerprint,
    recover_secrets,
    redact,
    secret_values,
    with_fingerprints,
)
from tests.conftest import GitRepo, run_cli

STEP_ORDER = [
    "environment",
    "error-handling",
    "input-validation",
    "concurrency",
    "performance",
    "logging",
    "monitoring",
    "tests",
    "staging",
]
FINDING_KEYS = {"rule", "severity", "path", "line", "end_line", "message", "fingerprint", "waived"}
ANSI = re.compile(rb"\x1b\[")


# --- shared helpers ------------------------------------------------------------------------


def new_repo(path: Path, files: dict[str, str]) -> GitRepo:
    path.mkdir(parents=True)
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    for name, content in files.items():
        repo.write(name, content)
    repo.commit("initial")
    return repo


def scan(repo: GitRepo, *extra: str, steps: str = "environment") -> dict[str, Any]:
    done = run_cli(
        "--ci", str(repo.path), "--format", "json", "--no-staging", "--steps", steps, *extra
    )
    assert done.returncode in (0, 1), done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    result["_exit"] = done.returncode
    return result


def step(result: dict[str, Any], step_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in result["steps"] if s["id"] == step_id)
    return found


def findings(result: dict[str, Any], rule: str | None = None) -> list[dict[str, Any]]:
    return [f for s in result["steps"] for f in s["findings"] if rule is None or f["rule"] == rule]


# --- introduced vs pre-existing --------------------------------------------------------------

CLIENT = 'import os\n\nAPI = "http://localhost:8000"\nTIMEOUT = 5\n'
LEGACY = (
    '"""The cache client."""\n\nimport os\n\n'
    'CACHE = "redis://127.0.0.1:6379/0"\nTTL = 60\nPREFIX = "orders:"\n'
)


@pytest.fixture(scope="module")
def history(module_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """main carries two localhost URLs; the feature branch edits around them, renames one
    file, then adds a new localhost URL."""
    repo = new_repo(
        tmp_path_factory.mktemp("history") / "repo",
        {"app/__init__.py": "", "app/client.py": CLIENT, "app/legacy.py": LEGACY},
    )
    repo.branch("feature")
    repo.write("app/client.py", CLIENT.replace("TIMEOUT = 5", "TIMEOUT = 10"))
    repo.git("mv", "app/legacy.py", "app/cache.py")
    repo.write("app/cache.py", LEGACY + "MAX_ITEMS = 100\n")
    repo.commit("edit around old debt, rename")
    only_old = scan(repo)
    repo.write("app/billing/api.py", 'BILLING = "http://localhost:9000/api"\n')
    repo.commit("add billing client")
    with_new = scan(repo)
    text = tmp_path_factory.mktemp("history-out") / "report.txt"
    everything = scan(repo, "--all-findings", "--output", f"text:{text}")
    return {
        "repo": repo,
        "only_old": only_old,
        "with_new": with_new,
        "all": everything,
        "all text": text.read_text("utf-8"),
    }


@pytest.mark.slow
def test_pre_existing_finding_in_an_edited_file_is_not_reported(history: dict[str, Any]) -> None:
    result = history["only_old"]
    assert "app/client.py" in result["scope"]["files"]
    environment = step(result, "environment")
    assert environment["status"] == "pass", environment
    assert environment["findings"] == []
    assert result["verdict"] == "ready"
    assert result["_exit"] == 0


@pytest.mark.slow
def test_a_renamed_file_does_not_make_its_old_finding_new(history: dict[str, Any]) -> None:
    result = history["only_old"]
    assert "app/cache.py" in result["scope"]["files"]
    assert not [f for f in findings(result) if f["path"] == "app/cache.py"]


@pytest.mark.slow
def test_a_finding_added_on_the_branch_is_reported(history: dict[str, Any]) -> None:
    result = history["with_new"]
    environment = step(result, "environment")
    assert environment["status"] == "fail"
    assert [(f["rule"], f["path"], f["line"]) for f in environment["findings"]] == [
        ("localhost-url", "app/billing/api.py", 1)
    ]
    assert environment["findings"][0]["introduced"] is True
    assert result["_exit"] == 1


@pytest.mark.slow
def test_all_findings_shows_old_debt_marked_as_not_introduced(history: dict[str, Any]) -> None:
    by_path = {f["path"]: f for f in step(history["all"], "environment")["findings"]}
    assert set(by_path) == {"app/client.py", "app/cache.py", "app/billing/api.py"}
    assert by_path["app/billing/api.py"]["introduced"] is True
    assert by_path["app/client.py"]["introduced"] is False
    assert by_path["app/cache.py"]["introduced"] is False


@pytest.mark.slow
def test_all_findings_keeps_the_fingerprints_of_the_default_run(history: dict[str, Any]) -> None:
    new = step(history["with_new"], "environment")["findings"][0]
    same = [f for f in findings(history["all"]) if f["path"] == "app/billing/api.py"]
    assert [f["fingerprint"] for f in same] == [new["fingerprint"]]


@pytest.mark.slow
def test_text_report_marks_pre_existing_findings(history: dict[str, Any]) -> None:
    lines = history["all text"].splitlines()
    old = next(x for x in lines if "app/client.py:3" in x)
    assert "pre-existing" in old
    new = next(x for x in lines if "app/billing/api.py:1" in x)
    assert "pre-existing" not in new


# --- the JSON result contract --------------------------------------------------------------


@pytest.mark.slow
def test_json_result_lists_all_nine_steps_in_checklist_order(history: dict[str, Any]) -> None:
    for result in (history["only_old"], history["with_new"], history["all"]):
        assert result["schema"] == "readyterm.result/1"
        assert [s["id"] for s in result["steps"]] == STEP_ORDER
        for item in result["steps"]:
            assert item["status"] in ("pass", "fail", "error", "skipped")
            assert isinstance(item["title"], str) and item["title"]
            assert isinstance(item["summary"], str)
            if item["id"] != "environment":
                assert item["status"] == "skipped"
                assert "--steps" in item["summary"]
        assert result["record"] is None
        assert result["verdict"] in ("ready", "not-ready", "error")


@pytest.mark.slow
def test_json_result_scope_and_paths_are_repo_relative(history: dict[str, Any]) -> None:
    repo: GitRepo = history["repo"]
    result = history["all"]
    scope = result["scope"]
    assert scope["mode"] == "diff"
    assert re.fullmatch(r"[0-9a-f]{40}", scope["base"])
    assert scope["head"] == repo.head
    assert scope["files"] == sorted(scope["files"])
    assert "app/billing/api.py" in scope["files"]
    for path in [*scope["files"], *(f["path"] for f in findings(result))]:
        assert not path.startswith(("/", "./")), path
        assert "\\" not in path, path
        assert (repo.path / path).is_file(), path


@pytest.mark.slow
def test_json_findings_carry_the_contract_fields(history: dict[str, Any]) -> None:
    every = findings(history["all"])
    assert every
    for item in every:
        assert set(item) >= FINDING_KEYS, item
        assert item["severity"] in ("blocker", "warning", "info")
        assert isinstance(item["line"], int) and isinstance(item["end_line"], int)
        assert 1 <= item["line"] <= item["end_line"]
        assert re.fullmatch(r"[0-9a-f]{20}", item["fingerprint"])
        assert item["waived"] is False
        assert item["message"]


# --- fingerprints ----------------------------------------------------------------------------

MOVES = 'A = "http://localhost:8000"\nA = "http://localhost:8000"\nB = "http://localhost:9000"\n'


@pytest.fixture(scope="module")
def moved(module_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    repo = new_repo(tmp_path_factory.mktemp("moves") / "repo", {"app/moves.py": MOVES})
    before = scan(repo, "--all")
    filler = "".join(f"# line {n}\n" for n in range(10))
    repo.write(
        "app/moves.py",
        filler + MOVES.replace('B = "http://localhost:9000"', 'B = "http://127.0.0.1:9000"'),
    )
    after = scan(repo, "--all")
    return {"before": before, "after": after}


def _by_line(result: dict[str, Any]) -> dict[int, str]:
    return {
        f["line"]: f["fingerprint"]
        for f in findings(result, "localhost-url")
        if f["path"] == "app/moves.py"
    }


@pytest.mark.slow
def test_identical_lines_get_distinct_fingerprints(moved: dict[str, Any]) -> None:
    before = _by_line(moved["before"])
    assert sorted(before) == [1, 2, 3]
    assert len(set(before.values())) == 3


@pytest.mark.slow
def test_fingerprints_survive_lines_inserted_above(moved: dict[str, Any]) -> None:
    before, after = _by_line(moved["before"]), _by_line(moved["after"])
    assert sorted(after) == [11, 12, 13]
    assert after[11] == before[1]
    assert after[12] == before[2]


@pytest.mark.slow
def test_fingerprint_changes_when_the_code_changes(moved: dict[str, Any]) -> None:
    before, after = _by_line(moved["before"]), _by_line(moved["after"])
    assert after[13] != before[3]
    assert after[13] not in before.values()


def _finding(line: int, code: str, path: str = "app/x.py", rule: str = "r") -> Finding:
    return Finding(
        rule=rule,
        step="environment",
        severity="blocker",
        path=path,
        line=line,
        end_line=line,
        message="m",
        code=code,
    )


def test_fingerprint_ignores_indentation_and_numbers_identical_lines_in_order() -> None:
    first = with_fingerprints([_finding(5, "x = 1"), _finding(9, "x = 1")])
    moved = with_fingerprints([_finding(40, "    x  =  1"), _finding(20, "x = 1")])
    assert [f.line for f in first] == [5, 9]
    assert [f.fingerprint for f in first] == [f.fingerprint for f in moved]
    assert first[0].fingerprint != first[1].fingerprint


def test_fingerprint_depends_on_rule_and_path() -> None:
    base = fingerprint("r", "app/x.py", "x = 1", 0)
    assert fingerprint("other", "app/x.py", "x = 1", 0) != base
    assert fingerprint("r", "app/y.py", "x = 1", 0) != base
    assert fingerprint("r", "app/x.py", "x = 2", 0) != base


# --- redaction -----------------------------------------------------------------------------

STRIPE = "sk_live_51HqLyjWDarjtT1zdp7dcQwErTyZZ"
AWS_KEY_ID = "AKIAQ3EGRB5TJX7LKM2P"
INLINE_TOKEN = "sk_live_9aB8cD7eF6gH5iJ4kL3mN2oP"
COMPARED_PASSWORD = "Tr0ub4dor-and-3"
HEADER_KEY = "sk_live_ZZ11yy22XX33ww44VV55uu66"
DB_PASSWORD = "hunter2hunter2xyz"
KWARG_PASSWORD = "s3cr3tpa55word"
SECRETS = (
    STRIPE,
    AWS_KEY_ID,
    INLINE_TOKEN,
    COMPARED_PASSWORD,
    HEADER_KEY,
    DB_PASSWORD,
    KWARG_PASSWORD,
)
KEYS_PY = f'''import psycopg2
import requests

STRIPE_KEY = "{STRIPE}"
AWS_ACCESS_KEY_ID = "{AWS_KEY_ID}"
TOKEN = "{INLINE_TOKEN}"  # readyterm: ignore[hardcoded-secret]


def check(user_password):
    if user_password == "{COMPARED_PASSWORD}":
        return True
    return False


def charge():
    return requests.get(
        "https://api.stripe.com/v1/charges", headers={{"Authorization": "Bearer {HEADER_KEY}"}}
    )


DB_PASSWORD = "{DB_PASSWORD}"


def connect():
    return psycopg2.connect(host="db", user="orders", password="{KWARG_PASSWORD}")
'''


@pytest.fixture(scope="module")
def leaky(module_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A change full of secrets, every output of one run, and the text report of another."""
    repo = new_repo(tmp_path_factory.mktemp("leaky") / "repo", {"app/__init__.py": ""})
    repo.branch("feature")
    repo.write("app/keys.py", KEYS_PY)
    repo.commit("add keys")
    out = tmp_path_factory.mktemp("leaky-out")
    steps = "environment,error-handling,input-validation"
    json_run = run_cli(
        "--ci", str(repo.path), "--format", "json", "--no-staging", "--steps", steps,
        "--write-record", "--output", f"json:{out / 'result.json'}",
        "--output", f"text:{out / 'result.txt'}",
    )  # fmt: skip
    text_run = run_cli("--ci", str(repo.path), "--no-staging", "--steps", steps)
    assert json_run.returncode == 1, json_run.stderr
    assert text_run.returncode == 1, text_run.stderr
    result = json.loads(json_run.stdout)
    return {
        "repo": repo,
        "result": result,
        "outputs": {
            "stdout json": json_run.stdout.encode(),
            "stderr": (json_run.stderr + text_run.stderr).encode(),
            "stdout text": text_run.stdout.encode(),
            "--output json": (out / "result.json").read_bytes(),
            "--output text": (out / "result.txt").read_bytes(),
            "record": (repo.path / result["record"]).read_bytes(),
        },
    }


@pytest.mark.slow
def test_the_secrets_are_found(leaky: dict[str, Any]) -> None:
    result = leaky["result"]
    secret_lines = {(f["rule"], f["line"]) for f in findings(result) if f["path"] == "app/keys.py"}
    assert {("hardcoded-secret", n) for n in (4, 5, 6, 17, 21, 25)} <= secret_lines
    assert ("bandit-B105", 10) in secret_lines
    assert ("ignore-without-reason", 6) in secret_lines
    # The call carrying a key in its headers is also an error-handling finding.
    assert any(
        f["rule"] == "http-request-without-timeout"
        for f in step(result, "error-handling")["findings"]
    )


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.slow
def test_no_matched_secret_appears_in_any_output(leaky: dict[str, Any], secret: str) -> None:
    for name, data in leaky["outputs"].items():
        assert secret.encode() not in data, f"{secret} leaked into {name}"
    # Nor any long piece of it.
    for name, data in leaky["outputs"].items():
        assert secret[4:16].encode() not in data, f"part of {secret} leaked into {name}"


@pytest.mark.slow
def test_redacted_findings_still_show_where_and_what(leaky: dict[str, Any]) -> None:
    codes = [f["code"] for f in findings(leaky["result"]) if f["path"] == "app/keys.py"]
    assert any(REDACTED in code and "STRIPE_KEY" in code for code in codes)


def test_redaction_helpers() -> None:
    assert secret_values('KEY = "abcd1234"') == ["abcd1234"]
    assert redact('a "s3cret-s3cret" b s3cret-s3cret', ["s3cret-s3cret"]).count(REDACTED) == 2
    original = 'x = call("https://h", headers={"A": "Bearer sk_live_abc"})'
    redacted = original.replace("Bearer sk_live_abc", REDACTED)
    assert recover_secrets(redacted, original) == ["Bearer sk_live_abc"]
    assert recover_secrets("nothing hidden", "nothing hidden") == []


# --- the text report ---------------------------------------------------------------------


@pytest.fixture
def warned(repo: GitRepo) -> GitRepo:
    """A change whose monitoring step has (unattested) warnings: fast, no semgrep."""
    repo.write("app/web.py", "from flask import Flask\n\napp = Flask(__name__)\n")
    repo.commit("web app")
    return repo


def _run_on_tty(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run the CLI with stdout on a pseudo-terminal; read it while it runs."""
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "readyterm", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=env,
    ) as proc:
        os.close(follower)
        chunks = []
        try:
            while chunk := os.read(leader, 65536):
                chunks.append(chunk)
        except OSError:  # EIO: the child closed the terminal
            pass
        finally:
            os.close(leader)
        return proc.wait(timeout=120), b"".join(chunks)


def test_text_report_has_no_ansi_escapes_when_stdout_is_not_a_tty(warned: GitRepo) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run(
        [sys.executable, "-m", "readyterm", "--ci", str(warned.path), "--no-staging",
         "--steps", "monitoring", "--strict"],
        capture_output=True, env={**env, "TERM": "xterm-256color"}, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert b"NOT READY" in done.stdout
    assert not ANSI.search(done.stdout)


def test_text_report_is_coloured_on_a_tty_unless_no_color(warned: GitRepo) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    args = ["--ci", str(warned.path), "--no-staging", "--steps", "monitoring", "--strict"]
    code, coloured = _run_on_tty(args, env)
    assert code == 1
    assert b"NOT READY" in coloured
    assert ANSI.search(coloured)
    code, plain = _run_on_tty(args, {**env, "NO_COLOR": "1"})
    assert code == 1
    assert b"NOT READY" in plain
    assert not ANSI.search(plain)


# --- --strict --------------------------------------------------------------------------------


def test_a_warning_only_step_passes_without_strict_and_fails_with_it(warned: GitRepo) -> None:
    lenient = scan(warned, steps="monitoring")
    monitoring = step(lenient, "monitoring")
    assert {f["severity"] for f in monitoring["findings"]} == {"warning"}
    assert monitoring["status"] == "pass"
    assert lenient["verdict"] == "ready" and lenient["_exit"] == 0
    strict = scan(warned, "--strict", steps="monitoring")
    assert step(strict, "monitoring")["status"] == "fail"
    assert strict["verdict"] == "not-ready" and strict["_exit"] == 1
    assert [f["fingerprint"] for f in step(strict, "monitoring")["findings"]] == [
        f["fingerprint"] for f in monitoring["findings"]
    ]
