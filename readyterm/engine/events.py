"""What a run is asked to do and what it reports: the core's interface to its front ends.

Kept apart from `readyterm.engine.runner` so that a front end (the walkthrough, whose checks run
in a helper process) can name a run and read its events without importing the scanning
code: the walkthrough's first frame waits for every import its process makes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from readyterm.engine.result import RunResult, StepResult
from readyterm.foundation.findings import Finding


@dataclass(frozen=True)
class RunOptions:
    path: Path
    base: str | None = None
    whole: bool = False
    steps: tuple[str, ...] | None = None
    no_staging: bool = False
    strict: bool = False
    all_findings: bool = False
    today: dt.date | None = None
    #: Reuse per-file results of earlier runs (see readyterm.engine.cache); --no-cache turns it off.
    use_cache: bool = True
    #: Findings a contributing backend that is not part of this run gave these steps before:
    #: re-running `input-validation` alone in the walkthrough keeps what staging found.
    carried: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class StepStarted:
    """A step's checks have started (a skipped step never starts)."""

    step_id: str


@dataclass(frozen=True)
class StepProgress:
    """A line of news from a running step: the staging build's output, cached files."""

    step_id: str
    #: One line, for a CI log or the walkthrough's status.
    message: str


@dataclass(frozen=True)
class StepFinished:
    """A step's outcome, judged: findings triaged, decisions applied."""

    result: StepResult
    #: The step was shown finished before; a contributing backend (staging) added findings.
    revised: bool = False


@dataclass(frozen=True)
class RunFinished:
    """The whole run's result, the last event of a run."""

    result: RunResult


Event = StepStarted | StepProgress | StepFinished | RunFinished
