"""Which Python parses the project: the declared version, the installed ones, the command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readyterm.backends import interpreters
from readyterm.backends.interpreters import OURS, Interpreter
from tests.conftest import GitRepo, run_cli

NEWER = (OURS[0], OURS[1] + 1)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (".python-version", "3.12.1\n", ((3, 12), ".python-version")),
        (".python-version", "# pinned\n3.13\n", ((3, 13), ".python-version")),
        (
            "pyproject.toml",
            '[project]\nrequires-python = ">=3.12,<4"\n',
            ((3, 12), "pyproject.toml (requires-python)"),
        ),
        (
            "pyproject.toml",
            '[project]\nrequires-python = "~=3.10.2"\n',
            ((3, 10), "pyproject.toml (requires-python)"),
        ),
        (
            "pyproject.toml",
            '[tool.ruff]\ntarget-version = "py312"\n',
            ((3, 12), "pyproject.toml (tool.ruff.target-version)"),
        ),
        (
            "pyproject.toml",
            '[project]\nclassifiers = ["Programming Language :: Python :: 3.13",'
            ' "Programming Language :: Python :: 3.12", "Programming Language :: Python :: 3"]\n',
            ((3, 12), "pyproject.toml (classifiers)"),
        ),
        (
            "setup.cfg",
            "[options]\npython_requires = >=3.12\n",
            ((3, 12), "setup.cfg (python_requires)"),
        ),
        ("runtime.txt", "python-3.12.4\n", ((3, 12), "runtime.txt")),
    ],
)
def test_the_declared_version_is_read_where_projects_declare_it(
    tmp_path: Path, name: str, text: str, expected: tuple[tuple[int, int], str]
) -> None:
    (tmp_path / name).write_text(text)
    assert interpreters.declared_version(tmp_path) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", b"[project\nrequires-python = "),  # broken TOML
        ("pyproject.toml", b"[project]\nrequires-python = 312\n"),  # wrong type
        ("pyproject.toml", b'project = "x"\ntool = 3\n'),  # wrong shapes
        ("setup.cfg", b"not an ini file [[["),
        (".python-version", b"\xff\xfe\x00garbage"),  # not UTF-8
        (".python-version", b"system\n"),  # pyenv's name for the OS's Python
        ("runtime.txt", b"node-20\n"),
    ],
)
def test_odd_declarations_are_ignored_not_fatal(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    assert interpreters.declared_version(tmp_path) is None


def test_a_declaration_that_is_a_folder_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    (tmp_path / ".python-version").mkdir()
    assert interpreters.declared_version(tmp_path) is None


def _fake_python(folder: Path) -> Path:
    folder.mkdir(parents=True)
    script = folder / "python3"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    script.chmod(0o755)
    return script


def test_installed_pythons_are_found_under_pyenv_and_uv_newest_first(tmp_path: Path) -> None:
    pyenv = tmp_path / "pyenv"
    newest = (OURS[0], OURS[1] + 2)
    one = _fake_python(pyenv / "versions" / f"3.{NEWER[1]}.1" / "bin")
    two = _fake_python(tmp_path / "uv" / f"cpython-3.{newest[1]}.0-linux-x86_64-gnu" / "bin")
    _fake_python(pyenv / "versions" / f"3.{OURS[1] - 1}.9" / "bin")  # older: never used
    _fake_python(pyenv / "versions" / "pypy3.10-7.3" / "bin")  # not CPython 3.N: skipped
    (pyenv / "versions" / f"3.{NEWER[1]}.0" / "bin").mkdir(parents=True)  # no executable
    env = {"PATH": "", "PYENV_ROOT": str(pyenv), "UV_PYTHON_INSTALL_DIR": str(tmp_path / "uv")}
    found = interpreters.installed(env)
    assert found == [Interpreter(newest, str(two)), Interpreter(NEWER, str(one))]
    assert interpreters.choose(None, found) == Interpreter(newest, str(two))
    assert interpreters.choose(NEWER, found) == Interpreter(NEWER, str(one))
    assert interpreters.choose((3, 99), found) is None


def test_python3_n_on_path_is_found_but_pyenv_shims_are_not(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    shims = tmp_path / "shims"
    bin_dir.mkdir()
    shims.mkdir()
    (bin_dir / f"python3.{NEWER[1]}").symlink_to(sys.executable)
    (shims / f"python3.{NEWER[1] + 1}").symlink_to(sys.executable)
    env = {"PATH": f"{shims}{os.pathsep}{bin_dir}", "HOME": str(tmp_path / "home")}
    assert interpreters.installed(env) == [Interpreter(NEWER, str(bin_dir / f"python3.{NEWER[1]}"))]


def test_no_interpreters_at_all(tmp_path: Path) -> None:
    env = {"PATH": "", "HOME": str(tmp_path)}
    assert interpreters.installed(env) == []
    assert interpreters.choose(None, interpreters.installed(env)) is None
    assert "python 3.12" in interpreters.install_hint((3, 12)).lower()


def test_the_bandit_command_runs_readyterms_bandit_isolated(tmp_path: Path) -> None:
    """Run under our own interpreter: the command imports bandit from readyterm's folder even
    with -I, and a hostile PYTHONPATH does not shadow it."""
    shadow = tmp_path / "shadow" / "bandit"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise SystemExit('shadowed')\n")
    target = tmp_path / "app.py"
    target.write_text("import pickle\npickle.loads(data)\n")
    argv = interpreters.bandit_command(Interpreter(OURS, sys.executable))
    assert argv is not None
    done = subprocess.run(
        [*argv, "-f", "json", "-q", str(target)],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "shadow")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert {r["test_id"] for r in json.loads(done.stdout)["results"]} >= {"B301", "B403"}


# --- a whole run on code that needs a newer Python than readyterm's --------------------------

#: PEP 701: the same quotes inside an f-string's braces parse from Python 3.12 on.
NEW_SYNTAX = (
    "import tempfile\n\n"
    "def report(rows):\n"
    "    path = tempfile.mktemp()\n"
    '    return f"{", ".join(row["name"] for row in rows)} -> {path}"\n'
)
NEEDS = (3, 12)


def _only_git_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment in which no Python besides readyterm's own can be found."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    git = shutil.which("git")
    assert git is not None
    (bin_dir / "git").symlink_to(git)
    empty = tmp_path / "none"
    empty.mkdir()
    return {
        "PATH": str(bin_dir),
        "HOME": str(empty),
        "PYENV_ROOT": str(empty),
        "UV_PYTHON_INSTALL_DIR": str(empty),
    }


def _input_validation(repo: GitRepo, env: dict[str, str], *args: str) -> tuple[int, dict]:
    done = run_cli(
        "--ci",
        str(repo.path),
        "--format",
        "json",
        "--no-cache",
        "--steps",
        "input-validation",
        *args,
        env=env,
        timeout=180,
    )
    assert "Traceback" not in done.stderr
    [step] = [s for s in json.loads(done.stdout)["steps"] if s["id"] == "input-validation"]
    return done.returncode, step


@pytest.mark.skipif(OURS >= NEEDS, reason="readyterm's own Python parses PEP 701 f-strings")
def test_without_a_newer_python_the_file_is_listed_with_the_fix_and_the_run_judged(
    repo: GitRepo, tmp_path: Path
) -> None:
    """Declared 3.12, none installed: the semgrep rules judge it, the summary says how to
    let bandit read it too."""
    repo.write(".python-version", "3.12\n")
    repo.write("app/report.py", NEW_SYNTAX)
    repo.commit("report")
    code, step = _input_validation(repo, _only_git_on_path(tmp_path))
    assert code == 0, step
    assert step["status"] == "pass"
    assert "read by some checks only" in step["summary"]
    assert "app/report.py: bandit: syntax error while parsing AST" in step["summary"]
    assert "install Python 3.12 or newer" in step["summary"]


@pytest.mark.skipif(OURS >= NEEDS, reason="readyterm's own Python parses PEP 701 f-strings")
def test_with_nothing_declared_and_no_newer_python_a_file_that_fails_blocks(
    repo: GitRepo, tmp_path: Path
) -> None:
    """The newest Python there is cannot parse it: no check judged the file, so it blocks
    rather than pass unread, and the fix says to declare the version it needs."""
    repo.write("app/report.py", NEW_SYNTAX)
    repo.commit("report")
    code, step = _input_validation(repo, _only_git_on_path(tmp_path))
    assert code == 1, step
    [finding] = [f for f in step["findings"] if f["rule"] == "python-syntax-error"]
    assert finding["path"] == "app/report.py" and "declare the Python" in finding["fix"]


@pytest.mark.skipif(OURS >= NEEDS, reason="readyterm's own Python parses PEP 701 f-strings")
@pytest.mark.skipif(
    not [p for p in interpreters.installed(os.environ) if p.version >= NEEDS],
    reason="no Python >= 3.12 installed on this machine",
)
@pytest.mark.parametrize("declared", [None, "3.12"])
def test_a_newer_installed_python_parses_what_ours_cannot(
    repo: GitRepo, declared: str | None
) -> None:
    """Declared: bandit runs under that Python from the start; not declared: the files ours
    could not parse are scanned again under the newest one. Either way bandit's own finding
    in the file (tempfile.mktemp, B306) is reported and nothing is left unread."""
    if declared:
        repo.write(".python-version", declared + "\n")
    repo.write("app/report.py", NEW_SYNTAX)
    repo.commit("report")
    code, step = _input_validation(repo, {})
    assert "could not" not in step["summary"] and "some checks only" not in step["summary"]
    assert ("bandit-B306", "app/report.py", 4) in {
        (f["rule"], f["path"], f["line"]) for f in step["findings"]
    }
    assert code == 0  # B306 is a warning


@pytest.mark.skipif(OURS >= NEEDS, reason="readyterm's own Python parses PEP 701 f-strings")
@pytest.mark.skipif(
    not [p for p in interpreters.installed(os.environ) if p.version >= NEEDS],
    reason="no Python >= 3.12 installed on this machine",
)
def test_a_cached_result_does_not_outlive_the_declared_python(
    repo: GitRepo, tmp_path: Path
) -> None:
    """The file's bytes stay the same while the project moves from 3.11 to 3.12: the cached
    'does not parse' from the first run must not answer the second."""
    env = {"READYTERM_CACHE_DIR": str(tmp_path / "cache")}
    repo.write(".python-version", "3.11\n")
    repo.write("app/report.py", NEW_SYNTAX)
    repo.commit("report")

    def run() -> tuple[int, set[str]]:
        done = run_cli(
            "--ci", str(repo.path), "--format", "json", "--all", "--steps", "input-validation",
            env=env, timeout=180,
        )  # fmt: skip
        assert "Traceback" not in done.stderr
        [step] = [s for s in json.loads(done.stdout)["steps"] if s["id"] == "input-validation"]
        return done.returncode, {f["rule"] for f in step["findings"]}

    code, rules = run()
    assert code == 1 and "python-syntax-error" in rules  # 3.11 is what the project runs on

    repo.write(".python-version", "3.12\n")
    repo.commit("needs 3.12")
    code, rules = run()
    assert "python-syntax-error" not in rules and "bandit-B306" in rules
    assert code == 0
