"""How fast is readyterm next to the tools it runs? `make bench` (or this script) measures it.

    python benchmarks/perf.py [--runs 3] [--quick] [--json OUT]

Downloads Django's sdist from PyPI (pinned), makes a git repository of it, and runs, several
times each, side by side in one session on this machine:

1. whole repo: `readyterm --ci --all --no-cache` against semgrep alone and bandit alone on the
   same files with the same rules and flags (the command lines come from readyterm's backends),
   and readyterm's own peak RSS;
2. a change of 1 and 20 files: `readyterm --ci --no-cache` against semgrep alone on those files;
3. the result cache: a second run with no edits against the first, and a run after one edit;
4. scaling: wall time against repo size and against change size;
5. the TUI's first frame and key latency (benchmarks/tui_latency.py), unless --quick.

Prints medians, the ratios the performance targets are stated in, and pass/fail.
Everything lives in benchmarks/.cache/perf/ (git-ignored); runs never touch your user cache.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sdist import download_sdist, find_archive, unpack  # this folder, as tui_latency
from tui_latency import byte_compile  # this folder: scripts run as `python benchmarks/perf.py`

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache" / "perf"
DJANGO = "5.2.19"
RUN_TIMEOUT = 1800
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}
# Appended to each changed file: one defect semgrep reports (an HTTP call with no timeout).
DEFECT = (
    "\n\ndef _readyterm_bench_fetch(url):\n    import requests\n\n    return requests.get(url)\n"
)
# readyterm's own process only (the tools run as children): peak RSS at exit, in KiB.
RSS_WRAPPER = (
    "import os, resource, sys\n"
    "from readyterm.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "own = resource.getrusage(resource.RUSAGE_SELF)\n"
    "with open(os.environ['BENCH_RSS_FILE'], 'w') as out:\n"
    "    out.write(f'{own.ru_maxrss} {own.ru_utime + own.ru_stime}')\n"
    "sys.exit(code)\n"
)

TARGETS = {
    "whole": 1.10,
    "rss_mb": 150,
    "change": 1.3,
    "rerun": 0.15,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement")
    parser.add_argument("--quick", action="store_true", help="skip the 10k-file repo and the TUI")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--limit", type=int, help="only the first N Python files of Django (to try the script)"
    )
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    env = _environment()
    byte_compile(sys.executable)  # as an installed copy is: no compiling at every start
    figures: dict[str, Any] = {"machine": _machine(), "django": DJANGO, "runs": args.runs}
    source = _unpacked_django()
    if args.limit:
        repo = _repo(CACHE / f"repo-{args.limit}", source, copies=1, python_limit=args.limit)
    else:
        repo = _repo(CACHE / "repo-all", source, copies=1)
    figures["repo"] = _repo_size(repo)
    _say(f"Django {DJANGO}: {figures['repo']['files']} files, {figures['repo']['py']} Python")

    figures["whole"] = _whole(repo, env, args.runs)
    figures["change"] = {n: _change(repo, n, env, args.runs) for n in (1, 20)}
    figures["cache"] = _cache(repo, env, args.runs)
    figures["scaling"] = _scaling(source, repo, env, quick=args.quick or bool(args.limit))
    if not args.quick:
        figures["tui"] = _tui(repo, env)
    print(_report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


# Measurements


def _whole(repo: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    files, py_files = _scope_files(repo, env, whole=True)
    semgrep = _median(runs, lambda: _timed(_semgrep_argv(repo, files), repo, env))
    bandit = _median(runs, lambda: _timed(_bandit_argv(py_files), repo, env))
    ready = [_readyterm(repo, env, "--all", "--no-cache") for _ in range(runs)]
    seconds = statistics.median(r[0] for r in ready)
    rss_mb = max(r[1] for r in ready) / 1024
    own_cpu = statistics.median(r[2] for r in ready)
    slowest = max(semgrep, bandit)
    return {
        "semgrep_alone": semgrep,
        "bandit_alone": bandit,
        "both_one_after_the_other": semgrep + bandit,
        "readyterm": seconds,
        "ratio": seconds / slowest,
        "rss_mb": rss_mb,
        "own_cpu_s": own_cpu,
    }


def _change(repo: Path, count: int, env: dict[str, str], runs: int) -> dict[str, Any]:
    changed = _changed_repo(repo, count)
    files, _ = _scope_files(changed, env, whole=False)
    classic = _median(runs, lambda: _timed(_semgrep_argv(changed, files, False), changed, env))
    engine = _median(runs, lambda: _timed(_semgrep_argv(changed, files), changed, env))
    seconds = statistics.median(_readyterm(changed, env, "--no-cache")[0] for _ in range(runs))
    return {
        "files": len(files),
        "semgrep_alone": classic,
        "semgrep_engine_alone": engine,
        "readyterm": seconds,
        "ratio": seconds / classic,
        "ratio_engine": seconds / engine,
    }


def _cache(repo: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    first, second, edited = [], [], []
    target = _python_files(repo)[len(_python_files(repo)) // 2]
    original = (repo / target).read_bytes()
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="readyterm-bench-cache-") as folder:
            cached = {**env, "READYTERM_CACHE_DIR": folder}
            first.append(_readyterm(repo, cached, "--all")[0])
            second.append(_readyterm(repo, cached, "--all")[0])
            try:
                (repo / target).write_bytes(original + DEFECT.encode())
                edited.append(_readyterm(repo, cached, "--all")[0])
            finally:
                (repo / target).write_bytes(original)
    cold, warm = statistics.median(first), statistics.median(second)
    return {
        "first": cold,
        "unchanged": warm,
        "ratio": warm / cold,
        "one_file_edited": statistics.median(edited),
    }


def _scaling(source: Path, full: Path, env: dict[str, str], quick: bool) -> dict[str, Any]:
    by_size: dict[int, dict[str, float]] = {}
    for limit in (100, 1000):
        if limit >= _repo_size(full)["py"]:
            continue
        repo = _repo(CACHE / f"repo-{limit}", source, copies=1, python_limit=limit)
        by_size[_repo_size(repo)["py"]] = _size_run(repo, env)
    by_size[_repo_size(full)["py"]] = _size_run(full, env)
    if not quick:
        big = _repo(CACHE / "repo-x4", source, copies=4)
        by_size[_repo_size(big)["py"]] = _size_run(big, env)
    by_change = {}
    for count in (1, 10, 100, 1000):
        if count > _repo_size(full)["py"] // 2:
            continue
        changed = _changed_repo(full, count)
        by_change[count] = _readyterm(changed, env, "--no-cache")[0]
    return {"by_repo_size": by_size, "by_change_size": by_change}


def _size_run(repo: Path, env: dict[str, str]) -> dict[str, float]:
    seconds = _readyterm(repo, env, "--all", "--no-cache")[0]
    return {"seconds": seconds, "ms_per_file": 1000 * seconds / _repo_size(repo)["py"]}


def _tui(repo: Path, env: dict[str, str]) -> dict[str, Any]:
    script = HERE / "tui_latency.py"
    if not script.exists() or not shutil.which("tmux"):
        return {"skipped": "needs benchmarks/tui_latency.py and tmux"}
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = subprocess.run(
            [
                sys.executable,
                str(script),
                "--repo",
                str(repo),
                "--runs",
                "1",
                "--max-presses",
                "60",
                "--json",
                out.name,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            return {"error": done.stderr[-2000:] or done.stdout[-2000:]}
        figures: dict[str, Any] = json.loads(Path(out.name).read_text() or "{}")
        return figures


# Running things


def _readyterm(repo: Path, env: dict[str, str], *args: str) -> tuple[float, int, float]:
    """Seconds, readyterm's own peak RSS (KiB) and own CPU seconds for one headless run."""
    with tempfile.NamedTemporaryFile(prefix="readyterm-rss-") as rss:
        seconds = _timed(
            [sys.executable, "-c", RSS_WRAPPER, "--ci", "--no-staging", "--format", "json", *args],
            repo,
            {**env, "BENCH_RSS_FILE": rss.name},
            ok=(0, 1, 3),  # 3: a check could not run fully, e.g. a file semgrep timed out on
        )
        rss_kib, cpu = (Path(rss.name).read_text() or "0 0").split()
        return seconds, int(rss_kib), float(cpu)


def _timed(argv: list[str], cwd: Path, env: dict[str, str], ok: Sequence[int] = (0, 1)) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, timeout=RUN_TIMEOUT, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        raise SystemExit(
            f"{' '.join(argv[:4])} ... exited with {done.returncode}:\n"
            + done.stderr.decode("utf-8", "replace")[-2000:]
        )
    return seconds


def _median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def _semgrep_argv(repo: Path, files: list[str], experimental: bool = True) -> list[str]:
    """The command readyterm runs; experimental=False is plain `semgrep scan` (its classic
    front end), what a developer would run by hand."""
    from readyterm.backends.semgrep import command
    from readyterm.foundation.rulepack import load_rule_pack, rule_yaml_files

    pack = load_rule_pack(repo, [])
    argv = command(rule_yaml_files(pack), 1_000_000, files, experimental)
    return [_tool("semgrep"), *argv[1:]]


def _bandit_argv(files: list[str]) -> list[str]:
    from readyterm.backends.bandit import command

    argv = command(files)
    return [_tool("bandit"), *argv[1:]]


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed (pip install -e '.[dev]')")
    return found


def _scope_files(repo: Path, env: dict[str, str], whole: bool) -> tuple[list[str], list[str]]:
    """The files readyterm itself would hand the tools, so that "alone" means the same work."""
    from readyterm.engine.scope import resolve_scope
    from readyterm.foundation.config import Config

    scope = resolve_scope(repo, Config(), whole=whole)
    return scope.files, [f for f in scope.files if f.endswith((".py", ".pyw"))]


# Repositories


def _unpacked_django() -> Path:
    downloads = CACHE / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    if find_archive(downloads, "django", DJANGO) is None:
        _say(f"downloading Django {DJANGO} from PyPI")
    archive = download_sdist("django", DJANGO, downloads)
    target = CACHE / f"django-{DJANGO}"
    if not target.exists():
        unpack(archive, CACHE / "unpack")
        (CACHE / "unpack" / f"django-{DJANGO}").rename(target)
    return target


def _repo(path: Path, source: Path, copies: int, python_limit: int | None = None) -> Path:
    if (path / ".git").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    names = sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
    if python_limit is not None:
        names = [n for n in names if n.suffix == ".py"][:python_limit]
    for copy in range(copies):
        prefix = Path(f"copy{copy}") if copies > 1 else Path()
        for name in names:
            target = path / prefix / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target)
    _git(path, "init", "--quiet", "--initial-branch=main")
    _git(path, "add", "--all")
    _git(path, "commit", "--quiet", "-m", "Django sdist")
    return path


def _changed_repo(repo: Path, count: int) -> Path:
    """A clone of repo with a branch that appends a defect to `count` Python files."""
    path = CACHE / f"{repo.name}-change-{count}"
    if (path / ".git").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    _git(CACHE, "clone", "--quiet", "--local", str(repo), str(path))
    _git(path, "checkout", "--quiet", "-b", "change")
    python = [p for p in _python_files(path) if p.startswith("django/")]
    step = max(len(python) // count, 1)
    for name in python[::step][:count]:
        with open(path / name, "a", encoding="utf-8") as handle:
            handle.write(DEFECT)
    _git(path, "commit", "--quiet", "-am", f"change {count} files")
    return path


def _python_files(repo: Path) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "*.py"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return sorted(listed.stdout.splitlines())


def _repo_size(repo: Path) -> dict[str, int]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=repo, capture_output=True, text=True, timeout=120, check=True
    ).stdout.splitlines()
    return {"files": len(listed), "py": sum(1 for n in listed if n.endswith(".py"))}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        check=True,
        capture_output=True,
        timeout=600,
    )


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READYTERM_")}
    env.update(GIT_ENV)
    env["READYTERM_CACHE_DIR"] = str(CACHE / "user-cache")  # never the developer's cache
    env["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
    env["PYTHONPATH"] = str(ROOT)
    env["READYTERM_TESTS__RUN"] = "0"  # static checks against the tools alone: no test suite
    return env


def _machine() -> dict[str, Any]:
    affinity = getattr(os, "sched_getaffinity", None)
    return {
        "cpus": len(affinity(0)) if affinity else os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
        "load_at_start": os.getloadavg()[0],
    }


# Output


def _report(f: dict[str, Any]) -> str:
    whole, cache, change = f["whole"], f["cache"], f["change"]
    m = f["machine"]

    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    lines = [
        f"\nreadyterm benchmark: Django {f['django']} ({f['repo']['py']} Python files), "
        f"{m['cpus']} CPUs, {m['memory_gb']} GB, Python {m['python']}, median of {f['runs']}\n",
        "| measurement | seconds | ratio | target | |",
        "|---|---:|---:|---:|---|",
        f"| semgrep alone, whole repo | {whole['semgrep_alone']:.1f} | | | |",
        f"| bandit alone, whole repo | {whole['bandit_alone']:.1f} | | | |",
        f"| both one after the other | {whole['both_one_after_the_other']:.1f} | | | |",
        f"| readyterm --all | {whole['readyterm']:.1f} | {whole['ratio']:.2f} x slowest | "
        f"<= {TARGETS['whole']} | {verdict(whole['ratio'] <= TARGETS['whole'])} |",
        f"| readyterm peak RSS (MB) | {whole['rss_mb']:.0f} | | <= {TARGETS['rss_mb']} | "
        f"{verdict(whole['rss_mb'] <= TARGETS['rss_mb'])} |",
        f"| readyterm's own CPU time (s) | {whole['own_cpu_s']:.1f} | | | |",
    ]
    for count, c in change.items():
        lines += [
            f"| `semgrep scan` alone, {count}-file change | {c['semgrep_alone']:.2f} | | | |",
            f"| `semgrep scan --experimental` alone, {count}-file change "
            f"| {c['semgrep_engine_alone']:.2f} | | | |",
            f"| readyterm, {count}-file change | {c['readyterm']:.2f} | {c['ratio']:.2f} x "
            f"`semgrep scan` ({c['ratio_engine']:.1f} x the engine) | <= {TARGETS['change']} "
            f"| {verdict(c['ratio'] <= TARGETS['change'])} |",
        ]
    lines += [
        f"| readyterm --all, empty cache | {cache['first']:.1f} | | | |",
        f"| readyterm --all, unchanged re-run | {cache['unchanged']:.1f} | {cache['ratio']:.2f} x "
        f"first | <= {TARGETS['rerun']} | {verdict(cache['ratio'] <= TARGETS['rerun'])} |",
        f"| readyterm --all, one file edited | {cache['one_file_edited']:.1f} | | | |",
        "",
        "| Python files in repo | seconds (--all, no cache) | ms per file |",
        "|---:|---:|---:|",
    ]
    for size, s in sorted(f["scaling"]["by_repo_size"].items(), key=lambda kv: int(kv[0])):
        lines.append(f"| {size} | {s['seconds']:.1f} | {s['ms_per_file']:.1f} |")
    lines += ["", "| files changed | seconds (no cache) |", "|---:|---:|"]
    for count, seconds in f["scaling"]["by_change_size"].items():
        lines.append(f"| {count} | {seconds:.1f} |")
    if "tui" in f:
        lines += ["", f"TUI: {json.dumps(f['tui'])}"]
    return "\n".join(lines)


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
