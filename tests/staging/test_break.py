"""The break-it probes against real busybox containers: each defect is found, each twin quiet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.staging.conftest import make_app
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
    assert lost["severity"] == "blocker"
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
