"""Decisions: inline suppressions, waivers and attestations, through the real CLI.

Runs that need semgrep are shared through module-scoped fixtures; the command-line checks
of `waive` and `attest` and the `monitoring` runs need no scanner and stay per test.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from readyterm.engine.decisions import (
    IGNORE_WITHOUT_REASON,
    WaiverEntry,
    apply_inline,
    apply_waivers,
    path_matches,
)
from readyterm.foundation.findings import Finding, with_fingerprints
from tests.conftest import GitRepo, run_cli

WAIVERS = ".readyterm/waivers.yaml"
ATTESTATIONS = ".readyterm/attestations.yaml"
REASON = "staging proxy, see ADR-12"


# --- shared helpers ------------------------------------------------------------------------


def feature_repo(path: Path) -> GitRepo:
    path.mkdir(parents=True)
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.write("app/__init__.py", "")
    repo.commit("initial")
    repo.branch("feature")
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


def by_path(result: dict[str, Any], step_id: str = "environment") -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for item in step(result, step_id)["findings"]:
        found.setdefault(item["path"], item)
    return found


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def waive(repo: GitRepo, *args: str) -> Any:
    return run_cli("waive", *args, "-C", str(repo.path))


def attest(repo: GitRepo, *args: str) -> Any:
    return run_cli("attest", *args, "-C", str(repo.path))


# --- inline suppressions --------------------------------------------------------------------

IGNORE = "# readyterm: ignore"
SUPPRESSED = {
    "app/trailing.py": f'API = "http://localhost:8000"  {IGNORE}[localhost-url] -- {REASON}\n',
    "app/above.py": f'{IGNORE}[localhost-url] -- {REASON}\nAPI = "http://localhost:8001"\n',
    "app/several.py": (
        "def urls():\n"
        f"    {IGNORE}[hardcoded-secret, localhost-url] -- local sidecar in every pod\n"
        '    return {"api": "http://localhost:8002"}\n'
    ),
}
NOT_SUPPRESSED = {
    "app/noreason.py": f'API = "http://localhost:8003"  {IGNORE}[localhost-url]\n',
    "app/noreason_above.py": f'{IGNORE}[localhost-url]  --   \nAPI = "http://localhost:8007"\n',
    "app/other.py": f'API = "http://localhost:8004"  {IGNORE}[debug-enabled] -- not this\n',
    "app/adjacent.py": (
        f'A = "http://localhost:8005"  {IGNORE}[localhost-url] -- {REASON}\n'
        'B = "http://localhost:8006"\n'
    ),
}


@pytest.fixture(scope="module")
def inline(module_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    repo = feature_repo(tmp_path_factory.mktemp("inline") / "repo")
    for name, text in SUPPRESSED.items():
        repo.write(name, text)
    repo.commit("suppressed localhost URLs")
    suppressed = scan(repo)
    for name, text in NOT_SUPPRESSED.items():
        repo.write(name, text)
    repo.commit("more localhost URLs")
    return {"suppressed": suppressed, "mixed": scan(repo)}


@pytest.mark.slow
def test_inline_suppression_with_a_reason_waives_and_the_step_passes(
    inline: dict[str, Any],
) -> None:
    result = inline["suppressed"]
    environment = step(result, "environment")
    assert environment["status"] == "pass", environment
    assert result["_exit"] == 0
    found = by_path(result)
    assert set(found) == set(SUPPRESSED)
    for item in found.values():
        assert item["rule"] == "localhost-url"
        assert item["waived"] is True
        assert item["waiver"]["kind"] == "inline"
    assert found["app/trailing.py"]["waiver"]["reason"] == REASON
    assert found["app/above.py"]["waiver"]["reason"] == REASON
    assert found["app/above.py"]["line"] == 2
    assert found["app/several.py"]["waiver"]["reason"] == "local sidecar in every pod"
    assert "3 waived" in environment["summary"]


@pytest.mark.slow
def test_inline_suppression_without_reason_still_counts_and_warns(inline: dict[str, Any]) -> None:
    environment = step(inline["mixed"], "environment")
    assert environment["status"] == "fail"
    for path, line in (("app/noreason.py", 1), ("app/noreason_above.py", 2)):
        original = [f for f in environment["findings"] if f["path"] == path]
        rules = sorted((f["rule"], f["waived"]) for f in original)
        assert rules == [(IGNORE_WITHOUT_REASON, False), ("localhost-url", False)], path
        warning = next(f for f in original if f["rule"] == IGNORE_WITHOUT_REASON)
        assert warning["severity"] == "warning"
        assert "localhost-url" in warning["message"]
        assert warning["fingerprint"]
        finding = next(f for f in original if f["rule"] == "localhost-url")
        assert finding["line"] == line and finding["severity"] == "blocker"


@pytest.mark.slow
def test_a_suppression_for_another_rule_does_nothing(inline: dict[str, Any]) -> None:
    found = [f for f in step(inline["mixed"], "environment")["findings"]]
    other = [f for f in found if f["path"] == "app/other.py"]
    assert [(f["rule"], f["waived"]) for f in other] == [("localhost-url", False)]


@pytest.mark.slow
def test_a_trailing_suppression_does_not_cover_the_next_line(inline: dict[str, Any]) -> None:
    found = step(inline["mixed"], "environment")["findings"]
    adjacent = {f["line"]: f["waived"] for f in found if f["path"] == "app/adjacent.py"}
    assert adjacent == {1: True, 2: False}


@pytest.mark.slow
def test_fingerprints_are_unique_within_a_step(inline: dict[str, Any]) -> None:
    for result in inline.values():
        prints = [f["fingerprint"] for f in step(result, "environment")["findings"]]
        assert len(prints) == len(set(prints))


def _finding(path: str, line: int, rule: str = "localhost-url", code: str = "") -> Finding:
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


def test_inline_comment_styles() -> None:
    texts = {
        "web/a.js": ['const API = "http://localhost" // readyterm: ignore[localhost-url] -- dev'],
        "web/c.js": ["// readyterm:ignore[ localhost-url ]--proxy", 'const API = "x"'],
        "web/d.py": ["x = 1  # readyterm: ignore[localhost-url] -- reason -->"],
    }
    found = apply_inline(
        [_finding("web/a.js", 1), _finding("web/c.js", 2), _finding("web/d.py", 1)],
        texts,
    )
    waived = {f.path: f.waiver.reason if f.waiver else None for f in found}
    assert waived == {"web/a.js": "dev", "web/c.js": "proxy", "web/d.py": "reason"}


def test_reasonless_suppressions_of_two_findings_on_one_line_get_two_fingerprints() -> None:
    line = 'X = "v"  # readyterm: ignore[localhost-url,hardcoded-secret]'
    raw = [
        _finding("app/x.py", 1, "localhost-url", 'X = "v"'),
        _finding("app/x.py", 1, "hardcoded-secret", 'X = "«redacted»"'),
    ]
    found = apply_inline(with_fingerprints(raw), {"app/x.py": [line]})
    warnings = [f for f in found if f.rule == IGNORE_WITHOUT_REASON]
    assert len(warnings) == 2
    assert len({f.fingerprint for f in found}) == 4
    # The warning never shows more of the line than the finding it is about.
    secret = next(f for f in warnings if "hardcoded-secret" in f.message)
    assert secret.code == 'X = "«redacted»"'


# --- waivers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def waived(module_env: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    repo = feature_repo(tmp_path_factory.mktemp("waived") / "repo")
    repo.write("app/client.py", 'import os\n\nAPI = "http://localhost:8000"\n')
    repo.write("app/sub/deep.py", 'CACHE = "redis://127.0.0.1:6379/0"\n')
    repo.commit("localhost URLs")
    by_glob = waive(
        repo, "localhost-url", "--path", "app/*.py", "--reason", "staging proxy until ADR-12"
    )
    assert by_glob.returncode == 0, by_glob.stderr
    file_after_cli = yaml.safe_load((repo.path / WAIVERS).read_text("utf-8"))
    glob_only = scan(repo)
    deep = by_path(glob_only)["app/sub/deep.py"]
    by_print = waive(repo, "--fingerprint", deep["fingerprint"], "--reason", "sidecar cache")
    assert by_print.returncode == 0, by_print.stderr
    both = scan(repo)
    past = today() - dt.timedelta(days=1)
    (repo.path / WAIVERS).write_text(
        "waivers:\n"
        "  - rule: localhost-url\n"
        f"    reason: {REASON}\n"
        "    owner: ops@example.test\n"
        f"    expires: {past.isoformat()}\n",
        encoding="utf-8",
    )
    expired = scan(repo)
    return {
        "cli stdout": by_glob.stdout,
        "file": file_after_cli,
        "glob only": glob_only,
        "both": both,
        "expired": expired,
        "past": past,
    }


@pytest.mark.slow
def test_waive_writes_an_entry_with_owner_from_git_and_30_days(waived: dict[str, Any]) -> None:
    assert waived["file"] == {
        "waivers": [
            {
                "rule": "localhost-url",
                "path": "app/*.py",
                "reason": "staging proxy until ADR-12",
                "owner": "dev@example.test",
                "expires": (today() + dt.timedelta(days=30)).isoformat(),
            }
        ]
    }
    assert WAIVERS in waived["cli stdout"]


@pytest.mark.slow
def test_a_path_waiver_covers_only_what_its_glob_says(waived: dict[str, Any]) -> None:
    found = by_path(waived["glob only"])
    assert found["app/client.py"]["waived"] is True
    assert found["app/client.py"]["waiver"] == {
        "kind": "waiver",
        "reason": "staging proxy until ADR-12",
        "owner": "dev@example.test",
        "expires": (today() + dt.timedelta(days=30)).isoformat(),
    }
    assert found["app/sub/deep.py"]["waived"] is False
    assert step(waived["glob only"], "environment")["status"] == "fail"


@pytest.mark.slow
def test_waived_findings_stay_listed_and_the_step_passes(waived: dict[str, Any]) -> None:
    result = waived["both"]
    environment = step(result, "environment")
    assert environment["status"] == "pass"
    assert result["verdict"] == "ready" and result["_exit"] == 0
    found = by_path(result)
    assert set(found) == {"app/client.py", "app/sub/deep.py"}
    assert all(f["waived"] for f in found.values())
    assert found["app/sub/deep.py"]["waiver"]["reason"] == "sidecar cache"
    assert "2 waived" in environment["summary"]


@pytest.mark.slow
def test_an_expired_waiver_stops_applying_and_says_so(waived: dict[str, Any]) -> None:
    result = waived["expired"]
    assert step(result, "environment")["status"] == "fail"
    assert result["_exit"] == 1
    assert not any(f["waived"] for f in step(result, "environment")["findings"])
    notes = [n for n in result["notices"] if "expired" in n]
    assert len(notes) == 1
    assert "localhost-url" in notes[0] and waived["past"].isoformat() in notes[0]


def test_waiver_days_beyond_90_are_refused(repo: GitRepo) -> None:
    done = waive(repo, "localhost-url", "--days", "91", "--reason", "later")
    assert done.returncode == 2
    assert "90 days" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (repo.path / WAIVERS).exists()
    ok = waive(repo, "localhost-url", "--days", "90", "--reason", "later")
    assert ok.returncode == 0, ok.stderr
    entry = yaml.safe_load((repo.path / WAIVERS).read_text("utf-8"))["waivers"][0]
    assert entry["expires"] == (today() + dt.timedelta(days=90)).isoformat()


@pytest.mark.parametrize(
    "args",
    [
        ("localhost-url", "--reason", "   "),
        ("localhost-url", "--reason", ""),
        ("--reason", "no target"),
        ("localhost-url", "--days", "-1", "--reason", "in the past"),
        ("localhost-url", "--expires", "2001-01-01", "--reason", "in the past"),
        ("localhost-url", "--expires", "next week", "--reason", "not a date"),
        ("localhost-url",),
    ],
    ids=["blank-reason", "empty-reason", "no-target", "negative-days", "past", "bad-date", "none"],
)
def test_waive_rejects_bad_input(repo: GitRepo, args: tuple[str, ...]) -> None:
    done = waive(repo, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip()
    assert "Traceback" not in done.stderr
    assert not (repo.path / WAIVERS).exists()


def test_waive_takes_an_explicit_owner_and_expiry(repo: GitRepo) -> None:
    expires = (today() + dt.timedelta(days=7)).isoformat()
    done = waive(
        repo, "--path", "app/settings.py", "--reason", "r", "--owner", "ops", "--expires", expires
    )
    assert done.returncode == 0, done.stderr
    entry = yaml.safe_load((repo.path / WAIVERS).read_text("utf-8"))["waivers"][0]
    assert entry == {"path": "app/settings.py", "reason": "r", "owner": "ops", "expires": expires}


MALFORMED = {
    "bad-yaml": ("waivers:\n  - rule: [unclosed\n", "not valid YAML"),
    "unknown-key": (
        "waivers:\n  - rule: x\n    reason: r\n    owner: o\n    expires: 2999-01-01\n"
        "    approved_by: boss\n",
        "approved_by",
    ),
    "missing-owner": ("waivers:\n  - rule: x\n    reason: r\n    expires: 2999-01-01\n", "owner"),
    "blank-reason": (
        "waivers:\n  - rule: x\n    reason: '  '\n    owner: o\n    expires: 2999-01-01\n",
        "reason",
    ),
    "bad-date": (
        "waivers:\n  - rule: x\n    reason: r\n    owner: o\n    expires: soon\n",
        "expires",
    ),
    "no-target": ("waivers:\n  - reason: r\n    owner: o\n    expires: 2999-01-01\n", "rule"),
    "top-level-list": ("- rule: x\n", "top level"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_waivers_file_is_a_usage_error_naming_it(repo: GitRepo, case: str) -> None:
    text, detail = MALFORMED[case]
    repo.write(WAIVERS, text)
    done = run_cli("--ci", str(repo.path), "--no-staging", "--steps", "monitoring")
    assert done.returncode == 2, done.stdout + done.stderr
    assert WAIVERS in done.stderr
    assert detail in done.stderr
    assert "Traceback" not in done.stderr
    # Adding to a broken file is refused too, and leaves it as it was.
    again = waive(repo, "localhost-url", "--reason", "r")
    assert again.returncode == 2
    assert WAIVERS in again.stderr
    assert (repo.path / WAIVERS).read_text("utf-8") == text


def _waiver(**fields: Any) -> WaiverEntry:
    return WaiverEntry.model_validate(
        {"reason": "r", "owner": "o", "expires": dt.date(2030, 1, 31), **fields}
    )


def test_waiver_expiry_is_inclusive_and_notices_name_the_waiver() -> None:
    finding = with_fingerprints([_finding("app/x.py", 3, code='A = "http://localhost"')])[0]
    waiver = _waiver(rule="localhost-url")
    on_the_day, applied, notices = apply_waivers([finding], [waiver], dt.date(2030, 1, 31))
    assert on_the_day[0].waived and applied == [waiver] and notices == []
    after, applied, notices = apply_waivers([finding], [waiver], dt.date(2030, 2, 1))
    assert not after[0].waived and applied == []
    assert notices == [
        "waiver for rule localhost-url (owner o, expires 2030-01-31) expired and no longer applies"
    ]


def test_waiver_targets_combine() -> None:
    finding = with_fingerprints([_finding("app/x.py", 3, code="c")])[0]
    assert _waiver(rule="localhost-url", path="app/x.py").matches(finding)
    assert not _waiver(rule="localhost-url", path="app/y.py").matches(finding)
    assert not _waiver(rule="other", path="app/x.py").matches(finding)
    assert _waiver(fingerprint=finding.fingerprint).matches(finding)
    assert not _waiver(fingerprint="0" * 20).matches(finding)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("app/x.py", "app/*.py", True),
        ("app/sub/x.py", "app/*.py", False),
        ("app/sub/x.py", "app/**/*.py", True),
        ("app/x.py", "app/**/*.py", True),
        ("app/x.py", "app/x.py", True),
        ("app/x.py", "./app/x.py", True),
        ("app/x.py", "/app/x.py", True),
        ("app/x.pyc", "app/*.py", False),
        ("lib/app/x.py", "app/*.py", False),
        ("app/x1.py", "app/x?.py", True),
        ("app/b.py", "app/[a-c].py", True),
        ("app/d.py", "app/[!d].py", False),
        ("app/a+b (1).py", "app/a+b (1).py", True),
    ],
)
def test_waiver_path_globs(path: str, pattern: str, expected: bool) -> None:
    assert path_matches(path, pattern) is expected


# --- attestations --------------------------------------------------------------------------


def _attestation_findings(result: dict[str, Any]) -> list[str]:
    return sorted(
        f["message"]
        for f in step(result, "monitoring")["findings"]
        if f["rule"] == "attestation-missing"
    )


def test_attest_writes_the_answer_and_its_warning_goes_away(repo: GitRepo) -> None:
    before = scan(repo, steps="monitoring")
    assert len(_attestation_findings(before)) == 3
    assert any("alert" in m for m in _attestation_findings(before))
    done = attest(repo, "monitoring", "--answer", "alert=PagerDuty orders-5xx")
    assert done.returncode == 0, done.stderr
    assert ATTESTATIONS in done.stdout
    stored = yaml.safe_load((repo.path / ATTESTATIONS).read_text("utf-8"))
    [entry] = stored["attestations"]
    assert entry["step"] == "monitoring" and entry["question"] == "alert"
    assert entry["answer"] == "PagerDuty orders-5xx"
    assert entry["author"] == "dev@example.test"
    at = dt.datetime.strptime(entry["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert abs((dt.datetime.now(dt.UTC) - at).total_seconds()) < 300
    after = scan(repo, steps="monitoring")
    remaining = _attestation_findings(after)
    assert len(remaining) == 2
    assert not any("alert fires" in m for m in remaining)
    assert step(after, "monitoring")["status"] == "pass"


def test_attest_several_answers_at_once_and_the_newest_wins(repo: GitRepo) -> None:
    first = attest(repo, "monitoring", "--answer", "alert=old", "--answer", "on-call=team-a")
    assert first.returncode == 0, first.stderr
    second = attest(repo, "monitoring", "--answer", "alert=new", "--author", "lead@example.test")
    assert second.returncode == 0, second.stderr
    result = scan(repo, steps="monitoring")
    assert len(_attestation_findings(result)) == 1
    record = run_cli(
        "--ci", str(repo.path), "--no-staging", "--steps", "monitoring", "--write-record",
        "--format", "json",
    )  # fmt: skip
    stored = yaml.safe_load((repo.path / json.loads(record.stdout)["record"]).read_text("utf-8"))
    answers = {(a["question"], a["answer"], a["author"]) for a in stored["attestations"]}
    assert answers == {
        ("alert", "new", "lead@example.test"),
        ("on-call", "team-a", "dev@example.test"),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("monitoring", "--answer", "pager=someone"), "no question 'pager'"),
        (("monitoring", "--answer", "alert"), "QUESTION=TEXT"),
        (("monitoring", "--answer", "alert=   "), "QUESTION=TEXT"),
        (("nonsense-step", "--answer", "alert=x"), "invalid choice"),
        (("monitoring",), "--answer"),
    ],
    ids=["unknown-question", "no-equals", "blank-answer", "unknown-step", "no-answer"],
)
def test_attest_rejects_bad_input(repo: GitRepo, args: tuple[str, ...], message: str) -> None:
    done = attest(repo, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (repo.path / ATTESTATIONS).exists()


def test_a_required_attestation_that_is_missing_blocks(repo: GitRepo) -> None:
    repo.write(".readyterm.yaml", "steps:\n  monitoring:\n    attestation_required: true\n")
    done = run_cli(
        "--ci", str(repo.path), "--no-staging", "--steps", "monitoring", "--format", "json"
    )
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    monitoring = step(result, "monitoring")
    assert monitoring["status"] == "fail"
    missing = [f for f in monitoring["findings"] if f["rule"] == "attestation-missing"]
    assert len(missing) == 3 and {f["severity"] for f in missing} == {"blocker"}
    answers = ["alert=PagerDuty orders-5xx", "dashboard=Grafana orders", "on-call=team-orders"]
    done = attest(repo, "monitoring", *(arg for a in answers for arg in ("--answer", a)))
    assert done.returncode == 0, done.stderr
    after = scan(repo, steps="monitoring")
    assert _attestation_findings(after) == []
    assert after["_exit"] == 0


def test_a_malformed_attestations_file_is_a_usage_error_naming_it(repo: GitRepo) -> None:
    repo.write(
        ATTESTATIONS,
        "attestations:\n  - step: monitoring\n    question: alert\n    answer: x\n",
    )
    done = run_cli("--ci", str(repo.path), "--no-staging", "--steps", "monitoring")
    assert done.returncode == 2
    assert ATTESTATIONS in done.stderr and "author" in done.stderr
    repo.write(ATTESTATIONS, "attestations: {oops")
    done = run_cli("--ci", str(repo.path), "--no-staging", "--steps", "monitoring")
    assert done.returncode == 2
    assert ATTESTATIONS in done.stderr and "not valid YAML" in done.stderr
