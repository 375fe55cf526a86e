"""Diff coverage: the changed lines the tests ran, checked against the real diff-cover."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import GitRepo
from tests.suite.helpers import CONFIG, project, run_tests_step

BASE = {
    "app/__init__.py": "",
    "app/prices.py": (
        "def net(amount, rate):\n"
        "    return amount * (1 - rate)\n"
        "\n"
        "\n"
        "def gross(amount):\n"
        "    return amount * 1.2\n"
    ),
    "tests/test_prices.py": "from app.prices import net\n\n\ndef test_net():\n"
    "    assert net(100, 0.5) == 50\n",
}
HEAD = {
    # a modified line, added functions with a branch the tests take and one they do not,
    # a multi-line statement, comments and blank lines (no code), and a new module that
    # no test imports at all
    "app/prices.py": (
        "def net(amount, rate):\n"
        "    # a negative rate is a surcharge\n"
        "    return round(amount * (1 - rate), 2)\n"
        "\n"
        "\n"
        "def gross(amount):\n"
        "    return amount * 1.2\n"
        "\n"
        "\n"
        "def discount(amount, code):\n"
        "    if code == 'HALF':\n"
        "        return net(amount, 0.5)\n"
        "    if code == 'NONE':\n"
        "        return amount\n"
        "    table = {\n"
        "        'TENTH': 0.1,\n"
        "        'QUARTER': 0.25,\n"
        "    }\n"
        "    return net(amount, table[code])\n"
    ),
    "app/export.py": "import csv\n\n\ndef rows(prices):\n    return [[p] for p in prices]\n",
    "tests/test_discount.py": "from app.prices import discount\n\n\ndef test_half():\n"
    "    assert discount(10, 'HALF') == 5\n",
}


def _diff_cover(repo: GitRepo, work: Path) -> dict[str, object]:
    """What diff-cover says about the same change, from coverage.py's XML."""

    def run(*argv: str) -> None:
        done = subprocess.run(
            argv,
            cwd=repo.path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                "COVERAGE_FILE": str(work / "cov"),
                "HOME": str(work),
                "GIT_CONFIG_NOSYSTEM": "1",
            },
        )
        assert done.returncode == 0, done.stdout + done.stderr

    bin_dir = Path(sys.executable).parent
    run(
        sys.executable,
        "-m",
        "coverage",
        "run",
        "--source=.",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
    )
    run(sys.executable, "-m", "coverage", "xml", "-o", str(work / "coverage.xml"))
    run(
        str(bin_dir / "diff-cover"),
        str(work / "coverage.xml"),
        "--compare-branch=main",
        # test code is not measured by readyterm: it does not run in production
        "--exclude",
        "test_*.py",
        "--format",
        f"json:{work / 'diff-cover.json'}",
    )
    return json.loads((work / "diff-cover.json").read_text())


def test_diff_coverage_matches_diff_cover_within_one_line(tmp_path: Path) -> None:
    repo = project(tmp_path, BASE, HEAD)
    code, step = run_tests_step(repo)
    assert code == 0, step
    ours = step["details"]["diff_coverage"]
    work = tmp_path / "diff-cover"
    work.mkdir()
    theirs = _diff_cover(repo, work)
    measured = theirs["total_num_lines"]
    missed = theirs["total_num_violations"]
    assert isinstance(measured, int) and isinstance(missed, int)
    assert abs(ours["lines"] - measured) <= 1, (ours, theirs)
    assert abs((ours["lines"] - ours["covered"]) - missed) <= 1, (ours, theirs)
    # and here, line for line: each line diff-cover lists lies in one of our ranges, and
    # each range starts and ends on a line it lists
    stats = theirs["src_stats"]
    assert isinstance(stats, dict)
    for path, runs in ours["uncovered"].items():
        violations = set(stats[path]["violation_lines"])
        assert violations == {n for n in violations if any(a <= n <= b for a, b in runs)}
        assert all(a in violations and b in violations for a, b in runs)
    assert set(ours["uncovered"]) == {p for p, s in stats.items() if s["violation_lines"]}
    assert ours["uncovered"] == {"app/export.py": [[1, 5]], "app/prices.py": [[13, 19]]}


def test_uncovered_changed_lines_are_warnings_below_the_threshold(tmp_path: Path) -> None:
    repo = project(tmp_path, BASE, HEAD)
    _, step = run_tests_step(repo)
    found = {
        (f["path"], f["line"], f["end_line"], f["severity"])
        for f in step["findings"]
        if f["rule"] == "tests-uncovered-change"
    }
    # 13-19 is the untaken `if code == 'NONE'` check (a failure-path finding of its own) and
    # the table lookup after it: one run, since no covered statement interrupts it
    assert ("app/export.py", 1, 5, "warning") in found
    assert ("app/prices.py", 13, 19, "warning") in found
    percent = step["details"]["diff_coverage"]["percent"]
    assert f"diff coverage {percent:.0f} %, threshold 80 %" in next(
        f["message"] for f in step["findings"] if f["rule"] == "tests-uncovered-change"
    )


def test_above_the_threshold_uncovered_lines_are_advice(tmp_path: Path) -> None:
    repo = project(tmp_path, BASE, HEAD, config=CONFIG + "  diff_coverage: 30\n")
    _code, step = run_tests_step(repo, "--strict")
    severities = {f["severity"] for f in step["findings"] if f["rule"] == "tests-uncovered-change"}
    assert severities == {"info"}
    assert step["details"]["diff_coverage"]["threshold"] == 30
