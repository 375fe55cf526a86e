"""The break-it probes against real busybox containers: each defect is found, each twin quiet."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli
from tests.staging.conftest import START_SERVING, make_app
from tests.staging.test_staging import probes, rules, staging

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leftovers")]

BASE = """
staging:
  health: /healthz
  ready_timeout: 6
  grace_period: 3
  burst: {requests: 10, concurrency: 2}
  probes: {empty_env: false, no_network: false}
  outage: {enabled: false}
  hadolint: {enabled: false}
"""

# `answer STATUS TYPE BODY` writes a CGI response.
CGI_HEAD = r"""#!/bin/sh
body=$(head -c "${CONTENT_LENGTH:-0}")
answer() { printf 'Status: %s\r\nContent-Type: %s\r\n\r\n%s\n' "$1" "$2" "$3"; }
"""

# Parses its body like a careless app: anything but a JSON object crashes it.
ORDERS_CRASHING = (
    CGI_HEAD
    + """case "$body" in
  '{'*'}') answer 200 application/json '{"id": 1}' ;;
  *) echo 'Traceback (most recent call last):' >&2
     echo 'json.decoder.JSONDecodeError: Expecting value: line 1 column 1' >&2
     answer 500 text/plain 'Traceback (most recent call last):
  File "/app/orders.py", line 9, in create' ;;
esac
"""
)
# The fixed twin rejects what it cannot parse with a 400.
ORDERS_VALIDATING = (
    CGI_HEAD
    + """case "$CONTENT_TYPE:$body" in
  application/json:'{'*'}') answer 200 application/json '{"id": 1}' ;;
  *) answer 400 text/plain 'expected a JSON object' ;;
esac
"""
)
# The route scan finds this declaration (the file is never run: busybox serves the CGI).
ROUTES_PY = '@app.post("/cgi-bin/orders")\ndef create_order(): ...\n'


def breaks(step: dict[str, Any], prefix: str) -> set[str]:
    return {r for r in rules(step) if r.startswith(prefix)}


def sections(step: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    return step["details"]["sections"]


@pytest.mark.parametrize("fixed", [False, True], ids=["crashing", "validating"])
def test_hostile_input_finds_a_500_on_a_malformed_body(tmp_path: Path, fixed: bool) -> None:
    app = make_app(
        tmp_path / "app",
        files={
            "www/cgi-bin/orders": ORDERS_VALIDATING if fixed else ORDERS_CRASHING,
            "app.py": ROUTES_PY,
        },
        config=BASE + "  concurrency: {enabled: false}\n",
    )
    code, step, stderr = staging(app)
    sent = sections(step)["hostile input"]
    assert any("invalid JSON" in e["sent"] for e in sent), sent
    assert any("a 1 MB body" in e["sent"] for e in sent), sent
    if fixed:
        assert breaks(step, "staging-input-validation") == set(), step["findings"]
        assert probes(step)["hostile-input"] == "pass"
        assert code == 0, stderr
        return
    assert code == 1
    assert probes(step)["hostile-input"] == "fail"
    found = {f["rule"]: f for f in step["findings"]}
    assert "staging-input-validation-stack-trace" in found, found
    message = found["staging-input-validation-stack-trace"]["message"]
    assert "POST /cgi-bin/orders" in message and "invalid JSON" in message
    assert "replay: curl -sS -i -X POST http://127.0.0.1:" in message
    assert '--data-binary \'{"id": 1, "name": \'' in message
    assert "JSONDecodeError" in message  # the server's log of that moment
    assert "a 1 MB body" not in message  # a JSON object is parsed fine, even a big one
    assert found["staging-input-validation-stack-trace"]["cwe"] == ["CWE-209"]


COUNTER_READ = r"""
if [ "$REQUEST_METHOD" != POST ]; then
  answer 200 application/json "{\"count\": $(cat /tmp/count 2>/dev/null || echo 0)}"
  exit 0
fi
"""
# Read, think, write: two requests that overlap both write the same number.
COUNTER_RACY = (
    CGI_HEAD
    + COUNTER_READ
    + r"""n=$(cat /tmp/count 2>/dev/null || echo 0)
sleep 0.05
echo $((n + 1)) > /tmp/count
answer 200 application/json "{\"count\": $((n + 1))}"
"""
)
# The fixed twin holds a lock (mkdir is atomic) around the read-modify-write.
COUNTER_LOCKED = (
    CGI_HEAD
    + COUNTER_READ
    + r"""
until mkdir /tmp/count.lock 2>/dev/null; do usleep 5000; done
n=$(cat /tmp/count 2>/dev/null || echo 0)
sleep 0.05
echo $((n + 1)) > /tmp/count
rmdir /tmp/count.lock
answer 200 application/json "{\"count\": $((n + 1))}"
"""
)
# A lock serialises the writes: p95 grows with the queue, which is not what this test is about.
INVARIANT = """  concurrency: {users: 50, timeout: 15, p95_ms: 10000}
  invariants:
    - {write: POST /cgi-bin/counter, read: /cgi-bin/counter, json_key: count}
"""


@pytest.mark.parametrize("fixed", [False, True], ids=["racy", "locked"])
def test_concurrent_users_find_lost_updates(tmp_path: Path, fixed: bool) -> None:
    app = make_app(
        tmp_path / "app",
        files={"www/cgi-bin/counter": COUNTER_LOCKED if fixed else COUNTER_RACY},
        config=BASE + "  hostile: {enabled: false}\n" + INVARIANT,
    )
    code, step, stderr = staging(app)
    waves = sections(step)["concurrent users"]
    assert waves[0]["sent"] == "POST /cgi-bin/counter x50 at once", waves
    assert "50 2xx" in waves[0]["got"] and "p95" in waves[0]["got"], waves
    if fixed:
        assert breaks(step, "staging-concurrency") == set(), step["findings"]
        assert "before 0, 50 writes succeeded, after 50" in waves[1]["got"], waves
        assert code == 0, stderr
        return
    [lost] = [f for f in step["findings"] if f["rule"] == "staging-concurrency-lost-update"]
    assert lost["severity"] == "blocker" and lost["cwe"] == ["CWE-362"]
    assert "50 simultaneous POST /cgi-bin/counter requests succeeded" in lost["message"]
    assert "update(s) lost" in lost["message"] and "replay 50 at once: curl" in lost["message"]
    assert code == 1


SPEC = """{"openapi": "3.0.3", "info": {"title": "items", "version": "1"},
 "paths": {"/cgi-bin/items": {"post": {
   "requestBody": {"required": true, "content": {"application/json": {"schema": {
     "type": "object", "required": ["qty"], "properties": {"qty": {"type": "integer"}}}}}},
   "responses": {
     "201": {"description": "created", "content": {"application/json": {"schema": {
       "type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}},
     "400": {"description": "not an item"}}}}}}
"""
ITEMS_VALID = """echo "$body" | grep -qE '^\\{ *"qty": *-?[0-9]+ *\\}$'"""
# Crashes on anything but the one shape it expects, and answers an id of the wrong type.
ITEMS_CRASHING = (
    CGI_HEAD
    + f"""if {ITEMS_VALID}; then
  answer 201 application/json '{{"id": "abc"}}'
else
  answer 500 text/plain 'internal error'
fi
"""
)
ITEMS_VALIDATING = (
    CGI_HEAD
    + f"""if {ITEMS_VALID}; then
  answer 201 application/json '{{"id": 1}}'
else
  answer 400 text/plain 'not an item'
fi
"""
)


@pytest.mark.parametrize("fixed", [False, True], ids=["crashing", "validating"])
def test_openapi_fuzzing_finds_5xx_and_responses_that_break_the_schema(
    tmp_path: Path, fixed: bool
) -> None:
    app = make_app(
        tmp_path / "app",
        files={
            "www/cgi-bin/items": ITEMS_VALIDATING if fixed else ITEMS_CRASHING,
            "www/openapi.json": SPEC,
        },
        config=BASE + "  concurrency: {enabled: false}\n  hostile: {max_examples: 8}\n",
    )
    code, step, stderr = staging(app)
    assert "served at /openapi.json" in next(
        p["detail"] for p in step["details"]["probes"] if p["name"] == "openapi-fuzz"
    ), step["details"]["probes"]
    assert sections(step)["API fuzzing"], step["details"]
    if fixed:
        assert breaks(step, "staging-input-validation") == set(), step["findings"]
        assert probes(step)["openapi-fuzz"] == "pass"
        assert code == 0, stderr
        return
    found = {f["rule"]: f for f in step["findings"]}
    assert {"staging-input-validation-5xx", "staging-input-validation-schema"} <= set(found)
    assert "POST /cgi-bin/items" in found["staging-input-validation-5xx"]["message"]
    assert "curl -X POST" in found["staging-input-validation-5xx"]["message"]
    assert found["staging-input-validation-schema"]["severity"] == "warning"
    assert code == 1


# A stand-in database inside the container (any TCP listener), and a start script that waits
# for DATABASE_URL's host:port before serving.
WAIT_FOR_DB = r"""#!/bin/sh
/bin/httpd -p 127.0.0.1:5432 -h /tmp
hostport=${DATABASE_URL#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
host=${hostport%:*}; port=${hostport##*:}
tries=0
until nc "$host" "$port" </dev/null >/dev/null 2>&1; do
  tries=$((tries + 1))
  GIVE_UP
  sleep 0.3
done
/bin/httpd -f -p 8080 -h /www &
pid=$!
trap 'kill $pid; wait $pid; exit 0' TERM
wait $pid
"""
# Retries forever, silently: with the database down it never serves and never exits.
HANGS_WITHOUT_DB = WAIT_FOR_DB.replace("  GIVE_UP\n", "")
# The fixed twin gives up after a few tries and says what it could not reach.
FAILS_FAST_WITHOUT_DB = WAIT_FOR_DB.replace(
    "  GIVE_UP\n",
    '  [ "$tries" -lt 5 ] || { echo "FATAL: cannot reach the database at $host:$port '
    '(DATABASE_URL): connection refused" >&2; exit 1; }\n',
)


@pytest.mark.parametrize("fixed", [False, True], ids=["hangs", "fails-fast"])
def test_dependency_outage_finds_a_service_that_hangs_without_its_database(
    tmp_path: Path, fixed: bool
) -> None:
    app = make_app(
        tmp_path / "app",
        start=FAILS_FAST_WITHOUT_DB if fixed else HANGS_WITHOUT_DB,
        files={"deploy/staging.env": "DATABASE_URL=postgres://app:secret@127.0.0.1:5432/app\n"},
        config=BASE.replace("outage: {enabled: false}", "outage: {budget: 8}")
        + "  env_file: deploy/staging.env\n",
    )
    code, step, stderr = staging(app)
    assert probes(step)["ready"] == "pass", step  # with its database it serves
    [start, outcome] = sections(step)["dependency outage"]
    assert start["sent"] == "start with DATABASE_URL" and "(closed)" in start["got"]
    if fixed:
        assert probes(step)["dependency-outage"] == "pass"
        assert "cannot reach the database" in outcome["got"]
        assert breaks(step, "staging-error-handling") == set(), step["findings"]
        assert code == 0, stderr
        return
    assert probes(step)["dependency-outage"] == "fail"
    [hang] = [f for f in step["findings"] if f["rule"] == "staging-error-handling-hangs-at-start"]
    assert "DATABASE_URL pointed at a closed port" in hang["message"]
    assert "never became ready in 6 s" in hang["message"]
    assert "secret" not in json.dumps(step)  # credentials in the URL are never shown
    assert code == 1


DB_REACHABLE = r"""hostport=${DATABASE_URL#*://}; hostport=${hostport#*@}; hostport=${hostport%%/*}
db() { nc "${hostport%:*}" "${hostport##*:}" </dev/null >/dev/null 2>&1; }
"""
# Starts without its database; each request then waits for it forever.
ORDERS_WAIT_FOR_DB = CGI_HEAD + DB_REACHABLE + "until db; do sleep 0.3; done\n"
ORDERS_WAIT_FOR_DB += "answer 200 application/json '[]'\n"
# The fixed twin answers 503 at once, and so does its health path.
ORDERS_503_WITHOUT_DB = (
    CGI_HEAD + DB_REACHABLE + "db || { answer 503 text/plain 'db down'; exit; }\n"
)
ORDERS_503_WITHOUT_DB += "answer 200 application/json '[]'\n"
SERVE_WITH_DB = START_SERVING.replace(
    "#!/bin/sh\n", "#!/bin/sh\n/bin/httpd -p 127.0.0.1:5432 -h /tmp\n"
)


@pytest.mark.parametrize("fixed", [False, True], ids=["requests-hang", "answers-503"])
def test_dependency_outage_finds_requests_that_hang_while_the_database_is_down(
    tmp_path: Path, fixed: bool
) -> None:
    cgi = ORDERS_503_WITHOUT_DB if fixed else ORDERS_WAIT_FOR_DB
    health = "/cgi-bin/health" if fixed else "/healthz"
    app = make_app(
        tmp_path / "app",
        start=SERVE_WITH_DB,
        files={
            "www/cgi-bin/orders": cgi,
            "www/cgi-bin/health": cgi,
            "deploy/staging.env": "DATABASE_URL=postgres://127.0.0.1:5432/app\n",
        },
        config=BASE.replace("/healthz", health).replace(
            "outage: {enabled: false}", "outage: {timeout: 3}"
        )
        + "  env_file: deploy/staging.env\n  smoke: [/cgi-bin/orders]\n"
        + "  hostile: {enabled: false}\n",
    )
    code, step, stderr = staging(app)
    outage = {e["sent"]: e for e in sections(step)["dependency outage"]}
    if fixed:
        assert outage["GET /cgi-bin/orders"]["got"].startswith("503"), outage
        assert probes(step)["dependency-outage"] == "pass", step["details"]["probes"]
        assert breaks(step, "staging-error-handling") == set(), step["findings"]
        assert code == 0, stderr
        return
    assert "ReadTimeout" in outage["GET /cgi-bin/orders"]["got"], outage
    assert outage["GET /healthz"]["verdict"] == "warn"  # healthy while its database is down
    assert breaks(step, "staging-error-handling") == {"staging-error-handling-request-hangs"}
    assert code == 1


def test_hadolint_findings_are_mapped_to_the_steps_they_answer(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "app",
        user="0",  # root, by number: scratch has no /etc/passwd
        # hadolint reads an unpinned package install (the build short-circuits it)
        extra="RUN true || pip install flask",
        config=BASE.replace("hadolint: {enabled: false}", "hadolint: {budget: 30}")
        + "  hostile: {enabled: false}\n  concurrency: {enabled: false}\n",
    )
    lines = (app / "Dockerfile").read_text().splitlines()
    pip_line = lines.index("RUN true || pip install flask") + 1
    code, step, stderr = staging(app)
    found = {f["rule"]: f for f in step["findings"] if f["rule"].startswith("hadolint-")}
    assert {"hadolint-DL3013", "hadolint-DL3002", "hadolint-DL3057"} <= set(found), found
    assert found["hadolint-DL3013"]["message"].startswith("environment: Pin versions in pip")
    assert found["hadolint-DL3013"]["line"] == pip_line
    assert found["hadolint-DL3002"]["message"].startswith("input-validation:")
    assert found["hadolint-DL3057"]["message"].startswith("monitoring:")
    assert probes(step)["hadolint"] == "warn"
    lint = sections(step)["Dockerfile lint"]
    assert any(e["sent"] == f"Dockerfile:{pip_line} DL3013" for e in lint), lint
    assert code == 0, stderr  # warnings only


def test_a_missing_hadolint_is_said_and_the_rest_of_staging_runs(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "app",
        config=BASE.replace("hadolint: {enabled: false}", "hadolint: {budget: 30}"),
    )
    code, step, stderr = staging(app, env={"READYTERM_HADOLINT_BIN": str(tmp_path / "nothing")})
    assert probes(step)["hadolint"] == "warn"
    detail = next(p["detail"] for p in step["details"]["probes"] if p["name"] == "hadolint")
    assert "READYTERM_HADOLINT_BIN" in detail, detail
    assert probes(step)["ready"] == "pass" and code == 0, stderr


# Every defect at once, with the default budgets: the whole run must stay bounded.
SEARCH_HANGS_ON_SQL = (
    CGI_HEAD
    + """case "$QUERY_STRING" in
  *%27*) sleep 30 ;;  # a quote in the query: the 'database' locks up
esac
answer 200 application/json '[]'
"""
)
EVERYTHING_WRONG = """
staging:
  health: /healthz
  env_file: deploy/staging.env
  routes: [GET /cgi-bin/search]
  invariants:
    - {write: POST /cgi-bin/counter, read: /cgi-bin/counter, json_key: count}
  concurrency: {p95_ms: 10000}
"""


def test_a_whole_run_with_every_probe_on_a_broken_app_stays_under_a_minute(
    tmp_path: Path,
) -> None:
    app = make_app(
        tmp_path / "app",
        start=HANGS_WITHOUT_DB,
        files={
            "www/cgi-bin/orders": ORDERS_CRASHING,
            "www/cgi-bin/counter": COUNTER_RACY,
            "www/cgi-bin/search": SEARCH_HANGS_ON_SQL,
            "app.py": ROUTES_PY,
            "deploy/staging.env": "DATABASE_URL=postgres://app:secret@127.0.0.1:5432/app\n",
        },
        config=EVERYTHING_WRONG,
    )
    started = time.monotonic()
    code, step, stderr = staging(app, "--write-record")
    seconds = time.monotonic() - started
    assert code == 1, stderr
    assert {
        "staging-input-validation-stack-trace",
        "staging-input-validation-hang",
        "staging-concurrency-lost-update",
        "staging-error-handling-hangs-at-start",
    } <= rules(step), rules(step)
    assert seconds < 60, f"the whole staging run took {seconds:.1f} s"
    # the record keeps a line per probe and what each sent
    [record] = (app / ".readyterm" / "records").glob("*.yaml")
    staged = yaml.safe_load(record.read_text())["staging"]
    names = {p["name"] for p in staged["probes"]}
    assert {"hostile-input", "concurrency", "dependency-outage", "hadolint"} <= names
    assert set(staged["sections"]) >= {"hostile input", "concurrent users", "dependency outage"}
    assert "secret" not in record.read_text()


def interrupt_when(app: Path, marker: str, wait: float = 1.0) -> tuple[int | None, str]:
    """Run staging, press Ctrl-C once the progress on stderr shows `marker`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "readyterm", "--ci", str(app), "--all", "--steps", "staging"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    try:
        assert process.stderr is not None
        for line in process.stderr:  # the staging progress streams to stderr
            seen.append(line)
            if marker in line:
                break
        else:
            pytest.fail(f"{marker!r} never showed:\n" + "".join(seen))
        time.sleep(wait)
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, "".join(seen) + rest


def test_ctrl_c_during_the_outage_run_leaves_nothing_behind(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "app",
        start=HANGS_WITHOUT_DB,
        files={"deploy/staging.env": "DATABASE_URL=postgres://127.0.0.1:5432/app\n"},
        config=BASE.replace("outage: {enabled: false}", "outage: {budget: 60}")
        + "  env_file: deploy/staging.env\n",
    )
    code, output = interrupt_when(app, "dependency outage")  # its container waits for the db
    assert code == 130, output
    assert "Traceback" not in output
    # The no_leftovers fixture asserts no container or image of ours remains.


def test_ctrl_c_mid_build_leaves_no_layer_behind(tmp_path: Path) -> None:
    # The daemon finishes the step it is running after we hang up, and commits its layer.
    app = make_app(tmp_path / "app", extra='RUN ["/bin/sleep", "2"]', config=BASE)
    code, output = interrupt_when(app, '"/bin/sleep", "2"', wait=0.3)
    assert code == 130, output
    # no_leftovers counts new dangling images: the layers of the unfinished build.


def test_an_openapi_document_shipped_in_the_repository_is_fuzzed_too(tmp_path: Path) -> None:
    app = make_app(
        tmp_path / "app",
        files={
            "www/cgi-bin/items": ITEMS_CRASHING,
            "openapi.yaml": yaml.safe_dump(json.loads(SPEC)),  # not served: only shipped
        },
        config=BASE + "  concurrency: {enabled: false}\n  hostile: {max_examples: 5}\n",
    )
    code, step, _ = staging(app)
    detail = next(p["detail"] for p in step["details"]["probes"] if p["name"] == "openapi-fuzz")
    assert "from the document openapi.yaml" in detail, detail
    assert "staging-input-validation-5xx" in rules(step)
    assert code == 1


@pytest.mark.parametrize(
    ("document", "said"),
    [
        ("openapi: 3.0.3\npaths: [not, a, mapping]\n", "cannot be fuzzed"),
        ("openapi: [3.0\n  broken: {\n", "could not be read"),
    ],
    ids=["invalid-document", "unparsable-yaml"],
)
def test_a_broken_openapi_document_is_said_and_staging_goes_on(
    tmp_path: Path, document: str, said: str
) -> None:
    app = make_app(
        tmp_path / "app",
        files={"openapi.yaml": document},
        config=BASE + "  concurrency: {enabled: false}\n",
    )
    code, step, stderr = staging(app)  # asserts no traceback
    detail = next(p["detail"] for p in step["details"]["probes"] if p["name"] == "openapi-fuzz")
    assert probes(step)["openapi-fuzz"] == "warn" and said in detail, detail
    assert probes(step)["stop"] == "pass" and code == 0, stderr


def test_break_it_findings_land_in_the_steps_whose_questions_they_answer(tmp_path: Path) -> None:
    """A whole run: hostile input's 500 is `input-validation`'s, a root USER found by
    hadolint too, an unpinned package `environment`'s; staging keeps its own findings."""
    app = make_app(
        tmp_path / "app",
        user="0",
        extra="RUN true || pip install flask",
        files={"www/cgi-bin/orders": ORDERS_CRASHING, "app.py": ROUTES_PY},
        config=BASE.replace("hadolint: {enabled: false}", "hadolint: {budget: 30}")
        + "  concurrency: {enabled: false}\n",
    )
    done = run_cli("--ci", str(app), "--all", "--format", "json", env={"READYTERM_TESTS__RUN": "0"})
    assert "Traceback" not in done.stderr, done.stderr
    steps = {s["id"]: s for s in json.loads(done.stdout)["steps"]}
    assert done.returncode == 1, done.stderr
    validation = rules(steps["input-validation"])
    assert {"staging-input-validation-stack-trace", "hadolint-DL3002"} <= validation, validation
    assert steps["input-validation"]["status"] == "fail"
    assert "hadolint-DL3013" in rules(steps["environment"])
    assert "hadolint-DL3057" in rules(steps["monitoring"])
    staged = rules(steps["staging"])
    assert not {r for r in staged if r.startswith("staging-input-validation")}
    assert not {"hadolint-DL3002", "hadolint-DL3013", "hadolint-DL3057"} & staged
    assert "hadolint-DL3042" in staged  # a best practice that answers no step's question
    assert "staging-runs-as-root" in staged  # the smoke test's own finding stays in staging
    assert probes(steps["staging"])["hostile-input"] == "fail"  # the probe is still staging's
    assert all(f["step"] == step_id for step_id, s in steps.items() for f in s["findings"])
