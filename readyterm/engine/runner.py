"""Run the checklist: one generator of events that both front ends consume.

Backends run concurrently in threads (each mostly waits on its subprocess); a step is
finished as soon as every backend that judges it is done. Failures come back as data.
"""

from __future__ import annotations

import datetime as dt
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from readyterm import __version__
from readyterm.backends.base import Backend, ParsingBackend, ScanContext, ScanResult
from readyterm.backends.registry import registry
from readyterm.engine.cached_scan import scan_with_cache
from readyterm.engine.events import Event as Event
from readyterm.engine.events import RunFinished as RunFinished
from readyterm.engine.events import RunOptions as RunOptions
from readyterm.engine.events import StepFinished as StepFinished
from readyterm.engine.events import StepProgress as StepProgress
from readyterm.engine.events import StepStarted as StepStarted
from readyterm.engine.prepare import Prepared as Prepared
from readyterm.engine.prepare import prepare as prepare
from readyterm.engine.result import RunResult, ScopeSummary, StepResult, waivers_applied
from readyterm.engine.scope import Scope
from readyterm.engine.triage import judge_step
from readyterm.foundation.findings import with_fingerprints
from readyterm.foundation.gitcmd import find_root as find_root
from readyterm.foundation.procs import parallel_jobs
from readyterm.foundation.steps import STEP_IDS


@dataclass
class _Plan:
    active: list[str]
    skipped: dict[str, str]
    backends: dict[str, Backend] = field(default_factory=dict)
    serving: dict[str, list[str]] = field(default_factory=dict)


def _plan(prepared: Prepared) -> _Plan:
    options, config = prepared.options, prepared.config
    plan = _Plan(active=[], skipped={})
    backends = registry()
    for step_id in STEP_IDS:
        if options.steps and step_id not in options.steps:
            plan.skipped[step_id] = "not selected with --steps"
        elif not config.step(step_id).enabled:
            plan.skipped[step_id] = f"disabled in {prepared.config_source}"
        elif step_id == "staging" and options.no_staging:
            plan.skipped[step_id] = "--no-staging was given"
        else:
            serving = [n for n, b in backends.items() if step_id in b.steps(prepared.rule_pack)]
            if not serving:
                plan.skipped[step_id] = "no rules for this step in the rule packs"
                continue
            plan.active.append(step_id)
            plan.serving[step_id] = serving
            for name in serving:
                plan.backends[name] = backends[name]
    return plan


@dataclass(frozen=True)
class _BackendDone:
    name: str


_Outcome = tuple[ScanResult, set[str] | None]


def run_checklist(
    prepared: Prepared, cancel: threading.Event | None = None
) -> Generator[Event, None, None]:
    """Yield progress and results as they happen; the last event is RunFinished.

    Closing the generator early (Ctrl-C, a closed TUI) cancels the running tools.
    """
    cancel = cancel or threading.Event()
    plan = _plan(prepared)
    inbox: queue.Queue[StepProgress | _BackendDone] = queue.Queue()
    results: dict[str, _Outcome] = {}
    finished: dict[str, StepResult] = {}

    # Steps that will not run are settled now, so a front end never shows them as waiting.
    for step_id, reason in plan.skipped.items():
        yield StepFinished(StepResult(step_id, "skipped", reason))
    for step_id in plan.active:
        yield StepStarted(step_id)
    started = time.monotonic()
    python = any(name.endswith((".py", ".pyw")) for name in prepared.scope.files)
    shares = core_shares(plan.backends, parallel_jobs(prepared.config.jobs), python)
    with ThreadPoolExecutor(max_workers=max(len(plan.backends), 1)) as pool:
        futures: dict[str, Future[_Outcome]] = {}
        for name, backend in plan.backends.items():
            served = [s for s in plan.active if name in plan.serving[s]]
            context = scan_context(prepared, cancel, _progress_reporter(inbox, served), served)
            context = replace(context, jobs=shares.get(name))
            future = pool.submit(_scan_with_baseline, backend, prepared, context)
            future.add_done_callback(_done_reporter(inbox, name))
            futures[name] = future
        pending = set(futures)
        try:
            while pending:
                message = inbox.get()
                if isinstance(message, StepProgress):
                    yield message
                    continue
                pending.discard(message.name)
                results[message.name] = _outcome(futures[message.name], message.name)
                for step_id in plan.active:
                    ready = all(n in results for n in plan.serving[step_id])
                    if step_id in finished or not ready:
                        continue
                    outcomes = [results[n] for n in plan.serving[step_id]]
                    readers = [_reader(plan.backends[n]) for n in plan.serving[step_id]]
                    finished[step_id] = judge_step(step_id, outcomes, prepared, readers)
                    finished[step_id].seconds = time.monotonic() - started
                    yield StepFinished(finished[step_id])
        finally:
            if pending:  # the consumer stopped early: stop the tools before waiting for them
                cancel.set()
    prepared.cache.close()
    step_results = [
        finished.get(step_id) or StepResult(step_id, "skipped", plan.skipped.get(step_id, ""))
        for step_id in STEP_IDS
    ]
    yield RunFinished(_result(prepared, step_results, results))


def core_shares(backends: Collection[str], cpus: int, python: bool) -> dict[str, int]:
    """How many cores semgrep and bandit may each keep busy when they run side by side.

    semgrep gets half (its engine's workers synchronise often and stall when the cores are
    oversubscribed); bandit's single-threaded workers get the rest and one more, so a core
    semgrep leaves at its end is taken by the next bandit chunk. Empty when they do not
    share: alone, each takes every core.
    """
    if not python or cpus <= 1 or not {"semgrep", "bandit"} <= set(backends):
        return {}
    semgrep = max(cpus // 2, 1)
    return {"semgrep": semgrep, "bandit": cpus - semgrep + 1}


def scan_context(
    prepared: Prepared,
    cancel: threading.Event | None = None,
    progress: Callable[[str], None] = lambda message: None,
    steps: Collection[str] | None = None,
) -> ScanContext:
    """What a backend may see of a prepared run, judging steps (None: all it can)."""
    scope = prepared.scope
    return ScanContext(
        config=prepared.config,
        rule_pack=prepared.rule_pack,
        cancel=cancel or threading.Event(),
        progress=progress,
        base_content=scope.base_content,
        mode=scope.mode,
        file_at_base=scope.file_at_base if scope.base else None,
        steps=None if steps is None else frozenset(steps),
    )


def _done_reporter(
    inbox: queue.Queue[StepProgress | _BackendDone], name: str
) -> Callable[[Future[_Outcome]], None]:
    def report(_future: Future[_Outcome]) -> None:
        inbox.put(_BackendDone(name))

    return report


def _progress_reporter(
    inbox: queue.Queue[StepProgress | _BackendDone], steps: list[str]
) -> Callable[[str], None]:
    def report(message: str) -> None:
        for step_id in steps:
            inbox.put(StepProgress(step_id, message))

    return report


def _reader(backend: Backend) -> Callable[[str], bool] | None:
    return backend.reads if isinstance(backend, ParsingBackend) else None


def _outcome(future: Future[_Outcome], name: str) -> _Outcome:
    try:
        return future.result()
    except Exception as exc:  # a bug in a backend must not take the run down with it
        return ScanResult(error=f"the {name} backend failed unexpectedly: {exc!r}"), None


def _scan_with_baseline(backend: Backend, prepared: Prepared, context: ScanContext) -> _Outcome:
    """Scan the change; also scan the base versions of changed files to know old findings.

    Returns the head result and the fingerprints that already existed at the base (None for
    a whole-repo run). With --all-findings the old ones are kept, marked not introduced.
    """
    scope = prepared.scope
    head = scan_with_cache(backend, scope.root, scope.files, context, prepared.cache)
    wants_baseline = (
        backend.baseline and scope.mode == "diff" and head.error is None and head.findings
    )
    if not wants_baseline:
        return head, None
    existing = sorted(scope.existed_at_base & set(f.path for f in head.findings))
    if not existing:
        return head, set()
    with tempfile.TemporaryDirectory(prefix="readyterm-base-") as tmp:
        written = []
        for path in existing:
            content = scope.base_content(path)
            if content is None:
                continue
            target = Path(tmp, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written.append(path)
        context.progress(
            f"{backend.name}: comparing with {len(written)} file(s) as they were at the base"
        )
        base = scan_with_cache(backend, Path(tmp), written, context, prepared.cache)
    if base.error is not None:
        head.error = f"scanning the base version failed: {base.error}"
        return head, None
    return head, {f.fingerprint for f in with_fingerprints(base.findings)}


def _result(
    prepared: Prepared,
    steps: list[StepResult],
    results: dict[str, _Outcome],
) -> RunResult:
    scope = prepared.scope
    versions = {"readyterm": __version__, "rules": prepared.rule_pack.version}
    for tool in ("semgrep", "bandit"):
        try:
            versions[tool] = metadata.version(tool)
        except metadata.PackageNotFoundError:
            reported = results.get(tool, (ScanResult(), None))[0].tool_version
            if reported:
                versions[tool] = reported
    today = prepared.options.today or dt.datetime.now(dt.UTC).date()
    notices = list(scope.notices)
    if prepared.cache.notice:
        notices.append(prepared.cache.notice)
    notices += [
        f"waiver for {w.describe()} expired and no longer applies"
        for w in prepared.waivers
        if w.expired(today)
    ]
    return RunResult(
        scope=scope_summary(scope),
        steps=steps,
        strict=prepared.options.strict,
        notices=notices,
        waivers_applied=waivers_applied(steps),
        attestations=[a.model_dump() for a in prepared.attestations],
        tool_versions=versions,
    )


def scope_summary(scope: Scope) -> ScopeSummary:
    """What a result says about its scope (the digest reads every file in scope)."""
    return ScopeSummary(
        mode=scope.mode,
        base=scope.base,
        head=scope.head,
        files=scope.all_paths,
        base_ref=scope.base_ref,
        branch=scope.branch,
        skipped=dict(scope.skipped),
        deleted=list(scope.deleted),
        digest=scope.digest(),
    )


def run_to_end(prepared: Prepared, cancel: threading.Event | None = None) -> RunResult:
    for event in run_checklist(prepared, cancel):
        if isinstance(event, RunFinished):
            return event.result
    raise AssertionError("run_checklist ended without RunFinished")
