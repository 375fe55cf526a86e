"""The CLI's side of the walkthrough: without a terminal it falls back to the headless run."""

from __future__ import annotations

from tests.conftest import GitRepo, run_cli


def test_without_a_terminal_the_walkthrough_runs_headless_with_a_note(repo: GitRepo) -> None:
    repo.write("tests/test_app.py", "def test_ok():\n    assert True\n")
    repo.commit("add a test")
    done = run_cli(str(repo.path), "--steps", "monitoring,tests")
    assert "not a terminal" in done.stderr, done.stderr
    assert done.stderr.count("\n") >= 1
    assert "monitoring" in done.stdout
    assert done.returncode in (0, 1), done.stderr
