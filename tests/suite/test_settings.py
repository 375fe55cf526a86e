"""The `tests:` settings: bad values are usage errors, turning the suite off or lowering its
bar is a weakened gate, and the environment can set the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.suite.helpers import CONFIG, project, run_tests_step

BASE = {
    "app/__init__.py": "",
    "app/calc.py": "def add(a, b):\n    return a + b\n",
    "tests/test_calc.py": "from app.calc import add\n\n\ndef test_add():\n"
    "    assert add(1, 2) == 3\n",
}


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("diff_coverage: 150", "tests.diff_coverage"),
        ("select: some", "tests.select"),
        ("command: 5", "tests.command"),
        ("run: maybe", "tests.run"),
        ("nonsense: 1", "tests.nonsense"),
    ],
)
def test_a_bad_setting_is_a_usage_error_naming_the_key(
    tmp_path: Path, setting: str, named: str
) -> None:
    repo = project(tmp_path, BASE, {"app/calc.py": "X = 1\n"}, config=f"tests:\n  {setting}\n")
    done = run_cli("--ci", str(repo.path), "--steps", "tests", "--no-staging")
    assert done.returncode == 2
    assert named in done.stderr
    assert "Traceback" not in done.stderr


def test_switching_the_suite_off_or_lowering_its_bar_weakens_the_gate(tmp_path: Path) -> None:
    head = {".readyterm.yaml": CONFIG + "  run: false\n  diff_coverage: 50\n  select: changed\n"}
    code, step = run_tests_step(project(tmp_path, BASE, head), "--strict")
    assert code == 1
    messages = sorted(f["message"] for f in step["findings"] if f["rule"] == "gate-weakened")
    prefix = "this change weakens the readiness gate: "
    assert messages == [
        prefix + "`tests.diff_coverage` lowered from 80 % to 50 %",
        prefix + "`tests.run` is switched off: the test suite no longer runs",
        prefix + "`tests.select: changed` runs only the tests that import a changed module",
    ]
    assert "`tests.run` is off: the suite was not run" in step["summary"]


def test_the_command_can_come_from_the_environment(tmp_path: Path) -> None:
    repo = project(tmp_path, BASE, {"app/calc.py": "def add(a, b):\n    return b + a\n"})
    fake = tmp_path / "my-tests"
    fake.write_text("#!/bin/sh\necho 'custom runner ran'\nexit 4\n")
    fake.chmod(0o755)
    code, step = run_tests_step(repo, env={"READYTERM_TESTS__COMMAND": f"{fake} --fast"})
    assert code == 3
    assert f"`{fake} --fast` exited with code 4 before judging any test" in step["summary"]
    assert "custom runner ran" in step["summary"]
