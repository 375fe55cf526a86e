"""Failed tests from TAP output (node --test's reporter when its output is not a terminal)."""

from __future__ import annotations

import re
from pathlib import Path

from readyterm.backends.suite.results import FailedTest

_NOT_OK = re.compile(r"^\s*not ok \d+ - (.*?)(?:\s+#.*)?$")
_LOCATION = re.compile(r"^\s*location:\s*'(.+):(\d+):\d+'\s*$")
_ERROR = re.compile(r"^\s*error:\s*[|>]?-?\s*'?(.*?)'?\s*$")
_KIND = re.compile(r"^\s*failureType:\s*'?(\w+)'?")
_MAX_MESSAGE = 300


def read_tap(output: str, root: Path) -> list[FailedTest]:
    failures = []
    lines = output.splitlines()
    for index, line in enumerate(lines):
        match = _NOT_OK.match(line)
        if not match:
            continue
        path: str | None = None
        number, message, kind = 1, "", ""
        for detail in lines[index + 1 : index + 40]:
            if detail.strip() == "..." or _NOT_OK.match(detail):
                break
            if found := _LOCATION.match(detail):
                path, number = _relative(found.group(1), root), int(found.group(2))
            elif (found := _ERROR.match(detail)) and not message:
                message = found.group(1)
            elif found := _KIND.match(detail):
                kind = found.group(1)
        if kind == "subtestsFailed":
            continue  # a suite whose own failing tests are listed on their own
        name = match.group(1).strip()
        label = f"{path}::{name}" if path else name
        failures.append(FailedTest(label, path, number, (message or "failed")[:_MAX_MESSAGE]))
    return failures


def _relative(location: str, root: Path) -> str | None:
    location = location.removeprefix("file://")
    try:
        return Path(location).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return None
