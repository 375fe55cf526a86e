"""Fault injection: tools that hang, crash, lie or are missing; signals; races; bad options.

Fakes stand in for semgrep or bandit only to inject a fault (found through the
READYTERM_SEMGREP_BIN / READYTERM_BANDIT_BIN overrides); every other tool is real. Each
test asserts the exit code, the message the user sees, and that no traceback escaped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readyterm import cli
from readyterm.backends.bandit import BanditBackend
from readyterm.backends.base import ScanContext
from readyterm.backends.semgrep import SemgrepBackend
from readyterm.cli.arguments import FORMATS
from readyterm.engine.record import load_records
from readyterm.engine.runner import RunOptions, StepProgress, prepare, run_checklist, run_to_end
from readyterm.foundation.config import Config
from readyterm.foundation.paths import RECORDS_DIR
from readyterm.foundation.procs import ARGV_BUDGET, argv_batches, run_tool
from readyterm.foundation.rulepack import RulePack, load_rule_pack
from readyterm.reports import PLANNED_FORMATS
from tests.conftest import GitRepo, run_cli

EMPTY_SEMGREP = {"results": [], "errors": [], "paths": {"scanned": []}, "version": "fake"}
EMPTY_BANDIT = {"results": [], "errors": [], "metrics": {}}

#: A fake's preamble: records its pid and argv so a test can check on it afterwards.
_PREAMBLE = """\
import json, os, subprocess, sys, time
_log = os.environ.get("FAKE_LOG")
if _log:
    with open(_log, "a") as handle:
        handle.write(json.dumps({"pid": os.getpid(), "argv": sys.argv[1:],
                                 "env": dict(os.environ)}) + "\\n")
"""


def make_fake(folder: Path, name: str, body: str) -> Path:
    """An executable Python script standing in for a tool."""
    script = folder / f"fake-{name}"
    script.write_text(f"#!{sys.executable}\n{_PREAMBLE}{textwrap.dedent(body)}")
    script.chmod(0o755)
    return script


def prints(payload: object, code: int = 0) -> str:
    return f"print({json.dumps(json.dumps(payload))})\nsys.exit({code})\n"


#: Hangs, with a child of its own that must not outlive the run either.
HANGS = """\
print("loading rules ... still loading", file=sys.stderr, flush=True)
child = subprocess.Popen(["sleep", "600"])
with open(os.environ["FAKE_PIDS"], "a") as handle:
    handle.write(f"{os.getpid()}\\n{child.pid}\\n")
time.sleep(600)
"""


def logged_calls(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def running(pid: int) -> bool:
    """Whether pid is a live process (a zombie waiting for a reaper does not count)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        return state not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def assert_all_gone(pid_file: Path, within: float = 5.0) -> None:
    assert pid_file.exists(), "the fake never got as far as writing its pid"
    pids = [int(p) for p in pid_file.read_text().split()]
    assert pids, "the fake never started"
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(running(p) for p in pids):
        time.sleep(0.1)
    assert not [p for p in pids if running(p)], f"orphan processes left: {pids}"


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert "Traceback" not in done.stdout, done.stdout


def steps_of(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    result = json.loads(done.stdout)
    assert len(result["steps"]) == 9
    return {s["id"]: s for s in result["steps"]}


@pytest.fixture
def changed(repo: GitRepo) -> GitRepo:
    """The feature branch changes one clean Python module, so every backend has work."""
    repo.write("app/client.py", 'import os\n\nAPI_URL = os.environ["API_URL"]\n')
    repo.commit("add client")
    return repo


@pytest.fixture
def fakes(tmp_path: Path) -> Path:
    folder = tmp_path / "fakes"
    folder.mkdir()
    return folder


def ci(
    repo: GitRepo, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli("--ci", str(repo.path), "--format", "json", *args, env=env, timeout=120)


# --- semgrep is always run offline ---------------------------------------------------


def test_semgrep_always_runs_offline(changed: GitRepo, fakes: Path) -> None:
    log = fakes / "calls.jsonl"
    semgrep = make_fake(fakes, "semgrep", prints(EMPTY_SEMGREP))
    done = ci(
        changed,
        "--steps",
        "error-handling",
        env={"READYTERM_SEMGREP_BIN": str(semgrep), "FAKE_LOG": str(log)},
    )
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    assert steps_of(done)["error-handling"]["status"] == "pass"
    calls = logged_calls(log)
    assert calls, "readyterm never ran semgrep"
    for call in calls:
        assert "--metrics=off" in call["argv"]
        assert "--disable-version-check" in call["argv"]
        assert call["env"]["SEMGREP_ENABLE_VERSION_CHECK"] == "0"
        # Files come after `--`, so a file named like an option cannot become one.
        assert call["argv"][call["argv"].index("--") + 1 :] == ["app/client.py"]


# --- a tool that hangs ------------------------------------------------------------------


def test_a_hanging_semgrep_is_stopped_at_its_timeout(changed: GitRepo, fakes: Path) -> None:
    pid_file = fakes / "pids"
    semgrep = make_fake(fakes, "semgrep", HANGS)
    started = time.monotonic()
    done = ci(
        changed,
        "--steps",
        "environment,error-handling,monitoring",
        env={
            "READYTERM_SEMGREP_BIN": str(semgrep),
            "READYTERM_TIMEOUTS__SEMGREP": "2",
            "FAKE_PIDS": str(pid_file),
        },
    )
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"the timeout did not stop the run in time ({elapsed:.1f} s)"
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    steps = steps_of(done)
    for step_id in ("environment", "error-handling"):
        assert steps[step_id]["status"] == "error", steps[step_id]
        summary = steps[step_id]["summary"]
        assert "did not finish after 2 s" in summary
        assert "timeouts.semgrep" in summary
        assert "still loading" in summary  # the tool's last stderr line says where it hung
    assert steps["monitoring"]["status"] == "pass"  # not served by semgrep: unaffected
    assert json.loads(done.stdout)["verdict"] == "error"
    assert_all_gone(pid_file)


def test_a_hanging_bandit_is_stopped_at_its_timeout(changed: GitRepo, fakes: Path) -> None:
    pid_file = fakes / "pids"
    semgrep = make_fake(fakes, "semgrep", prints(EMPTY_SEMGREP))
    bandit = make_fake(fakes, "bandit", HANGS)
    started = time.monotonic()
    done = ci(
        changed,
        "--steps",
        "input-validation,error-handling",
        env={
            "READYTERM_SEMGREP_BIN": str(semgrep),
            "READYTERM_BANDIT_BIN": str(bandit),
            "READYTERM_TIMEOUTS__BANDIT": "2",
            "FAKE_PIDS": str(pid_file),
        },
    )
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"the timeout did not stop the run in time ({elapsed:.1f} s)"
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    steps = steps_of(done)
    summary = steps["input-validation"]["summary"]
    assert steps["input-validation"]["status"] == "error"
    assert "bandit did not finish after 2 s" in summary
    assert "timeouts.bandit" in summary
    assert steps["error-handling"]["status"] == "pass"  # semgrep alone: unaffected
    assert_all_gone(pid_file)


def test_the_timeout_message_reaches_the_text_report(changed: GitRepo, fakes: Path) -> None:
    pid_file = fakes / "pids"
    semgrep = make_fake(fakes, "semgrep", HANGS)
    done = run_cli(
        "--ci",
        str(changed.path),
        "--steps",
        "error-handling",
        env={
            "READYTERM_SEMGREP_BIN": str(semgrep),
            "READYTERM_TIMEOUTS__SEMGREP": "1.5",
            "FAKE_PIDS": str(pid_file),
        },
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    assert "did not finish after 1.5 s" in done.stdout
    assert "timeouts.semgrep" in done.stdout
    assert_all_gone(pid_file)


# --- a tool that crashes, lies or is missing ---------------------------------------------


def test_a_crashing_semgrep_shows_its_last_stderr_lines(changed: GitRepo, fakes: Path) -> None:
    semgrep = make_fake(
        fakes,
        "semgrep",
        """\
        for n in range(1, 31):
            print(f"trace line {n}", file=sys.stderr)
        print("Fatal error: invalid rule schema in rules.yaml", file=sys.stderr)
        sys.exit(2)
        """,
    )
    done = ci(changed, "--steps", "error-handling", env={"READYTERM_SEMGREP_BIN": str(semgrep)})
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    step = steps_of(done)["error-handling"]
    assert step["status"] == "error"
    assert "semgrep exited with code 2" in step["summary"]
    assert "Fatal error: invalid rule schema" in step["summary"]
    assert "trace line 30" in step["summary"]
    assert "trace line 1\n" not in step["summary"]  # the tail, not the whole log


def test_semgrep_garbage_on_stdout_is_an_error(changed: GitRepo, fakes: Path) -> None:
    semgrep = make_fake(fakes, "semgrep", "print('<html>Service Unavailable</html>')\n")
    done = ci(changed, "--steps", "error-handling", env={"READYTERM_SEMGREP_BIN": str(semgrep)})
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    step = steps_of(done)["error-handling"]
    assert step["status"] == "error"
    assert "semgrep exited with code 0 and printed output that is not JSON" in step["summary"]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        pytest.param("print('{\"results\": [')\n", "not JSON", id="truncated-json"),
        pytest.param("pass\n", "not JSON", id="no-output"),
        pytest.param(prints(["results"]), "without a results list", id="json-list"),
        pytest.param(prints({"results": 7}), "without a results list", id="results-not-a-list"),
        pytest.param(prints({"results": [], "errors": "boom"}), "no list", id="errors-not-a-list"),
        pytest.param(
            prints({"results": [{"check_id": "localhost-url"}]}),
            "printed JSON that readyterm does not understand",
            id="result-without-path",
        ),
        pytest.param(
            prints({"results": [], "errors": [{"level": "error", "message": "bad rule"}]}, 2),
            "semgrep exited with code 2: bad rule",
            id="fatal-error",
        ),
        pytest.param(
            prints({"results": []}, 139), "semgrep exited with code 139", id="odd-exit-code"
        ),
    ],
)
def test_semgrep_output_that_is_not_its_json_is_an_error(
    repo: GitRepo, fakes: Path, monkeypatch: pytest.MonkeyPatch, body: str, said: str
) -> None:
    monkeypatch.setenv("READYTERM_SEMGREP_BIN", str(make_fake(fakes, "semgrep", body)))
    repo.write("app/client.py", "API = 1\n")
    context = ScanContext(config=Config(), rule_pack=load_rule_pack(repo.path, []))
    result = SemgrepBackend().scan(repo.path, ["app/client.py"], context)
    assert result.error is not None
    assert said in result.error, result.error
    assert result.findings == []


def test_a_file_semgrep_could_not_parse_is_never_a_pass(changed: GitRepo, fakes: Path) -> None:
    payload = {
        **EMPTY_SEMGREP,
        "errors": [
            {
                "code": 3,
                "level": "warn",
                "type": ["PartialParsing", []],
                "message": "Syntax error at line app/client.py:3:\n `(` was unexpected",
                "path": "app/client.py",
            }
        ],
        "paths": {"scanned": ["app/client.py"]},
    }
    semgrep = make_fake(fakes, "semgrep", prints(payload))
    done = ci(changed, "--steps", "error-handling", env={"READYTERM_SEMGREP_BIN": str(semgrep)})
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    step = steps_of(done)["error-handling"]
    assert step["status"] == "error"
    assert "scan is incomplete" in step["summary"]
    assert "app/client.py" in step["summary"]


@pytest.mark.slow
def test_a_real_syntax_error_is_a_blocker_at_its_line(repo: GitRepo) -> None:
    """semgrep's parser recovers from it; bandit's, under the Python the project declares,
    does not: the file fails on import in production."""
    repo.write(".python-version", "3.8\n")
    repo.write("app/broken.py", "import os\n\ndef handler(:\n    return requests.get(URL)\n")
    repo.commit("broken")
    done = ci(repo, "--steps", "input-validation")
    assert done.returncode == 1, done.stderr
    no_traceback(done)
    step = steps_of(done)["input-validation"]
    assert step["status"] == "fail"
    [finding] = [f for f in step["findings"] if f["rule"] == "python-syntax-error"]
    assert (finding["path"], finding["line"], finding["severity"]) == (
        "app/broken.py",
        3,
        "blocker",
    )
    assert "does not parse" in finding["message"]


def test_a_missing_semgrep_is_an_error_with_a_fix(changed: GitRepo, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "semgrep"
    done = ci(changed, "--steps", "error-handling", env={"READYTERM_SEMGREP_BIN": str(missing)})
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    summary = steps_of(done)["error-handling"]["summary"]
    assert f"READYTERM_SEMGREP_BIN={missing} is not an executable file" in summary
    assert "pip install readyterm" in summary


def test_a_missing_bandit_is_an_error_with_a_fix(changed: GitRepo, fakes: Path) -> None:
    semgrep = make_fake(fakes, "semgrep", prints(EMPTY_SEMGREP))
    done = ci(
        changed,
        "--steps",
        "input-validation",
        env={"READYTERM_SEMGREP_BIN": str(semgrep), "READYTERM_BANDIT_BIN": "no-such-bandit"},
    )
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    summary = steps_of(done)["input-validation"]["summary"]
    assert "READYTERM_BANDIT_BIN=no-such-bandit is not an executable file" in summary
    assert "pip install readyterm" in summary


def test_a_tool_missing_from_path_says_how_to_install_it(tmp_path: Path) -> None:
    run = run_tool(["readyterm-no-such-tool"], timeout=5, env={"PATH": str(tmp_path)})
    assert run.missing
    assert "not found on PATH" in run.failure()
    assert "pip install readyterm" in run.failure()


def test_a_tool_that_cannot_be_executed_is_an_error(fakes: Path) -> None:
    broken = fakes / "semgrep"
    broken.write_bytes(b"\x7fELF\x00garbage")  # executable bit, but no program the kernel runs
    broken.chmod(0o755)
    run = run_tool(
        ["semgrep", "--version"],
        timeout=5,
        env={**os.environ, "READYTERM_SEMGREP_BIN": str(broken)},
    )
    assert run.returncode is None
    assert run.failure().startswith("semgrep could not be started:"), run.failure()
    assert "Exec format error" in run.failure()


@pytest.mark.parametrize(
    ("body", "said"),
    [
        pytest.param(
            "sys.stdout.write('x' * (50 << 20))\n", "printed output that is not JSON", id="stdout"
        ),
        pytest.param(
            "sys.stderr.write('boom\\n' * (10 << 20)); sys.exit(2)\n",
            "semgrep exited with code 2",
            id="stderr",
        ),
        pytest.param("sys.exit(137)\n", "semgrep exited with code 137", id="exit-137"),
    ],
)
def test_fifty_megabytes_of_output_or_exit_137_is_a_short_error(
    changed: GitRepo, fakes: Path, body: str, said: str
) -> None:
    """A runaway tool's output is not echoed back whole: the summary stays readable."""
    semgrep = make_fake(fakes, "semgrep", body)
    done = ci(changed, "--steps", "error-handling", env={"READYTERM_SEMGREP_BIN": str(semgrep)})
    assert done.returncode == 3, done.stderr[-500:]
    no_traceback(done)
    step = steps_of(done)["error-handling"]
    assert step["status"] == "error"
    assert said in step["summary"]
    assert len(step["summary"]) < 5000
    assert len(done.stdout) < 200_000


def test_a_tool_killed_by_a_signal_says_so(fakes: Path) -> None:
    semgrep = make_fake(fakes, "semgrep", "os.kill(os.getpid(), 9)\n")
    run = run_tool(
        ["semgrep"], timeout=10, env={**os.environ, "READYTERM_SEMGREP_BIN": str(semgrep)}
    )
    assert run.returncode == -9
    assert "killed by SIGKILL (out of memory?)" in run.failure()


# --- the tools leave nothing running -------------------------------------------------


def test_children_a_tool_leaves_behind_are_stopped(fakes: Path) -> None:
    pid_file = fakes / "pids"
    tool = make_fake(
        fakes,
        "semgrep",
        """\
        child = subprocess.Popen(["sleep", "600"])
        with open(os.environ["FAKE_PIDS"], "a") as handle:
            handle.write(f"{child.pid}\\n")
        print("{}")
        """,
    )
    env = {**os.environ, "READYTERM_SEMGREP_BIN": str(tool), "FAKE_PIDS": str(pid_file)}
    started = time.monotonic()
    run = run_tool(["semgrep"], timeout=30, env=env)
    assert run.returncode == 0
    assert run.stdout.strip() == "{}"
    assert time.monotonic() - started < 5  # the leftover child held stdout open
    assert_all_gone(pid_file, within=1)


def test_a_tool_child_that_ignores_sigterm_is_killed(fakes: Path) -> None:
    pid_file = fakes / "pids"
    tool = make_fake(
        fakes,
        "semgrep",
        """\
        code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
        child = subprocess.Popen([sys.executable, "-c", code])
        with open(os.environ["FAKE_PIDS"], "a") as handle:
            handle.write(f"{os.getpid()}\\n{child.pid}\\n")
        time.sleep(600)
        """,
    )
    env = {**os.environ, "READYTERM_SEMGREP_BIN": str(tool), "FAKE_PIDS": str(pid_file)}
    run = run_tool(["semgrep"], timeout=1.5, env=env)
    assert run.timed_out
    assert_all_gone(pid_file, within=2)


def test_cancelling_stops_a_running_tool_quickly(fakes: Path) -> None:
    pid_file = fakes / "pids"
    tool = make_fake(fakes, "semgrep", HANGS)
    env = {**os.environ, "READYTERM_SEMGREP_BIN": str(tool), "FAKE_PIDS": str(pid_file)}
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    started = time.monotonic()
    run = run_tool(["semgrep"], timeout=300, env=env, cancel=cancel)
    assert run.cancelled
    assert run.failure() == "semgrep was cancelled"
    assert time.monotonic() - started < 5
    assert_all_gone(pid_file, within=1)


def test_huge_file_lists_are_split_below_arg_max() -> None:
    names = [f"pkg/module_{n:06d}.py" for n in range(100_000)]
    batches = argv_batches(names)
    assert len(batches) > 1
    assert [name for batch in batches for name in batch] == names
    limit = min(ARGV_BUDGET, os.sysconf("SC_ARG_MAX") // 2)
    assert all(sum(len(n) + 1 for n in batch) <= limit for batch in batches)
    # Django's 6,918 files fit in one command: one semgrep start-up, not two.
    assert len(argv_batches([f"django/contrib/admin/m{n:04d}.py" for n in range(6918)])) == 1
    assert argv_batches([]) == [[]]


# --- bandit --------------------------------------------------------------------------


def _context() -> ScanContext:
    return ScanContext(config=Config(), rule_pack=RulePack((), {}, "test"))


#: A high-severity bandit finding (B501) on line 5; shell=True and pickle are left to
#: readyterm's taint rules, so they make no sample.
TLS_OFF = (
    "import requests\n\n\ndef fetch(url):\n    return requests.get(url, verify=False, timeout=5)\n"
)


def test_bandit_finding_issues_is_not_an_error(repo: GitRepo) -> None:
    """Real bandit exits 1 when it finds issues; that is a result, not a failure."""
    repo.write("app/fetch.py", TLS_OFF)
    result = BanditBackend().scan(repo.path, ["app/fetch.py"], _context())
    assert result.error is None
    assert result.incomplete == {}
    assert [(f.rule, f.path, f.line) for f in result.findings] == [
        ("bandit-B501", "app/fetch.py", 5)
    ]


def test_bandit_does_not_judge_a_container_entrypoint_by_laptop_measures(repo: GitRepo) -> None:
    """Binding every interface from config and running a tool by name from PATH are what a
    service in a container does; bandit's B104 and B607 flagged both. Its other checks run."""
    repo.write(
        "app/serve.py",
        "import os\nimport subprocess\n\n"
        'HOST = os.environ.get("HOST", "0.0.0.0")\n\n\n'
        "def compress(path):\n"
        '    subprocess.run(["gzip", "-k", path], check=True, timeout=30)\n',
    )
    repo.write("app/fetch.py", TLS_OFF)
    result = BanditBackend().scan(repo.path, ["app/serve.py", "app/fetch.py"], _context())
    assert result.error is None
    assert [(f.rule, f.path) for f in result.findings] == [("bandit-B501", "app/fetch.py")]


@pytest.mark.slow
def test_bandit_issues_fail_the_step_through_the_cli(repo: GitRepo) -> None:
    repo.write("app/fetch.py", TLS_OFF)
    repo.commit("shell")
    done = ci(repo, "--steps", "input-validation")
    assert done.returncode == 1, done.stderr
    no_traceback(done)
    step = steps_of(done)["input-validation"]
    assert step["status"] == "fail"
    assert any(f["path"] == "app/fetch.py" and f["line"] == 5 for f in step["findings"])


def test_bandit_scans_files_its_default_excludes_would_skip(repo: GitRepo) -> None:
    """bandit's default excludes match substrings (".git" in ".github", "CVS" ...)."""
    names = [".github/scripts/deploy.py", "app/CVS_export.py", "tools/.tox_helpers.py"]
    for name in names:
        repo.write(name, TLS_OFF)
    result = BanditBackend().scan(repo.path, names, _context())
    assert result.error is None
    assert result.incomplete == {}
    assert sorted(f.path for f in result.findings) == sorted(names)


def test_a_nosec_comment_does_not_hide_a_bandit_finding(repo: GitRepo) -> None:
    """The only inline suppression is readyterm's own, which must give a reason."""
    repo.write("app/fetch.py", TLS_OFF.replace("timeout=5)", "timeout=5)  # nosec"))
    result = BanditBackend().scan(repo.path, ["app/fetch.py"], _context())
    assert result.error is None
    assert [f.rule for f in result.findings] == ["bandit-B501"]


@pytest.mark.slow
def test_a_nosemgrep_comment_does_not_hide_a_finding(repo: GitRepo) -> None:
    repo.write("app/client.py", 'API = "http://localhost:8000/api"  # nosemgrep\n')
    context = ScanContext(config=Config(), rule_pack=load_rule_pack(repo.path, []))
    result = SemgrepBackend().scan(repo.path, ["app/client.py"], context)
    assert result.error is None, result.error
    assert any(f.step == "environment" and f.line == 1 for f in result.findings)


def test_bandit_garbage_is_an_error(changed: GitRepo, fakes: Path) -> None:
    semgrep = make_fake(fakes, "semgrep", prints(EMPTY_SEMGREP))
    bandit = make_fake(fakes, "bandit", "print('Error: something broke')\nsys.exit(0)\n")
    done = ci(
        changed,
        "--steps",
        "input-validation",
        env={"READYTERM_SEMGREP_BIN": str(semgrep), "READYTERM_BANDIT_BIN": str(bandit)},
    )
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    step = steps_of(done)["input-validation"]
    assert step["status"] == "error"
    assert "bandit exited with code 0 and printed no readable JSON" in step["summary"]
    assert "something broke" in step["summary"]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        pytest.param("sys.exit(1)\n", "code 1 and printed no readable JSON", id="silent-exit-1"),
        pytest.param(prints({"errors": []}, 1), "no readable JSON", id="no-results"),
        pytest.param(prints({"results": None}), "no readable JSON", id="results-null"),
        pytest.param(prints([1, 2]), "no readable JSON", id="json-list"),
        pytest.param(
            prints({"results": [{"filename": "app/client.py"}]}, 1),
            "printed JSON that readyterm does not understand (KeyError",
            id="issue-without-fields",
        ),
        pytest.param(
            prints({"results": ["B602"]}, 1),
            "printed JSON that readyterm does not understand (TypeError",
            id="issue-not-an-object",
        ),
        pytest.param(
            prints({"results": [], "errors": [42]}),
            "printed JSON that readyterm does not understand (AttributeError",
            id="error-not-an-object",
        ),
        pytest.param(
            prints(
                {
                    "results": [
                        {
                            **dict.fromkeys(("test_id", "issue_text"), "x"),
                            "filename": "app/missing.py",
                            "line_number": 1,
                            "issue_severity": "HIGH",
                        }
                    ]
                },
                1,
            ),
            "bandit reported a file that cannot be read",
            id="issue-in-a-missing-file",
        ),
    ],
)
def test_bandit_output_that_is_not_its_json_is_an_error(
    repo: GitRepo, fakes: Path, monkeypatch: pytest.MonkeyPatch, body: str, said: str
) -> None:
    monkeypatch.setenv("READYTERM_BANDIT_BIN", str(make_fake(fakes, "bandit", body)))
    repo.write("app/client.py", "API = 1\n")
    result = BanditBackend().scan(repo.path, ["app/client.py"], _context())
    assert result.error is not None
    assert said in result.error, result.error
    assert result.findings == []


def test_bandit_crash_with_exit_2_is_an_error(changed: GitRepo, fakes: Path) -> None:
    semgrep = make_fake(fakes, "semgrep", prints(EMPTY_SEMGREP))
    bandit = make_fake(
        fakes, "bandit", "print('ERROR: unknown test B999', file=sys.stderr)\nsys.exit(2)\n"
    )
    done = ci(
        changed,
        "--steps",
        "input-validation",
        env={"READYTERM_SEMGREP_BIN": str(semgrep), "READYTERM_BANDIT_BIN": str(bandit)},
    )
    assert done.returncode == 3, done.stderr
    no_traceback(done)
    summary = steps_of(done)["input-validation"]["summary"]
    assert "bandit exited with code 2" in summary
    assert "unknown test B999" in summary


def test_a_file_bandit_skipped_silently_is_listed_when_semgrep_read_it(
    changed: GitRepo, fakes: Path
) -> None:
    semgrep = make_fake(fakes, "semgrep", prints(EMPTY_SEMGREP))
    bandit = make_fake(fakes, "bandit", prints({**EMPTY_BANDIT, "metrics": {"_totals": {}}}))
    done = ci(
        changed,
        "--steps",
        "input-validation",
        env={"READYTERM_SEMGREP_BIN": str(semgrep), "READYTERM_BANDIT_BIN": str(bandit)},
    )
    assert done.returncode == 0, done.stderr
    step = steps_of(done)["input-validation"]
    assert step["status"] == "pass"
    assert "1 file(s) read by some checks only" in step["summary"]
    assert "app/client.py: bandit: skipped this file" in step["summary"]


def test_a_changed_file_no_backend_could_read_blocks(changed: GitRepo, fakes: Path) -> None:
    semgrep_error = {
        **EMPTY_SEMGREP,
        "errors": [{"type": "Syntax error", "message": "unparsable", "path": "app/client.py"}],
    }
    semgrep = make_fake(fakes, "semgrep", prints(semgrep_error))
    bandit = make_fake(fakes, "bandit", prints({**EMPTY_BANDIT, "metrics": {"_totals": {}}}))
    env = {"READYTERM_SEMGREP_BIN": str(semgrep), "READYTERM_BANDIT_BIN": str(bandit)}
    done = ci(changed, "--steps", "input-validation", env=env)
    assert done.returncode == 3, done.stderr
    step = steps_of(done)["input-validation"]
    assert step["status"] == "error"
    assert "1 changed file(s) could not be scanned" in step["summary"]
    assert "semgrep: unparsable; bandit: skipped" in step["summary"]
    # the whole repository judged: the same file is listed, and the step gets its verdict
    done = ci(changed, "--all", "--steps", "input-validation", env=env)
    assert done.returncode == 0, done.stderr
    step = steps_of(done)["input-validation"]
    assert step["status"] == "pass"
    assert "1 file(s) no check could read, not blocking outside a change" in step["summary"]


# --- signals --------------------------------------------------------------------------


def _as_in_a_terminal() -> None:
    # A background job of a non-interactive shell inherits SIGINT ignored, and `nohup`
    # ignores SIGHUP; a user at a terminal has neither, which is what these tests play.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _start_run(repo: GitRepo, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "readyterm", "--ci", str(repo.path), *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_in_a_terminal,
    )


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not (path.exists() and path.read_text().strip()):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.fixture
def killer() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; killed if the test fails before they end."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [
        pytest.param(signal.SIGINT, 130, "interrupted", id="ctrl-c"),
        pytest.param(signal.SIGTERM, 143, "stopped by SIGTERM", id="sigterm"),
        pytest.param(signal.SIGHUP, 129, "stopped by SIGHUP", id="sighup"),
    ],
)
def test_a_signal_during_a_run_stops_everything_and_writes_nothing(
    changed: GitRepo,
    fakes: Path,
    killer: list[subprocess.Popen[str]],
    signum: signal.Signals,
    code: int,
    said: str,
) -> None:
    pid_file = fakes / "pids"
    semgrep = make_fake(fakes, "semgrep", HANGS)
    env = {"READYTERM_SEMGREP_BIN": str(semgrep), "FAKE_PIDS": str(pid_file)}
    proc = _start_run(changed, env, "--write-record", "--steps", "environment,error-handling")
    killer.append(proc)
    _wait_for(pid_file)  # semgrep is running (and hanging)
    time.sleep(0.5)
    started = time.monotonic()
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert proc.returncode == code, stderr
    assert f"readyterm: {said}; nothing was written" in stderr
    assert "Traceback" not in stderr + stdout
    records = changed.path / RECORDS_DIR
    assert not records.exists() or list(records.iterdir()) == []
    assert_all_gone(pid_file)


# --- the runner ------------------------------------------------------------------------


def test_closing_the_event_stream_early_stops_the_tools(
    changed: GitRepo, fakes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the TUI does when the user quits mid-run: close the generator."""
    pid_file = fakes / "pids"
    monkeypatch.setenv("READYTERM_SEMGREP_BIN", str(make_fake(fakes, "semgrep", HANGS)))
    monkeypatch.setenv("FAKE_PIDS", str(pid_file))
    prepared = prepare(RunOptions(path=changed.path, steps=("error-handling",)))
    events = run_checklist(prepared)
    for event in events:
        if isinstance(event, StepProgress) and "semgrep" in event.message:
            break
    _wait_for(pid_file)
    started = time.monotonic()
    events.close()
    assert time.monotonic() - started < 5
    assert_all_gone(pid_file, within=1)


def test_a_bug_in_one_backend_fails_only_its_steps(
    changed: GitRepo, fakes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("injected backend bug")

    monkeypatch.setenv(
        "READYTERM_SEMGREP_BIN", str(make_fake(fakes, "semgrep", prints(EMPTY_SEMGREP)))
    )
    monkeypatch.setattr(BanditBackend, "scan", broken)
    prepared = prepare(
        RunOptions(path=changed.path, steps=("input-validation", "error-handling", "monitoring"))
    )
    result = run_to_end(prepared)
    steps = {s.id: s for s in result.steps}
    assert steps["input-validation"].status == "error"
    assert "the bandit backend failed unexpectedly" in steps["input-validation"].summary
    assert "injected backend bug" in steps["input-validation"].summary
    assert steps["error-handling"].status == "pass"
    assert steps["monitoring"].status == "pass"
    assert result.exit_code == 3


def test_a_record_that_cannot_be_written_is_an_error_not_a_crash(changed: GitRepo) -> None:
    (changed.path / ".readyterm").write_text("not a folder\n")
    done = run_cli("--ci", str(changed.path), "--steps", "monitoring", "--write-record")
    assert done.returncode == 2, done.stderr
    no_traceback(done)
    assert "readyterm: error: cannot write" in done.stderr
    assert ".readyterm/records/" in done.stderr
    assert "internal error" not in done.stderr


# --- two runs at once ------------------------------------------------------------------


@pytest.mark.slow
def test_two_runs_writing_records_at_once_both_succeed(
    changed: GitRepo, killer: list[subprocess.Popen[str]]
) -> None:
    args = ("--write-record", "--steps", "environment", "--format", "json")
    runs = [_start_run(changed, {}, *args) for _ in range(2)]
    killer.extend(runs)
    outputs = [proc.communicate(timeout=120) for proc in runs]
    codes = [proc.returncode for proc in runs]
    assert codes[0] == codes[1], outputs
    assert codes[0] in (0, 1), outputs
    assert not [stderr for _, stderr in outputs if "Traceback" in stderr]
    named = {json.loads(stdout)["record"] for stdout, _ in outputs}
    assert len(named) == 2, named
    records = load_records(changed.path)  # parses and validates each against the schema
    assert len(records) == 2
    assert {r.path.relative_to(changed.path).as_posix() for r in records} == named
    assert {r.data["verdict"] for r in records} == {json.loads(outputs[0][0])["verdict"]}
    leftovers = [p.name for p in (changed.path / RECORDS_DIR).iterdir()]
    assert sorted(leftovers) == sorted(r.path.name for r in records)


# --- a bug in readyterm ---------------------------------------------------------------


def test_an_internal_crash_prints_its_log_path_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from readyterm.cli import commands

    def explode(options: object) -> None:
        raise RuntimeError("injected fault")

    monkeypatch.setattr(commands, "cmd_steps", explode)
    code = cli.main(["steps"])
    captured = capsys.readouterr()
    assert code == 3
    assert "readyterm: internal error" in captured.err
    assert "Traceback" not in captured.err
    log = Path(captured.err.split("details: ", 1)[1].splitlines()[0])
    assert log.parent == Path(os.environ["READYTERM_LOG_DIR"])
    assert "RuntimeError: injected fault" in log.read_text()
    # main() leaves the process's signal handlers as it found them.
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.mark.parametrize(
    "args",
    [("steps",), ("steps", "--format", "json"), ("--version",), ("verify", "--help")],
    ids=["steps", "steps-json", "version", "help"],
)
def test_a_closed_stdout_is_not_a_crash(args: tuple[str, ...]) -> None:
    """`readyterm steps | head -1`: the reader goes away before readyterm has written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "readyterm", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(30)
    assert stderr == ""  # no "internal error", no "Exception ignored ... BrokenPipeError"
    assert proc.returncode in (0, 141)


# --- bad options -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_in_the_contract_renders_or_says_it_is_planned(
    changed: GitRepo, tmp_path: Path, fmt: str
) -> None:
    """A format in the --format list either works, to stdout and to --output, or is a
    usage error that says it is not available yet; never a crash or an empty report."""
    target = tmp_path / "reports" / f"report.{fmt}"
    done = run_cli(
        "--ci",
        str(changed.path),
        "--steps",
        "monitoring",
        "--format",
        fmt,
        "--output",
        f"{fmt}:{target}",
        timeout=60,
    )
    no_traceback(done)
    if fmt in PLANNED_FORMATS:
        assert done.returncode == 2
        assert f"--format {fmt}: the {fmt} format is not available in this version" in done.stderr
        assert done.stdout == ""
        assert not target.exists()
    else:
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip()
        assert target.read_text().strip()
        assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp files


@pytest.mark.parametrize(
    ("args", "said"),
    [
        pytest.param(("--steps", "nope"), "unknown step id 'nope'", id="unknown-step"),
        pytest.param(("--steps", ","), "give at least one step id", id="no-step"),
        pytest.param(("--output", "json:"), "expected FORMAT:PATH", id="output-no-path"),
        pytest.param(("--output", "json"), "expected FORMAT:PATH", id="output-no-colon"),
        pytest.param(("--output", "yaml:x.yaml"), "expected FORMAT:PATH", id="output-bad-fmt"),
        pytest.param(("--format", "xml"), "invalid choice: 'xml'", id="unknown-format"),
    ],
)
def test_bad_options_are_usage_errors(changed: GitRepo, args: tuple[str, ...], said: str) -> None:
    done = run_cli("--ci", str(changed.path), *args, timeout=60)
    assert done.returncode == 2, done.stderr
    no_traceback(done)
    assert said in done.stderr


def test_output_writes_valid_json_atomically(changed: GitRepo, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "result.json"
    done = run_cli("--ci", str(changed.path), "--steps", "monitoring", "--output", f"json:{target}")
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    result = json.loads(target.read_text())
    assert result["schema"] == "readyterm.result/1"
    assert [s["id"] for s in result["steps"]][:2] == ["environment", "error-handling"]
    assert "monitoring" in done.stdout  # the text report still went to stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["result.json"]  # no temp files


def test_output_into_a_folder_fails_before_the_checks_run(changed: GitRepo, tmp_path: Path) -> None:
    done = run_cli("--ci", str(changed.path), "--output", f"json:{tmp_path}", timeout=60)
    assert done.returncode == 2
    no_traceback(done)
    assert f"--output json:{tmp_path}: is a folder" in done.stderr
    assert done.stdout == ""  # failed before running anything


def test_output_under_a_file_fails_before_the_checks_run(changed: GitRepo, tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("")
    done = run_cli("--ci", str(changed.path), "--output", f"json:{blocker}/out.json", timeout=60)
    assert done.returncode == 2
    no_traceback(done)
    assert "is not a folder" in done.stderr


def test_an_output_that_cannot_be_written_is_a_usage_error(changed: GitRepo) -> None:
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc, where nothing can create files")
    done = run_cli(
        "--ci", str(changed.path), "--steps", "monitoring", "--output", "json:/proc/out.json"
    )
    assert done.returncode == 2, done.stderr
    no_traceback(done)
    assert "could not write --output json:/proc/out.json" in done.stderr
    assert "internal error" not in done.stderr
    assert "monitoring" in done.stdout  # the verdict was still reported


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("--ci", str(tmp_path / "nowhere"), "--steps", "monitoring", timeout=60)
    assert done.returncode == 2
    no_traceback(done)
    assert "does not exist" in done.stderr
