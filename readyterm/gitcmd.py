"""Git access through GitPython, every call bounded by a timeout and mapped to our errors."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# GitPython refuses to import when git is missing unless told to stay quiet; readyterm
# then explains the problem itself (and still works on a plain folder).
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

import git

from readyterm.errors import ScopeError, ToolError


class Git:
    """A repository plus the timeout every command in it runs under."""

    def __init__(self, repo: git.Repo, timeout: float) -> None:
        self.repo = repo
        self.timeout = timeout
        self.root = Path(repo.working_tree_dir or ".").resolve()

    def run(self, *args: str, ok_codes: tuple[int, ...] = (0,)) -> bytes:
        """Run `git ARGS` and return stdout bytes; raise ToolError on failure or timeout."""
        try:
            status, out, err = self.repo.git.execute(
                ["git", *args],
                with_extended_output=True,
                with_exceptions=False,
                kill_after_timeout=self.timeout,
                stdout_as_string=False,
            )
        except git.GitCommandNotFound:
            raise ToolError("git was not found on PATH; install git") from None
        if status not in ok_codes:
            message = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
            if status == -9 or ("timeout" in message.lower() and "kill" in message.lower()):
                raise ToolError(
                    f"git {args[0]} did not finish within {self.timeout:g} s",
                    hint="raise timeouts.git in .readyterm.yaml",
                )
            raise GitFailed(args, status, message.strip())
        return out if isinstance(out, bytes) else str(out).encode()

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8", "surrogateescape").strip()

    def try_text(self, *args: str) -> str | None:
        try:
            return self.text(*args)
        except GitFailed:
            return None


class GitFailed(ToolError):
    def __init__(self, args: tuple[str, ...], status: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(args)} failed ({status}): {stderr}")
        self.status = status
        self.stderr = stderr


def open_repo(path: Path, timeout: float) -> Git | None:
    """The repository containing path, or None when path is no git work tree."""
    if shutil.which("git") is None:
        return None
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    if repo.bare:
        raise ScopeError(f"{path} is a bare git repository; run readyterm in a work tree")
    return Git(repo, timeout)
