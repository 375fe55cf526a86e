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
from readyterm.backends.base import (
    Backend,
    ContributingBackend,
    ParsingBackend,
    PerFileBackend,
    ScanContext,
    ScanResult,
)
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
    #: The backends that judge each active step: it finishes when they are all done.
    serving: dict[str, list[str]] = field(default_factory=dict)
    #: The backends that add findings to each active step without judging it (staging).
    contributors: dict[str, list[str]] = field(default_factory=dict)
    #: Each contributing backend's own step, where its findings for inactive steps stay.
    home: dict[str, str] = field(default_factory=dict)


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
    for name, backend in plan.backends.items():
        if not isinstance(backend, ContributingBackend):
            continue
        own = backend.steps(prepared.rule_pack)
        plan.home[name] = next(s for s in plan.active if s in own)
        for step_id in backend.contributes(prepared.rule_pack) - own:
            if step_id in plan.active:
                plan.contributors.setdefault(step_id, []).append(name)
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
                name = message.name
                pending.discard(name)
                results[name] = _routed(_outcome(futures[name], name), name, plan)
                for step_id in plan.active:
                    ready = all(n in results for n in plan.serving[step_id])
                    added = name in plan.contributors.get(step_id, ())
                    if not ready or (step_id in finished and not added):
                        continue
                    if added and step_id in finished and not _adds_to(results[name], step_id):
                        continue  # staging found nothing for this step: it stands as shown
                    revised = step_id in finished
                    finished[step_id] = _judged(step_id, plan, results, prepared)
                    finished[step_id].seconds = time.monotonic() - started
                    yield StepFinished(finished[step_id], revised=revised)
        finally:
            if pending:  # the consumer stopped early: stop the tools before waiting for them
                cancel.set()
    prepared.cache.close()
    step_results = [
        finished.get(step_id) or StepResult(step_id, "skipped", plan.skipped.get(step_id, ""))
        for step_id in STEP_IDS
    ]
    yield RunFinished(_result(prepared, step_results, results))


def _routed(outcome: _Outcome, name: str, plan: _Plan) -> _Outcome:
    """A contributing backend's findings for a step not in this run stay in its own step."""
    if name not in plan.home:
        return outcome
    result, baseline = outcome
    keep = set(plan.contributors) | {plan.home[name]}
    result.findings = [
        f if f.step in keep else replace(f, step=plan.home[name]) for f in result.findings
    ]
    return result, baseline


def _adds_to(outcome: _Outcome, step_id: str) -> bool:
    return any(f.step == step_id for f in outcome[0].findings)


def _judged(
    step_id: str, plan: _Plan, results: dict[str, _Outcome], prepared: Prepared
) -> StepResult:
    """The step judged on its own backends and what contributors have given it so far.

    A contribution is its findings only: staging's Docker error or skip is the staging
    step's news, not a reason to call `input-validation` incomplete.
    """
    outcomes = [results[n] for n in plan.serving[step_id]]
    readers = [_reader(plan.backends[n]) for n in plan.serving[step_id]]
    contributors = plan.contributors.get(step_id, [])
    for name in contributors:
        if name in results:
            result, baseline = results[name]
            mine = [f for f in result.findings if f.step == step_id]
            outcomes.append((ScanResult(findings=mine), baseline))
            readers.append(None)
    carried = [f for f in prepared.options.carried if f.step == step_id]
    if carried and not contributors:  # the walkthrough re-runs the step without staging
        outcomes.append((ScanResult(findings=[replace(f, waiver=None) for f in carried]), None))
        readers.append(None)
    return judge_step(step_id, outcomes, prepared, readers)


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


#: Changed files up to which the base versions are scanned beside the change, not after it:
#: for a small change the second scan costs as much as the first (mostly the tool's start),
#: so waiting for the first doubles the time; past this, a base scan that turns out not to be
#: needed (no findings) costs more than it would have saved.
_BASE_BESIDE_HEAD = 20


def _scan_with_baseline(backend: Backend, prepared: Prepared, context: ScanContext) -> _Outcome:
    """Scan the change; also scan the base versions of changed files to know old findings.

    Returns the head result and the fingerprints that already existed at the base (None for
    a whole-repo run). With --all-findings the old ones are kept, marked not introduced.
    A backend whose findings in a file depend only on that file (PerFileBackend) scans the
    base versions of a small change at the same time as the change: its findings in files
    the change left clean cannot match any (fingerprints include the path).
    """
    scope = prepared.scope
    if not backend.baseline or scope.mode != "diff":
        return scan_with_cache(backend, scope.root, scope.files, context, prepared.cache), None
    at_base = sorted(scope.existed_at_base & set(scope.files))
    beside = isinstance(backend, PerFileBackend) and 0 < len(at_base) <= _BASE_BESIDE_HEAD
    with tempfile.TemporaryDirectory(prefix="readyterm-base-") as tmp:
        base_scan: Future[ScanResult] | None = None
        if beside:
            with ThreadPoolExecutor(max_workers=1) as pool:
                base_scan = pool.submit(_scan_base, backend, prepared, context, Path(tmp), at_base)
                head = scan_with_cache(backend, scope.root, scope.files, context, prepared.cache)
        else:
            head = scan_with_cache(backend, scope.root, scope.files, context, prepared.cache)
        if head.error is not None or not head.findings:
            return head, None
        existing = sorted(scope.existed_at_base & set(f.path for f in head.findings))
        if not existing:
            return head, set()
        context.progress(
            f"{backend.name}: comparing with {len(existing)} file(s) as they were at the base"
        )
        if base_scan is not None:
            base = base_scan.result()
        else:
            base = _scan_base(backend, prepared, context, Path(tmp), existing)
    if base.error is not None:
        head.error = f"scanning the base version failed: {base.error}"
        return head, None
    return head, {f.fingerprint for f in with_fingerprints(base.findings)}


def _scan_base(
    backend: Backend, prepared: Prepared, context: ScanContext, folder: Path, paths: list[str]
) -> ScanResult:
    """Scan paths as they were at the base, written under folder."""
    written = []
    for path in paths:
        content = prepared.scope.base_content(path)
        if content is None:
            continue
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(path)
    return scan_with_cache(backend, folder, written, context, prepared.cache)


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
