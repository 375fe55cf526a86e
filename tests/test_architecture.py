"""The layers of docs/architecture.md hold.

The core (everything but the walkthrough) never imports Textual: CI images and coding
agents run readyterm headless. No module takes part in an import cycle, not even through
an import inside a function (`lint-imports` in `make check` checks the layers).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp

import readyterm
from tests.conftest import GitRepo

PACKAGE = Path(readyterm.__file__).resolve().parent
#: Folders of the package that are not core: the Textual front end, and data files.
NOT_CORE = ("tui", "demo_app", "_rules", "schemas")


def core_modules() -> list[str]:
    modules = []
    for file in sorted(PACKAGE.rglob("*.py")):
        relative = file.relative_to(PACKAGE)
        if relative.parts[0] in NOT_CORE or file.name == "__main__.py":
            continue
        parts = ["readyterm", *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules.append(".".join(parts))
    return modules


def run_python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_core_modules_are_found() -> None:
    modules = core_modules()
    for layer in ("cli", "reports", "engine", "backends", "foundation"):
        assert f"readyterm.{layer}" in modules
    for name in ("readyterm", "readyterm.engine.runner", "readyterm.cli", "readyterm.cli.commands"):
        assert name in modules
    assert "readyterm.backends.semgrep" in modules
    assert not [m for m in modules if m.startswith("readyterm.tui")]


def test_importing_any_core_module_leaves_textual_out() -> None:
    """One fresh interpreter imports the core module by module and names the first culprit."""
    done = run_python(
        f"""
        import importlib, json, sys
        for name in {json.dumps(core_modules())}:
            importlib.import_module(name)
            leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith(
                ("textual.", "readyterm.tui")))
            if leaked:
                print(json.dumps({{"module": name, "leaked": leaked[:5]}}))
                sys.exit(1)
        print("ok")
        """
    )
    assert done.returncode == 0, f"{done.stdout}{done.stderr}"
    assert done.stdout.strip() == "ok"


def test_a_headless_run_never_imports_textual(repo: GitRepo) -> None:
    """Not just the imports: running --ci, verify and steps loads no Textual either."""
    done = run_python(
        f"""
        import contextlib, io, json, sys
        from readyterm.cli import main
        codes = []
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            codes.append(main(["--ci", {str(repo.path)!r}, "--steps", "monitoring"]))
            codes.append(main(["verify", {str(repo.path)!r}]))
            codes.append(main(["steps", "--format", "json"]))
        leaked = [m for m in sys.modules if m == "textual" or m.startswith("textual.")]
        print(json.dumps({{"codes": codes, "leaked": leaked}}))
        """
    )
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["leaked"] == []
    # --ci ran (ready), verify found no record (2), steps listed them (0): nothing crashed.
    assert outcome["codes"] == [0, 2, 0], done.stdout


def test_the_walkthroughs_process_imports_no_scanning_code() -> None:
    """Its first frame waits for every import: the helper process imports the scanners.

    What the app's process loads on the way to its first frame (the command line, the
    walkthrough, the app) leaves the runner, the backends, the config and record models
    and their libraries to the checks' helper, and to the moment a dialog needs them.
    """
    done = run_python(
        """
        import json, sys
        import readyterm.cli, readyterm.tui, readyterm.tui.app
        scanning = ("readyterm.engine.runner", "readyterm.backends",
                    "readyterm.foundation.config", "readyterm.engine.record",
                    "readyterm.engine.decisions", "readyterm.engine.scope",
                    "readyterm.engine.cache", "pydantic", "jsonschema", "yaml", "sqlite3")
        print(json.dumps(sorted(m for m in scanning if m in sys.modules)))
        """
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child)
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_no_module_takes_part_in_an_import_cycle() -> None:
    """Imports inside functions and under TYPE_CHECKING count too: no cycle is dodged."""
    graph = grimp.build_graph("readyterm", cache_dir=None)
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert import_cycles(graph) == [["pkg.a", "pkg.b"]]


def test_the_architecture_page_names_only_modules_that_exist() -> None:
    """docs/architecture.md matches the code: every module and folder it names is there."""
    page = PACKAGE.parent / "docs" / "architecture.md"
    if not page.is_file():  # an installed wheel carries no docs
        return
    text = page.read_text("utf-8")
    layers = re.findall(r"`readyterm/(\w+)/`", text)
    assert {"cli", "tui", "reports", "engine", "backends", "foundation"} <= set(layers)
    named = set(re.findall(r"`((?:cli|tui|reports|engine|backends|foundation)/[\w/]+\.py)`", text))
    named |= {f"{layer}/{name}" for layer, name in re.findall(r"`(\w+)/(\w+\.py)`", text)}
    assert len(named) > 20
    # Paths inside the package, or from the repository's root (tests/...).
    missing = sorted(
        n for n in named if not any((d / n).is_file() for d in (PACKAGE, PACKAGE.parent))
    )
    assert missing == []
