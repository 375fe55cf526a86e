"""The real core as the walkthrough's source, in the process that runs the checks.

Imported where the checks run: by the checks' helper process (`checks`), by tests and
scripts that run the app in one process. The app's process itself leaves it (and with it
the runner, the backends and the config models) to the helper until it must take a
snapshot for the record.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import replace

from readyterm.engine.events import Event, RunOptions
from readyterm.engine.result import RunResult
from readyterm.engine.runner import Prepared, prepare, run_checklist, scope_summary
from readyterm.engine.scope import code_digest
from readyterm.foundation.findings import Finding
from readyterm.tui.source import RunSource, Snapshot, header_of


def snapshot_of(options: RunOptions) -> Snapshot:
    """The scope as it is now and the digest of its code, for the summary and the record."""
    scope = prepare(options).scope
    summary = scope_summary(scope)
    return Snapshot(summary, code_digest(scope.root, summary.files, summary.deleted))


class LiveSource(RunSource):
    """The real checks. Each run prepares afresh, so new waivers and attestations count."""

    def __init__(self, prepared: Prepared) -> None:
        self._first: Prepared | None = prepared
        self.options: RunOptions = prepared.options
        self.root = prepared.scope.root
        self._header = header_of(prepared.scope, self.root.name)

    def events(
        self,
        steps: tuple[str, ...] | None,
        cancel: threading.Event,
        carried: tuple[Finding, ...] = (),
    ) -> Generator[Event, None, None]:
        prepared, self._first = self._first, None
        if prepared is None or steps is not None:
            options = replace(self.options, steps=steps or self.options.steps, carried=carried)
            prepared = prepare(options)
        events = run_checklist(prepared, cancel)
        try:
            yield from events
        finally:
            events.close()

    def snapshot(self) -> Snapshot:
        return snapshot_of(self.options)

    def digest(self, result: RunResult) -> str:
        return code_digest(self.root, result.scope.files, result.scope.deleted)
