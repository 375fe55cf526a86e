"""Git access through GitPython, every call bounded by a timeout and mapped to our errors.

Finding a work tree is a question about the file system, answered without running git, so
that locating the config never waits on git. GitPython is imported lazily, after a bounded
`git version` probe: its import runs `git version` itself, with no timeout at all.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from readyterm.foundation.errors import ScopeError, ToolError
from readyterm.foundation.procs import run_tool

# GitPython refuses to import when git is missing unless told to stay quiet; readyterm
# then explains the problem itself (and still works on a plain folder).
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

_GIT_TIMEOUT_HINT = "raise timeouts.git in .readyterm.yaml (or READYTERM_TIMEOUTS__GIT)"
_gitpython: ModuleType | None = None
_gitpython_lock = threading.Lock()


def _load_gitpython(timeout: float) -> ModuleType:
    """GitPython, once `git version` has answered within the timeout."""
    global _gitpython
    with _gitpython_lock:
        if _gitpython is not None:
            return _gitpython
        # The probe runs the same `git` GitPython will run (no READYTERM_GIT_BIN override).
        env = {k: v for k, v in os.environ.items() if k != "READYTERM_GIT_BIN"}
        probe = run_tool(["git", "version"], timeout=timeout, env=env)
        if probe.missing:
            raise ToolError("git was not found on PATH; install git")
        if probe.timed_out:
            raise ToolError(
                f"`git version` did not answer within {timeout:g} s; "
                f"is the git on PATH ({shutil.which('git')}) working?",
                hint=_GIT_TIMEOUT_HINT,
            )
        if probe.not_started or probe.returncode != 0 or not probe.stdout.startswith("git version"):
            said = (probe.not_started or probe.stdout.strip() or probe.stderr_tail()).strip()
            raise ToolError(
                f"the git on PATH ({shutil.which('git')}) does not work: `git version` "
                f"exited with {probe.returncode} and said: {said[:300] or '(nothing)'}",
                hint="install git, or put a working git first on PATH",
            )
        try:
            import git  # only now: importing GitPython runs `git version` with no timeout
        except Exception as exc:  # GitPython raises ImportError wrapping anything
            raise ToolError(f"GitPython cannot use the git on PATH: {exc}") from None
        _gitpython = git
        return git


class Git:
    """A work tree plus the timeout every git command in it runs under (`timeouts.git`).

    The one way readyterm runs git: the scope, the identity of whoever decides (`identity`)
    and the commits readyterm makes (`commit_only`, the demo repository) all go through it.
    """

    def __init__(self, root: Path, timeout: float, env: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.timeout = timeout
        #: Set for every command on top of the environment (the demo's fixed author).
        self.env = dict(env) if env else None
        self._cmd: Any = None

    def run(self, *args: str, ok_codes: tuple[int, ...] = (0,)) -> bytes:
        """Run `git ARGS` in the work tree and return stdout bytes exactly as git wrote them.

        Raises ToolError when git is missing, broken or slower than the timeout, and
        GitFailed (a ToolError) when it exits with a status not in ok_codes.
        """
        git = _load_gitpython(self.timeout)
        if self._cmd is None:
            self._cmd = git.Git(str(self.root))
        try:
            status, out, err = self._cmd.execute(
                ["git", *args],
                with_extended_output=True,
                with_exceptions=False,
                env=self.env,
                kill_after_timeout=self.timeout,
                stdout_as_string=False,
                strip_newline_in_stdout=False,  # `cat-file blob` must return the exact bytes
            )
        except git.GitCommandNotFound:
            raise ToolError("git was not found on PATH; install git") from None
        except OSError as exc:
            raise ToolError(f"git could not be started: {exc}") from None
        if status not in ok_codes:
            message = err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err)
            # GitPython replaces stderr with this text when kill_after_timeout fired.
            if message.startswith("Timeout:"):
                raise ToolError(
                    f"git {args[0]} did not finish within {self.timeout:g} s and was stopped",
                    hint=_GIT_TIMEOUT_HINT,
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

    def identity(self) -> str | None:
        """Who decides, as git knows them: user.email, else user.name (None: neither set)."""
        return self.try_text("config", "user.email") or self.try_text("config", "user.name") or None

    def commit_only(self, relative: str, message: str) -> None:
        """Commit one file and nothing else that is staged. Raises ToolError (GitFailed)."""
        self.run("add", "--", relative)
        self.run("commit", "--quiet", "-m", message, "--", relative)

    def check_readable(self) -> None:
        """Fail with git's own words when git refuses this work tree (ownership, corruption)."""
        try:
            self.run("rev-parse", "--show-toplevel")
        except GitFailed as exc:
            raise ScopeError(
                f"git cannot read the repository at {self.root}:\n{exc.stderr}",
                hint="fix what git says above, or run readyterm on a plain copy of the folder",
            ) from None


class GitFailed(ToolError):
    def __init__(self, args: tuple[str, ...], status: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(args)} failed ({status}): {stderr}")
        self.status = status
        self.stderr = stderr


def find_work_tree(path: Path) -> Path | None:
    """The root of the git work tree containing path (no git is run), else None.

    Raises ScopeError for a bare repository, which has no files to judge.
    """
    path = path.resolve()
    for folder in (path, *path.parents):
        if _exists(folder / ".git"):  # a folder, or a file in worktrees and submodules
            return folder
        if _is_git_dir(folder):
            if folder.name == ".git":
                return folder.parent
            raise ScopeError(f"{folder} is a bare git repository; run readyterm in a work tree")
    return None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a parent folder we may not list
        return False


def _is_git_dir(folder: Path) -> bool:
    try:
        return (
            (folder / "HEAD").is_file()
            and (folder / "objects").is_dir()
            and (folder / "refs").is_dir()
        )
    except OSError:
        return False


#: Seconds a git command may take, until the config (which can set another) has been read.
DEFAULT_GIT_TIMEOUT = 60.0


def find_root(path: Path) -> Path:
    """The work tree root containing path, or path itself when it is no git repository."""
    path = path.resolve()
    repo = open_repo(path, DEFAULT_GIT_TIMEOUT) if path.is_dir() else None
    return repo.root if repo else path


def open_repo(path: Path, timeout: float) -> Git | None:
    """The repository containing path, or None when path is no git work tree.

    Runs no git command: the first one (with its bounded probe) runs on first use.
    """
    root = find_work_tree(path)
    if root is None:
        return None
    if shutil.which("git") is None:
        raise ToolError(
            f"{root} is a git repository but git was not found on PATH",
            hint="install git (readyterm needs it to work out the change)",
        )
    return Git(root, timeout)
