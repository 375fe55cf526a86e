"""What a suite run left behind, as data: its outcome, its tests, the lines it executed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from readyterm.backends.suite.detect import Suite

#: passed / failed: it ran and judged; the others: it could not be judged.
Status = Literal["passed", "failed", "no-tests", "broken", "timed-out", "cancelled", "not-run"]


@dataclass(frozen=True)
class FailedTest:
    name: str
    path: str | None
    line: int
    message: str


@dataclass(frozen=True)
class FileCoverage:
    #: Lines that hold code (coverage.py's statements, or V8's lines inside a script).
    statements: frozenset[int]
    executed: frozenset[int]


@dataclass
class Counts:
    run: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, other: Counts) -> None:
        self.run += other.run
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped


@dataclass
class SuiteRun:
    suite: Suite
    status: Status
    seconds: float
    #: The command's last output lines (for a failure that needs explaining).
    tail: str = ""
    returncode: int | None = None
    #: None: the runner reported no counts we could read.
    counts: Counts | None = None
    failures: list[FailedTest] = field(default_factory=list)
    #: Repo-relative path -> what ran in it.
    coverage: dict[str, FileCoverage] = field(default_factory=dict)
    #: The runner's first error line (pytest's `E   ...`), said first when it cannot run.
    first_error: str | None = None
    #: Why coverage is missing or partial (a Python that could not import coverage.py).
    coverage_problem: str | None = None
