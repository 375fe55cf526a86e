"""The staging env file: the container's only environment (the host's never leaks in)."""

from __future__ import annotations

import re
from pathlib import Path

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def read_env_file(root: Path, name: str | None) -> dict[str, str]:
    """Parse KEY=VALUE lines (`export`, quotes and comments allowed); ValueError names the line."""
    if name is None:
        return {}
    path = (root / name).resolve()
    if not path.is_file():
        raise ValueError(f"staging.env_file {name!r} does not exist; create it or unset the key")
    environment: dict[str, str] = {}
    for number, raw in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not _NAME.match(key):
            raise ValueError(f"{name}:{number}: expected KEY=VALUE, got {raw.strip()[:80]!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        environment[key] = value
    return environment
