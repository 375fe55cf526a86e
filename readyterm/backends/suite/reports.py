"""The JSON files a test run leaves behind (V8 coverage, istanbul coverage, jest results)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json(path: Path, max_bytes: int) -> Any | None:
    """path's JSON; None when it is missing, larger than max_bytes, or not JSON (a run that
    was killed mid-write leaves half a file)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return json.loads(path.read_text("utf-8"))
    except (OSError, RecursionError, ValueError):
        return None
