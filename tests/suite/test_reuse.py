"""Re-runs reuse the suite's result while neither code nor tests changed; `tests.select:
changed` runs only the tests that import a changed module, and says the result is partial."""

from __future__ import annotations

import time
from pathlib import Path

from tests.suite.helpers import CONFIG, project, run_tests_step

SLOW = (
    "import time\n\nfrom app.calc import add\n\n\ndef test_add():\n    time.sleep(2)\n"
    "    assert add(1, 2) == 3\n"
)
BASE = {
    "app/__init__.py": "",
    "app/calc.py": "def add(a, b):\n    return a + b\n",
    "app/other.py": "def one():\n    return 1\n",
    "tests/test_calc.py": SLOW,
    "tests/test_other.py": "from app.other import one\n\n\ndef test_one():\n"
    "    assert one() == 1\n",
}
HEAD = {"app/calc.py": "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"}


def test_a_second_run_with_nothing_changed_reuses_the_result(tmp_path: Path) -> None:
    repo = project(tmp_path, BASE, HEAD)
    started = time.monotonic()
    _, first = run_tests_step(repo)
    first_seconds = time.monotonic() - started
    assert "cached" not in first["details"]
    started = time.monotonic()
    _, second = run_tests_step(repo)
    assert time.monotonic() - started < first_seconds  # the 2 s test did not run again
    assert second["details"]["cached"] is True
    assert second["findings"] == first["findings"]
    assert second["summary"] == first["summary"]

    # a test file edited (even uncommitted): run again
    repo.write(
        "tests/test_calc.py",
        SLOW + "\n\ndef test_sub():\n    from app.calc import sub\n    assert sub(3, 1) == 2\n",
    )
    _, third = run_tests_step(repo)
    assert "cached" not in third["details"]
    assert third["details"]["tests"]["run"] == 3
    assert third["details"]["diff_coverage"]["percent"] == 100.0


def test_select_changed_runs_only_the_tests_of_changed_modules_and_says_partial(
    tmp_path: Path,
) -> None:
    repo = project(tmp_path, BASE, HEAD, config=CONFIG + "  select: changed\n")
    _, step = run_tests_step(repo)
    details = step["details"]
    assert details["tests"]["run"] == 1  # tests/test_calc.py imports app.calc; the other not
    assert details["select"] == "changed"
    assert details["partial"] is True
    assert "partial: only the tests that import a changed module ran" in step["summary"]
