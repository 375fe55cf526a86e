"""What a repository file is for: code that runs in production, or tests, examples and docs.

Shared by the engine (findings in test code are advice) and the project checks (test code
may use development dependencies).
"""

from __future__ import annotations

import re

_TEST_OR_EXAMPLE = re.compile(
    r"(^|/)(tests?|testing|__tests__|examples?|samples?|docs?)/"
    r"|(^|/)(test_[^/]*\.py|[^/]*_test\.py|conftest\.py)$"
    r"|\.(test|spec)\.[cm]?[jt]sx?$"
)


def is_test_or_example(path: str) -> bool:
    return bool(_TEST_OR_EXAMPLE.search(path))
