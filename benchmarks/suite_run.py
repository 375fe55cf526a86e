"""The tests step on a real project: itsdangerous's own suite, its 2.1.2 -> 2.2.0 release.

    python benchmarks/suite_run.py [--runs 3] [--json OUT]

How the data is obtained: `pip download --no-binary :all: --no-deps` fetches the sdists of
itsdangerous 2.1.2 and 2.2.0 from PyPI (pinned); a git repository gets 2.1.2's src/ and
tests/ on `main` and 2.2.0's on a branch, which is the change judged. A virtualenv in the
repository (git-ignored) gets pytest and freezegun==1.4.0 (its requirements/tests.txt) and
a .pth file pointing at src/ (an editable install without building). Then, on this machine:

1. `readyterm --ci --steps tests` on the change with an empty cache (the suite runs under
   coverage), then again with nothing changed (the cached result is reused);
2. the same with `--all` (the whole package is "the change");
3. the reference figures by the tools themselves: `coverage run --branch -m pytest` with
   `coverage report` (whole package) and diff-cover on coverage's XML (the change), which
   must agree with readyterm's exactly.

Prints the figures and times; everything lives in benchmarks/.cache/suite/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sdist import download_sdist, unpack  # this folder: run as `python benchmarks/...`

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache" / "suite"
PACKAGE = "itsdangerous"
BASE, HEAD = "2.1.2", "2.2.0"
TEST_REQUIREMENTS = ["pytest>=8,<10", "freezegun==1.4.0", "coverage>=7.6,<8"]
TIMEOUT = 900
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each timing")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    repo = _project()
    env = {k: v for k, v in os.environ.items() if not k.startswith("READYTERM_")}
    env.update(GIT_ENV)
    figures: dict[str, Any] = {"project": f"{PACKAGE} {BASE} -> {HEAD}"}
    for mode, extra in (("change", []), ("all", ["--all"])):
        cold, warm, step = [], [], {}
        for _ in range(args.runs):
            shutil.rmtree(CACHE / "user-cache", ignore_errors=True)
            env["READYTERM_CACHE_DIR"] = str(CACHE / "user-cache")
            seconds, step = _readyterm(repo, extra, env)
            cold.append(seconds)
            seconds, again = _readyterm(repo, extra, env)
            assert again["details"].get("cached") is True, "the second run was not reused"
            warm.append(seconds)
        details = step["details"]
        figures[mode] = {
            "seconds_cold": statistics.median(cold),
            "seconds_cached": statistics.median(warm),
            "suite_seconds": details["seconds"],
            "tests": details["tests"],
            "diff_coverage": {
                k: v for k, v in details["diff_coverage"].items() if k != "uncovered"
            },
            "failure_paths": details["failure_paths"],
        }
    figures["reference"] = _reference(repo)
    _print(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    change, reference = figures["change"]["diff_coverage"], figures["reference"]
    agree = (change["lines"], change["lines"] - change["covered"]) == (
        reference["diff_cover_lines"],
        reference["diff_cover_violations"],
    ) and (
        figures["all"]["diff_coverage"]["lines"],
        figures["all"]["diff_coverage"]["covered"],
    ) == (
        reference["statements"],
        reference["statements"] - reference["missed"],
    )
    print(
        f"\nreadyterm's figures {'agree' if agree else 'DISAGREE'} with coverage.py and diff-cover"
    )
    return 0 if agree else 1


def _project() -> Path:
    downloads = CACHE / "sdists"
    downloads.mkdir(parents=True, exist_ok=True)
    trees = {}
    for version in (BASE, HEAD):
        archive = download_sdist(PACKAGE, version, downloads)
        target = downloads / f"{PACKAGE}-{version}"
        if not target.exists():
            unpack(archive, downloads)
        trees[version] = target
    repo = CACHE / "repo"
    if (repo / ".venv" / "ready").exists():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo)]
    _run([*git, "init", "--quiet", "--initial-branch=main"])
    for version, branch in ((BASE, None), (HEAD, "release")):
        if branch:
            _run([*git, "checkout", "--quiet", "-b", branch])
        for part in ("src", "tests"):
            shutil.rmtree(repo / part, ignore_errors=True)
            shutil.copytree(
                trees[version] / part,
                repo / part,
                ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"),
            )
        shutil.copy(trees[HEAD] / "pyproject.toml", repo / "pyproject.toml")  # pytest's settings
        _run([*git, "add", "--all"])
        _run([*git, "commit", "--quiet", "-m", f"{PACKAGE} {version}"])
    (repo / ".git" / "info" / "exclude").write_text(".venv/\n")
    _run([sys.executable, "-m", "venv", str(repo / ".venv")])
    python = repo / ".venv" / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", *TEST_REQUIREMENTS])
    site = next((repo / ".venv" / "lib").glob("python3*/site-packages"))
    (site / f"{PACKAGE}-src.pth").write_text(str(repo / "src") + "\n")
    (repo / ".venv" / "ready").touch()
    return repo


def _readyterm(repo: Path, extra: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    argv = [
        sys.executable,
        "-m",
        "readyterm",
        "--ci",
        str(repo),
        "--steps",
        "tests",
        "--no-staging",
        "--format",
        "json",
        *extra,
    ]
    started = time.monotonic()
    done = subprocess.run(
        argv, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False
    )
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"readyterm exited with {done.returncode}:\n{done.stderr}{done.stdout}")
    step = next(s for s in json.loads(done.stdout)["steps"] if s["id"] == "tests")
    return seconds, step


def _reference(repo: Path) -> dict[str, Any]:
    """The same figures from coverage.py and diff-cover, run by hand."""
    python = str(repo / ".venv" / "bin" / "python")
    data = CACHE / "reference"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    env = {**os.environ, "COVERAGE_FILE": str(data / ".coverage")}
    _run(
        [
            python,
            "-m",
            "coverage",
            "run",
            "--branch",
            "--source=src",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=repo,
        env=env,
    )
    _run([python, "-m", "coverage", "json", "-o", str(data / "coverage.json")], cwd=repo, env=env)
    _run([python, "-m", "coverage", "xml", "-o", str(data / "coverage.xml")], cwd=repo, env=env)
    totals = json.loads((data / "coverage.json").read_text())["totals"]
    diff_cover = Path(sys.executable).parent / "diff-cover"
    _run(
        [
            str(diff_cover),
            str(data / "coverage.xml"),
            "--compare-branch=main",
            "--exclude",
            "test_*.py",
            "--format",
            f"json:{data / 'diff-cover.json'}",
        ],
        cwd=repo,
        env=env,
    )
    report = json.loads((data / "diff-cover.json").read_text())
    return {
        "statements": totals["num_statements"],
        "missed": totals["missing_lines"],
        "diff_cover_lines": report["total_num_lines"],
        "diff_cover_violations": report["total_num_violations"],
    }


def _run(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=env or {**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")


def _print(figures: dict[str, Any]) -> None:
    print(f"tests step on {figures['project']}")
    for mode in ("change", "all"):
        f = figures[mode]
        coverage, paths, tests = f["diff_coverage"], f["failure_paths"], f["tests"]
        print(
            f"  {mode:6} {tests['passed']}/{tests['run']} tests passed; diff coverage "
            f"{coverage['percent']} % ({coverage['covered']} of {coverage['lines']} lines); "
            f"failure paths {paths['exercised']}/{paths['total']}; readyterm "
            f"{f['seconds_cold']:.2f} s (suite {f['suite_seconds']:.2f} s), cached re-run "
            f"{f['seconds_cached']:.2f} s"
        )
    r = figures["reference"]
    print(
        f"  coverage.py: {r['statements'] - r['missed']} of {r['statements']} statements ran; "
        f"diff-cover: {r['diff_cover_lines']} changed lines, {r['diff_cover_violations']} missed"
    )


if __name__ == "__main__":
    sys.exit(main())
