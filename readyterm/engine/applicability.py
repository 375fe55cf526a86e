"""Findings of rules that do not apply to the runtime a project declares, dropped.

A rule's `metadata.readyterm.not_with` names npm packages, each with the lowest major version
from which the defect cannot happen: Express 5 hands a rejected promise from an async handler
to the error middleware, so `unhandled-async-route-js` does not apply to an Express 5 app, nor
to one that installs express-async-errors (0: any version). The nearest package.json above
the file decides (monorepos hold several). A range whose lowest version is below the minimum
(`^4 || ^5`), or one that names no version (`latest`, a git URL), keeps the finding: when in
doubt the gate stays shut. This runs after the per-file cache, which never sees package.json.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from readyterm.foundation import userfiles
from readyterm.foundation.findings import Finding
from readyterm.foundation.rulepack import RulePack

_DEPENDENCY_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
_LOWEST_MAJOR = re.compile(r"^\s*(?:[\^~]|[<>]=?|=)?\s*v?(\d+)(?:[.\s]|$)")


def drop_inapplicable(findings: Iterable[Finding], pack: RulePack, root: Path) -> list[Finding]:
    manifests = _Manifests(root)
    kept = []
    for finding in findings:
        meta = pack.rules.get(finding.rule)
        if meta is None or not meta.not_with:
            kept.append(finding)
            continue
        declared = manifests.nearest(finding.path)
        if not any(_satisfies(declared.get(name), major) for name, major in meta.not_with):
            kept.append(finding)
    return kept


def lowest_major(spec: str) -> int | None:
    """The lowest major version an npm range allows; None when it names no version."""
    majors = []
    for alternative in spec.split("||"):
        match = _LOWEST_MAJOR.match(alternative)
        if match is None:
            return None
        majors.append(int(match.group(1)))
    return min(majors) if majors else None


def _satisfies(spec: str | None, major: int) -> bool:
    if spec is None:
        return False
    if major == 0:
        return True  # declared at all
    lowest = lowest_major(spec)
    return lowest is not None and lowest >= major


class _Manifests:
    """The declared npm dependencies of each folder's package.json, read once per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_folder: dict[str, dict[str, str] | None] = {}

    def nearest(self, path: str) -> dict[str, str]:
        folder = posixpath.dirname(path)
        while True:
            declared = self._declared(folder)
            if declared is not None:
                return declared
            if not folder:
                return {}
            folder = posixpath.dirname(folder)

    def _declared(self, folder: str) -> dict[str, str] | None:
        if folder not in self._by_folder:
            self._by_folder[folder] = self._read(self.root / folder / "package.json")
        return self._by_folder[folder]

    @staticmethod
    def _read(path: Path) -> dict[str, str] | None:
        """None when there is no package.json here; {} when it cannot be read (the finding
        stays: the import check reports a broken package.json)."""
        if not userfiles.exists(path):
            return None
        try:
            document = json.loads(userfiles.read_text(path))
        except (OSError, ValueError, RecursionError):
            return {}
        declared: dict[str, str] = {}
        if isinstance(document, dict):
            for key in _DEPENDENCY_KEYS:
                table = document.get(key)
                if isinstance(table, dict):
                    declared.update({str(k): v for k, v in table.items() if isinstance(v, str)})
        return declared
