"""A rule that cannot apply to the runtime a project declares stays quiet there: Express 5
(or express-async-errors) hands a rejected promise to the error middleware itself."""

from __future__ import annotations

import json

import pytest

from readyterm.engine.applicability import lowest_major
from readyterm.foundation.errors import ConfigError
from readyterm.foundation.rulepack import load_rule_pack
from tests.conftest import GitRepo, run_cli

HANDLER = """const express = require("express");
const router = express.Router();

router.get("/orders/:id", async (req, res) => {
  const order = await db.orders.findById(req.params.id);
  res.json(order);
});

module.exports = router;
"""
RULE = "unhandled-async-route-js"


def _flagged(repo: GitRepo) -> list[str]:
    done = run_cli(
        "--ci", str(repo.path), "--all", "--steps", "error-handling", "--format", "json",
        "--no-cache",
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    [step] = [s for s in json.loads(done.stdout)["steps"] if s["id"] == "error-handling"]
    return sorted(f["path"] for f in step["findings"] if f["rule"] == RULE)


def _package(dependencies: dict[str, str]) -> str:
    return json.dumps({"name": "shop", "dependencies": dependencies})


@pytest.mark.parametrize(
    ("dependencies", "flagged"),
    [
        ({"express": "^4.21.2"}, True),
        ({"express": "^5.1.0"}, False),
        ({"express": "5.x"}, False),
        ({"express": ">=5.0.0 <6"}, False),
        ({"express": "^4.21.2", "express-async-errors": "^3.1.1"}, False),
        ({"express": "^4 || ^5"}, True),  # it may still install Express 4
        ({"express": "latest"}, True),  # names no version: the gate stays shut
        ({}, True),
    ],
)
def test_the_declared_express_decides(
    repo: GitRepo, dependencies: dict[str, str], flagged: bool
) -> None:
    repo.write("package.json", _package(dependencies))
    repo.write("routes/orders.js", HANDLER)
    repo.commit()
    assert _flagged(repo) == (["routes/orders.js"] if flagged else [])


def test_the_nearest_package_json_decides_in_a_monorepo(repo: GitRepo) -> None:
    repo.write("package.json", _package({"express": "^4.21.2"}))
    repo.write("services/api/package.json", _package({"express": "^5.1.0"}))
    repo.write("services/api/src/routes/orders.js", HANDLER)
    repo.write("services/legacy/routes/orders.js", HANDLER)
    repo.commit()
    assert _flagged(repo) == ["services/legacy/routes/orders.js"]


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"dependencies": ["express"]}'])
def test_a_package_json_that_says_nothing_usable_keeps_the_finding(
    repo: GitRepo, content: str
) -> None:
    repo.write("package.json", content)
    repo.write("routes/orders.js", HANDLER)
    repo.commit()
    assert _flagged(repo) == ["routes/orders.js"]


@pytest.mark.parametrize(
    ("spec", "major"),
    [("^5.1.0", 5), ("~4.17", 4), ("5", 5), ("v5.0.0", 5), (">= 5", 5), ("4.x || 5.x", 4),
     ("*", None), ("latest", None), ("github:expressjs/express", None), ("", None)],
)  # fmt: skip
def test_lowest_major_of_an_npm_range(spec: str, major: int | None) -> None:
    assert lowest_major(spec) == major


def test_a_rule_with_a_malformed_not_with_is_a_config_error(repo: GitRepo) -> None:
    repo.write(
        "more-rules/r.yaml",
        "rules:\n  - id: r\n    languages: [javascript]\n    severity: WARNING\n"
        "    message: m\n    pattern: foo()\n"
        "    metadata: {readyterm: {step: logging, not_with: {express: '5'}}}\n",
    )
    with pytest.raises(ConfigError, match="not_with"):
        load_rule_pack(repo.path, ["more-rules"])
