"""What the project's tests are written with: the runner, its fixtures, where the tests are.

Fed to the fix prompt, so an assistant asked for adversarial tests writes them the way the
project already does (its pytest fixtures, its test folder), not in a framework of its own.
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

_PRUNED = frozenset({".git", "node_modules", ".venv", "venv", "env", ".tox", ".nox", "build"})
_MAX_FILES = 200
_MAX_BYTES = 500_000
_SHOWN = 12
_JS_RUNNERS = ("vitest", "jest", "mocha", "ava", "tap", "node --test")


def describe(root: Path) -> dict[str, Any]:
    files = _test_files(root)
    fixtures: list[str] = []
    for name in files:
        if name.endswith(".py"):
            fixtures += [f for f in _pytest_fixtures(root / name) if f not in fixtures]
    return {
        "test_files": files[:_SHOWN],
        "fixtures": fixtures[:_SHOWN],
        "js_runner": _js_runner(root),
    }


def _test_files(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _PRUNED and not d.startswith("."))
        for name in sorted(files):
            if _is_test(name):
                found.append((Path(folder) / name).relative_to(root).as_posix())
        if len(found) >= _MAX_FILES:
            break
    return found


def _is_test(name: str) -> bool:
    if name == "conftest.py":
        return True
    if name.endswith(".py"):
        return name.startswith("test_") or name.endswith("_test.py")
    return any(f".{kind}." in name for kind in ("test", "spec")) and name.endswith(
        (".js", ".mjs", ".cjs", ".ts", ".mts", ".jsx", ".tsx")
    )


def _pytest_fixtures(path: Path) -> list[str]:
    try:
        if path.stat().st_size > _MAX_BYTES:
            return []
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            "fixture" in ast.unparse(decorator) for decorator in node.decorator_list
        ):
            names.append(node.name)
    return names


def _js_runner(root: Path) -> str | None:
    try:
        manifest = json.loads((root / "package.json").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(manifest, dict):
        return None
    scripts = manifest.get("scripts")
    script = scripts.get("test") if isinstance(scripts, dict) else None
    text = script if isinstance(script, str) else ""
    packages = {
        **(manifest.get("devDependencies") or {}),
        **(manifest.get("dependencies") or {}),
    }
    return next((r for r in _JS_RUNNERS if r in text or r in packages), None)
