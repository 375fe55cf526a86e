"""`readyterm demo`: a small web app with typical dev-to-prod defects, in a fresh git repo.

`main` holds a clean service; the branch `feature/orders-api` adds an orders API the way a
hurried assistant writes it. readyterm then judges that branch's change.
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from readyterm.foundation.config import git_timeout
from readyterm.foundation.errors import ConfigError, ToolError
from readyterm.foundation.gitcmd import Git

FEATURE_BRANCH = "feature/orders-api"
# A fixed identity and dates: the demo must work on a machine with no git config, and
# give the same commits every time.
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "readyterm demo",
    "GIT_AUTHOR_EMAIL": "demo@readyterm.invalid",
    "GIT_COMMITTER_NAME": "readyterm demo",
    "GIT_COMMITTER_EMAIL": "demo@readyterm.invalid",
    "GIT_AUTHOR_DATE": "2026-01-05T09:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-05T09:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def write_demo(path: Path | None) -> Path:
    """Create the demo repository at path (must be empty or absent) and return it."""
    if path is None:
        target = Path(tempfile.mkdtemp(prefix="readyterm-demo-"))
    else:
        target = path.expanduser().resolve()
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise ConfigError(
                f"{target} exists and is not an empty folder", hint="pick a new --path"
            )
        target.mkdir(parents=True, exist_ok=True)
    source = resources.files("readyterm").joinpath("demo_app")
    _git(target, "init", "--quiet", "--initial-branch=main")
    _copy_tree(source.joinpath("base"), target)
    _git(target, "add", "--all")
    _git(target, "commit", "--quiet", "-m", "Order service skeleton with health check")
    _git(target, "checkout", "--quiet", "-b", FEATURE_BRANCH)
    _copy_tree(source.joinpath("feature"), target)
    _git(target, "add", "--all")
    _git(target, "commit", "--quiet", "-m", "Add orders, payments and reports API")
    return target


def _copy_tree(source: Traversable, target: Path) -> None:
    for item in source.iterdir():
        if item.name == "__pycache__":
            continue
        destination = target / item.name
        if item.is_dir():
            destination.mkdir(exist_ok=True)
            _copy_tree(item, destination)
        else:
            destination.write_bytes(item.read_bytes())


def _git(cwd: Path, *args: str) -> None:
    try:
        Git(cwd, git_timeout(cwd), env=_GIT_ENV).run(*args)
    except ToolError as exc:
        raise ToolError(f"could not create the demo repository: {exc.message}") from None
