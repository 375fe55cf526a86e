"""Diff coverage: of the changed lines that hold code, how many the tests ran.

As diff-cover, Codecov's patch coverage and SonarQube's coverage on new code count it: the
changed lines that are statements (a blank line, a comment or a lone `else:` is none), and
of those the ones executed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from readyterm.backends.suite.results import FileCoverage


@dataclass(frozen=True)
class FileDiff:
    path: str
    measured: tuple[int, ...]  # changed statement lines
    uncovered: tuple[int, ...]

    def ranges(self) -> list[tuple[int, int]]:
        """Uncovered lines in runs that no covered statement interrupts."""
        missing = set(self.uncovered)
        runs: list[tuple[int, int]] = []
        previous_missing = False
        for line in self.measured:
            if line in missing:
                if previous_missing:
                    runs[-1] = (runs[-1][0], line)
                else:
                    runs.append((line, line))
            previous_missing = line in missing
        return runs


@dataclass
class DiffCoverage:
    files: list[FileDiff] = field(default_factory=list)

    @property
    def measured(self) -> int:
        return sum(len(f.measured) for f in self.files)

    @property
    def covered(self) -> int:
        return self.measured - sum(len(f.uncovered) for f in self.files)

    @property
    def percent(self) -> float | None:
        """None when the change has no line that holds code."""
        return None if not self.measured else 100.0 * self.covered / self.measured


def diff_coverage(changed: dict[str, set[int]], coverage: dict[str, FileCoverage]) -> DiffCoverage:
    result = DiffCoverage()
    for path in sorted(changed):
        ran = coverage.get(path)
        if ran is None:
            continue
        measured = tuple(sorted(changed[path] & ran.statements))
        if not measured:
            continue
        uncovered = tuple(line for line in measured if line not in ran.executed)
        result.files.append(FileDiff(path, measured, uncovered))
    return result
