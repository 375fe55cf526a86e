"""Typed configuration: `.readyterm.yaml` or `[tool.readyterm]`, then `READYTERM_*` overrides.

Unknown keys and wrong types are errors that name the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from readyterm.foundation import userfiles
from readyterm.foundation.errors import ConfigError
from readyterm.foundation.gitcmd import DEFAULT_GIT_TIMEOUT
from readyterm.foundation.steps import STEP_IDS

CONFIG_FILE = ".readyterm.yaml"
ENV_PREFIX = "READYTERM_"
# Variables with the prefix that are not configuration keys.
NON_CONFIG_ENV = frozenset(
    {
        "READYTERM_REQUIRE_DOCKER",
        "READYTERM_LOG_DIR",
        "READYTERM_SEMGREP_BIN",
        "READYTERM_BANDIT_BIN",
        "READYTERM_CACHE_DIR",
        "READYTERM_CACHE_MAX_MB",
    }
)

Severity = Literal["blocker", "warning", "info"]
MAX_TIMEOUT = 86_400


class _Strict(BaseModel):
    # strict: a wrong type is an error, never coerced (`true` is no timeout, "80" no port).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


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

    # Finite and at most a day: an infinite or astronomic timeout overflows the timers.
    semgrep: float = Field(default=900, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False)
    bandit: float = Field(default=900, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False)
    git: float = Field(default=DEFAULT_GIT_TIMEOUT, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False)
    docker: float = Field(default=600, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False)
    #: The project's own test suite (the `tests` step runs it).
    tests: float = Field(default=900, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False)


class TestsConfig(_Strict):
    """The `tests` step runs the project's own suite under coverage: it executes its code."""

    __test__ = False  # not a pytest test class, despite its name

    #: false: only the step's static checks (skipped tests, gate weakening); no suite run.
    run: bool = True
    #: The command that runs the suite, as argv or a shell-like string (run without a shell).
    #: Default: detected (pytest for Python, the `test` script of package.json for JS/TS).
    command: str | list[str] | None = None
    #: The Python that runs the suite (default: the project's .venv or venv, the active
    #: virtualenv, python3 on PATH, then readyterm's own): the first that imports pytest.
    python: str | None = None
    #: `changed` runs only the test files that import a changed module (a partial result).
    select: Literal["all", "changed"] = "all"
    #: Percent of the changed lines the tests must run (diff coverage) before it is a finding.
    diff_coverage: float = Field(default=80, ge=0, le=100, allow_inf_nan=False)


class BreakProbes(_Strict):
    """Probes that break the environment on purpose; each can be switched off."""

    #: Start with an empty environment: fail fast naming what is missing, never use localhost.
    empty_env: bool = True
    #: Start with no network: stay up or exit with a clear log line, never hang.
    no_network: bool = True


class Burst(_Strict):
    """A bounded concurrent burst against the health and smoke paths."""

    requests: int = Field(default=200, ge=1, le=5000)
    concurrency: int = Field(default=20, ge=1, le=200)
    #: The 95th percentile latency budget in milliseconds.
    p95_ms: float = Field(default=1000, gt=0)


_ROUTE = r"^(GET|POST|PUT|PATCH|DELETE) /"
_WRITE = r"^(POST|PUT|PATCH|DELETE) /"


class HostileInput(_Strict):
    """Hostile requests against the routes: a fixed corpus, then OpenAPI fuzzing."""

    enabled: bool = True
    #: Seconds the whole probe may take (the corpus and the fuzzing together).
    budget: float = Field(default=25, gt=0, le=600, allow_inf_nan=False)
    #: Seconds one request may take before it counts as a hang.
    timeout: float = Field(default=5, gt=0, le=120, allow_inf_nan=False)
    #: The OpenAPI document: a path the app serves ("/openapi.json") or a file in the repo;
    #: default: /openapi.json when the app serves it, else openapi.yaml/.yml/.json in the repo.
    openapi: str | None = None
    #: Generated requests per API operation.
    max_examples: int = Field(default=15, ge=1, le=1000)


class ConcurrentUsers(_Strict):
    """Identical requests at the same moment against each state-changing route."""

    enabled: bool = True
    users: int = Field(default=50, ge=2, le=500)
    budget: float = Field(default=20, gt=0, le=600, allow_inf_nan=False)
    timeout: float = Field(default=10, gt=0, le=120, allow_inf_nan=False)
    #: p95 latency under that load above this is a warning.
    p95_ms: float = Field(default=2000, gt=0)


class Invariant(_Strict):
    """After N concurrent `write`s, `read` must report N more than before (lost updates)."""

    write: str = Field(pattern=_WRITE)
    read: str = Field(pattern=r"^/")
    #: A JSON key (dotted) holding the number; default: the first integer in the body.
    json_key: str | None = None
    body: str = "{}"


class DependencyOutage(_Strict):
    """Start with each *_URL the service reads pointed at a closed loopback port."""

    enabled: bool = True
    budget: float = Field(default=30, gt=0, le=600, allow_inf_nan=False)
    #: Seconds a request may take while the dependencies are down.
    timeout: float = Field(default=5, gt=0, le=120, allow_inf_nan=False)
    #: More variable names to point at the closed port (default: every *_URL/_DSN found).
    variables: list[str] = Field(default_factory=list)


class DockerfileLint(_Strict):
    """hadolint on the Dockerfile."""

    enabled: bool = True
    budget: float = Field(default=30, gt=0, le=600, allow_inf_nan=False)


class StagingConfig(_Strict):
    """The Docker smoke test.

    There are deliberately no keys for privileges, host networking, mounts or capabilities:
    a repository's config can never make readyterm run a container with them.
    """

    dockerfile: str = "Dockerfile"
    context: str = "."
    #: Container port to probe (default: the image's first EXPOSE).
    port: int | None = Field(default=None, ge=1, le=65535)
    #: HTTP health path (default: the image's HEALTHCHECK, else a TCP connect).
    health: str | None = Field(default=None, pattern=r"^/")
    smoke: list[str] = Field(default_factory=list)
    #: The container's only environment; the host's environment never leaks in.
    env_file: str | None = None
    ready_timeout: float = Field(default=60, gt=0, le=1800)
    #: Seconds between SIGTERM and SIGKILL on stop.
    grace_period: float = Field(default=10, gt=0, le=300)
    memory: str = Field(default="512m", pattern=r"^[0-9]+[bkmg]?$")
    cpus: float = Field(default=1.0, gt=0, le=64)
    burst: Burst = Field(default_factory=Burst)
    probes: BreakProbes = Field(default_factory=BreakProbes)
    #: Keep the built image after the run (default: remove it).
    keep_image: bool = False
    #: Routes to exercise besides those found in the code: "POST /api/orders".
    routes: list[Annotated[str, Field(pattern=_ROUTE)]] = Field(default_factory=list)
    hostile: HostileInput = Field(default_factory=HostileInput)
    concurrency: ConcurrentUsers = Field(default_factory=ConcurrentUsers)
    invariants: list[Invariant] = Field(default_factory=list)
    outage: DependencyOutage = Field(default_factory=DependencyOutage)
    hadolint: DockerfileLint = Field(default_factory=DockerfileLint)


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
    #: Also judge vendored copies (vendor/, third_party/) and minified bundles.
    judge_vendored: bool = False
    #: semgrep's compiled engine starts ~10x faster with the same findings; classic on request.
    semgrep_engine: Literal["experimental", "classic"] = "experimental"
    #: Processes a tool may run side by side (bandit shards); default: the CPUs available.
    jobs: int | None = Field(default=None, ge=1, le=256)
    tests: TestsConfig = Field(default_factory=TestsConfig)
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
    if userfiles.exists(yaml_path):  # a directory or FIFO there is an error, not "no config"
        data = _read_yaml(yaml_path)
        source = CONFIG_FILE
    elif pyproject.is_file():
        data = _read_pyproject(pyproject)
        source = "pyproject.toml [tool.readyterm]" if data else source
    _validate(data, source)
    overrides, origins = _env_overrides(environ)
    if overrides:
        data = _deep_merge(data, overrides)
        _validate(data, "READYTERM_* environment variables", origins)
        source += " + READYTERM_* environment"
    return Config.model_validate(data), source


def git_timeout(root: Path, environ: Mapping[str, str] | None = None) -> float:
    """`timeouts.git` for the repository at root, for commands that need no other setting.

    A config that does not load gives the default: waiving a risk or writing a record does
    not fail on it; the next run reports it, naming the file and key.
    """
    try:
        return load_config(root, environ)[0].timeouts.git
    except ConfigError:
        return DEFAULT_GIT_TIMEOUT


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load that rejects a key given twice (YAML would silently keep the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: construct_mapping reports it
                continue
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the key {key!r} twice",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = userfiles.read_text(path)
        userfiles.check_aliases(text)
        loaded = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not valid YAML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name}: cannot be read: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(
            f"{path.name}: the top level must be a mapping of keys, not a {_yaml_kind(loaded)}",
            hint="e.g. `base: main` on the first line",
        )
    return loaded


def _yaml_kind(value: object) -> str:
    return "list" if isinstance(value, list) else type(value).__name__


def _read_pyproject(path: Path) -> dict[str, Any]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"pyproject.toml: cannot be read: {exc}") from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError("pyproject.toml: `tool` must be a table")
    section = tool.get("readyterm", {})
    if not isinstance(section, dict):
        raise ConfigError("pyproject.toml: [tool.readyterm] must be a table")
    return section


def _validate(
    data: dict[str, Any], source: str, origins: Mapping[tuple[str, ...], str] | None = None
) -> None:
    origins = origins or {}
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(str(part) for part in err["loc"])
            key = ".".join(loc) or "(top level)"
            variable = _origin(loc, origins)
            where = f"{variable} ({key})" if variable else key
            problems.append(f"  {where}: {_describe(err)}")
        raise ConfigError(
            f"{source}: invalid configuration\n" + "\n".join(problems),
            hint="see the Configuration section of the README for every key",
        ) from None
    unknown = sorted(set(config.steps) - set(STEP_IDS))
    if unknown:
        variable = _origin(("steps", unknown[0]), origins)
        where = f"{variable} (steps.{unknown[0]})" if variable else f"steps.{unknown[0]}"
        raise ConfigError(
            f"{source}: {where}: unknown step id",
            hint="step ids are: " + ", ".join(STEP_IDS),
        )


def _origin(loc: tuple[str, ...], origins: Mapping[tuple[str, ...], str]) -> str | None:
    """The environment variable that set loc (or a key above it, or one below it)."""
    for length in range(len(loc), 0, -1):
        if loc[:length] in origins:
            return origins[loc[:length]]
    below = sorted(name for path, name in origins.items() if path[: len(loc)] == loc)
    return ", ".join(below) or None


def _describe(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    got = repr(err.get("input"))
    got = got if len(got) <= 60 else got[:57] + "..."
    return f"{err['msg']} (got {got})"


def _is_config_variable(name: str) -> bool:
    return (
        name.startswith(ENV_PREFIX)
        and name not in NON_CONFIG_ENV
        and not name.endswith("_BIN")  # READYTERM_<TOOL>_BIN: which executable to run
    )


def _env_overrides(
    environ: Mapping[str, str],
) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """READYTERM_BASE=main, READYTERM_TIMEOUTS__SEMGREP=120, READYTERM_STEPS__TESTS__ENABLED=0.

    `__` separates nesting levels; in step ids and rule ids `_` stands for `-`. A value is
    read as the key's type: strings verbatim (READYTERM_BASE=1.0 is the tag 1.0), lists as
    `a,b` or a YAML list, booleans as 1/0, true/false, yes/no or on/off.
    Returns the overrides and, for each key path set, the variable that set it.
    """
    overrides: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}
    for name, raw in sorted(environ.items()):
        if not _is_config_variable(name):
            continue
        parts = name[len(ENV_PREFIX) :].split("__")
        if not all(parts):
            raise ConfigError(
                f"{name}: not a configuration key (empty part between `__`)",
                hint="e.g. READYTERM_TIMEOUTS__SEMGREP=120",
            )
        path, kind = _key_path([part.lower() for part in parts])
        node = overrides
        for depth, key in enumerate(path[:-1]):
            child = node.setdefault(key, {})
            if not isinstance(child, dict):
                clash = origins[tuple(path[: depth + 1])]
                raise ConfigError(
                    f"{clash} and {name} both set {'.'.join(path[: depth + 1])}",
                    hint=f"unset one of them: {clash} replaces the whole table",
                )
            node = child
        if isinstance(node.get(path[-1]), dict):
            other = _origin(tuple(path), origins)
            raise ConfigError(
                f"{name} and {other} both set {'.'.join(path)}",
                hint=f"unset one of them: {name} replaces the whole table",
            )
        node[path[-1]] = _env_value(raw, kind)
        origins[tuple(path)] = name
    return overrides, origins


def _key_path(parts: list[str]) -> tuple[list[str], Any]:
    """The config key path for lowercased variable parts, and the annotation it leads to."""
    node: Any = Config
    path: list[str] = []
    for part in parts:
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(part)
            node = field.annotation if field else None
        elif get_origin(node) is dict:
            part = part.replace("_", "-")  # a step id or rule id: dashes
            node = get_args(node)[1]
        else:
            node = None
        path.append(part)
    return path, node


_ENV_BOOLEANS = {
    **dict.fromkeys(("1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off"), False),
}


def _env_value(raw: str, kind: Any) -> Any:
    """A variable's text as the type of the key it sets (left as text when it does not fit,
    so that validation names the variable and says what was expected)."""
    optional = get_origin(kind) in (Union, UnionType) and type(None) in get_args(kind)
    if optional:
        if raw == "":
            return None
        kind = next(arg for arg in get_args(kind) if arg is not type(None))
    if kind is str or get_origin(kind) is Literal:
        return raw
    if kind is bool:
        return _ENV_BOOLEANS.get(raw.strip().lower(), raw)
    if kind in (int, float):
        try:
            return kind(raw.strip())
        except ValueError:
            return raw
    if get_origin(kind) is list and not raw.lstrip().startswith("["):
        return [item.strip() for item in raw.split(",") if item.strip()]
    try:
        return yaml.safe_load(raw) if raw else ""
    except yaml.YAMLError:
        return raw


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
