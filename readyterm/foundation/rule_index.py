"""What each rule file says about its rules, kept between runs, keyed by the file's bytes.

A rule file that changes gets a new key, so an entry can be stale only by being unused; the
index keeps the entries of the last load only. It is an optimisation and nothing more: an
index that cannot be read or written is ignored (and rebuilt), never an error.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from readyterm.foundation.atomic import write_text_atomic

INDEX_NAME = "rules-index-v1.json"
_MAX_BYTES = 20_000_000


class RuleIndex:
    def __init__(self, path: Path | None, entries: dict[str, list[dict[str, Any]]]) -> None:
        self.path = path
        self._entries = entries
        self._used: dict[str, list[dict[str, Any]]] = {}

    @classmethod
    def load(cls, directory: Path | None) -> RuleIndex:
        if directory is None:
            return cls(None, {})
        path = directory / INDEX_NAME
        entries: dict[str, list[dict[str, Any]]] = {}
        with contextlib.suppress(OSError, RecursionError, ValueError):
            if path.stat().st_size <= _MAX_BYTES:
                data = json.loads(path.read_text("utf-8"))
                if isinstance(data, dict) and isinstance(data.get("files"), dict):
                    entries = {
                        k: v
                        for k, v in data["files"].items()
                        if isinstance(v, list) and all(isinstance(m, dict) for m in v)
                    }
        return cls(path, entries)

    def get(self, key: str) -> list[dict[str, Any]] | None:
        found = self._entries.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: str, rules: list[dict[str, Any]]) -> None:
        self._used[key] = rules

    def save(self) -> None:
        """Write the entries this load used, when they differ from what was read."""
        if self.path is None or self._used == self._entries:
            return
        with contextlib.suppress(OSError):
            write_text_atomic(self.path, json.dumps({"files": self._used}, sort_keys=True))
