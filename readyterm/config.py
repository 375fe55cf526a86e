"""Typed configuration: `.readyterm.yaml` or `[tool.readyterm]`, then `READYTERM_*` overrides.

Unknown keys and wrong types are errors that name the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from readyterm.errors import ConfigError
from readyterm.steps import STEP_IDS

CONFIG_FILE = ".readyterm.yaml"
ENV_PREFIX = "READYTERM_"
# Variables with the prefix that are not configuration keys.
NON_CONFIG_ENV = frozenset(
    {
        "READYTERM_REQUIRE_DOCKER",
        "READYTERM_LOG_DIR",
        "READYTERM_SEMGREP_BIN",
        "READYTERM_BANDIT_BIN",
    }
)

Severity = Literal["blocker", "warning", "info"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepConfig(_Strict):
    """Per-step switches."""

    enabled: bool = True
    #: Severity overrides by rule id, e.g. {"print-instead-of-logger": "blocker"}.
    severity: dict[str, Severity] = Field(default_factory=dict)
    #: Raise every finding of the step to at least this severity.
    min_severity: Severity | None = None
    #: A missing attestation for this step blocks instead of warning.
    attestation_required: bool = False


class Timeouts(_Strict):
    """Seconds each external tool may take before it is stopped."""

    semgrep: float = Field(default=900, gt=0)
    bandit: float = Field(default=900, gt=0)
    git: float = Field(default=60, gt=0)
    docker: float = Field(default=600, gt=0)


class StagingConfig(_Strict):
    """The Docker smoke test (issue: staging). Never allows privileges or host access."""

    dockerfile: str = "Dockerfile"
    context: str = "."
    port: int | None = Field(default=None, ge=1, le=65535)
    health: str | None = None
    smoke: list[str] = Field(default_factory=list)
    env_file: str | None = None
    ready_timeout: float = Field(default=60, gt=0)


class Config(_Strict):
    """The whole of `.readyterm.yaml`."""

    #: Base branch or ref the change is compared with (default: auto-detected).
    base: str | None = None
    #: Only files matching one of these globs are judged (default: all).
    include: list[str] = Field(default_factory=list)
    #: Files matching these globs are never judged.
    exclude: list[str] = Field(default_factory=list)
    #: Per-step settings, keyed by step id.
    steps: dict[str, StepConfig] = Field(default_factory=dict)
    #: Extra semgrep rule folders, relative to the repository root.
    rules: list[str] = Field(default_factory=list)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    #: Files larger than this (bytes) are listed in scope but not scanned.
    max_file_bytes: int = Field(default=1_000_000, gt=0)
    staging: StagingConfig = Field(default_factory=StagingConfig)

    def step(self, step_id: str) -> StepConfig:
        return self.steps.get(step_id, StepConfig())


def load_config(root: Path, environ: Mapping[str, str] | None = None) -> tuple[Config, str]:
    """Load the config for a repository root; returns it with a description of its source."""
    environ = os.environ if environ is None else environ
    data: dict[str, Any] = {}
    source = "defaults"
    yaml_path = root / CONFIG_FILE
    pyproject = root / "pyproject.toml"
    if yaml_path.is_file():
        data = _read_yaml(yaml_path)
        source = CONFIG_FILE
    elif pyproject.is_file():
        data = _read_pyproject(pyproject)
        source = "pyproject.toml [tool.readyterm]" if data else source
    _validate(data, source)
    overrides = _env_overrides(environ)
    if overrides:
        data = _deep_merge(data, overrides)
        source += " + READYTERM_* environment"
        _validate(data, "READYTERM_* environment variables")
    return Config.model_validate(data), source


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not valid YAML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name}: cannot be read: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path.name}: the top level must be a mapping of keys")
    return loaded


def _read_pyproject(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"pyproject.toml: cannot be read: {exc}") from None
    section = document.get("tool", {}).get("readyterm", {})
    if not isinstance(section, dict):
        raise ConfigError("pyproject.toml: [tool.readyterm] must be a table")
    return section


def _validate(data: dict[str, Any], source: str) -> None:
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"  {'.'.join(str(part) for part in err['loc']) or '(top level)'}: "
            f"{_describe(err['type'], err['msg'])}"
            for err in exc.errors()
        ]
        raise ConfigError(
            f"{source}: invalid configuration\n" + "\n".join(problems),
            hint="see the Configuration section of the README for every key",
        ) from None
    unknown = sorted(set(config.steps) - set(STEP_IDS))
    if unknown:
        raise ConfigError(
            f"{source}: steps.{unknown[0]}: unknown step id",
            hint="step ids are: " + ", ".join(STEP_IDS),
        )


def _describe(kind: str, message: str) -> str:
    return "unknown key" if kind == "extra_forbidden" else message


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """READYTERM_BASE=main, READYTERM_TIMEOUTS__SEMGREP=120, READYTERM_STEPS__TESTS__ENABLED=0.

    `__` separates nesting levels; values are read as YAML scalars (numbers, booleans, lists).
    """
    overrides: dict[str, Any] = {}
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or name in NON_CONFIG_ENV:
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX) :].split("__")]
        if path[0] == "steps" and len(path) > 1:
            path[1] = path[1].replace("_", "-")  # step ids use dashes: error-handling
        try:
            value = yaml.safe_load(raw) if raw else ""
        except yaml.YAMLError:
            value = raw
        node = overrides
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return overrides


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
