from __future__ import annotations

import json

from readyterm.engine.result import RunResult
from readyterm.reports.printable import printable


def render_json(result: RunResult, color: bool = False) -> str:
    """The `readyterm.result/1` document (docs/architecture.md); stable key order, UTF-8."""
    return printable(json.dumps(result.as_dict(), indent=2, ensure_ascii=False)) + "\n"
