"""Real Docker engine fixtures: test images are built FROM scratch with Debian's static busybox."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from readyterm.backends.staging.build import LABEL

BUSYBOX = shutil.which("busybox") or "/bin/busybox"


def _engine_reason() -> str | None:
    if shutil.which("docker") is None:
        return "the docker CLI is not installed"
    if not Path(BUSYBOX).is_file():
        return "busybox-static is not installed (apt-get install busybox-static)"
    try:
        done = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except subprocess.TimeoutExpired:
        return "`docker info` hung for 20 s"
    if done.returncode != 0:
        return "no Docker engine is reachable (`docker info` failed)"
    return None


@pytest.fixture(scope="session")
def docker_engine() -> None:
    reason = _engine_reason()
    if reason is None:
        return
    if os.environ.get("READYTERM_REQUIRE_DOCKER") == "1":
        pytest.fail(f"READYTERM_REQUIRE_DOCKER=1 but {reason}")
    pytest.skip(reason)


def _ours(kind: str) -> list[str]:
    command = (
        ["docker", "ps", "-aq", "--filter", f"label={LABEL}"]
        if kind == "containers"
        else ["docker", "images", "-q", "--filter", f"label={LABEL}"]
    )
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    return done.stdout.split()


def _dangling() -> list[str]:
    done = subprocess.run(
        ["docker", "images", "-q", "--filter", "dangling=true"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout.split()


@pytest.fixture
def no_leftovers(docker_engine: None) -> Iterator[None]:
    """After the test, nothing readyterm created may remain; then sweep for safety anyway.

    Untagged layers of a build that did not finish carry no label: they count when new.
    """
    dangling_before = set(_dangling())
    yield
    containers = _ours("containers")
    images = _ours("images") + [i for i in _dangling() if i not in dangling_before]
    if containers:
        subprocess.run(["docker", "rm", "-f", "-v", *containers], capture_output=True, timeout=60)
    if images:
        subprocess.run(["docker", "rmi", "-f", *images], capture_output=True, timeout=60)
    assert not containers, f"containers left behind: {containers}"
    assert not images, f"images left behind: {images}"


START_SERVING = """#!/bin/sh
/bin/httpd -f -p 8080 -h /www &
pid=$!
trap 'kill $pid; wait $pid; exit 0' TERM
wait $pid
"""


def make_app(
    root: Path,
    *,
    start: str = START_SERVING,
    files: dict[str, str] | None = None,
    user: str | None = "1000",
    healthcheck: bool = False,
    extra: str = "",
    config: str = "",
) -> Path:
    """A busybox web app: /www served by httpd; `files` adds pages and CGI scripts."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUSYBOX, root / "busybox")
    www = root / "www"
    (www / "cgi-bin").mkdir(parents=True, exist_ok=True)
    (www / "healthz").write_text("ok\n")
    for name, content in (files or {}).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
        if name.startswith("www/cgi-bin/"):
            target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    (root / "start.sh").write_text(start)
    lines = [
        "FROM scratch",
        "COPY busybox /bin/busybox",
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
        "COPY www /www",
        'RUN ["/bin/mkdir", "-m", "1777", "/tmp"]',
        "COPY start.sh /start.sh",
        "EXPOSE 8080",
    ]
    if healthcheck:
        lines.append(
            "HEALTHCHECK --interval=1s --timeout=1s --retries=2 "
            'CMD ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]'
        )
    if extra:
        lines.append(extra)
    if user:
        lines.append(f"USER {user}")
    lines.append('ENTRYPOINT ["/bin/sh", "/start.sh"]')
    (root / "Dockerfile").write_text("\n".join(lines) + "\n")
    (root / ".readyterm.yaml").write_text(config)
    return root
