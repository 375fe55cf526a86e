"""Failure paths in the changed code and whether any test took them: a real suite end to
end (with the mocked-failure test, and after deleting it), and the finder on its own."""

from __future__ import annotations

from pathlib import Path

from readyterm.backends.suite.pypaths import find
from readyterm.backends.suite.results import FileCoverage
from tests.suite.helpers import project, run_tests_step

PAYMENTS = """\
import requests


class PaymentError(Exception):
    pass


def charge(amount, token):
    try:
        resp = requests.post(
            "https://payments.example.test/charges",
            json={"amount": amount, "source": token},
            timeout=5,
        )
    except requests.Timeout:
        raise PaymentError("the payment provider timed out") from None
    return resp.json()
"""
HAPPY = """\
from app import payments


class Answer:
    def json(self):
        return {"id": "ch_1"}


def test_charge(monkeypatch):
    monkeypatch.setattr(payments.requests, "post", lambda *a, **k: Answer())
    assert payments.charge(100, "tok")["id"] == "ch_1"
"""
MOCKED_FAILURE = """\
import pytest
import requests

from app import payments


def test_a_timeout_is_a_payment_error(monkeypatch):
    def slow(*args, **kwargs):
        raise requests.Timeout("the provider is slow")

    monkeypatch.setattr(payments.requests, "post", slow)
    with pytest.raises(payments.PaymentError):
        payments.charge(100, "tok")
"""
BASE = {"app/__init__.py": "", "tests/test_nothing.py": "def test_nothing():\n    pass\n"}


def test_the_mocked_failure_test_exercises_the_except_branch(tmp_path: Path) -> None:
    head = {
        "app/payments.py": PAYMENTS,
        "tests/test_payments.py": HAPPY,
        "tests/test_payment_failures.py": MOCKED_FAILURE,
    }
    repo = project(tmp_path, BASE, head)
    code, step = run_tests_step(repo)
    assert code == 0, step
    assert step["details"]["failure_paths"] == {"exercised": 1, "total": 1, "unexercised": []}
    assert not [f for f in step["findings"] if f["rule"] == "tests-failure-path-untested"]

    # the same change without the mocked-failure test: the branch never runs
    repo.git("rm", "--quiet", "tests/test_payment_failures.py")
    repo.commit("drop the failure test")
    code, step = run_tests_step(repo)
    assert code == 0  # a warning by default
    [untested] = [f for f in step["findings"] if f["rule"] == "tests-failure-path-untested"]
    assert untested["message"] == (
        "no test makes `requests.post` time out: the `except requests.Timeout` branch at "
        "app/payments.py:15 never ran"
    )
    assert (untested["path"], untested["line"], untested["severity"]) == (
        "app/payments.py",
        15,
        "warning",
    )
    assert step["details"]["failure_paths"]["exercised"] == 0
    assert step["details"]["failure_paths"]["total"] == 1
    # the untaken branch's lines are not reported a second time as uncovered lines
    assert not [
        f for f in step["findings"] if f["rule"] == "tests-uncovered-change" and f["line"] == 16
    ]


# --- the finder on its own, with coverage given ----------------------------------------------


def paths(source: str, executed: set[int], changed: set[int] | None = None) -> list[tuple]:
    lines = source.splitlines()
    every = set(range(1, len(lines) + 1))
    statements = {
        n for n in every if lines[n - 1].strip() and not lines[n - 1].strip().startswith("#")
    }
    ran = FileCoverage(frozenset(statements), frozenset(executed))
    found = find("m.py", source.encode(), every if changed is None else changed, ran)
    return [(p.kind, p.line, p.guards, p.branch, p.exercised) for p in found]


STATUS = """\
def fetch(client, url):
    resp = client.session.get(url, timeout=3)
    if not resp.ok:
        raise RuntimeError(resp.text)
    if resp.status_code == 429:
        return None
    return resp.json()
"""


def test_status_checks_name_the_call_whose_answer_they_check() -> None:
    assert paths(STATUS, executed={1, 2, 3, 5, 7}) == [
        ("status-check", 3, "client.session.get", "if not resp.ok", False),
        ("status-check", 5, "client.session.get", "if resp.status_code == 429", False),
    ]
    assert paths(STATUS, executed={1, 2, 3, 4, 5, 6, 7})[0][-1] is True


VALIDATION = """\
def create(body):
    amount = body.get("amount")
    if amount is None or amount <= 0:
        return {"error": "amount must be positive"}, 400
    if len(body) > 10:
        log_big(body)
    return {"ok": True}, 201
"""


def test_an_input_check_that_answers_4xx_is_a_failure_path_other_ifs_are_not() -> None:
    assert paths(VALIDATION, executed={1, 2, 3, 5, 7}) == [
        ("validation", 3, "amount", "if amount is None or amount <= 0", False)
    ]


RETRY = """\
import time


def send(queue, message):
    for attempt in range(3):
        try:
            return queue.publish(message)
        except ConnectionError:
            time.sleep(2 ** attempt)
    raise RuntimeError("gave up")
"""


def test_a_handler_that_sleeps_in_a_loop_is_a_retry() -> None:
    assert paths(RETRY, executed={1, 4, 5, 6, 7}) == [
        ("retry", 8, "queue.publish", "except ConnectionError", False)
    ]


UNGUARDED = """\
import requests


def charge(amount):
    log.info("charging")
    return requests.post("https://pay.example.test", json={"amount": amount}).json()
"""


def test_a_call_without_a_failure_branch_is_not_reported_here() -> None:
    # that is the error-handling step's finding (no timeout, no status check)
    assert paths(UNGUARDED, executed=set()) == []


def test_only_paths_that_touch_a_changed_line_count() -> None:
    # the change edits line 2 (the call the handler guards), or nothing near it
    assert [p[1] for p in paths(RETRY, executed=set(), changed={7})] == [8]
    assert paths(RETRY, executed=set(), changed={10}) == []


def test_source_that_does_not_parse_has_no_paths() -> None:
    assert paths("def broken(:\n    pass\n", executed=set()) == []
