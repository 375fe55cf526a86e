"""Shared fixtures: real git repositories in temp folders and the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CLI_TIMEOUT = 300


def _isolate(patch: pytest.MonkeyPatch, home: Path) -> None:
    """The same git identity for every test, none of the developer's git config, and no
    READYTERM_* setting leaking in from the shell that runs the tests."""
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = Test Dev\n\temail = dev@example.test\n"
        '[init]\n\tdefaultBranch = main\n[protocol "file"]\n\tallow = always\n'
    )
    patch.setenv("GIT_CONFIG_GLOBAL", str(config))
    patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    patch.setenv("READYTERM_LOG_DIR", str(home / "logs"))
    # Each test starts with an empty result cache of its own, never the developer's.
    patch.setenv("READYTERM_CACHE_DIR", str(home / "cache"))
    for name in list(os.environ):
        if name.startswith("READYTERM_") and name not in _KEPT_ENV:
            patch.delenv(name)


_KEPT_ENV = ("READYTERM_LOG_DIR", "READYTERM_CACHE_DIR", "READYTERM_REQUIRE_DOCKER")


@pytest.fixture(autouse=True)
def _isolated_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _isolate(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture(scope="module")
def module_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same isolation for repositories built once per module (shared expensive runs)."""
    with pytest.MonkeyPatch.context() as patch:
        _isolate(patch, tmp_path_factory.mktemp("module-home"))
        yield


@dataclass
class GitRepo:
    """A real repository on disk with helpers to shape its history."""

    path: Path

    def git(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.path, capture_output=True, text=True, timeout=60, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
        return done.stdout.strip()

    def write(self, name: str, content: str | bytes) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def commit(self, message: str = "change") -> str:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str) -> None:
        self.git("checkout", "--quiet", "-b", name)

    @property
    def head(self) -> str:
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[GitRepo]:
    """A repository with one commit on main (a clean app) and a checked-out feature branch."""
    path = tmp_path / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.write("app/__init__.py", "")
    repo.write(
        "app/settings.py",
        "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n",
    )
    repo.commit("initial")
    repo.branch("feature")
    yield repo


@pytest.fixture
def empty_repo(tmp_path: Path) -> GitRepo:
    path = tmp_path / "empty"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    return repo


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = CLI_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run the real `readyterm` entry point in a subprocess, as a user or CI would."""
    return subprocess.run(
        [sys.executable, "-m", "readyterm", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli() -> object:
    return run_cli
