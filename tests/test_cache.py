"""The result cache: a re-run reuses what is unchanged and never anything it should not.

The runs use the real semgrep and bandit. To see which files a tool was asked to scan, the
tool is reached through a wrapper that logs its file arguments and then execs the real one.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from readyterm.engine.cache import CacheSettings, ResultCache, digest
from readyterm.foundation.errors import ConfigError
from tests.conftest import GitRepo, run_cli

SECRET = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
APP = (
    "import requests\n\n\n"
    "def fetch(url):\n"
    "    return requests.get(url)\n"  # error-handling: no timeout
)
CLEAN = "import os\n\n\ndef port():\n    return int(os.environ['PORT'])\n"


def _wrapper(folder: Path, tool: str) -> Path:
    """Logs the targets (the arguments after `--`) of each call, then runs the real tool."""
    real = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
    assert real, f"{tool} must be installed for these tests"
    log = folder / f"{tool}.log"
    script = folder / tool
    script.write_text(
        "#!/bin/sh\n"
        f'log="{log}"\n'
        'seen=""; targets=""\n'
        'for arg in "$@"; do\n'
        '  if [ -n "$seen" ]; then targets="$targets $arg"; fi\n'
        '  if [ "$arg" = "--" ]; then seen=1; fi\n'
        "done\n"
        'echo "call:$targets" >> "$log"\n'
        f'exec "{real}" "$@"\n'
    )
    script.chmod(0o755)
    return script


def _calls(folder: Path, tool: str) -> list[list[str]]:
    log = folder / f"{tool}.log"
    if not log.exists():
        return []
    return [line.split()[1:] for line in log.read_text().splitlines()]


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    folder = tmp_path / "tools"
    folder.mkdir()
    _wrapper(folder, "semgrep")
    _wrapper(folder, "bandit")
    return folder


def _env(tools: Path, cache: Path, **extra: str) -> dict[str, str]:
    return {
        "READYTERM_SEMGREP_BIN": str(tools / "semgrep"),
        "READYTERM_BANDIT_BIN": str(tools / "bandit"),
        "READYTERM_CACHE_DIR": str(cache),
        **extra,
    }


def _run(repo: GitRepo, env: dict[str, str], *args: str) -> dict[str, Any]:
    done = run_cli(
        "--ci", "--no-staging", "--all", "--format", "json", *args, cwd=repo.path, env=env
    )
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _findings(result: dict[str, Any]) -> list[tuple[str, str, int, str]]:
    return sorted(
        (f["rule"], f["path"], f["line"], f["fingerprint"])
        for step in result["steps"]
        for f in step["findings"]
    )


@pytest.fixture
def app(repo: GitRepo) -> GitRepo:
    repo.write("app/client.py", APP)
    repo.write("app/billing.py", f'STRIPE_KEY = "{SECRET}"\n')
    repo.write("app/clean.py", CLEAN)
    repo.commit("app")
    return repo


def test_an_unchanged_rerun_scans_nothing_and_reports_the_same(
    app: GitRepo, tools: Path, tmp_path: Path
) -> None:
    env = _env(tools, tmp_path / "cache")
    first = _run(app, env)
    assert _calls(tools, "semgrep") and _calls(tools, "bandit")
    found = {(rule, path) for rule, path, _, _ in _findings(first)}
    assert ("http-request-without-timeout", "app/client.py") in found
    (tools / "semgrep.log").unlink()
    (tools / "bandit.log").unlink()

    second = _run(app, env)

    assert _calls(tools, "semgrep") == [] and _calls(tools, "bandit") == []
    assert _findings(second) == _findings(first)
    assert second["verdict"] == first["verdict"]
    assert [s["status"] for s in second["steps"]] == [s["status"] for s in first["steps"]]


def test_after_editing_one_file_only_that_file_is_scanned_again(
    app: GitRepo, tools: Path, tmp_path: Path
) -> None:
    env = _env(tools, tmp_path / "cache")
    _run(app, env)
    (tools / "semgrep.log").unlink()
    (tools / "bandit.log").unlink()
    app.write("app/clean.py", CLEAN + "\n\ndef fetch_again(url):\n    return requests.get(url)\n")

    result = _run(app, env)

    assert _calls(tools, "semgrep") == [["app/clean.py"]]
    assert _calls(tools, "bandit") == [["app/clean.py"]]
    assert any(p == "app/clean.py" for _, p, _, _ in _findings(result))
    assert any(p == "app/client.py" for _, p, _, _ in _findings(result))  # from the cache


def test_no_cache_scans_everything_and_an_empty_dir_setting_turns_it_off(
    app: GitRepo, tools: Path, tmp_path: Path
) -> None:
    env = _env(tools, tmp_path / "cache")
    _run(app, env)
    _run(app, env, "--no-cache")
    _run(app, {**env, "READYTERM_CACHE_DIR": ""})
    assert len(_calls(tools, "semgrep")) == 3


@pytest.mark.parametrize("change", ["rules", "tool", "config"])
def test_every_part_of_the_key_invalidates(
    app: GitRepo, tools: Path, tmp_path: Path, change: str
) -> None:
    env = _env(tools, tmp_path / "cache")
    _run(app, env)
    (tools / "semgrep.log").unlink()
    if change == "rules":  # a rule added to the pack: every file is judged by it
        app.write(
            "extra-rules/print.yaml",
            "rules:\n- id: no-print\n  languages: [python]\n  severity: INFO\n"
            "  message: print\n  pattern: print(...)\n"
            "  metadata:\n    readyterm:\n      step: logging\n      severity: info\n",
        )
        app.write(".readyterm.yaml", "rules: [extra-rules]\n")
    elif change == "tool":  # an upgraded tool: its executable changes
        script = tools / "semgrep"
        script.write_text(script.read_text() + "# upgraded\n")
    else:  # a setting that changes what semgrep reports
        app.write(".readyterm.yaml", "max_file_bytes: 123456\n")

    _run(app, env)

    scanned = {name for call in _calls(tools, "semgrep") for name in call}
    assert {"app/client.py", "app/billing.py", "app/clean.py"} <= scanned


def test_a_changed_readyterm_never_reuses_entries(
    app: GitRepo, tools: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readyterm.engine import cached_scan
    from readyterm.engine.runner import RunOptions, prepare, run_to_end

    monkeypatch.setenv("READYTERM_SEMGREP_BIN", str(tools / "semgrep"))
    monkeypatch.setenv("READYTERM_CACHE_DIR", str(tmp_path / "cache"))
    options = RunOptions(path=app.path, whole=True, no_staging=True, steps=("error-handling",))
    run_to_end(prepare(options))
    monkeypatch.setattr(cached_scan, "code_identity", lambda: "another build of readyterm")
    (tools / "semgrep.log").unlink()

    run_to_end(prepare(options))

    assert len(_calls(tools, "semgrep")) == 1


def test_no_secret_is_ever_written_to_the_cache(app: GitRepo, tools: Path, tmp_path: Path) -> None:
    result = _run(app, _env(tools, tmp_path / "cache"))
    assert any(p == "app/billing.py" for _, p, _, _ in _findings(result))
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    assert SECRET.encode() not in stored
    assert SECRET[8:].encode() not in stored


def test_a_corrupt_cache_is_rebuilt_and_the_run_is_unaffected(
    app: GitRepo, tools: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    env = _env(tools, cache)
    first = _run(app, env)
    for file in cache.iterdir():
        file.write_bytes(b"this is not a database" * 100)

    second = _run(app, env)

    assert _findings(second) == _findings(first)
    assert any("corrupt and has been rebuilt" in n for n in second.get("notices", []))
    (tools / "semgrep.log").unlink()
    assert _findings(_run(app, env)) == _findings(first)
    assert _calls(tools, "semgrep") == []  # the rebuilt cache works


def test_an_unreadable_entry_is_a_miss_not_a_wrong_answer(
    app: GitRepo, tools: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    env = _env(tools, cache)
    first = _run(app, env)
    with sqlite3.connect(next(cache.glob("*.sqlite3"))) as db:
        db.execute("UPDATE results SET value = 'not json'")
    (tools / "semgrep.log").unlink()

    second = _run(app, env)

    assert _findings(second) == _findings(first)
    assert len(_calls(tools, "semgrep")) == 1


def test_a_cache_folder_that_cannot_be_created_is_a_notice(
    app: GitRepo, tools: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _run(app, _env(tools, blocker / "cache"))
    assert _findings(result)
    notices = " ".join(result.get("notices", []))
    assert "result cache" in notices and "READYTERM_CACHE_DIR" in notices


def _mount_tmpfs(target: Path, options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        timeout=10,
        check=False,
    )
    return done.returncode == 0


def _unmount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, timeout=10, check=False)


@pytest.mark.parametrize("options", ["ro,size=1m", "size=12k"], ids=["read-only", "full"])
def test_a_read_only_or_full_cache_folder_leaves_the_run_correct(
    app: GitRepo, tools: Path, tmp_path: Path, options: str
) -> None:
    uncached = _run(app, _env(tools, tmp_path / "reference"), "--no-cache")
    mount = tmp_path / "mnt"
    if not _mount_tmpfs(mount, options):
        pytest.skip("needs root and tmpfs mounts")
    try:
        if "ro" not in options:  # fill it up to the last few blocks
            (mount / "filler").write_bytes(b"x" * 4096)
        result = _run(app, _env(tools, mount / "cache"))
    finally:
        _unmount(mount)
    assert _findings(result) == _findings(uncached)
    assert any("result cache" in n for n in result.get("notices", []))


def test_concurrent_runs_share_one_cache_safely(app: GitRepo, tools: Path, tmp_path: Path) -> None:
    env = _env(tools, tmp_path / "cache")
    reference = _findings(_run(app, env, "--no-cache"))
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            results.append(_run(app, env))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors
    assert len(results) == 4
    assert all(_findings(r) == reference for r in results)
    with sqlite3.connect(next((tmp_path / "cache").glob("*.sqlite3"))) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# The store itself, without a scan.


def test_the_cache_stays_within_its_bound_and_keeps_recent_entries(tmp_path: Path) -> None:
    cache = ResultCache.open(CacheSettings(tmp_path, max_bytes=40_000))
    for round_ in range(10):
        cache.store({f"key-{round_}-{i}": {"blob": "x" * 400} for i in range(20)})
    assert cache.stats.evicted > 0
    assert cache.lookup([f"key-9-{i}" for i in range(20)]).keys() == {
        f"key-9-{i}" for i in range(20)
    }
    assert cache.lookup(["key-0-0"]) == {}
    cache.close()
    with sqlite3.connect(tmp_path / "results-v1.sqlite3") as db:
        (total,) = db.execute("SELECT sum(size) FROM results").fetchone()
    assert total <= 40_000


def test_cache_settings_reject_a_bad_bound() -> None:
    with pytest.raises(ConfigError, match="READYTERM_CACHE_MAX_MB"):
        CacheSettings.from_environment({"READYTERM_CACHE_MAX_MB": "lots"})
    with pytest.raises(ConfigError, match="READYTERM_CACHE_MAX_MB"):
        CacheSettings.from_environment({"READYTERM_CACHE_MAX_MB": "0"})
    assert CacheSettings.from_environment({"READYTERM_CACHE_DIR": ""}).directory is None


def test_a_bad_bound_is_a_usage_error(app: GitRepo, tmp_path: Path) -> None:
    done = run_cli("--ci", "--no-staging", cwd=app.path, env={"READYTERM_CACHE_MAX_MB": "-5"})
    assert done.returncode == 2
    assert "READYTERM_CACHE_MAX_MB" in done.stderr and "Traceback" not in done.stderr


def test_digest_parts_cannot_run_together() -> None:
    assert digest("ab", "c") != digest("a", "bc")
