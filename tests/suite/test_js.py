"""The tests step on a JS app with `node --test`: V8 coverage, failing tests, and the
issue's criterion (a catch branch only a mocked-failure test reaches)."""

from __future__ import annotations

import json
from pathlib import Path

from readyterm.backends.suite.jspaths import find
from readyterm.backends.suite.results import FileCoverage
from readyterm.backends.suite.v8 import recorded
from tests.suite.helpers import project, run_tests_step

PACKAGE = json.dumps({"name": "shop", "version": "1.0.0", "scripts": {"test": "node --test"}})
TOTAL = "function total(items) {\n  return items.reduce((a, b) => a + b, 0);\n}\n"
PAYMENTS = """\
// Payment client
function total(items) {
  return items.reduce((a, b) => a + b, 0);
}

async function charge(amount, token) {
  try {
    const resp = await fetch('https://payments.example.test/charges', {
      method: 'POST',
      body: JSON.stringify({ amount, token }),
    });
    if (!resp.ok) {
      throw new Error(`payment refused: ${resp.status}`);
    }
    return (await resp.json()).id;
  } catch (err) {
    throw new Error(`payment failed: ${err.message}`);
  }
}

module.exports = { total, charge };
"""
HAPPY = """\
const test = require('node:test');
const assert = require('node:assert');
const { charge } = require('../src/payments');

test('charge returns the id', async () => {
  globalThis.fetch = async () => ({ ok: true, json: async () => ({ id: 'ch_1' }) });
  assert.strictEqual(await charge(100, 'tok'), 'ch_1');
});
"""
MOCKED_FAILURE = """\
const test = require('node:test');
const assert = require('node:assert');
const { charge } = require('../src/payments');

test('a network failure is a payment error', async () => {
  globalThis.fetch = async () => { throw new Error('ECONNRESET'); };
  await assert.rejects(charge(100, 'tok'), /payment failed: ECONNRESET/);
});
"""
BASE = {
    "package.json": PACKAGE,
    "src/payments.js": "// Payment client\n" + TOTAL + "\nmodule.exports = { total };\n",
    "test/total.test.js": "const test = require('node:test');\nconst assert = require("
    "'node:assert');\nconst { total } = require('../src/payments');\n\ntest('total adds', "
    "() => {\n  assert.strictEqual(total([1, 2]), 3);\n});\n",
}
#: What the step says about PAYMENTS when no test makes `fetch` fail (any JS runner).
UNTESTED_PAYMENT_PATHS = [
    "no test makes `fetch` answer with an error status: the `if (!resp.ok)` branch at "
    "src/payments.js:12 never ran",
    "no test makes `fetch` fail: the `catch (err)` branch at src/payments.js:16 never ran",
]
CONFIG = ""  # no Python: the suite is found from package.json


def test_the_mocked_failure_test_exercises_the_catch_branch(tmp_path: Path) -> None:
    head = {
        "src/payments.js": PAYMENTS,
        "test/charge.test.js": HAPPY,
        "test/charge-failure.test.js": MOCKED_FAILURE,
    }
    repo = project(tmp_path, BASE, head, config=CONFIG)
    code, step = run_tests_step(repo)
    assert code == 0, step
    details = step["details"]
    assert details["commands"][0].endswith("npm test")
    assert details["tests"] == {"run": 3, "passed": 3, "failed": 0, "skipped": 0}
    # by hand: of the added lines, 6-10, 12, 13, 15-17 and 21 hold code (`});` and lone
    # braces do not); only the `throw` of the `!resp.ok` branch (13) never ran
    assert details["diff_coverage"] == {
        "percent": 90.9,
        "covered": 10,
        "lines": 11,
        "threshold": 80,
        "uncovered": {"src/payments.js": [[13, 13]]},
    }
    assert details["failure_paths"]["exercised"] == 1
    assert details["failure_paths"]["total"] == 2

    repo.git("rm", "--quiet", "test/charge-failure.test.js")
    repo.commit("drop the failure test")
    _, step = run_tests_step(repo)
    messages = sorted(
        f["message"] for f in step["findings"] if f["rule"] == "tests-failure-path-untested"
    )
    assert messages == UNTESTED_PAYMENT_PATHS


def test_a_failing_node_test_blocks_naming_its_file_and_line(tmp_path: Path) -> None:
    failing = HAPPY.replace("'ch_1');\n});", "'ch_2');\n});")
    head = {"src/payments.js": PAYMENTS, "test/charge.test.js": failing}
    code, step = run_tests_step(project(tmp_path, BASE, head, config=CONFIG))
    assert code == 1
    [failed] = [f for f in step["findings"] if f["rule"] == "tests-failing"]
    assert (failed["path"], failed["line"], failed["severity"]) == (
        "test/charge.test.js",
        5,
        "blocker",
    )
    assert "charge returns the id" in failed["message"]
    assert step["details"]["tests"]["failed"] == 1


def test_a_package_json_test_script_that_crashes_is_an_error(tmp_path: Path) -> None:
    package = json.dumps({"scripts": {"test": 'node -e "process.exit(7)"'}})
    repo = project(
        tmp_path, BASE, {"package.json": package, "src/payments.js": PAYMENTS}, config=CONFIG
    )
    code, step = run_tests_step(repo)
    assert code == 3
    assert "npm test` exited with code 7 before judging any test" in step["summary"]


# --- the scanner on its own ---------------------------------------------------------------


def paths(source: str, executed: set[int]) -> list[tuple[object, ...]]:
    lines = source.splitlines()
    every = set(range(1, len(lines) + 1))
    ran = FileCoverage(frozenset(every), frozenset(executed))
    return [
        (p.kind, p.line, p.guards, p.branch, p.exercised)
        for p in find("a.js", source.encode(), every, ran)
    ]


ROUTE = """\
app.post('/orders', async (req, res) => {
  if (!req.body.amount || req.body.amount < 0) {
    return res.status(400).json({ error: '{ amount } must be positive' });
  }
  const answer = await client.charges.create({ amount: req.body.amount });
  if (answer.status >= 500) {
    return res.status(502).end();
  }
  if (req.body.note) return res.status(400).end();
  queue.publish(answer).catch((err) => {
    logger.error({ err }, 'publish failed');
  });
  res.status(201).json(answer);
});
"""


def test_the_scanner_finds_validation_status_checks_and_promise_catches() -> None:
    assert paths(ROUTE, executed={1, 2, 5, 6, 9, 10, 13}) == [
        (
            "validation",
            2,
            "amount, body, req",
            "if (!req.body.amount || req.body.amount < 0)",
            False,
        ),
        ("status-check", 6, "client.charges.create", "if (answer.status >= 500)", False),
        ("catch", 10, "queue.publish", ".catch(...)", False),
    ]
    # a one-line `if (x) return ...` is left out: its line always runs, lines cannot tell


def test_braces_in_strings_and_comments_do_not_confuse_the_scanner() -> None:
    source = (
        "try {\n  // } catch (fake) {\n  const s = '} catch (x) {';\n  api.call(s);\n"
        "} catch (e) {\n  report(e);\n}\n"
    )
    assert paths(source, executed={1, 3, 4}) == [("catch", 5, "api.call", "catch (e)", False)]


def _v8_report(work: Path, script: Path, ranges: list[tuple[int, int, int]]) -> None:
    (work / "v8").mkdir(exist_ok=True)
    functions = [
        {
            "functionName": "",
            "isBlockCoverage": True,
            "ranges": [{"startOffset": a, "endOffset": b, "count": c} for a, b, c in ranges],
        }
    ]
    report = {"result": [{"scriptId": "1", "url": script.as_uri(), "functions": functions}]}
    (work / "v8" / "coverage-1-1-0.json").write_text(json.dumps(report))


def test_v8_lines_follow_the_innermost_range_and_a_rewritten_script_gives_no_figures(
    tmp_path: Path,
) -> None:
    root, work = tmp_path / "repo", tmp_path / "work"
    root.mkdir()
    work.mkdir()
    source = "function f(x) {\n  if (x) {\n    return 1;\n  }\n  return 2;\n}\nf(0);\n"
    (root / "a.js").write_text(source)
    # the whole script ran once; the `if` body (offsets of line 3) never ran
    body = source.index("    return 1;")
    _v8_report(work, root / "a.js", [(0, len(source), 1), (body, body + 14, 0)])
    [(name, ran)] = recorded(work, root, ["a.js"]).items()
    assert (name, sorted(ran.statements), sorted(ran.executed)) == (
        "a.js",
        [1, 2, 3, 5, 7],
        [1, 2, 5, 7],
    )
    # offsets into a longer (transformed) text than the file: not trusted, no figures
    _v8_report(work, root / "a.js", [(0, len(source) + 120, 1)])
    assert recorded(work, root, ["a.js"]) == {}
