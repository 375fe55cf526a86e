"""The rule index: the same rules as parsing every file, kept by bytes, never an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readyterm.foundation.errors import ConfigError
from readyterm.foundation.rule_index import INDEX_NAME
from readyterm.foundation.rulepack import load_rule_pack

RULE = """rules:
  - id: {id}
    languages: [python]
    severity: {severity}
    message: {message}
    pattern: print(...)
    metadata: {{cwe: "CWE-778"}}
"""


def _extra(root: Path, severity: str = "WARNING", message: str = "use the logger") -> Path:
    folder = root / "ci-rules" / "logging"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "team.yaml").write_text(
        RULE.format(id="team-print", severity=severity, message=message)
    )
    return root


def _edit_index(cache: Path, **fields: object) -> None:
    """Set fields in every rule entry of the index, as a damaged or older file would hold."""
    index = json.loads((cache / INDEX_NAME).read_text())
    for rules in index["files"].values():
        for rule in rules:
            rule.update(fields)
    (cache / INDEX_NAME).write_text(json.dumps(index))


def test_an_indexed_load_gives_the_rules_a_parse_gives(tmp_path: Path) -> None:
    root = _extra(tmp_path / "repo")
    parsed = load_rule_pack(root, ["ci-rules"])
    first = load_rule_pack(root, ["ci-rules"], tmp_path / "cache")
    assert (tmp_path / "cache" / INDEX_NAME).is_file()
    second = load_rule_pack(root, ["ci-rules"], tmp_path / "cache")
    assert parsed.rules == first.rules == second.rules
    assert parsed.version == second.version
    assert second.rules["team-print"].step == "logging"  # from its folder's name
    assert second.rules["team-print"].cwe == ("CWE-778",)


def test_an_edited_rule_file_is_read_again(tmp_path: Path) -> None:
    root = _extra(tmp_path / "repo")
    load_rule_pack(root, ["ci-rules"], tmp_path / "cache")
    _extra(root, severity="ERROR", message="never print in a server")
    pack = load_rule_pack(root, ["ci-rules"], tmp_path / "cache")
    assert pack.rules["team-print"].severity == "blocker"
    assert pack.rules["team-print"].message == "never print in a server"


def test_a_moved_rule_file_takes_its_new_folders_step(tmp_path: Path) -> None:
    root = _extra(tmp_path / "repo")
    load_rule_pack(root, ["ci-rules"], tmp_path / "cache")
    moved = root / "ci-rules" / "environment"
    moved.mkdir()
    (root / "ci-rules" / "logging" / "team.yaml").rename(moved / "team.yaml")
    pack = load_rule_pack(root, ["ci-rules"], tmp_path / "cache")
    assert pack.rules["team-print"].step == "environment"
    assert pack.rules["team-print"].source == str(moved / "team.yaml")


@pytest.mark.parametrize(
    "garbage",
    ["", "not json", "[1, 2]", '{"files": {"x": 1}}', "\x00\xff"],
    ids=["empty", "text", "list", "wrong-shape", "binary"],
)
def test_a_damaged_index_is_rebuilt(tmp_path: Path, garbage: str) -> None:
    root = _extra(tmp_path / "repo")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / INDEX_NAME).write_text(garbage)
    pack = load_rule_pack(root, ["ci-rules"], cache)
    assert pack.rules["team-print"].severity == "warning"
    assert json.loads((cache / INDEX_NAME).read_text())["files"]


def test_an_index_entry_that_does_not_fit_is_not_trusted(tmp_path: Path) -> None:
    root = _extra(tmp_path / "repo")
    cache = tmp_path / "cache"
    load_rule_pack(root, ["ci-rules"], cache)
    _edit_index(cache, severity="catastrophic")
    pack = load_rule_pack(root, ["ci-rules"], cache)
    assert {r.severity for r in pack.rules.values()} <= {"blocker", "warning", "info"}


def test_a_broken_rule_file_is_still_an_error_with_an_index(tmp_path: Path) -> None:
    root = _extra(tmp_path / "repo")
    cache = tmp_path / "cache"
    load_rule_pack(root, ["ci-rules"], cache)
    (root / "ci-rules" / "logging" / "team.yaml").write_text("rules: [")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rule_pack(root, ["ci-rules"], cache)


def test_a_cache_path_that_is_a_file_is_no_error(tmp_path: Path) -> None:
    root = _extra(tmp_path / "repo")
    (tmp_path / "cache").write_text("a file, not a folder")
    assert "team-print" in load_rule_pack(root, ["ci-rules"], tmp_path / "cache").rules


def test_a_mistyped_or_deeply_nested_index_is_not_trusted(tmp_path: Path) -> None:
    root = _extra(tmp_path / "repo")
    cache = tmp_path / "cache"
    load_rule_pack(root, ["ci-rules"], cache)
    _edit_index(cache, cwe="CWE-79", secret="false")  # a str cwe would become its letters
    pack = load_rule_pack(root, ["ci-rules"], cache)
    assert pack.rules["team-print"].cwe == ("CWE-778",)
    assert pack.rules["team-print"].secret is False
    (cache / INDEX_NAME).write_text("[" * 100_000 + "]" * 100_000)
    assert "team-print" in load_rule_pack(root, ["ci-rules"], cache).rules


def test_another_readyterm_version_does_not_reuse_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _extra(tmp_path / "repo")
    cache = tmp_path / "cache"
    load_rule_pack(root, ["ci-rules"], cache)
    _edit_index(cache, message="as an older readyterm read it")
    monkeypatch.setattr("readyterm.foundation.rulepack.__version__", "99.0")
    pack = load_rule_pack(root, ["ci-rules"], cache)
    assert pack.rules["team-print"].message == "use the logger"
