"""The code around a finding, read from the work tree, with matched secrets kept hidden."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from readyterm.foundation.findings import REDACTED, Finding

_CONTEXT_LINES = 3


def code_context(
    root: Path, finding: Finding, around: int = _CONTEXT_LINES, secrets: Iterable[Finding] = ()
) -> tuple[str, int]:
    """The lines around the finding and the number of the first one (the matched code if the
    file cannot be read). Lines where a rule matched a secret show the core's redaction."""
    if finding.line <= 0:
        return finding.code, 1
    try:
        lines = (root / finding.path).read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return finding.code, finding.line
    first = max(finding.line - around, 1)
    last = min(max(finding.end_line, finding.line) + around, len(lines))
    if first > len(lines):
        return finding.code, finding.line
    excerpt = lines[first - 1 : last]
    for secret in [finding, *secrets]:
        if REDACTED not in secret.code or secret.path != finding.path:
            continue
        for offset, text in enumerate(secret.code.splitlines()):
            index = secret.line - first + offset
            if 0 <= index < len(excerpt):
                line = excerpt[index]
                excerpt[index] = line[: len(line) - len(line.lstrip())] + text.strip()
    return "\n".join(excerpt), first
