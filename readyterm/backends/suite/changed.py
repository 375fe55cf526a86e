"""Which lines of a file the change added or modified (what diff coverage is measured on)."""

from __future__ import annotations

import difflib
import re
import tempfile
from pathlib import Path

from readyterm.backends.base import ScanContext
from readyterm.foundation.errors import ToolError
from readyterm.foundation.procs import run_tool


def changed_lines(root: Path, path: str, context: ScanContext) -> set[int] | None:
    """1-based head lines the change adds or modifies; every line in a whole-repo run or for
    a new file; None when the file cannot be read."""
    try:
        head = (root / path).read_bytes().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    base = None
    if context.mode == "diff":
        try:
            base = context.base_content(path)
        except ToolError:  # git failed: judge the whole file rather than nothing
            base = None
    if base is None:
        return set(range(1, len(head) + 1))
    by_git = _git_changed(root / path, base, context.config.timeouts.git)
    if by_git is not None:
        return by_git
    before = base.decode("utf-8", "replace").splitlines()
    lines: set[int] = set()
    matcher = difflib.SequenceMatcher(None, before, head, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            lines.update(range(j1 + 1, j2 + 1))
    return lines


def _git_changed(head: Path, base: bytes, timeout: float) -> set[int] | None:
    """The head lines `git diff` marks as added: the same alignment diff-cover and code
    review tools use (difflib pairs equal lines differently in ambiguous spots)."""
    with tempfile.TemporaryDirectory(prefix="readyterm-base-") as tmp:
        before = Path(tmp, "base")
        before.write_bytes(base)
        diff = run_tool(
            [
                "git",
                "diff",
                "--no-index",
                "--no-color",
                "--no-ext-diff",
                "-U0",
                str(before),
                str(head),
            ],
            timeout=timeout,
        )
    if diff.returncode not in (0, 1):  # 1: they differ
        return None
    lines: set[int] = set()
    for match in _HUNK.finditer(diff.stdout):
        first, count = int(match.group(1)), int(match.group(2) or 1)
        lines.update(range(first, first + count))
    return lines


_HUNK = re.compile(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", re.M)


def ranges(lines: set[int]) -> list[tuple[int, int]]:
    """Sorted lines as inclusive (first, last) runs: {1, 2, 3, 7} -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for line in sorted(lines):
        if runs and line == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], line)
        else:
            runs.append((line, line))
    return runs
