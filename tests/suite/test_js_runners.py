"""The tests step on a JS app tested with jest or vitest (installed from the npm registry once per
session): jest's own coverage mapped to the source, its JSON results, the failure paths."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from readyterm.backends.suite.detect import js_runner
from tests.conftest import GitRepo
from tests.suite.helpers import project, run_tests_step
from tests.suite.test_js import PAYMENTS, TOTAL, UNTESTED_PAYMENT_PATHS

JEST = "29.7.0"
VITEST = "2.1.9"
PACKAGE = json.dumps({"name": "shop", "version": "1.0.0", "scripts": {"test": "jest"}})
HAPPY = """\
const { charge } = require('../src/payments');

test('charge returns the id', async () => {
  global.fetch = jest.fn(async () => ({ ok: true, json: async () => ({ id: 'ch_1' }) }));
  expect(await charge(100, 'tok')).toBe('ch_1');
});
"""
MOCKED_FAILURE = """\
const { charge } = require('../src/payments');

test('a network failure is a payment error', async () => {
  global.fetch = jest.fn(async () => { throw new Error('ECONNRESET'); });
  await expect(charge(100, 'tok')).rejects.toThrow(/payment failed: ECONNRESET/);
});
"""
TOTAL_TEST = """\
const { total } = require('../src/payments');

test('total adds', () => {
  expect(total([1, 2])).toBe(3);
});
"""


def _install(folder: Path, *packages: str) -> Path:
    """node_modules with packages, from the npm registry (skipped without npm; in CI, a
    registry that cannot be reached fails the test rather than hide it)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    (folder / "package.json").write_text('{"name": "runner-install", "version": "1.0.0"}')
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent", *packages],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        done = None
    if done is None or done.returncode != 0:
        said = done.stderr[-500:] if done else "timed out after 300 s"
        if os.environ.get("CI"):
            pytest.fail(f"npm could not install {' '.join(packages)}: {said}")
        pytest.skip(f"npm could not install {' '.join(packages)} (no registry?): {said}")
    return folder / "node_modules"


@pytest.fixture(scope="session")
def jest_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _install(tmp_path_factory.mktemp("jest"), f"jest@{JEST}")


@pytest.fixture(scope="session")
def vitest_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vitest")
    return _install(folder, f"vitest@{VITEST}", f"@vitest/coverage-v8@{VITEST}")


def _app(
    tmp_path: Path,
    modules: Path,
    head: dict[str, str],
    more_base: dict[str, str | None] | None = None,
    package: str = PACKAGE,
) -> GitRepo:
    base = {
        "package.json": package,
        ".gitignore": "node_modules\n",
        "src/payments.js": "// Payment client\n" + TOTAL + "\nmodule.exports = { total };\n",
        "test/total.test.js": TOTAL_TEST,
        **(more_base or {}),  # last: it may replace the files above
    }
    base = {name: text for name, text in base.items() if text is not None}  # None: no file
    repo = project(tmp_path, base, head, config="")
    (repo.path / "node_modules").symlink_to(modules, target_is_directory=True)
    return repo


def test_jest_coverage_shows_the_catch_branch_only_the_mocked_failure_reaches(
    tmp_path: Path, jest_modules: Path
) -> None:
    head = {
        "src/payments.js": PAYMENTS,
        "test/charge.test.js": HAPPY,
        "test/charge-failure.test.js": MOCKED_FAILURE,
    }
    repo = _app(tmp_path, jest_modules, head)
    code, step = run_tests_step(repo)
    assert code == 0, step
    details = step["details"]
    assert details["tests"] == {"run": 3, "passed": 3, "failed": 0, "skipped": 0}
    # jest counts statements by the line each starts on (`const resp = await fetch(...)`
    # is one, at 8, not three lines); only the `throw` of the `!resp.ok` branch never ran
    assert details["diff_coverage"]["uncovered"] == {"src/payments.js": [[13, 13]]}
    assert details["diff_coverage"]["covered"] == details["diff_coverage"]["lines"] - 1
    assert details["failure_paths"]["exercised"] == 1
    assert details["failure_paths"]["total"] == 2
    assert not (repo.path / "coverage").exists()  # jest wrote into readyterm's folder
    repo.git("rm", "--quiet", "test/charge-failure.test.js")
    repo.commit("drop the failure test")
    _, step = run_tests_step(repo)
    messages = sorted(
        f["message"] for f in step["findings"] if f["rule"] == "tests-failure-path-untested"
    )
    assert messages == UNTESTED_PAYMENT_PATHS


def test_a_failing_jest_test_blocks_naming_its_file_and_line(
    tmp_path: Path, jest_modules: Path
) -> None:
    failing = HAPPY.replace("toBe('ch_1')", "toBe('ch_2')")
    repo = _app(
        tmp_path, jest_modules, {"src/payments.js": PAYMENTS, "test/charge.test.js": failing}
    )
    code, step = run_tests_step(repo)
    assert code == 1, step
    [failed] = [f for f in step["findings"] if f["rule"] == "tests-failing"]
    assert (failed["path"], failed["line"], failed["severity"]) == (
        "test/charge.test.js",
        3,
        "blocker",
    )
    assert "charge returns the id" in failed["message"]
    assert step["details"]["tests"] == {"run": 2, "passed": 1, "failed": 1, "skipped": 0}


def test_a_test_file_jest_cannot_load_is_a_failing_test_not_a_pass(
    tmp_path: Path, jest_modules: Path
) -> None:
    broken = "const { charge } = require('../src/no-such-module');\ntest('x', () => {});\n"
    repo = _app(tmp_path, jest_modules, {"test/charge.test.js": broken})
    code, step = run_tests_step(repo)
    assert code == 1, step
    failed = [f for f in step["findings"] if f["rule"] == "tests-failing"]
    assert [f["path"] for f in failed] == ["test/charge.test.js"], failed
    assert "(did not load)" in failed[0]["message"]
    assert "Cannot find module '../src/no-such-module'" in failed[0]["message"]


@pytest.mark.parametrize(
    ("script", "runner"),
    [
        ("jest", "jest"),
        ("npx jest --runInBand test/", "jest"),
        ("jest && eslint .", None),
        ("jest; echo done", None),
        ("cross-env NODE_ENV=test jest", None),
        ("vitest run", None),  # no coverage provider installed: asking for it would fail
        ("mocha", None),
    ],
)
def test_flags_are_added_only_to_a_script_that_is_the_runner_alone(
    tmp_path: Path, script: str, runner: str | None
) -> None:
    assert js_runner(tmp_path, script) == runner


def test_vitest_with_a_coverage_provider_gets_the_flags(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "@vitest" / "coverage-v8").mkdir(parents=True)
    assert js_runner(tmp_path, "vitest run") == "vitest"


def test_select_changed_lets_jest_run_only_the_tests_that_reach_the_change(
    tmp_path: Path, jest_modules: Path
) -> None:
    other = {
        "src/other.js": "module.exports = { twice: (n) => n * 2 };\n",
        "test/other.test.js": "const { twice } = require('../src/other');\n"
        "test('twice', () => { expect(twice(2)).toBe(4); });\n"
        "test('twice again', () => { expect(twice(3)).toBe(6); });\n",
    }
    repo = _app(
        tmp_path, jest_modules, {"src/payments.js": PAYMENTS, "test/charge.test.js": HAPPY}, other
    )
    _, whole = run_tests_step(repo)
    assert whole["details"]["tests"]["run"] == 4  # total, charge, twice, twice again
    _, step = run_tests_step(repo, env={"READYTERM_TESTS__SELECT": "changed"})
    assert step["details"]["tests"]["run"] == 2, step  # total and charge require payments.js
    assert step["details"]["partial"] is True


def _vitest(test: str) -> str:
    """A jest-style test file as vitest wants it (its functions imported, `vi` for `jest`)."""
    head = "import { test, expect, vi } from 'vitest';\n"
    return head + test.replace("jest.fn", "vi.fn")


def test_vitest_coverage_and_results_are_read_like_jests(
    tmp_path: Path, vitest_modules: Path
) -> None:
    package = PACKAGE.replace('"test": "jest"', '"test": "vitest run"')
    failing = HAPPY.replace("toBe('ch_1')", "toBe('ch_2')")
    head = {
        "src/payments.js": PAYMENTS,
        "test/charge.test.js": _vitest(failing),
        "test/charge-failure.test.js": _vitest(MOCKED_FAILURE),
    }
    more = {"test/total.test.js": _vitest(TOTAL_TEST)}
    repo = _app(tmp_path, vitest_modules, head, more, package=package)
    code, step = run_tests_step(repo)
    assert code == 1, step
    details = step["details"]
    assert details["tests"] == {"run": 3, "passed": 2, "failed": 1, "skipped": 0}
    [failed] = [f for f in step["findings"] if f["rule"] == "tests-failing"]
    # vitest reports a test's line only with `includeTaskLocation` in its own config
    assert failed["path"] == "test/charge.test.js"
    assert "charge returns the id" in failed["message"]
    # V8's provider makes every line a statement; closing brackets are not counted
    assert details["diff_coverage"]["uncovered"] == {"src/payments.js": [[13, 13]]}
    assert details["failure_paths"] == {**details["failure_paths"], "exercised": 1, "total": 2}
    assert not (repo.path / "coverage").exists()


PAYMENTS_TS = """\
// Payment client
export function total(items: number[]): number {
  return items.reduce((a, b) => a + b, 0);
}

export async function charge(amount: number, token: string): Promise<string> {
  try {
    const resp = await fetch('https://payments.example.test/charges', {
      method: 'POST',
      body: JSON.stringify({ amount, token }),
    });
    if (!resp.ok) {
      throw new Error(`payment refused: ${resp.status}`);
    }
    return ((await resp.json()) as { id: string }).id;
  } catch (err) {
    throw new Error(`payment failed: ${(err as Error).message}`);
  }
}
"""


def test_a_typescript_change_gets_its_figures_from_vitest(
    tmp_path: Path, vitest_modules: Path
) -> None:
    package = PACKAGE.replace('"test": "jest"', '"test": "vitest run"')
    total_only = PAYMENTS_TS[: PAYMENTS_TS.index("export async")]
    imports = (
        "import { test, expect, vi } from 'vitest';\nimport { charge } from '../src/payments';\n"
    )
    happy = imports + HAPPY[HAPPY.index("\ntest(") :].replace("jest.fn", "vi.fn")
    more: dict[str, str | None] = {
        "src/payments.js": None,
        "test/total.test.js": None,
        "src/payments.ts": total_only,
        "test/total.test.ts": "import { test, expect } from 'vitest';\n"
        "import { total } from '../src/payments';\n"
        "test('total adds', () => { expect(total([1, 2])).toBe(3); });\n",
    }
    repo = _app(
        tmp_path,
        vitest_modules,
        {"src/payments.ts": PAYMENTS_TS, "test/charge.test.ts": happy},
        more,
        package=package,
    )
    code, step = run_tests_step(repo)
    assert code == 0, step
    details = step["details"]
    assert details["tests"] == {"run": 2, "passed": 2, "failed": 0, "skipped": 0}
    uncovered = details["diff_coverage"]["uncovered"]
    assert set(uncovered) == {"src/payments.ts"}, uncovered
    assert [13, 13] in uncovered["src/payments.ts"]  # the throw of the `!resp.ok` branch
    messages = sorted(
        f["message"] for f in step["findings"] if f["rule"] == "tests-failure-path-untested"
    )
    assert messages == [m.replace("payments.js", "payments.ts") for m in UNTESTED_PAYMENT_PATHS]


def test_a_project_coverage_limit_or_no_related_test_does_not_break_a_green_suite(
    tmp_path: Path, jest_modules: Path
) -> None:
    """`--coverage` switches on the project's own `coverageThreshold`, and a change no test
    reaches gives jest no related tests: neither is a suite that could not run."""
    config = "module.exports = { coverageThreshold: { global: { lines: 100 } } };\n"
    head = {"src/payments.js": PAYMENTS, "src/banner.js": "module.exports = 'hello';\n"}
    repo = _app(tmp_path, jest_modules, head, {"jest.config.js": config})
    code, step = run_tests_step(repo)
    assert step["status"] != "error", step["summary"]
    assert step["details"]["tests"] == {"run": 1, "passed": 1, "failed": 0, "skipped": 0}
    (repo.path / "src" / "banner.js").write_text("module.exports = 'hello, world';\n")
    repo.commit("touch only a module no test loads")
    repo.git("checkout", "--quiet", "-b", "banner-only", "main")
    repo.write("src/banner.js", "module.exports = 'hi';\n")
    repo.commit("only the banner")
    code, step = run_tests_step(repo, env={"READYTERM_TESTS__SELECT": "changed"})
    assert step["status"] != "error", step["summary"]
    assert code in (0, 1), step
