"""Where a finding lives changes what it means: test code and examples do not run in production."""

from __future__ import annotations

import json

from tests.conftest import GitRepo, run_cli


def test_findings_in_tests_and_examples_are_advice_not_blockers(repo: GitRepo) -> None:
    repo.write("tests/test_client.py", 'API = "http://localhost:8000/api"\n')
    repo.write("examples/quickstart.py", 'API = "http://localhost:8000/api"\n')
    repo.write("app/client.py", 'API = "http://localhost:8000/api"\n')
    repo.commit()
    done = run_cli("--ci", str(repo.path), "--steps", "environment", "--format", "json")
    result = json.loads(done.stdout)
    [environment] = [s for s in result["steps"] if s["id"] == "environment"]
    severity = {f["path"]: f["severity"] for f in environment["findings"]}
    assert severity.get("app/client.py") == "blocker"
    assert severity.get("examples/quickstart.py") == "info"
    assert done.returncode == 1  # the production file still blocks

    repo.git("rm", "--quiet", "app/client.py")
    repo.commit()
    done = run_cli("--ci", str(repo.path), "--steps", "environment", "--format", "json")
    assert done.returncode == 0, done.stdout
    result = json.loads(done.stdout)
    [environment] = [s for s in result["steps"] if s["id"] == "environment"]
    assert environment["status"] == "pass"
    assert all(f["severity"] == "info" for f in environment["findings"])


def test_a_config_override_still_wins_over_the_test_code_downgrade(repo: GitRepo) -> None:
    repo.write(
        ".readyterm.yaml", "steps:\n  environment:\n    severity: {localhost-url: blocker}\n"
    )
    repo.write("examples/quickstart.py", 'API = "http://localhost:8000/api"\n')
    repo.commit()
    done = run_cli("--ci", str(repo.path), "--steps", "environment", "--format", "json")
    assert done.returncode == 1, done.stdout
