"""How long does the staging step take on the demo app, and does Ctrl-C leave anything behind?

    python benchmarks/demo_staging.py [--interrupt-at 8,22,30]

Writes `readyterm demo`'s repository to a temporary folder and runs `readyterm --ci --all
--steps staging` on its `main` branch (the healthy service: every probe runs) and on the
feature branch (its dev server listens on the wrong port: staging stops at the health check).
Then it runs `main` again and sends SIGINT after each of the given seconds, and counts the
containers and readyterm images left behind.

The demo's Dockerfile starts `FROM python:3.11-slim` and pip-installs its requirements from
PyPI. On a machine that cannot pull from Docker Hub, build a stand-in of that image first (a
Debian bookworm root with Python 3.11 and pip; add the machine's CA bundle if a proxy
intercepts TLS), for example:

    debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,passwd \\
        bookworm /tmp/pyroot http://deb.debian.org/debian
    rm /tmp/pyroot/usr/lib/python3.11/EXTERNALLY-MANAGED
    ln -s /usr/bin/python3 /tmp/pyroot/usr/local/bin/python
    tar -C /tmp/pyroot -c . | docker import - python:3.11-slim
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READYTERM = [sys.executable, "-m", "readyterm"]
TIMEOUT = 600


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interrupt-at", default="8,22,30", help="seconds, comma-separated")
    args = parser.parse_args()
    env = {**os.environ, "READYTERM_TESTS__RUN": "0"}
    if _run(["docker", "image", "inspect", "python:3.11-slim"], env).returncode != 0:
        pull = _run(["docker", "pull", "python:3.11-slim"], env)
        if pull.returncode != 0:
            print("python:3.11-slim is not here and cannot be pulled: see this script's docstring")
            return 2
    with tempfile.TemporaryDirectory(prefix="readyterm-demo-bench-") as tmp:
        demo = Path(tmp, "demo")
        subprocess.run(
            [*READYTERM, "demo", "--ci", "--no-staging", "--path", str(demo)],
            env=env,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
        feature = _current_branch(demo)
        print("| run | seconds | exit | outcome |\n|---|---:|---:|---|")
        for branch in ("main", feature):
            _git(demo, "checkout", "--quiet", branch)
            started = time.monotonic()
            done = _run([*READYTERM, "--ci", "--all", "--steps", "staging", str(demo)], env)
            seconds = time.monotonic() - started
            outcome = next((ln.strip() for ln in done.stdout.splitlines() if "staging " in ln), "")
            print(f"| {branch} | {seconds:.1f} | {done.returncode} | {outcome} |")
        _git(demo, "checkout", "--quiet", "main")
        print("\n| SIGINT after | stopped within (s) | exit | containers left | images left |")
        print("|---:|---:|---:|---:|---:|")
        for delay in (float(d) for d in args.interrupt_at.split(",")):
            process = subprocess.Popen(
                [*READYTERM, "--ci", "--all", "--steps", "staging", str(demo)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(delay)
            sent = time.monotonic()
            process.send_signal(signal.SIGINT)
            code = process.wait(timeout=120)
            stopped = time.monotonic() - sent
            containers = _count(["docker", "ps", "-aq", "--filter", "label=dev.readyterm.staging"], env)
            images = _count(["docker", "images", "-q", "readyterm-staging"], env)
            print(f"| {delay:g} s | {stopped:.1f} | {code} | {containers} | {images} |")
    return 0


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, timeout=60)


def _current_branch(repo: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "branch", "--show-current"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def _count(argv: list[str], env: dict[str, str]) -> int:
    return len(_run(argv, env).stdout.split())


if __name__ == "__main__":
    raise SystemExit(main())
