"""Read the JUnit XML pytest writes (xunit1: each test case carries its file and line)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # the suite's own output: its code already ran
from pathlib import Path

from readyterm.backends.suite.results import Counts, FailedTest

_MAX_MESSAGE = 300


def read_junit(path: Path, root: Path) -> tuple[Counts, list[FailedTest]] | None:
    """Counts and failures from a JUnit report; None when there is none or it does not parse."""
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError):
        return None
    counts = Counts()
    failures = []
    for case in tree.iter("testcase"):
        counts.run += 1
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if case.find("skipped") is not None:
            counts.skipped += 1
        elif problem is not None:
            counts.failed += 1
            failures.append(_failed(case, problem, root))
        else:
            counts.passed += 1
    return counts, failures


def _failed(case: ET.Element, problem: ET.Element, root: Path) -> FailedTest:
    file = case.get("file")
    line = case.get("line")
    name = case.get("name", "?")
    classname = case.get("classname", "")
    message = (problem.get("message") or problem.text or problem.tag).strip()
    message = message.splitlines()[0] if message else problem.tag
    path = _repo_path(file, root) if file else None
    label = f"{path}::{name}" if path else (f"{classname}.{name}" if classname else name)
    return FailedTest(
        name=label,
        path=path,
        # xunit1 writes pytest's 0-based line of the test function
        line=int(line) + 1 if line and line.isdigit() else 1,
        message=message[:_MAX_MESSAGE],
    )


def _repo_path(file: str, root: Path) -> str | None:
    candidate = Path(file)
    if candidate.is_absolute():
        try:
            return candidate.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
    return candidate.as_posix()
