"""Where the walkthrough's results come from: the real core, or a fixed result for pictures.

No Textual here: the app's worker iterates `Source.events` in a thread. Nor the scanning
code: the app's process imports this before its first frame (the real core's sources are
in `live` and `checks`, which import the runner where it runs).
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from readyterm.engine.events import Event, RunFinished, RunOptions, StepFinished, StepStarted
from readyterm.engine.result import RunResult, ScopeSummary
from readyterm.foundation.findings import Finding
from readyterm.foundation.steps import STEP_IDS

if TYPE_CHECKING:
    from readyterm.engine.scope import Scope


@dataclass(frozen=True)
class Header:
    repo: str
    branch: str | None
    base_ref: str | None
    base: str | None
    mode: str
    files: int
    #: The run is still being prepared (the helper is finding what changed): nothing known yet.
    preparing: bool = False


@dataclass(frozen=True)
class HeaderKnown:
    """A run has been prepared: what it covers (sent first by sources that prepare late)."""

    header: Header


SourceEvent = Event | HeaderKnown


@dataclass(frozen=True)
class Snapshot:
    """The scope as it is now: what a record would cover, and the digest of its code."""

    scope: ScopeSummary
    code_digest: str


class Source(Protocol):
    root: Path

    def header(self) -> Header: ...

    def selected_steps(self) -> tuple[str, ...]:
        """The steps this walkthrough judges (all, or those given with --steps)."""
        ...

    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[SourceEvent, None, None]:
        """Run the checklist (only `steps` when given) and yield the core's events."""
        ...

    def snapshot(self) -> Snapshot: ...

    def digest(self, result: RunResult) -> str:
        """The code digest of a finished run (what a record made from it covers)."""
        ...


def header_of(scope: Scope | ScopeSummary, repo: str) -> Header:
    files = scope.files if isinstance(scope, ScopeSummary) else scope.all_paths
    return Header(repo, scope.branch, scope.base_ref, scope.base, scope.mode, len(files))


class RunSource:
    """What the sources of real checks share: the run's options and what it covers."""

    root: Path
    options: RunOptions
    _header: Header

    def header(self) -> Header:
        return self._header

    def selected_steps(self) -> tuple[str, ...]:
        return self.options.steps or STEP_IDS


class FixedSource:
    """A result made by hand: deterministic pictures and snapshot tests, no scanning."""

    def __init__(self, result: RunResult, root: Path, repo: str = "demo") -> None:
        self.result = result
        self.root = root
        self._header = header_of(result.scope, repo)

    def header(self) -> Header:
        return self._header

    def selected_steps(self) -> tuple[str, ...]:
        return STEP_IDS

    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[Event, None, None]:
        wanted = steps or STEP_IDS
        chosen = [s for s in self.result.steps if s.id in wanted]
        for step in chosen:
            if step.status != "skipped":
                yield StepStarted(step.id)
        for step in chosen:
            yield StepFinished(step)
        yield RunFinished(self.result)

    def snapshot(self) -> Snapshot:
        scope = self.result.scope
        return Snapshot(scope, scope.digest)

    def digest(self, result: RunResult) -> str:
        # Not at import: the scope module loads the config models, which the first frame
        # does without (start-up speed; docs/architecture.md).
        from readyterm.engine.scope import code_digest

        return code_digest(self.root, result.scope.files, result.scope.deleted)
