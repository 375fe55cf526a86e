"""What a run judges: the change since the merge-base with the base branch, or everything."""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from readyterm.config import Config
from readyterm.errors import ScopeError
from readyterm.gitcmd import Git, GitFailed, open_repo

RECORDS_DIR = ".readyterm/records"
# Never judged: readyterm's own record files (so committing one does not change the scope).
ALWAYS_EXCLUDED = (f"{RECORDS_DIR}/*",)
_PRUNED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"})
_SUBMODULE_MODE = "160000"
_SNIFF_BYTES = 8192


@dataclass
class Scope:
    root: Path
    mode: Literal["diff", "all"]
    is_git: bool = True
    base_ref: str | None = None
    base: str | None = None
    head: str | None = None
    branch: str | None = None
    #: Existing files in scope that are scanned (repo-relative, forward slashes, sorted).
    files: list[str] = field(default_factory=list)
    #: Existing files in scope that are not scanned, with the reason.
    skipped: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    #: New path -> old path for renames (the baseline reads the old path).
    renamed: dict[str, str] = field(default_factory=dict)
    #: Files that already existed at the base (so their old findings are not "introduced").
    existed_at_base: set[str] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)
    git: Git | None = field(default=None, repr=False)

    @property
    def all_paths(self) -> list[str]:
        return sorted({*self.files, *self.skipped})

    def base_content(self, path: str) -> bytes | None:
        """The file's content at the base commit (following a rename), if it existed."""
        if self.git is None or self.base is None or path not in self.existed_at_base:
            return None
        old = self.renamed.get(path, path)
        try:
            return self.git.run("cat-file", "blob", f"{self.base}:{old}")
        except GitFailed:
            return None

    def digest(self) -> str:
        return content_digest(self.root, self.all_paths, self.deleted)


def content_digest(root: Path, paths: Iterable[str], deleted: Iterable[str] = ()) -> str:
    """A digest of the content in scope; the same files with the same bytes give the same id."""
    total = hashlib.sha256()
    for path in sorted(set(paths)):
        total.update(path.encode("utf-8", "surrogateescape") + b"\0")
        try:
            total.update(_file_hash(root / path).encode())
        except OSError:
            total.update(b"unreadable")
        total.update(b"\n")
    for path in sorted(set(deleted)):
        total.update(b"deleted\0" + path.encode("utf-8", "surrogateescape") + b"\n")
    return "sha256:" + total.hexdigest()


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_scope(
    path: Path, config: Config, *, base: str | None = None, whole: bool = False
) -> Scope:
    """Work out the scope for a run at path; raises ScopeError with the fix for bad input."""
    path = path.resolve()
    if not path.exists():
        raise ScopeError(f"{path} does not exist")
    if not path.is_dir():
        raise ScopeError(f"{path} is not a folder", hint="pass the repository folder")
    repo = open_repo(path, config.timeouts.git)
    if repo is None:
        scope = Scope(root=path, mode="all", is_git=False)
        scope.notices.append(
            f"{path} is not a git repository: judging the whole folder "
            "(run `git init` to judge only a change)"
        )
        _classify(scope, _walk(path), config)
        return scope
    scope = Scope(root=repo.root, mode="all" if whole else "diff", git=repo)
    scope.head = repo.try_text("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    scope.branch = repo.try_text("symbolic-ref", "--quiet", "--short", "HEAD")
    if scope.branch is None and scope.head is not None:
        scope.notices.append(f"HEAD is detached at {scope.head[:12]}")
    if whole or scope.head is None:
        if scope.head is None and not whole:
            scope.notices.append("the repository has no commits yet: every file is new")
        names = _split_z(repo.run("ls-files", "-z", "--cached", "--others", "--exclude-standard"))
        _classify(scope, names, config)
        return scope
    scope.base_ref, scope.base = _merge_base(repo, base or config.base, scope)
    _collect_change(repo, scope, config)
    return scope


def _merge_base(repo: Git, wanted: str | None, scope: Scope) -> tuple[str, str]:
    shallow = repo.try_text("rev-parse", "--is-shallow-repository") == "true"
    if wanted:
        candidates = [wanted]
    else:
        candidates = _default_bases(repo)
        if not candidates:
            if shallow:
                raise ScopeError(
                    "this is a shallow clone and no base branch is in it",
                    hint="fetch the base, e.g. `git fetch --no-tags --depth=200 origin "
                    "main:refs/remotes/origin/main`, or pass --base REF or --all",
                )
            raise ScopeError(
                "no base branch found (looked for origin/HEAD, main, master)",
                hint="pass --base REF, set `base:` in .readyterm.yaml, or use --all",
            )
    ref = candidates[0]
    sha = repo.try_text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if sha is None:
        hint = (
            f"this is a shallow clone: fetch it with `git fetch --no-tags --depth=200 origin {ref}`"
            if shallow
            else "pass an existing branch, tag or commit to --base"
        )
        raise ScopeError(f"unknown base ref {ref!r}", hint=hint)
    merge_base = repo.try_text("merge-base", sha, "HEAD")
    if merge_base is None:
        if shallow:
            raise ScopeError(
                f"this shallow clone does not reach the merge-base of {ref} and HEAD",
                hint=f"run `git fetch --unshallow` (or `git fetch --deepen=200 origin {ref}`) "
                "and try again; readyterm never guesses the scope",
            )
        raise ScopeError(f"{ref} and HEAD share no history", hint="pass another --base, or --all")
    if merge_base == scope.head:
        scope.notices.append(
            f"HEAD is {ref} itself (or behind it): judging uncommitted changes only"
        )
    return ref, merge_base


def _default_bases(repo: Git) -> list[str]:
    remote_head = repo.try_text("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    candidates = [remote_head] if remote_head else []
    candidates += ["origin/main", "main", "origin/master", "master"]
    return [
        ref
        for ref in dict.fromkeys(candidates)
        if repo.try_text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    ]


def _collect_change(repo: Git, scope: Scope, config: Config) -> None:
    assert scope.base is not None
    raw = repo.run("diff", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", scope.base)
    changed: list[str] = []
    submodules: set[str] = set()
    fields = raw.split(b"\0")
    index = 0
    while index < len(fields) - 1:
        meta = fields[index].decode("ascii", "replace")
        if not meta.startswith(":"):
            index += 1
            continue
        old_mode, new_mode, _old_sha, _new_sha, status = meta[1:].split(" ")
        if status[0] in "RC":
            old, new = (_name(fields[index + 1]), _name(fields[index + 2]))
            index += 3
            if status[0] == "R":
                scope.renamed[new] = old
            scope.existed_at_base.add(new)
        else:
            new = _name(fields[index + 1])
            index += 2
            if status[0] == "D":
                scope.deleted.append(new)
                continue
            if status[0] != "A":
                scope.existed_at_base.add(new)
        if _SUBMODULE_MODE in (old_mode, new_mode):
            submodules.add(new)
        changed.append(new)
    untracked = _split_z(repo.run("ls-files", "-z", "--others", "--exclude-standard"))
    _classify(scope, [*changed, *untracked], config, submodules=submodules)
    scope.deleted = sorted(p for p in scope.deleted if not _excluded(p, config))


def _classify(
    scope: Scope, names: Iterable[str], config: Config, submodules: set[str] | None = None
) -> None:
    submodules = submodules or set()
    for name in sorted(set(names)):
        if _excluded(name, config):
            continue
        reason = _skip_reason(scope.root, name, config, name in submodules)
        if reason is None:
            scope.files.append(name)
        elif reason != "gone":
            scope.skipped[name] = reason


def _skip_reason(root: Path, name: str, config: Config, submodule: bool) -> str | None:
    if submodule or name.endswith("/"):
        return "submodule or nested repository"
    if "\ufffd" in name or any("\udc80" <= ch <= "\udcff" for ch in name):
        return "file name is not valid UTF-8"
    path = root / name
    if path.is_symlink():
        return "symbolic link"
    if path.is_dir():
        return "submodule or nested repository"
    try:
        size = path.stat().st_size
        if size > config.max_file_bytes:
            return f"larger than max_file_bytes ({size} > {config.max_file_bytes})"
        with path.open("rb") as handle:
            if b"\0" in handle.read(_SNIFF_BYTES):
                return "binary"
    except FileNotFoundError:
        return "gone"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    return None


def _excluded(name: str, config: Config) -> bool:
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in ALWAYS_EXCLUDED):
        return True
    if config.include and not any(fnmatch.fnmatchcase(name, p) for p in config.include):
        return True
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in config.exclude)


def _walk(root: Path) -> list[str]:
    names = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _PRUNED_DIRS)
        relative = Path(folder).relative_to(root)
        names += [(relative / name).as_posix() for name in files]
    return names


def _split_z(raw: bytes) -> list[str]:
    return [_name(part) for part in raw.split(b"\0") if part]


def _name(raw: bytes) -> str:
    return os.fsdecode(raw)
