"""semgrep's experimental (compiled) engine: the same findings as the classic one, with a
fallback to the classic one when it is missing or broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from readyterm.backends.semgrep import OFFLINE_ENV, OFFLINE_FLAGS, command
from readyterm.foundation.rulepack import load_rule_pack, rule_yaml_files
from tests.conftest import GitRepo, run_cli

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SEMGREP = Path(sys.executable).parent / "semgrep"


def _scan(targets: list[str], cwd: Path, experimental: bool) -> set[tuple[Any, ...]]:
    rule_files = rule_yaml_files(load_rule_pack(ROOT, []))
    argv = command(rule_files, 1_000_000, targets, experimental)
    done = subprocess.run(
        [str(SEMGREP), *argv[1:]],
        cwd=cwd,
        env={**os.environ, **OFFLINE_ENV},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    payload = json.loads(done.stdout)
    # Classic semgrep prefixes rule ids with the config file's folders; the engine does not.
    return {
        (
            item["check_id"].rsplit(".", 1)[-1],
            item["path"],
            item["start"]["offset"],
            item["end"]["offset"],
            item["extra"]["message"],
        )
        for item in payload["results"]
    }


@pytest.mark.slow
def test_both_engines_find_the_same_in_every_fixture_and_the_demo_app() -> None:
    fixtures = sorted(
        p.relative_to(ROOT).as_posix()
        for p in RULES.rglob("*")
        if p.is_file() and p.suffix not in (".yaml", ".md")
    )
    demo = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "readyterm" / "demo_app").rglob("*")
        if p.is_file()
    )
    targets = fixtures + demo
    experimental = _scan(targets, ROOT, experimental=True)
    classic = _scan(targets, ROOT, experimental=False)
    assert experimental == classic
    # The comparison means something: every rule fires somewhere in its fixture.
    assert {rule for rule, *_ in experimental} >= set(load_rule_pack(ROOT, []).rules) - {
        rule for rule in load_rule_pack(ROOT, []).rules if "ci-" in rule
    }


def test_semgrep_test_passes_with_the_experimental_engine() -> None:
    done = subprocess.run(
        [str(SEMGREP), "scan", "--test", "--experimental", *OFFLINE_FLAGS, str(RULES)],
        env={**os.environ, **OFFLINE_ENV},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def _refusing_engine(folder: Path) -> Path:
    """A semgrep build without the experimental engine: refuses the flag, else the real one."""
    log = folder / "calls.log"
    script = folder / "semgrep"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do\n'
        '  if [ "$arg" = "--experimental" ]; then\n'
        f'    echo experimental >> "{log}"\n'
        '    echo "semgrep: error: no such option: --experimental" >&2; exit 2\n'
        "  fi\n"
        "done\n"
        f'echo classic >> "{log}"\n'
        f'exec "{SEMGREP}" "$@"\n'
    )
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("engine", ["experimental", "classic"])
def test_a_semgrep_without_the_engine_falls_back_to_the_classic_one(
    repo: GitRepo, tmp_path: Path, engine: str
) -> None:
    repo.write("app/client.py", "import requests\n\n\ndef f(url):\n    return requests.get(url)\n")
    repo.commit("client")
    fake = _refusing_engine(tmp_path)
    done = run_cli(
        "--ci",
        "--no-staging",
        "--steps",
        "error-handling",
        "--format",
        "json",
        cwd=repo.path,
        env={"READYTERM_SEMGREP_BIN": str(fake), "READYTERM_SEMGREP_ENGINE": engine},
    )
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    step = next(s for s in result["steps"] if s["id"] == "error-handling")
    assert [f["rule"] for f in step["findings"]] == ["http-request-without-timeout"]
    calls = (tmp_path / "calls.log").read_text().split()
    expected = ["experimental", "classic"] if engine == "experimental" else ["classic"]
    assert calls == expected


def test_a_run_of_some_steps_gives_semgrep_only_their_rules_and_caches_them_apart(
    repo: GitRepo, tmp_path: Path
) -> None:
    repo.write("app/client.py", "import requests\n\n\ndef f(url):\n    return requests.get(url)\n")
    repo.commit("client")
    log = tmp_path / "argv.log"
    wrapper = tmp_path / "semgrep"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{SEMGREP}" "$@"\n')
    wrapper.chmod(0o755)
    env = {"READYTERM_SEMGREP_BIN": str(wrapper), "READYTERM_CACHE_DIR": str(tmp_path / "c")}

    def run(*steps: str) -> dict[str, Any]:
        done = run_cli("--ci", "--no-staging", "--format", "json", *steps, cwd=repo.path, env=env)
        assert done.returncode in (0, 1), done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    run("--steps", "logging")
    configs = [arg for arg in log.read_text().split() if arg.endswith(".yaml")]
    assert configs and all("/rules/logging/" in c for c in configs)

    # The logging-only entries in the cache must not stand in for a run of every step.
    result = run()
    step = next(s for s in result["steps"] if s["id"] == "error-handling")
    assert [f["rule"] for f in step["findings"]] == ["http-request-without-timeout"]
