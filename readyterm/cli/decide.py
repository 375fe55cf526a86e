"""Writing the developer's decisions: the one code path of `readyterm waive`/`attest` and the
MCP server's `waive`/`attest` tools, so an assistant writes exactly what a person would.

The owner (or author) defaults to git's user.email; a reason is required; a waiver expires
within MAX_WAIVER_DAYS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from readyterm.engine.decisions import (
    DEFAULT_WAIVER_DAYS,
    MAX_WAIVER_DAYS,
    Attestation,
    WaiverEntry,
    add_attestation,
    add_waiver,
)
from readyterm.engine.runner import find_root
from readyterm.foundation.config import git_timeout
from readyterm.foundation.errors import ConfigError
from readyterm.foundation.gitcmd import open_repo
from readyterm.foundation.steps import STEPS_BY_ID


def repository(path: Path) -> Path:
    """The work tree root at path; a clear error when path is no folder."""
    if not path.exists():
        raise ConfigError(f"{path} does not exist", hint="pass the repository folder")
    if not path.is_dir():
        raise ConfigError(f"{path} is not a folder", hint="pass the repository folder")
    return find_root(path)


def git_identity(repo_path: Path) -> str | None:
    repo = open_repo(repo_path, git_timeout(find_root(repo_path)))
    return repo.identity() if repo else None


def waive(
    repo: Path,
    *,
    rule: str | None,
    path: str | None,
    fingerprint: str | None,
    reason: str,
    owner: str | None = None,
    days: int | None = None,
    expires: dt.date | None = None,
) -> WaiverEntry:
    """Add a waiver to the repository's waivers file and return it."""
    if not (rule or path or fingerprint):
        raise ConfigError("say what to waive: a RULE, --path or --fingerprint")
    today = dt.datetime.now(dt.UTC).date()
    if expires is None:
        expires = today + dt.timedelta(days=DEFAULT_WAIVER_DAYS if days is None else days)
    if not today <= expires <= today + dt.timedelta(days=MAX_WAIVER_DAYS):
        raise ConfigError(
            f"a waiver must expire between today and {MAX_WAIVER_DAYS} days from now "
            f"(got {expires.isoformat()})"
        )
    root = repository(repo)
    owner = owner or git_identity(root)
    if not owner:
        raise ConfigError("no owner: pass --owner or set git config user.email")
    if not reason.strip():
        raise ConfigError("--reason must say why the risk is acceptable")
    entry = WaiverEntry(
        rule=rule, path=path, fingerprint=fingerprint, reason=reason, owner=owner, expires=expires
    )
    add_waiver(root, entry)
    return entry


def attest(
    repo: Path, step_id: str, answers: Sequence[tuple[str, str]], author: str | None = None
) -> list[Attestation]:
    """Record answers (question id, text) to a step's questions; all or none are written."""
    step = STEPS_BY_ID[step_id]
    known = {q.id for q in step.questions}
    root = repository(repo)
    author = author or git_identity(root)
    if not author:
        raise ConfigError("no author: pass --author or set git config user.email")
    if not answers:
        raise ConfigError(f"give at least one answer to {step.id}'s questions")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = []
    for question, text in answers:
        if question not in known:
            raise ConfigError(
                f"{step.id} has no question {question!r}",
                hint="questions: " + (", ".join(sorted(known)) or "(none for this step)"),
            )
        if not text.strip():
            raise ConfigError(f"the answer to {question!r} is empty")
        entries.append(
            Attestation(step=step.id, question=question, answer=text.strip(), author=author, at=now)
        )
    for entry in entries:
        add_attestation(root, entry)
    return entries
