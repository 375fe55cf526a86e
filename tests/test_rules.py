"""Rule packs: each rule has a fixture and the metadata the core reads; semgrep --test passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from readyterm.backends.semgrep import OFFLINE_ENV, OFFLINE_FLAGS
from readyterm.foundation.findings import cwe_ids
from readyterm.foundation.rulepack import bundled_rules_dir, load_rule_pack
from readyterm.foundation.steps import STEP_IDS

RULES = Path(__file__).resolve().parent.parent / "rules"
RULE_FILES = sorted(RULES.rglob("*.yaml"))


def test_the_source_tree_rules_are_the_bundled_ones() -> None:
    assert bundled_rules_dir() == RULES


@pytest.mark.parametrize("rule_file", RULE_FILES, ids=lambda p: p.stem)
def test_each_rule_sits_beside_a_fixture_and_carries_its_metadata(rule_file: Path) -> None:
    document = yaml.safe_load(rule_file.read_text())
    [rule] = document["rules"]
    assert rule["id"] == rule_file.stem
    fixtures = [p for p in rule_file.parent.glob(f"{rule_file.stem}.*") if p.suffix != ".yaml"]
    assert fixtures, f"{rule_file} has no fixture beside it"
    fixture_text = "\n".join(p.read_text() for p in fixtures)
    assert f"ruleid: {rule['id']}" in fixture_text
    assert f"ok: {rule['id']}" in fixture_text
    ours = rule["metadata"]["readyterm"]
    assert ours["step"] == rule_file.parent.name
    assert ours["step"] in STEP_IDS
    assert ours["severity"] in ("blocker", "warning", "info")
    assert len(ours["why"]) > 30 and len(ours["fix"]) > 20
    if ours["step"] != "tests":  # gate-weakening changes (skipped tests) are no weakness class
        assert cwe_ids(rule["metadata"].get("cwe")), f"{rule['id']} needs metadata.cwe"


def test_the_pack_loads_without_duplicate_ids() -> None:
    pack = load_rule_pack(RULES, [])
    assert len(pack.rules) == len(RULE_FILES)
    assert {"environment", "error-handling", "input-validation"} <= pack.steps()


@pytest.mark.slow
def test_semgrep_test_passes_over_every_rule_and_fixture() -> None:
    semgrep = Path(sys.executable).parent / "semgrep"
    done = subprocess.run(
        [str(semgrep), "scan", "--test", *OFFLINE_FLAGS, str(RULES)],
        env={**os.environ, **OFFLINE_ENV},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "All tests passed" in output, output[-3000:]
