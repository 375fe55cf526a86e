from __future__ import annotations

import json

from tests.conftest import GitRepo, run_cli


def test_a_localhost_url_in_the_change_fails_the_gate(repo: GitRepo) -> None:
    repo.write("app/client.py", 'import requests\n\nAPI = "http://localhost:8000/api"\n')
    repo.commit("add client")
    done = run_cli("--ci", str(repo.path), "--format", "json", "--no-staging")
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert result["verdict"] == "not-ready"
    environment = next(s for s in result["steps"] if s["id"] == "environment")
    assert environment["status"] == "fail"
    assert any(f["path"] == "app/client.py" and f["line"] == 3 for f in environment["findings"])
