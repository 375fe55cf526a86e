"""The staging step against a real Docker engine, with apps broken in every way the issue lists."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from readyterm.backends.staging.build import LABEL
from tests.conftest import run_cli
from tests.staging.conftest import START_SERVING, make_app

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftovers")]

QUIET = """
staging:
  health: /healthz
  ready_timeout: 4
  grace_period: 3
  burst: {requests: 40, concurrency: 8}
  probes: {empty_env: false, no_network: false}
"""


def staging(
    root: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[int, dict[str, Any], str]:
    done = run_cli(
        "--ci", str(root), "--all", "--steps", "staging", "--format", "json", *extra, env=env
    )
    assert "Traceback" not in done.stderr, done.stderr
    result = json.loads(done.stdout) if done.stdout.strip() else {}
    step = next((s for s in result.get("steps", []) if s["id"] == "staging"), {})
    return done.returncode, step, done.stderr


def rules(step: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in step["findings"]}


def probes(step: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["outcome"] for p in step["details"]["probes"]}


def test_a_healthy_app_passes_every_probe(tmp_path: Path) -> None:
    start = """#!/bin/sh
[ -n "$DATABASE_URL" ] || { echo "config error: DATABASE_URL is required"; exit 1; }
/bin/httpd -f -p 8080 -h /www &
pid=$!
trap 'kill $pid; wait $pid; exit 0' TERM
wait $pid
"""
    app = make_app(
        tmp_path / "app",
        start=start,
        healthcheck=True,
        files={
            "www/api/orders": "[]\n",
            "deploy/staging.env": "DATABASE_URL=postgres://db:5432/x\n",
        },
        config="""
staging:
  health: /healthz
  smoke: [/api/orders]
  env_file: deploy/staging.env
  ready_timeout: 6
  grace_period: 3
  burst: {requests: 60, concurrency: 10}
""",
    )
    code, step, stderr = staging(app)
    assert code == 0, (step, stderr)
    assert step["status"] == "pass"
    assert step["findings"] == []
    outcomes = probes(step)
    assert outcomes["build"] == "pass"
    assert outcomes["ready"] == "pass"
    assert outcomes["health /healthz"] == "pass"
    assert outcomes["smoke /api/orders"] == "pass"
    assert outcomes["burst"] == "pass"
    assert outcomes["stop"] == "pass"
    assert outcomes["empty-env"] == "pass"  # failed fast, naming DATABASE_URL
    assert outcomes["no-network"] == "pass"
    assert step["details"]["image"]["digest"].startswith("sha256:")


def test_an_app_that_crashes_at_start_fails_with_its_exit_code_and_log(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "app",
        start="#!/bin/sh\necho 'fatal: cannot load settings.toml'\nexit 3\n",
        config=QUIET,
    )
    code, step, _ = staging(app)
    assert code == 1
    assert step["status"] == "fail"
    [finding] = [f for f in step["findings"] if f["rule"] == "staging-exited"]
    assert "exited with code 3" in finding["message"]
    assert "cannot load settings.toml" in finding["message"]


def test_an_app_that_never_becomes_ready_is_reported_as_such(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app", start="#!/bin/sh\nexec sleep 600\n", config=QUIET)
    started = time.monotonic()
    code, step, _ = staging(app)
    assert code == 1
    assert "staging-not-ready" in rules(step)
    assert "never became ready in 4 s" in step["findings"][0]["message"]
    assert time.monotonic() - started < 60


def test_a_health_path_answering_404_is_unhealthy(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app", config=QUIET.replace("/healthz", "/health-missing"))
    code, step, _ = staging(app)
    assert code == 1
    [finding] = [f for f in step["findings"] if f["rule"] == "staging-unhealthy"]
    assert "answered 404" in finding["message"]


def test_an_image_that_runs_as_root_and_has_no_healthcheck_is_warned_about(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app", user=None, config=QUIET.replace("  health: /healthz\n", ""))
    code, step, _ = staging(app)
    assert {"staging-runs-as-root", "staging-no-healthcheck"} <= rules(step)
    assert step["status"] == "pass" and code == 0  # warnings only...
    code, step, _ = staging(app, "--strict")
    assert code == 1 and step["status"] == "fail"  # ...until --strict


def test_an_app_that_ignores_sigterm_has_to_be_killed(tmp_path: Path) -> None:
    # As PID 1, httpd gets no default SIGTERM handler: it ignores the signal.
    app = make_app(
        tmp_path / "app", start="#!/bin/sh\nexec /bin/httpd -f -p 8080 -h /www\n", config=QUIET
    )
    code, step, _ = staging(app)
    [killed] = [f for f in step["findings"] if f["rule"] == "staging-killed-on-stop"]
    assert killed["severity"] == "blocker"
    assert "exec form" in killed["fix"] and "--init" in killed["fix"]
    assert probes(step)["stop"] == "fail"
    assert step["status"] == "fail" and code == 1  # dropping in-flight requests blocks
    # a team that accepts it says so in the config
    accepted = QUIET + "steps:\n  staging:\n    severity: {staging-killed-on-stop: warning}\n"
    (app / ".readyterm.yaml").write_text(accepted)
    code, step, _ = staging(app)
    assert "staging-killed-on-stop" in rules(step)
    assert step["status"] == "pass" and code == 0


def test_a_smoke_path_that_fails_under_the_burst_blocks(tmp_path: Path) -> None:
    # Fine alone, 500 when another request holds the lock: a read-modify-write race.
    cgi = """#!/bin/sh
if mkdir /tmp/lock 2>/dev/null; then
  sleep 0.2; rmdir /tmp/lock
  printf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'
else
  printf 'Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\nbusy\\n'
fi
"""
    app = make_app(
        tmp_path / "app",
        files={"www/cgi-bin/orders": cgi},
        config=QUIET.replace("  ready_timeout", "  smoke: [/cgi-bin/orders]\n  ready_timeout"),
    )
    code, step, _ = staging(app)
    assert code == 1
    assert probes(step)["smoke /cgi-bin/orders"] == "pass"
    assert probes(step)["burst"] == "fail"
    [finding] = [f for f in step["findings"] if f["rule"] == "staging-burst-errors"]
    assert "5xx" in finding["message"]


def test_a_traceback_in_the_log_is_a_finding_with_the_exception_line(tmp_path: Path) -> None:
    start = """#!/bin/sh
echo 'Traceback (most recent call last):'
echo '  File "/app/main.py", line 3, in <module>'
echo 'ValueError: PAYMENT_API is not a URL'
""" + START_SERVING.split("\n", 1)[1]
    app = make_app(tmp_path / "app", start=start, config=QUIET)
    code, step, _ = staging(app)
    assert code == 1
    [finding] = [f for f in step["findings"] if f["rule"] == "staging-log-traceback"]
    assert "ValueError: PAYMENT_API is not a URL" in finding["message"]


def test_an_app_that_needs_an_env_var_fails_fast_without_it(tmp_path: Path) -> None:
    start = """#!/bin/sh
[ -n "$DATABASE_URL" ] || { echo "DATABASE_URL must be set"; exit 78; }
exec sleep 600
"""
    app = make_app(tmp_path / "app", start=start, config=QUIET)
    code, step, _ = staging(app)
    assert code == 1
    [finding] = [f for f in step["findings"] if f["rule"] == "staging-exited"]
    assert "code 78" in finding["message"] and "DATABASE_URL must be set" in finding["message"]


def test_docker_unreachable_is_an_error_with_the_fix(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app", config=QUIET)
    done = run_cli(
        "--ci",
        str(app),
        "--all",
        "--steps",
        "staging",
        env={"DOCKER_HOST": f"unix://{tmp_path}/no-such-docker.sock"},
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "cannot reach the Docker engine" in done.stdout
    assert "--no-staging" in done.stdout
    assert "Traceback" not in done.stderr


def test_no_staging_and_no_dockerfile_skip_with_the_reason(tmp_path: Path) -> None:
    app = make_app(tmp_path / "app", config=QUIET)
    code, step, _ = staging(app, "--no-staging")
    assert code == 0 and step["status"] == "skipped" and "--no-staging" in step["summary"]
    (app / "Dockerfile").unlink()
    code, step, _ = staging(app)
    assert code == 0 and step["status"] == "skipped" and "no Dockerfile" in step["summary"]


def test_a_repository_config_cannot_ask_for_privileges(tmp_path: Path) -> None:
    for key in (
        "privileged: true",
        "network_mode: host",
        "volumes: ['/:/host']",
        "cap_add: [SYS_ADMIN]",
    ):
        app = make_app(tmp_path / key.split(":")[0], config=f"staging:\n  {key}\n")
        done = run_cli("--ci", str(app), "--all", "--steps", "staging")
        assert done.returncode == 2, done.stdout
        assert "unknown key" in done.stderr and "staging." in done.stderr


def test_a_broken_dockerfile_fails_at_its_step(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "app", extra='RUN ["/bin/sh", "-c", "echo compiling; exit 7"]', config=QUIET
    )
    code, step, _ = staging(app)
    assert code == 1
    [finding] = [f for f in step["findings"] if f["rule"] == "staging-build-failed"]
    assert "exit 7" in finding["message"] or "code: 7" in finding["message"]
    assert "Step" in finding["message"]


def test_an_unreachable_base_image_is_an_error_not_a_failure(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "Dockerfile").write_text("FROM registry.invalid/nothing/here:1\n")
    (app / ".readyterm.yaml").write_text(QUIET)
    code, step, _ = staging(app)
    assert code == 3, step
    assert step["status"] == "error"


def test_empty_env_probe_catches_an_app_that_falls_back_to_localhost(tmp_path: Path) -> None:
    start = """#!/bin/sh
DB="${DATABASE_URL:-postgres://localhost:5432/app}"
case "$DB" in *localhost*) echo "db: connection refused to localhost:5432, retrying";; esac
/bin/httpd -f -p 8080 -h /www &
pid=$!
trap 'kill $pid; wait $pid; exit 0' TERM
wait $pid
"""
    app = make_app(
        tmp_path / "app",
        start=start,
        files={"deploy/staging.env": "DATABASE_URL=postgres://db:5432/app\n"},
        config=QUIET.replace("empty_env: false", "empty_env: true")
        + "  env_file: deploy/staging.env\n",
    )
    code, step, _ = staging(app)
    assert code == 1
    assert "staging-empty-env-localhost" in rules(step)
    assert probes(step)["empty-env"] == "fail"


def test_no_network_probe_flags_an_app_that_hangs_unhealthy(tmp_path: Path) -> None:
    # Healthy with a network; without one it blocks on its dependency and never serves.
    start = """#!/bin/sh
[ -e /sys/class/net/eth0 ] || exec sleep 600  # no route to the database: block forever
/bin/httpd -f -p 8080 -h /www &
pid=$!
trap 'kill $pid; wait $pid; exit 0' TERM
wait $pid
"""
    app = make_app(
        tmp_path / "app",
        start=start,
        healthcheck=True,
        config=QUIET.replace("no_network: false", "no_network: true"),
    )
    code, step, _ = staging(app)
    assert probes(step)["no-network"] == "fail", step
    assert "staging-no-network-hangs" in rules(step)
    assert code == 0  # a warning


def test_ctrl_c_mid_run_leaves_nothing_behind(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "app",
        start="#!/bin/sh\nexec sleep 600\n",
        config=QUIET.replace("ready_timeout: 4", "ready_timeout: 120"),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "readyterm",
            "--ci",
            str(app),
            "--all",
            "--steps",
            "staging",
            "--write-record",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            running = subprocess.run(
                ["docker", "ps", "-q", "--filter", f"label={LABEL}"],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout.split()
            if running:
                break
            time.sleep(0.3)
        else:
            pytest.fail("the staging container never started")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not (app / ".readyterm" / "records").exists()
    # The no_leftovers fixture asserts no container or image of ours remains.
