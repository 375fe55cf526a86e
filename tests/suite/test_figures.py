"""The tests step's figures where people read them: the JSON result, the readiness record
(schema-valid and sealed), `verify`, and the fix prompt that asks for adversarial tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import GitRepo, run_cli
from tests.suite.helpers import project, run_tests_step
from tests.suite.test_failure_paths import HAPPY, MOCKED_FAILURE, PAYMENTS

CONFTEST = "import pytest\n\n\n@pytest.fixture\ndef provider():\n    return 'fake'\n"
REFUND = """

def refund(charge_id):
    if not charge_id:
        raise ValueError("a refund needs a charge id")
    return requests.post("https://payments.example.test/refunds", json={"charge": charge_id},
                         timeout=5).json()
"""


def _repo(tmp_path: Path) -> GitRepo:
    base = {"app/__init__.py": "", "tests/conftest.py": CONFTEST}
    head = {
        "app/payments.py": PAYMENTS + REFUND,
        "tests/test_payments.py": HAPPY,
        "tests/test_payment_failures.py": MOCKED_FAILURE,
    }
    return project(tmp_path, base, head)


def test_the_figures_reach_the_result_the_record_and_verify(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    code, step = run_tests_step(repo, "--write-record")
    assert code == 0, step
    # refund's check and the two statements after it never ran: 10 of 13 changed lines
    assert step["summary"] == (
        "2 warnings · 2 tests, 2 passed; diff coverage 77 % (10 of 13 changed lines, "
        "threshold 80 %); failure paths exercised 1/2"
    )
    [record_path] = (repo.path / ".readyterm" / "records").glob("*.yaml")
    record = yaml.safe_load(record_path.read_text())
    assert record["tests"]["tests"] == {"run": 2, "passed": 2, "failed": 0, "skipped": 0}
    assert record["tests"]["diff_coverage"] == {
        "percent": 76.9,
        "covered": 10,
        "lines": 13,
        "threshold": 80,
    }
    assert record["tests"]["failure_paths"] == {
        "exercised": 1,
        "total": 2,
        "unexercised": ["app/payments.py:21"],
    }
    repo.commit("readiness record")
    done = run_cli("verify", str(repo.path), "--format", "json")
    verified = json.loads(done.stdout)
    assert (done.returncode, verified["outcome"]) == (0, "fresh"), verified
    assert verified["details"] == [
        "tests: 2 tests, 2 passed; diff coverage 77 % (10 of 13 changed lines, threshold "
        "80 %); failure paths exercised 1/2"
    ]
    # the figures are sealed: editing them by hand is caught
    record["tests"]["diff_coverage"]["percent"] = 100.0
    record_path.write_text(yaml.safe_dump(record))
    repo.commit("nicer figures")
    done = run_cli("verify", str(repo.path))
    assert done.returncode == 1
    assert done.stdout.startswith("tampered:") and "tests" in done.stdout


def test_the_fix_prompt_asks_for_adversarial_tests_of_exactly_those_paths(tmp_path: Path) -> None:
    done = run_cli(
        "--ci", str(_repo(tmp_path).path), "--steps", "tests", "--no-staging", "--format", "prompt"
    )
    prompt = done.stdout
    assert done.returncode == 0, done.stderr
    assert (
        "no test sends the bad input this check rejects: the `if not charge_id` branch at "
        "app/payments.py:21 never ran" in prompt
    )
    assert 'raise ValueError("a refund needs a charge id")' in prompt  # the branch's code
    assert "Write adversarial tests that run exactly the lines and failure paths above" in prompt
    assert "The project's suite runs with: pytest" in prompt
    assert "Reuse its fixtures: provider." in prompt
    assert "tests/test_payments.py" in prompt
    assert "Fix each problem at its cause" not in prompt  # the fix is a test, not a code change


def _details(step: dict[str, Any]) -> dict[str, Any]:
    details = step["details"]
    assert isinstance(details, dict)
    return details


def test_the_json_result_names_the_command_and_the_framework(tmp_path: Path) -> None:
    _, step = run_tests_step(_repo(tmp_path))
    details = _details(step)
    assert details["commands"][0].endswith(" -m pytest")
    assert details["sources"][0].startswith("pytest ")
    assert details["framework"]["fixtures"] == ["provider"]
    assert details["diff_coverage"]["uncovered"] == {"app/payments.py": [[21, 23]]}
