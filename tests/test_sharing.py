"""semgrep and bandit share the cores: chunks of bandit's work, and the tools' priorities."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from readyterm.engine.runner import core_shares
from readyterm.foundation.procs import run_tool, work_chunks


def _files(root: Path, sizes: list[int]) -> list[str]:
    names = []
    for number, size in enumerate(sizes):
        name = f"pkg/m{number:04d}.py"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x" * size)
        names.append(name)
    return names


def test_work_chunks_cover_every_file_once_biggest_chunks_first(tmp_path: Path) -> None:
    sizes = [100 + (n * 7919) % 5000 for n in range(600)]
    names = _files(tmp_path, sizes)
    chunks = work_chunks(tmp_path, names, workers=2, min_files=25)
    flat = [name for chunk in chunks for name in chunk]
    assert sorted(flat) == sorted(names) and len(flat) == len(names)
    assert all(len(chunk) >= 25 for chunk in chunks)
    weight = [sum((tmp_path / name).stat().st_size for name in chunk) for chunk in chunks]
    assert 6 <= len(chunks) <= 30, len(chunks)
    assert weight[0] == max(weight) and weight[0] > 3 * weight[-1], weight
    assert weight[0] < sum(weight) / 3, "no chunk keeps one worker busy while the other idles"


@pytest.mark.parametrize(("count", "workers"), [(10, 2), (49, 2), (600, 1)])
def test_few_files_or_one_worker_make_one_chunk(tmp_path: Path, count: int, workers: int) -> None:
    names = _files(tmp_path, [50] * count)
    assert work_chunks(tmp_path, names, workers=workers, min_files=25) == [names]


def test_work_chunks_survive_files_that_vanish(tmp_path: Path) -> None:
    names = [*_files(tmp_path, [300] * 60), "pkg/gone.py"]
    chunks = work_chunks(tmp_path, names, workers=2, min_files=25)
    assert sorted(n for c in chunks for n in c) == sorted(names)


def test_core_shares_only_when_semgrep_and_bandit_run_side_by_side() -> None:
    both = ["semgrep", "bandit", "project"]
    assert core_shares(both, 2, python=True) == {"semgrep": 1, "bandit": 2}
    assert core_shares(both, 8, python=True) == {"semgrep": 4, "bandit": 5}
    assert core_shares(both, 1, python=True) == {}
    assert core_shares(both, 8, python=False) == {}, "no Python files: bandit has no work"
    assert core_shares(["semgrep", "project"], 8, python=True) == {}


def _niceness_of_a_tool(extra: int) -> tuple[int, str]:
    run = run_tool(
        ["sh", "-c", "sleep 0.3; cut -d' ' -f19 /proc/$$/stat; cat /proc/$$/autogroup"],
        timeout=20,
        niceness=extra,
    )
    assert run.returncode == 0, run.stderr
    nice, group = run.stdout.splitlines()[:2]
    return int(nice), group


def test_a_tool_runs_at_our_priority_plus_what_it_is_asked_to_yield() -> None:
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    nice, group = _niceness_of_a_tool(5)
    assert nice == min(ours + 5, 19)
    if os.path.exists("/proc/self/autogroup"):
        # A session of its own is scheduled as a whole: the group yields too.
        assert group.endswith(f"nice {min(ours + 5, 19)}")


def test_a_niced_caller_passes_its_priority_to_the_tools_it_starts() -> None:
    """The walkthrough's helper runs at 19; its tools, each in a new session, must too."""
    code = (
        "import os; os.nice(7); from readyterm.foundation.procs import run_tool; "
        "r = run_tool(['sh', '-c', 'sleep 0.3; cat /proc/$$/autogroup'], timeout=20); "
        "print(r.stdout.strip())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    if os.path.exists("/proc/self/autogroup"):
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert done.stdout.strip().endswith(f"nice {min(ours + 7, 19)}"), done.stdout
