"""The `tests` step runs the project's real pytest suite: results for a suite that passes,
fails, hangs, crashes or cannot start, and no process left behind after Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.suite.helpers import CONFIG, project, rules, run_tests_step

APP = "def add(a, b):\n    return a + b\n"
TEST = "from app.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
BASE = {"app/__init__.py": "", "app/calc.py": APP, "tests/test_calc.py": TEST}


def test_a_passing_suite_reports_its_figures_and_leaves_the_tree_alone(tmp_path: Path) -> None:
    head = {
        "app/calc.py": APP + "\n\ndef sub(a, b):\n    return a - b\n",
        "tests/test_sub.py": "from app.calc import sub\n\n\ndef test_sub():\n"
        "    assert sub(3, 2) == 1\n",
    }
    repo = project(tmp_path, BASE, head)
    code, step = run_tests_step(repo)
    assert code == 0, step
    assert step["status"] == "pass"
    details = step["details"]
    assert details["tests"] == {"run": 2, "passed": 2, "failed": 0, "skipped": 0}
    assert details["diff_coverage"]["percent"] == 100.0
    assert details["diff_coverage"]["lines"] == 2  # `def sub` and its return
    # no .pytest_cache, .coverage or __pycache__ written into the project
    assert repo.git("status", "--porcelain", "--ignored") == ""


def test_a_failing_test_blocks_naming_the_test_and_its_line(tmp_path: Path) -> None:
    head = {"tests/test_calc.py": TEST + "\n\ndef test_add_wrong():\n    assert add(2, 2) == 5\n"}
    code, step = run_tests_step(project(tmp_path, BASE, head))
    assert code == 1
    assert step["status"] == "fail"
    failing = [f for f in step["findings"] if f["rule"] == "tests-failing"]
    assert [(f["severity"], f["path"], f["line"]) for f in failing] == [
        ("blocker", "tests/test_calc.py", 8)
    ]
    assert "test_add_wrong" in failing[0]["message"]
    assert "assert 4 == 5" in failing[0]["message"]
    assert step["details"]["tests"]["failed"] == 1


def test_a_suite_that_hangs_past_the_timeout_is_stopped_and_is_an_error(tmp_path: Path) -> None:
    hang = "import time\n\n\ndef test_hangs():\n    time.sleep(600)\n"
    repo = project(
        tmp_path, BASE, {"tests/test_hang.py": hang}, config=CONFIG + "timeouts:\n  tests: 4\n"
    )
    started = time.monotonic()
    code, step = run_tests_step(repo)
    assert time.monotonic() - started < 60
    assert code == 3
    assert step["status"] == "error"
    assert "did not finish within 4 s" in step["summary"]
    assert "timeouts.tests" in step["summary"]


def test_a_suite_that_cannot_import_the_code_is_an_error_with_its_output(tmp_path: Path) -> None:
    broken = "import not_installed_anywhere\n\n\ndef test_x():\n    pass\n"
    code, step = run_tests_step(project(tmp_path, BASE, {"tests/test_broken.py": broken}))
    assert code == 3
    assert step["status"] == "error"
    assert step["summary"].startswith("the tests could not be run: `"), step["summary"]
    assert (
        " -m pytest` exited with code 2 before judging any test (ModuleNotFoundError: No module "
        "named 'not_installed_anywhere'); a dependency is missing in "
    ) in step["summary"]
    assert "-m pip install not_installed_anywhere pytest`" in step["summary"]
    # beside the error, the old word heuristic's guess, saying that it is one
    assert rules(step) == [("tests-happy-path-only", "tests/test_broken.py", 1)]
    assert "fallback: the suite could not be run" in step["findings"][0]["message"]
    assert "fallback guess" in step["summary"]


def test_a_project_without_tests_is_warned_with_a_hint(tmp_path: Path) -> None:
    base = {"app/__init__.py": "", "app/calc.py": APP}
    code, step = run_tests_step(project(tmp_path, base, {"app/calc.py": APP + "X = 1\n"}))
    assert code == 0  # judged, not "could not run"; a warning, as DESIGN.md has it
    assert step["status"] == "pass"
    [missing] = step["findings"]
    assert (missing["rule"], missing["severity"], missing["path"]) == (
        "tests-missing",
        "warning",
        "app/calc.py",
    )
    assert "no test suite was found" in missing["message"]
    assert "tests.command" in missing["fix"]


def test_a_python_without_pytest_is_named_in_the_error(tmp_path: Path) -> None:
    config = "tests:\n  python: /nonexistent/bin/python\n"
    code, step = run_tests_step(
        project(tmp_path, BASE, {"app/calc.py": APP + "X = 1\n"}, config=config)
    )
    assert code == 3
    assert "no Python with pytest was found (tried: /nonexistent/bin/python)" in step["summary"]


def _fake(tmp_path: Path, name: str, body: str) -> Path:
    script = tmp_path / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("echo 'Segmentation fault' >&2\nkill -SEGV $$\n", "exited with code"),
        ("head -c 3000 /dev/urandom | od -c | head -40\nexit 3\n", "exited with code 3"),
    ],
    ids=["crash", "garbage"],
)
def test_a_custom_command_that_crashes_is_an_error_never_a_pass(
    tmp_path: Path, body: str, expected: str
) -> None:
    fake = _fake(tmp_path, "fake-tests", body)
    repo = project(
        tmp_path,
        BASE,
        {"app/calc.py": APP + "X = 1\n"},
        config=f"tests:\n  command: [{str(fake)!r}]\n",
    )
    code, step = run_tests_step(repo)
    assert code == 3
    assert step["status"] == "error"
    assert expected in step["summary"]


def test_a_command_that_does_not_exist_says_how_to_fix_it(tmp_path: Path) -> None:
    repo = project(
        tmp_path,
        BASE,
        {"app/calc.py": APP + "X = 1\n"},
        config="tests:\n  command: no-such-test-runner --all\n",
    )
    code, step = run_tests_step(repo)
    assert code == 3
    assert "could not be started" in step["summary"]
    assert "tests.command" in step["summary"]


def test_the_suite_gets_no_readyterm_setting_and_no_ci_token(tmp_path: Path) -> None:
    spy = (
        "import os\n\n\ndef test_environment():\n"
        "    leaked = sorted(k for k in os.environ if k.startswith('READYTERM_')"
        " or k in ('GITHUB_TOKEN', 'CI_JOB_TOKEN', 'ACTIONS_RUNTIME_TOKEN'))\n"
        "    assert leaked == []\n    assert os.environ['KEPT_FOR_TESTS'] == 'yes'\n"
    )
    env = {
        "GITHUB_TOKEN": "ghs_secret",
        "CI_JOB_TOKEN": "glcbt",
        "ACTIONS_RUNTIME_TOKEN": "x",
        "READYTERM_CACHE_MAX_MB": "50",
        "KEPT_FOR_TESTS": "yes",
    }
    code, step = run_tests_step(project(tmp_path, BASE, {"tests/test_env.py": spy}), env=env)
    assert step["details"]["tests"] == {"run": 2, "passed": 2, "failed": 0, "skipped": 0}, step
    assert code == 0


def test_a_change_without_code_does_not_run_the_suite(tmp_path: Path) -> None:
    code, step = run_tests_step(project(tmp_path, BASE, {"README.md": "# calc\n"}))
    assert code == 0
    assert step["status"] == "pass"
    assert step["summary"] == (
        "no findings; the change touches no code and no tests: the suite was not run"
    )


def test_ctrl_c_leaves_no_test_process_behind(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    spawner = (
        "import os, subprocess, sys, time\n\n\ndef test_spawns():\n"
        "    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"    with open({str(pids)!r}, 'w') as out:\n"
        "        out.write(f'{os.getpid()} {child.pid}')\n"
        "    time.sleep(600)\n"
    )
    repo = project(tmp_path, BASE, {"tests/test_spawn.py": spawner})
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "readyterm",
            "--ci",
            str(repo.path),
            "--steps",
            "tests",
            "--no-staging",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (pids.exists() and pids.read_text().count(" ") == 1):
            assert time.monotonic() < deadline, "the suite never started"
            assert cli.poll() is None, cli.communicate()
            time.sleep(0.1)
        test_pid, child_pid = (int(p) for p in pids.read_text().split())
        cli.send_signal(signal.SIGINT)
        _, stderr = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == 130, stderr
    assert "interrupted" in stderr
    for pid in (test_pid, child_pid):
        assert not _alive(pid), f"process {pid} outlived readyterm"


def _alive(pid: int) -> bool:
    deadline = time.monotonic() + 5  # the group was SIGKILLed: give the kernel a moment
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return False  # a zombie is dead; its parent (also killed) reaps it
        time.sleep(0.1)
    return True
