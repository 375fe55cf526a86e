"""What a backend is: the `Backend` protocol, what it is given (`ScanContext`) and returns."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from readyterm.foundation.config import Config
from readyterm.foundation.findings import Finding
from readyterm.foundation.rulepack import RulePack


@dataclass(frozen=True)
class ScanContext:
    """Everything a backend may read; it never reaches for globals or the environment."""

    config: Config
    rule_pack: RulePack
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Callable[[str], None] = lambda message: None
    #: A changed file's content at the base commit (None: new file, or a whole-repo run).
    base_content: Callable[[str], bytes | None] = lambda path: None
    #: "diff" when the files are a change against a base commit, "all" for a whole-repo run.
    mode: Literal["diff", "all"] = "all"
    #: The steps this backend judges in this run (None: all it can).
    steps: frozenset[str] | None = None
    #: Any file's content at the base commit, changed or not; None when there is no base.
    file_at_base: Callable[[str], bytes | None] | None = None
    #: Processes (or threads) the backend may keep busy; None: one per CPU it may use.
    #: Set when backends share the cores (readyterm.engine.runner.core_shares).
    jobs: int | None = None


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    #: The check could not run (missing tool, timeout, crash, unreadable output).
    error: str | None = None
    #: Files the tool skipped or could not parse: the scan is incomplete.
    incomplete: dict[str, str] = field(default_factory=dict)
    tool_version: str | None = None
    #: The check does not apply here (e.g. no Dockerfile): the step is skipped with this reason.
    skipped: str | None = None
    #: Structured facts for the record (the staging run's image, timings and probes).
    details: dict[str, Any] | None = None
    #: Files whose outcome may differ next time (a per-file timeout): never cached.
    transient: set[str] = field(default_factory=set)


class Backend(Protocol):
    name: str
    #: Whether findings that already existed at the base can be told apart by re-scanning it.
    baseline: bool

    def steps(self, rule_pack: RulePack) -> set[str]:
        """The checklist steps this backend judges."""
        ...

    def scan(self, root: Path, files: list[str], context: ScanContext) -> ScanResult:
        """Scan files (repo-relative) under root. Never raises for tool failures."""
        ...


@runtime_checkable
class ParsingBackend(Backend, Protocol):
    """A backend that parses source files. A file it reads and does not report incomplete
    was read: another backend's failure to parse that file leaves the step judged."""

    def reads(self, path: str) -> bool:
        """Whether this backend parses the file (by its kind, not its content)."""
        ...


@runtime_checkable
class ContributingBackend(Backend, Protocol):
    """A backend that also adds findings to steps it does not judge (the staged container's
    hostile input lands in `input-validation`). Those steps finish without waiting for it and
    are judged again when it is done; its failure or skip never changes them. A step that is
    not part of the run leaves its findings in the backend's own step."""

    def contributes(self, rule_pack: RulePack) -> set[str]:
        """The steps, besides its own, that this backend's findings may belong to."""
        ...


@runtime_checkable
class PerFileBackend(Backend, Protocol):
    """A backend whose findings in a file depend only on that file: its results are cached."""

    def cache_identity(self, root: Path, context: ScanContext) -> str | None:
        """Everything besides a file's path and bytes that decides what is found in it
        (tool build, rules, settings); None when the tool is missing (nothing is cached).
        See readyterm.engine.cached_scan."""
        ...


@runtime_checkable
class WholeRunBackend(Backend, Protocol):
    """A backend whose result depends on the whole project (the test suite): its result is
    cached whole, under a key that changes with anything that could change it."""

    def run_key(self, root: Path, files: list[str], context: ScanContext) -> str | None:
        """A digest of everything that decides the result; None: do not cache this run."""
        ...
