"""`gate-weakened`: a change that loosens readyterm's own configuration.

Compares the effective config (`.readyterm.yaml`, else `[tool.readyterm]` in pyproject.toml)
at the base with the one in the work tree: wider excludes, a narrower include, a step
switched off, lowered severities, an attestation no longer required, rule folders or staging
probes dropped. One finding per loosening, at the line of the config that does it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from readyterm.backends.base import ScanContext
from readyterm.backends.project.common import base_version, finding, is_diff_run, read_bytes
from readyterm.foundation.config import CONFIG_FILE
from readyterm.foundation.findings import SEVERITY_RANK, Finding
from readyterm.foundation.rulepack import RulePack

PYPROJECT = "pyproject.toml"
#: Default severities of the rules that are not in the semgrep packs.
PROJECT_RULES = {
    "undeclared-import": "warning",
    "dependency-manifest-unreadable": "warning",
    "no-health-endpoint": "warning",
    "no-error-reporting": "warning",
    "tests-missing": "warning",
    "tests-happy-path-only": "warning",
    "tests-failing": "blocker",
    "tests-uncovered-change": "warning",
    "tests-failure-path-untested": "warning",
    "gate-weakened": "warning",
    "attestation-missing": "warning",
}


@dataclass(frozen=True)
class Weakening:
    message: str
    #: Where in the config it happens (keys from the top), and the value to point at.
    keys: tuple[str, ...]
    value: str | None = None


@dataclass(frozen=True)
class _Config:
    path: str
    text: str
    data: dict[str, Any]


def check_gates(root: Path, files: list[str], context: ScanContext) -> list[Finding]:
    if not is_diff_run(context, files):
        return []  # a whole-repository run has nothing to compare with
    head_files = {p: read_bytes(root, p) for p in (CONFIG_FILE, PYPROJECT)}
    base_files: dict[str, bytes | None] = {}
    for path, head in head_files.items():
        base = base_version(context, path)
        if isinstance(base, bytes | None):
            base_files[path] = base
        else:  # the change adds the file, or does not touch it
            base_files[path] = None if path in files else head
    now, before = _effective(head_files), _effective(base_files)
    if now is None or before is None or now.data == before.data:
        return []
    return [_finding(now, w) for w in weakenings(before.data, now.data, context.rule_pack)]


def _effective(sources: dict[str, bytes | None]) -> _Config | None:
    """The config in force (None: it does not parse, so the run reports that instead)."""
    yaml_bytes, pyproject = sources[CONFIG_FILE], sources[PYPROJECT]
    try:
        if yaml_bytes is not None:
            text = yaml_bytes.decode("utf-8")
            loaded = yaml.safe_load(text)
            return _Config(CONFIG_FILE, text, loaded if isinstance(loaded, dict) else {})
        if pyproject is not None:
            text = pyproject.decode("utf-8")
            section = tomllib.loads(text).get("tool", {}).get("readyterm", {})
            return _Config(PYPROJECT, text, section if isinstance(section, dict) else {})
    except (UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError, AttributeError):
        return None
    return _Config(CONFIG_FILE, "", {})


def weakenings(base: dict[str, Any], head: dict[str, Any], pack: RulePack) -> list[Weakening]:
    found = list(_scope(base, head))
    base_steps, head_steps = _dict(base.get("steps")), _dict(head.get("steps"))
    for step in sorted(set(base_steps) | set(head_steps)):
        found += _step(str(step), _dict(base_steps.get(step)), _dict(head_steps.get(step)), pack)
    found += list(_staging(_dict(base.get("staging")), _dict(head.get("staging"))))
    found += list(_suite(_dict(base.get("tests")), _dict(head.get("tests"))))
    return found


def _scope(base: dict[str, Any], head: dict[str, Any]) -> Iterator[Weakening]:
    old_exclude, new_exclude = _strings(base.get("exclude")), _strings(head.get("exclude"))
    for glob in new_exclude:
        if glob not in old_exclude:
            yield Weakening(
                f"`exclude` gains {glob!r}: files matching it are no longer judged",
                ("exclude",),
                glob,
            )
    old_include, new_include = _strings(base.get("include")), _strings(head.get("include"))
    if new_include and not old_include:
        yield Weakening(
            f"`include` now limits the judged files to {', '.join(map(repr, new_include))}: "
            "everything else is no longer judged",
            ("include",),
        )
    elif new_include:
        for glob in old_include:
            if glob not in new_include:
                yield Weakening(
                    f"`include` loses {glob!r}: files matching only it are no longer judged",
                    ("include",),
                )
    for folder in _strings(base.get("rules")):
        if folder not in _strings(head.get("rules")):
            yield Weakening(
                f"`rules` no longer lists {folder!r}: its rules stop running", ("rules",)
            )
    old_size, new_size = base.get("max_file_bytes", 1_000_000), head.get("max_file_bytes")
    if _number(new_size) and _number(old_size) and new_size < old_size:
        yield Weakening(
            f"`max_file_bytes` lowered from {old_size} to {new_size}: larger files are "
            "skipped, not judged",
            ("max_file_bytes",),
        )


def _step(
    step: str, base: dict[str, Any], head: dict[str, Any], pack: RulePack
) -> Iterator[Weakening]:
    keys = ("steps", step)
    if base.get("enabled", True) is not False and head.get("enabled", True) is False:
        yield Weakening(f"step `{step}` is switched off (`enabled: false`)", (*keys, "enabled"))
    old_floor, new_floor = _rank(base.get("min_severity")), _rank(head.get("min_severity"))
    if new_floor < old_floor:
        yield Weakening(
            f"`steps.{step}.min_severity` lowered from {base.get('min_severity')} to "
            f"{head.get('min_severity') or 'none'}",
            (*keys, "min_severity") if "min_severity" in head else keys,
        )
    if base.get("attestation_required") is True and head.get("attestation_required") is not True:
        yield Weakening(
            f"`steps.{step}.attestation_required` is turned off: a missing attestation "
            "no longer blocks",
            (*keys, "attestation_required") if "attestation_required" in head else keys,
        )
    old, new = _dict(base.get("severity")), _dict(head.get("severity"))
    for rule in sorted(set(old) | set(new), key=str):
        default = _default_severity(str(rule), pack)
        before, after = old.get(rule, default), new.get(rule, default)
        if after is None or before is None or _rank(after) >= _rank(before):
            continue  # unchanged, raised, or the rule's own severity is unknown
        yield Weakening(
            f"`steps.{step}.severity` lowers `{rule}` from {before} to {after}",
            (*keys, "severity", str(rule)) if rule in new else (*keys,),
        )


def _suite(base: dict[str, Any], head: dict[str, Any]) -> Iterator[Weakening]:
    """The tests step's suite run: switched off, a lower diff coverage bar, fewer tests."""
    if base.get("run", True) is not False and head.get("run", True) is False:
        yield Weakening(
            "`tests.run` is switched off: the test suite no longer runs", ("tests", "run")
        )
    old_bar, new_bar = base.get("diff_coverage", 80), head.get("diff_coverage", 80)
    if _number(old_bar) and _number(new_bar) and new_bar < old_bar:
        yield Weakening(
            f"`tests.diff_coverage` lowered from {old_bar:g} % to {new_bar:g} %",
            ("tests", "diff_coverage"),
        )
    if base.get("select", "all") == "all" and head.get("select") == "changed":
        yield Weakening(
            "`tests.select: changed` runs only the tests that import a changed module",
            ("tests", "select"),
        )


def _staging(base: dict[str, Any], head: dict[str, Any]) -> Iterator[Weakening]:
    old_probes, new_probes = _dict(base.get("probes")), _dict(head.get("probes"))
    for probe in ("empty_env", "no_network"):
        if old_probes.get(probe, True) is not False and new_probes.get(probe, True) is False:
            yield Weakening(
                f"the staging probe `{probe}` is switched off", ("staging", "probes", probe)
            )
    for path in _strings(base.get("smoke")):
        if path not in _strings(head.get("smoke")):
            yield Weakening(f"`staging.smoke` no longer probes {path!r}", ("staging", "smoke"))
    if isinstance(base.get("health"), str) and head.get("health") is None:
        yield Weakening(
            f"`staging.health` ({base['health']!r}) was removed: readiness falls back to a "
            "HEALTHCHECK or a TCP connect",
            ("staging",),
        )


def _default_severity(rule: str, pack: RulePack) -> str | None:
    meta = pack.rules.get(rule)
    return meta.severity if meta is not None else PROJECT_RULES.get(rule)


def _rank(severity: object) -> int:
    return SEVERITY_RANK.get(severity, -1) if isinstance(severity, str) else -1


def _dict(value: object) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finding(config: _Config, weakening: Weakening) -> Finding:
    line = _line(config, weakening)
    lines = config.text.splitlines()
    return finding(
        "gate-weakened",
        "tests",
        config.path,
        line,
        f"this change weakens the readiness gate: {weakening.message}",
        "A loosened gate lets the next defect through without anyone deciding to: it "
        "deserves the same review as the code it stops checking.",
        "Revert it; if it is deliberate, record the decision instead "
        "(`readyterm waive RULE --path GLOB --reason ...`), which is reviewed and expires.",
        code=lines[line - 1].strip() if 0 < line <= len(lines) else weakening.message,
    )


def _line(config: _Config, weakening: Weakening) -> int:
    if config.path == CONFIG_FILE:
        return _yaml_line(config.text, weakening)
    return _toml_line(config.text, weakening)


def _yaml_line(text: str, weakening: Weakening) -> int:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1
    line = 1
    for key in weakening.keys:
        if not isinstance(node, yaml.MappingNode):
            break
        match = next((v for k, v in node.value if k.value == key), None)
        if match is None:
            break
        line = next(k for k, v in node.value if v is match).start_mark.line + 1
        node = match
    if weakening.value is not None and isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if getattr(item, "value", None) == weakening.value:
                return int(item.start_mark.line) + 1
    return line


def _toml_line(text: str, weakening: Weakening) -> int:
    """Best effort (tomllib keeps no positions): the value, else the last key, in the section."""
    lines = text.splitlines()
    start = next(
        (i for i, line in enumerate(lines) if line.strip().startswith("[tool.readyterm")), 0
    )
    needles = [f'"{weakening.value}"', f"'{weakening.value}'"] if weakening.value else []
    needles.append(weakening.keys[-1])
    for needle in needles:
        for number in range(start, len(lines)):
            if needle in lines[number]:
                return number + 1
    return start + 1
