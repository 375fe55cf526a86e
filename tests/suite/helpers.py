"""Small projects with real pytest suites in real git repositories, and the real CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tests.conftest import GitRepo, run_cli

Files = dict[str, str]

#: Runs the fixtures' suites under the Python running these tests (it has pytest); a
#: project's own .venv is what readyterm would pick on its own.
CONFIG = f"tests:\n  python: {json.dumps(sys.executable)}\n"
PYTEST_INI = "[pytest]\npythonpath = .\n"


def project(tmp_path: Path, base: Files, head: Files, config: str = CONFIG) -> GitRepo:
    """main holds base (plus the config); the checked-out `feature` commits head on top."""
    path = tmp_path / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    for name, content in {".readyterm.yaml": config, "pytest.ini": PYTEST_INI, **base}.items():
        repo.write(name, content)
    repo.commit("base")
    repo.branch("feature")
    for name, content in head.items():
        repo.write(name, content)
    repo.commit("change")
    return repo


def run_tests_step(
    repo: GitRepo, *extra: str, env: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    """The CLI's exit code and the `tests` step of its JSON result."""
    done = run_cli(
        "--ci",
        str(repo.path),
        "--steps",
        "tests",
        "--format",
        "json",
        "--no-staging",
        *extra,
        env=env,
    )
    assert "Traceback" not in done.stderr, done.stderr
    result = json.loads(done.stdout)
    return done.returncode, next(s for s in result["steps"] if s["id"] == "tests")


def rules(step: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted((f["rule"], f["path"], f["line"]) for f in step["findings"])
