"""Adversarial tests for configuration: `.readyterm.yaml`, `[tool.readyterm]`, READYTERM_*.

Every bad input is an error that names the file (or variable) and the key, exit code 2
through the CLI, and never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from readyterm.foundation.config import CONFIG_FILE, Config, load_config
from readyterm.foundation.errors import ConfigError
from tests.conftest import GitRepo, run_cli

CI = ("--ci", "--format", "json", "--no-staging", "--steps", "monitoring")


def load(root: Path, **environ: str) -> tuple[Config, str]:
    return load_config(root, environ)


def config_error(root: Path, **environ: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(root, **environ)
    return str(caught.value)


def ci(
    path: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(*CI, str(path), *extra, env=env, timeout=60)


def assert_usage_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert "internal error" not in done.stderr
    assert done.stdout == ""
    for needle in needles:
        assert needle in done.stderr, (needle, done.stderr)


# --- .readyterm.yaml -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n", "~\n"])
def test_an_empty_config_file_gives_the_defaults(tmp_path: Path, text: str) -> None:
    (tmp_path / CONFIG_FILE).write_text(text)
    config, source = load(tmp_path)
    assert config == Config()
    assert source == CONFIG_FILE


def test_no_config_at_all_gives_the_defaults(tmp_path: Path) -> None:
    config, source = load(tmp_path)
    assert config == Config()
    assert source == "defaults"
    assert config.timeouts.git == 60 and config.max_file_bytes == 1_000_000


def test_a_full_config_file_is_read_with_its_types(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        """
base: develop
include: ["app/**", "*.py"]
exclude: [vendor/]
rules: [ci/rules]
max_file_bytes: 5000
timeouts: {semgrep: 120, git: 2.5}
steps:
  environment: {enabled: false}
  logging:
    severity: {print-instead-of-logger: blocker}
    min_severity: warning
  monitoring: {attestation_required: true}
staging:
  dockerfile: deploy/Dockerfile
  port: 8080
  health: /healthz
  smoke: [/api/orders]
  ready_timeout: 30
"""
    )
    config, source = load(tmp_path)
    assert source == CONFIG_FILE
    assert config.base == "develop"
    assert config.include == ["app/**", "*.py"]
    assert config.exclude == ["vendor/"]
    assert config.rules == ["ci/rules"]
    assert config.max_file_bytes == 5000
    assert config.timeouts.semgrep == 120 and config.timeouts.git == 2.5
    assert config.timeouts.bandit == 900  # untouched keys keep their defaults
    assert config.step("environment").enabled is False
    assert config.step("logging").severity == {"print-instead-of-logger": "blocker"}
    assert config.step("logging").min_severity == "warning"
    assert config.step("monitoring").attestation_required is True
    assert config.step("tests") == Config().step("tests")
    assert config.staging.port == 8080 and config.staging.smoke == ["/api/orders"]


def test_an_unknown_top_level_key_names_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("bsae: main\n")
    message = config_error(tmp_path)
    assert CONFIG_FILE in message
    assert "bsae: unknown key" in message


def test_an_unknown_nested_key_names_its_full_path(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("steps:\n  environment:\n    enabld: false\n")
    message = config_error(tmp_path)
    assert CONFIG_FILE in message
    assert "steps.environment.enabld: unknown key" in message


def test_an_unknown_step_id_lists_the_real_ones(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("steps:\n  error_handling: {enabled: false}\n")
    message = config_error(tmp_path)
    assert f"{CONFIG_FILE}: steps.error_handling: unknown step id" in message
    assert "error-handling" in message  # the hint lists the ids


@pytest.mark.parametrize(
    ("text", "key", "why"),
    [
        ('timeouts:\n  semgrep: "fast"\n', "timeouts.semgrep", "valid number"),
        ("timeouts:\n  semgrep: -5\n", "timeouts.semgrep", "greater than 0"),
        ("timeouts:\n  git: .inf\n", "timeouts.git", "finite"),
        ("timeouts:\n  git: 1.0e+300\n", "timeouts.git", "less than or equal"),
        ("timeouts:\n  git: true\n", "timeouts.git", "valid number"),
        ("timeouts: 30\n", "timeouts", "dictionary"),
        ("include: 3\n", "include", "valid list"),
        ("include: '*.py'\n", "include", "valid list"),
        ("include: [1]\n", "include.0", "valid string"),
        ("max_file_bytes: true\n", "max_file_bytes", "valid integer"),
        ("max_file_bytes: 1.5\n", "max_file_bytes", "valid integer"),
        ("max_file_bytes: 0\n", "max_file_bytes", "greater than 0"),
        ("base: 1234\n", "base", "valid string"),
        ("steps:\n  tests:\n    enabled: maybe\n", "steps.tests.enabled", "valid boolean"),
        ("steps:\n  tests:\n    enabled: 1\n", "steps.tests.enabled", "valid boolean"),
        ("steps:\n  tests: {min_severity: high}\n", "steps.tests.min_severity", "'blocker'"),
        (
            "steps:\n  tests:\n    severity: {tests-missing: critical}\n",
            "steps.tests.severity.tests-missing",
            "'blocker'",
        ),
        ("steps:\n", "steps", "valid dictionary"),
        ("staging:\n  port: 70000\n", "staging.port", "less than or equal"),
        ("staging:\n  port: '8080'\n", "staging.port", "valid integer"),
    ],
)
def test_a_wrong_type_names_the_file_the_key_and_what_was_given(
    tmp_path: Path, text: str, key: str, why: str
) -> None:
    (tmp_path / CONFIG_FILE).write_text(text)
    message = config_error(tmp_path)
    assert f"{CONFIG_FILE}: invalid configuration" in message
    line = next(line for line in message.splitlines() if line.strip().startswith(key + ":"))
    assert why in line, line
    assert "got" in line


@pytest.mark.parametrize(
    "key", ["privileged: true", "network: host", "volumes: ['/:/host']", "cap_add: [SYS_ADMIN]"]
)
def test_staging_has_no_key_for_privileges_or_host_access(tmp_path: Path, key: str) -> None:
    (tmp_path / CONFIG_FILE).write_text(f"staging:\n  {key}\n")
    message = config_error(tmp_path)
    assert f"staging.{key.split(':')[0]}: unknown key" in message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("base: [unclosed\n", "not valid YAML"),
        ("steps:\n\tenvironment: {}\n", "not valid YAML"),
        ("base: main\n  include: x\n", "not valid YAML"),
        ("- base\n- main\n", "must be a mapping of keys, not a list"),
        ("just a string\n", "must be a mapping of keys, not a str"),
        ("base: main\nbase: develop\n", "found the key 'base' twice"),
        ("timeouts:\n  git: 1\n  git: 2\n", "found the key 'git' twice"),
    ],
)
def test_malformed_yaml_names_the_file(tmp_path: Path, text: str, needle: str) -> None:
    (tmp_path / CONFIG_FILE).write_text(text)
    message = config_error(tmp_path)
    assert message.startswith(CONFIG_FILE + ":")
    assert needle in message


def test_a_yaml_error_says_where(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("base: main\nbase: develop\n")
    assert "line 2" in config_error(tmp_path)


def test_a_config_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_bytes(b"base: caf\xe9\n")
    message = config_error(tmp_path)
    assert message.startswith(CONFIG_FILE + ": cannot be read")


def _make_fifo(path: Path) -> None:
    os.mkfifo(path)


def _make_dir(path: Path) -> None:
    path.mkdir()


def _make_dangling_link(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.yaml")


def _make_huge(path: Path) -> None:
    path.write_text("base: main\n" + "# padding\n" * 500_000)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (_make_dir, "a directory, not a regular file"),
        (_make_fifo, "a FIFO (named pipe), not a regular file"),
        (_make_dangling_link, "a symlink to nothing"),
        (_make_huge, "bytes allowed"),
    ],
    ids=["directory", "fifo", "dangling-symlink", "huge"],
)
def test_a_config_path_that_is_no_small_regular_file_is_exit_2(
    repo: GitRepo, make: Callable[[Path], None], needle: str
) -> None:
    """Never the defaults in silence, never a read that blocks on a FIFO."""
    make(repo.path / CONFIG_FILE)
    done = ci(repo.path)
    assert_usage_error(done, CONFIG_FILE, "cannot be read", needle)
    assert len(done.stderr.strip().splitlines()) <= 2  # the error and at most a hint


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    (tmp_path / CONFIG_FILE).write_text("\n".join(levels) + "\nbase: *a11\n")
    assert "alias bomb" in config_error(tmp_path)


@pytest.mark.parametrize("name", [".readyterm/waivers.yaml", ".readyterm/attestations.yaml"])
def test_a_decisions_file_that_is_a_directory_is_exit_2(repo: GitRepo, name: str) -> None:
    (repo.path / name).mkdir(parents=True)
    done = ci(repo.path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert name.split("/")[-1] in done.stderr and "a directory" in done.stderr


# --- pyproject.toml --------------------------------------------------------------------


PYPROJECT = """
[project]
name = "app"

[tool.readyterm]
base = "develop"
exclude = ["migrations/*"]

[tool.readyterm.timeouts]
semgrep = 30

[tool.readyterm.steps.logging]
enabled = false
"""


def test_tool_readyterm_in_pyproject_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    config, source = load(tmp_path)
    assert source == "pyproject.toml [tool.readyterm]"
    assert config.base == "develop"
    assert config.exclude == ["migrations/*"]
    assert config.timeouts.semgrep == 30
    assert config.step("logging").enabled is False


def test_a_pyproject_without_the_section_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n[tool.ruff]\nx = 1\n')
    assert load(tmp_path) == (Config(), "defaults")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[tool.readyterm\nbase = 1\n", "pyproject.toml: cannot be read"),
        ('[tool.readyterm]\nbase = "a"\nbase = "b"\n', "pyproject.toml: cannot be read"),
        ("tool = 3\n", "pyproject.toml: `tool` must be a table"),
        ("[tool]\nreadyterm = 3\n", "pyproject.toml: [tool.readyterm] must be a table"),
        ('[tool.readyterm]\nbsae = "main"\n', "bsae: unknown key"),
        ('[tool.readyterm.timeouts]\nsemgrep = "fast"\n', "timeouts.semgrep: Input should be"),
        ("[tool.readyterm.steps.enviroment]\nenabled = false\n", "steps.enviroment: unknown step"),
    ],
)
def test_a_bad_pyproject_names_the_file_and_key(tmp_path: Path, text: str, needle: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    message = config_error(tmp_path)
    assert "pyproject.toml" in message
    assert needle in message


def test_readyterm_yaml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / CONFIG_FILE).write_text("base: trunk\n")
    config, source = load(tmp_path)
    assert source == CONFIG_FILE
    assert config.base == "trunk"
    assert config.exclude == []  # the two are not merged
    assert config.step("logging").enabled is True


def test_a_broken_pyproject_does_not_matter_when_readyterm_yaml_exists(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.readyterm\nthis is not toml")
    (tmp_path / CONFIG_FILE).write_text("base: trunk\n")
    assert load(tmp_path)[0].base == "trunk"


# --- READYTERM_* environment variables -------------------------------------------------


def test_environment_variables_override_the_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        "base: develop\ntimeouts: {semgrep: 300, bandit: 200}\n"
        "steps:\n  error-handling: {min_severity: blocker}\n"
    )
    config, source = load(
        tmp_path,
        READYTERM_BASE="main",
        READYTERM_TIMEOUTS__SEMGREP="12",
        READYTERM_STEPS__ERROR_HANDLING__ENABLED="false",
    )
    assert source == f"{CONFIG_FILE} + READYTERM_* environment"
    assert config.base == "main"
    assert config.timeouts.semgrep == 12
    assert config.timeouts.bandit == 200  # merged, not replaced
    assert config.step("error-handling").enabled is False
    assert config.step("error-handling").min_severity == "blocker"


@pytest.mark.parametrize(
    ("variable", "value", "read"),
    [
        ("READYTERM_BASE", "1.0", lambda c: c.base == "1.0"),  # a tag, not a float
        ("READYTERM_BASE", "1234567", lambda c: c.base == "1234567"),  # a short sha
        ("READYTERM_BASE", "no", lambda c: c.base == "no"),  # a branch, not False
        ("READYTERM_BASE", "", lambda c: c.base is None),
        ("READYTERM_INCLUDE", "*.py", lambda c: c.include == ["*.py"]),
        ("READYTERM_INCLUDE", "app/*, lib/*.py", lambda c: c.include == ["app/*", "lib/*.py"]),
        ("READYTERM_EXCLUDE", "[vendor/*, '*.md']", lambda c: c.exclude == ["vendor/*", "*.md"]),
        ("READYTERM_TIMEOUTS__GIT", "2", lambda c: c.timeouts.git == 2),
        ("READYTERM_TIMEOUTS__GIT", "1e2", lambda c: c.timeouts.git == 100),
        ("READYTERM_MAX_FILE_BYTES", "2048", lambda c: c.max_file_bytes == 2048),
        ("READYTERM_STEPS__TESTS__ENABLED", "0", lambda c: not c.step("tests").enabled),
        ("READYTERM_STEPS__TESTS__ENABLED", "Off", lambda c: not c.step("tests").enabled),
        ("READYTERM_STEPS__TESTS__ENABLED", "yes", lambda c: c.step("tests").enabled),
        (
            "READYTERM_STEPS__LOGGING__SEVERITY__PRINT_INSTEAD_OF_LOGGER",
            "blocker",
            lambda c: c.step("logging").severity == {"print-instead-of-logger": "blocker"},
        ),
        (
            "READYTERM_STEPS__MONITORING__ATTESTATION_REQUIRED",
            "true",
            lambda c: c.step("monitoring").attestation_required,
        ),
        ("READYTERM_STAGING__PORT", "8080", lambda c: c.staging.port == 8080),
        ("READYTERM_STAGING__ENV_FILE", "deploy/staging.env", lambda c: c.staging.env_file),
        ("READYTERM_STAGING__SMOKE", "/a,/b", lambda c: c.staging.smoke == ["/a", "/b"]),
    ],
)
def test_an_environment_value_is_read_as_the_type_of_its_key(
    tmp_path: Path, variable: str, value: str, read: object
) -> None:
    config, _ = load(tmp_path, **{variable: value})
    assert read(config), config  # type: ignore[operator]


def test_variables_that_are_not_configuration_are_ignored(tmp_path: Path) -> None:
    config, source = load(
        tmp_path,
        READYTERM_LOG_DIR="/tmp/logs",
        READYTERM_REQUIRE_DOCKER="1",
        READYTERM_SEMGREP_BIN="/opt/semgrep",
        READYTERM_DOCKER_BIN="/usr/bin/docker",
        NOT_READYTERM_BASE="x",
    )
    assert (config, source) == (Config(), "defaults")


@pytest.mark.parametrize(
    ("environ", "needles"),
    [
        ({"READYTERM_TIMEOUTS__SEMGREP": "fast"}, ["READYTERM_TIMEOUTS__SEMGREP", "valid number"]),
        ({"READYTERM_TIMEOUTS__GIT": "inf"}, ["READYTERM_TIMEOUTS__GIT", "finite"]),
        ({"READYTERM_BSAE": "main"}, ["READYTERM_BSAE", "unknown key"]),
        ({"READYTERM_TIMEOUTS__SEMGRPE": "5"}, ["READYTERM_TIMEOUTS__SEMGRPE", "unknown key"]),
        ({"READYTERM_STEPS__TESTS__ENABLD": "0"}, ["READYTERM_STEPS__TESTS__ENABLD", "unknown"]),
        ({"READYTERM_STEPS__NOPE__ENABLED": "0"}, ["READYTERM_STEPS__NOPE__ENABLED", "step id"]),
        ({"READYTERM_STEPS__TESTS__ENABLED": "maybe"}, ["READYTERM_STEPS__TESTS__ENABLED"]),
        ({"READYTERM_MAX_FILE_BYTES": "1.5"}, ["READYTERM_MAX_FILE_BYTES", "valid integer"]),
        ({"READYTERM_TIMEOUTS": "5"}, ["READYTERM_TIMEOUTS", "dictionary"]),
        (
            {"READYTERM_TIMEOUTS": "5", "READYTERM_TIMEOUTS__GIT": "2"},
            ["READYTERM_TIMEOUTS and READYTERM_TIMEOUTS__GIT both set timeouts"],
        ),
        ({"READYTERM_TIMEOUTS____GIT": "2"}, ["READYTERM_TIMEOUTS____GIT", "empty part"]),
        ({"READYTERM_": "x"}, ["READYTERM_:", "empty part"]),
        ({"READYTERM_STAGING__PRIVILEGED": "true"}, ["READYTERM_STAGING__PRIVILEGED", "unknown"]),
    ],
)
def test_a_bad_environment_variable_is_named(
    tmp_path: Path, environ: dict[str, str], needles: list[str]
) -> None:
    message = config_error(tmp_path, **environ)
    for needle in needles:
        assert needle in message, message


def test_the_environment_cannot_hide_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("timeouts:\n  semgrep: fast\n")
    message = config_error(tmp_path, READYTERM_TIMEOUTS__SEMGREP="12")
    assert message.startswith(f"{CONFIG_FILE}: invalid configuration")


# --- through the CLI: exit 2, file and key named, no traceback -------------------------


@pytest.mark.parametrize(
    ("files", "env", "needles"),
    [
        ({CONFIG_FILE: "bsae: main\n"}, {}, [CONFIG_FILE, "bsae", "unknown key"]),
        (
            {CONFIG_FILE: "steps:\n  environment:\n    enabld: false\n"},
            {},
            [CONFIG_FILE, "steps.environment.enabld"],
        ),
        ({CONFIG_FILE: "steps:\n  enviroment: {}\n"}, {}, [CONFIG_FILE, "steps.enviroment"]),
        ({CONFIG_FILE: 'timeouts:\n  semgrep: "fast"\n'}, {}, [CONFIG_FILE, "timeouts.semgrep"]),
        ({CONFIG_FILE: "include: 3\n"}, {}, [CONFIG_FILE, "include"]),
        ({CONFIG_FILE: "base: [unclosed\n"}, {}, [CONFIG_FILE, "not valid YAML"]),
        ({CONFIG_FILE: "- a\n- b\n"}, {}, [CONFIG_FILE, "mapping"]),
        ({"pyproject.toml": "[tool.readyterm\n"}, {}, ["pyproject.toml"]),
        ({"pyproject.toml": "tool = 3\n"}, {}, ["pyproject.toml", "tool"]),
        (
            {"pyproject.toml": "[tool.readyterm]\nbsae = 1\n"},
            {},
            ["pyproject.toml", "bsae"],
        ),
        ({}, {"READYTERM_TIMEOUTS__SEMGREP": "fast"}, ["READYTERM_TIMEOUTS__SEMGREP"]),
        ({}, {"READYTERM_BSAE": "main"}, ["READYTERM_BSAE", "unknown key"]),
        (
            {},
            {"READYTERM_TIMEOUTS": "5", "READYTERM_TIMEOUTS__GIT": "2"},
            ["READYTERM_TIMEOUTS__GIT"],
        ),
    ],
    ids=lambda value: None,
)
def test_bad_configuration_through_the_cli(
    repo: GitRepo, files: dict[str, str], env: dict[str, str], needles: list[str]
) -> None:
    for name, text in files.items():
        repo.write(name, text)
    assert_usage_error(ci(repo.path, env=env), *needles)


def test_the_configuration_is_read_from_the_repository_root_not_the_path(repo: GitRepo) -> None:
    repo.write(CONFIG_FILE, "bsae: main\n")
    assert_usage_error(ci(repo.path / "app"), CONFIG_FILE, "bsae")


def test_environment_overrides_reach_the_run(repo: GitRepo) -> None:
    repo.write(CONFIG_FILE, "exclude: ['*.md']\n")
    repo.write("notes.md", "# notes\n")
    repo.write("app/new.py", "X = 1\n")
    done = ci(repo.path, env={"READYTERM_STEPS__MONITORING__ENABLED": "false"})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["scope"]["files"] == [CONFIG_FILE, "app/new.py"]
    monitoring = next(step for step in result["steps"] if step["id"] == "monitoring")
    assert monitoring["status"] == "skipped"
    assert "READYTERM_" in monitoring["summary"]


def test_base_from_the_config_file_is_used(repo: GitRepo) -> None:
    repo.git("branch", "-m", "main", "trunk")
    repo.write("app/new.py", "X = 1\n")
    assert_usage_error(ci(repo.path), "no base branch")
    repo.write(CONFIG_FILE, "base: trunk\n")
    done = ci(repo.path)
    assert done.returncode == 0, done.stderr
    scope = json.loads(done.stdout)["scope"]
    assert scope["base_ref"] == "trunk"
    assert scope["files"] == [CONFIG_FILE, "app/new.py"]


def test_deeply_nested_yaml_without_aliases_is_a_config_error(tmp_path: Path) -> None:
    """PyYAML nests recursively: thousands of brackets must not escape as a RecursionError."""
    (tmp_path / CONFIG_FILE).write_text("base: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested more than" in config_error(tmp_path)
