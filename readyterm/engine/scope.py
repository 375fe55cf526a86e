"""What a run judges: the change since the merge-base with the base branch, or everything."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from readyterm.foundation.config import Config
from readyterm.foundation.errors import ScopeError
from readyterm.foundation.gitcmd import Git, GitFailed, open_repo
from readyterm.foundation.paths import DECISIONS_DIR, RECORDS_DIR

# Never judged: readyterm's own record files (so committing one does not change the scope).
ALWAYS_EXCLUDED = (f"{RECORDS_DIR}/*",)
_PRUNED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"})
_SUBMODULE_MODE = "160000"
_SNIFF_BYTES = 8192
# Code nobody in this repository writes: vendored copies and minified bundles. Judging it is
# noise (nobody here fixes jQuery) and slow (semgrep spends its per-rule timeout on each
# 300 KB one-line bundle). `judge_vendored: true` in the config judges it anyway.
_VENDORED = re.compile(r"(^|/)(vendor|vendors|third_party|third-party|bower_components)/")
_MINIFIED_NAME = re.compile(r"[.-]min\.[cm]?(js|css)$|\.bundle\.[cm]?js$|\.map$")
_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".css")
_MINIFIED_LINE = 2000  # characters: a line this long in a script's first 8 KB is generated


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

    def file_at_base(self, path: str) -> bytes | None:
        """Any file's content at the base commit, in scope or not (None: it did not exist)."""
        if self.git is None or self.base is None:
            return None
        try:
            return self.git.run("cat-file", "blob", f"{self.base}:{path}")
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


def code_digest(root: Path, files: list[str], deleted: list[str]) -> str:
    """The digest a readiness record covers: the scope's content without readyterm's own
    `.readyterm/` files, so that writing a waiver or a record does not make it stale."""
    return content_digest(root, [f for f in files if not f.startswith(DECISIONS_DIR)], deleted)


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
    repo.check_readable()
    scope = Scope(root=repo.root, mode="all" if whole else "diff", git=repo)
    scope.head = repo.try_text("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    scope.branch = repo.try_text("symbolic-ref", "--quiet", "--short", "HEAD")
    if scope.branch is None and scope.head is not None:
        scope.notices.append(f"HEAD is detached at {scope.head[:12]}")
    if whole or scope.head is None:
        if scope.head is None and not whole:
            scope.notices.append(f"{scope.branch or 'HEAD'} has no commits yet: every file is new")
        names = _split_z(repo.run("ls-files", "-z", "--cached", "--others", "--exclude-standard"))
        _classify(scope, names, config)
        return scope
    scope.base_ref, scope.base = _merge_base(repo, base or config.base, not base, scope)
    _collect_change(repo, scope, config)
    return scope


def _merge_base(repo: Git, wanted: str | None, from_config: bool, scope: Scope) -> tuple[str, str]:
    shallow = repo.try_text("rev-parse", "--is-shallow-repository") == "true"
    if wanted:
        ref, sha = wanted, _commit(repo, wanted)
        if sha is None and not wanted.startswith("origin/"):
            # CI checkouts often have origin/main but no local main: that is the same branch.
            sha = _commit(repo, f"origin/{wanted}")
            if sha is not None:
                ref = f"origin/{wanted}"
                scope.notices.append(f"there is no local {wanted}: comparing with {ref}")
        if sha is None:
            where = " (set by `base:` in the config or READYTERM_BASE)" if from_config else ""
            hint = (
                f"this is a shallow clone: fetch it with `{_fetch_command(wanted)}` and run again"
                if shallow
                else "pass an existing branch, tag or commit to --base, set `base:` in "
                ".readyterm.yaml, or use --all"
            )
            raise ScopeError(f"unknown base ref {wanted!r}{where}", hint=hint)
    else:
        candidates = _default_bases(repo)
        if not candidates:
            if shallow:
                raise ScopeError(
                    "this is a shallow clone and no base branch is in it "
                    "(looked for origin/HEAD, origin/main, main, origin/master, master)",
                    hint=f"fetch the base with `{_fetch_command('main')}` (or your default "
                    "branch instead of main; in GitHub Actions: actions/checkout with "
                    "fetch-depth: 0), or pass --base REF or --all",
                )
            raise ScopeError(
                "no base branch found (looked for origin/HEAD, origin/main, main, "
                "origin/master, master)",
                hint="pass --base REF, set `base:` in .readyterm.yaml, or use --all",
            )
        ref, sha = candidates[0]
    merge_base = repo.try_text("merge-base", sha, "HEAD")
    if merge_base is None:
        if shallow:
            raise ScopeError(
                f"this shallow clone does not reach the merge-base of {ref} and HEAD",
                hint=f"fetch the history with `{_fetch_command(ref)}` (or, for a big "
                f"repository, `{_fetch_command(ref, deepen=True)}` until it is enough) "
                "and run again; readyterm never guesses the scope",
            )
        raise ScopeError(f"{ref} and HEAD share no history", hint="pass another --base, or --all")
    if merge_base == scope.head:
        scope.notices.append(
            f"HEAD is {ref} itself (or behind it): judging uncommitted changes only"
        )
    return ref, merge_base


def _commit(repo: Git, ref: str) -> str | None:
    if ref.startswith("-"):  # never let a ref be read as an option
        return None
    return repo.try_text("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")


def _is_sha(ref: str) -> bool:
    return 7 <= len(ref) <= 64 and all(ch in "0123456789abcdef" for ch in ref.lower())


def _branch_of(ref: str) -> str:
    for prefix in ("refs/remotes/origin/", "refs/heads/", "origin/"):
        ref = ref.removeprefix(prefix)
    return ref


def _fetch_command(ref: str, deepen: bool = False) -> str:
    """The one git command that brings ref and its history into a shallow clone."""
    depth = "--deepen=200" if deepen else "--unshallow"
    if _is_sha(ref):
        return f"git fetch --no-tags {depth} origin"
    branch = _branch_of(ref)
    return f"git fetch --no-tags {depth} origin {branch}:refs/remotes/origin/{branch}"


def _default_bases(repo: Git) -> list[tuple[str, str]]:
    """The first of origin/HEAD, origin/main, main, origin/master, master that exists."""
    remote_head = repo.try_text("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    candidates = [remote_head] if remote_head else []
    candidates += ["origin/main", "main", "origin/master", "master"]
    for ref in dict.fromkeys(candidates):
        sha = _commit(repo, ref)
        if sha:
            return [(ref, sha)]
    return []


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
    if any("\udc80" <= ch <= "\udcff" for ch in name):  # os.fsdecode's surrogateescape
        return "file name is not valid UTF-8"
    path = root / name
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            return "symbolic link"
        if stat.S_ISDIR(info.st_mode):
            return "submodule or nested repository"
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"  # a FIFO or device would block or never end
        if info.st_size > config.max_file_bytes:
            return f"larger than max_file_bytes ({info.st_size} > {config.max_file_bytes})"
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        if b"\0" in head:
            return "binary"
        if not config.judge_vendored:
            return _generated_reason(name, head)
    except FileNotFoundError:
        return "gone"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    return None


def _generated_reason(name: str, head: bytes) -> str | None:
    if _VENDORED.search(name):
        return "vendored code (set judge_vendored: true to judge it)"
    if _MINIFIED_NAME.search(name) or (
        name.endswith(_SCRIPT_SUFFIXES)
        and max((len(line) for line in head.split(b"\n")), default=0) >= _MINIFIED_LINE
    ):
        return "minified or generated code (set judge_vendored: true to judge it)"
    return None


def _excluded(name: str, config: Config) -> bool:
    if any(_glob_match(name, pattern) for pattern in ALWAYS_EXCLUDED):
        return True
    if config.include and not any(_glob_match(name, p) for p in config.include):
        return True
    return any(_glob_match(name, pattern) for pattern in config.exclude)


def _glob_match(name: str, pattern: str) -> bool:
    """Whether a repo-relative path matches a glob, as users expect from .gitignore and semgrep.

    `*` matches across folders (fnmatch), `**/` also matches no folder at all (`**/*.py`
    matches `app.py`), a trailing `/` means everything below, and a pattern that matches a
    folder matches every file in it (`vendor` excludes `vendor/x.py`).
    """
    pattern = pattern.removeprefix("./").lstrip("/")
    if not pattern:
        return False
    if pattern.endswith("/"):
        pattern += "**"
    name = name.rstrip("/")
    parts = name.split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(
        fnmatch.fnmatchcase(candidate, variant)
        for variant in _globstar_variants(pattern)
        for candidate in candidates
    )


def _globstar_variants(pattern: str) -> set[str]:
    head, sep, tail = pattern.partition("**/")
    if not sep:
        return {pattern}
    rest = _globstar_variants(tail)
    return {head + "**/" + r for r in rest} | {head + r for r in rest}


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
