"""The wheel carries everything readyterm reads at run time, and works with no source tree.

`pipx install readyterm` gives a wheel and nothing else: rule packs, the record schema,
the demo app and the TUI's stylesheets must be inside it, found relative to the package.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import readyterm

pytestmark = pytest.mark.slow

SOURCE = Path(__file__).resolve().parent.parent
PACKAGE = Path(readyterm.__file__).resolve().parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")
    done = subprocess.run(
        [*command, str(SOURCE)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("readyterm-*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_rules_schema_and_demo_app(wheel: Path) -> None:
    inside = names(wheel)
    for required in (
        "readyterm/schemas/record.schema.json",
        "readyterm/demo_app/base/.gitignore",
        "readyterm/demo_app/feature/app/orders.py",
    ):
        assert required in inside
    rule_files = sorted((SOURCE / "rules").rglob("*.yaml"))
    assert rule_files
    for rule in rule_files:
        step = rule.parent.name
        assert f"readyterm/_rules/{step}/{rule.name}" in inside
    assert {n.split("/")[2] for n in inside if n.startswith("readyterm/_rules/")} >= {
        "environment",
        "error-handling",
        "input-validation",
    }


def test_the_wheel_carries_every_data_file_of_the_package(wheel: Path) -> None:
    """Stylesheets, schemas, demo files: whatever sits in the package goes in the wheel."""
    inside = names(wheel)
    expected = {
        f"readyterm/{file.relative_to(PACKAGE).as_posix()}"
        for file in PACKAGE.rglob("*")
        if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc"
    }
    assert sorted(expected - inside) == []


def test_the_wheel_leaves_out_what_is_not_readyterm(wheel: Path) -> None:
    inside = names(wheel)
    assert not [n for n in inside if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in inside if n.startswith(("tests/", "rules/", "benchmarks/", ".venv"))]
    (entry_points,) = [n for n in inside if n.endswith(".dist-info/entry_points.txt")]
    with zipfile.ZipFile(wheel) as archive:
        assert "readyterm = readyterm.cli:main" in archive.read(entry_points).decode()


def _python(site: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_unpacked_wheel_finds_its_own_rules(unpacked: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = _python(
        unpacked,
        "import json, readyterm\n"
        "from readyterm.foundation.rulepack import bundled_rules_dir, load_rule_pack\n"
        "from readyterm.engine.record import record_schema\n"
        "from pathlib import Path\n"
        "pack = load_rule_pack(Path('.'), [])\n"
        "print(json.dumps({'package': readyterm.__file__, 'rules': str(bundled_rules_dir()),"
        " 'steps': sorted(pack.steps()), 'schema': record_schema()['$schema']}))",
        cwd=elsewhere,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert Path(found["package"]).is_relative_to(unpacked)  # not the source tree
    assert Path(found["rules"]) == unpacked / "readyterm" / "_rules"
    assert {"environment", "error-handling", "input-validation"} <= set(found["steps"])
    assert found["schema"]


def test_the_unpacked_wheel_runs_the_demo_and_writes_a_record(
    unpacked: Path, tmp_path: Path
) -> None:
    """End to end from the wheel: demo files, bundled rules through real semgrep, schema."""
    demo = tmp_path / "demo"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "readyterm",
            "demo",
            "--ci",
            "--path",
            str(demo),
            "--steps",
            "environment",
            "--format",
            "json",
            "--write-record",
            "--all-findings",  # no second scan of the base: the point here is the packaging
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(unpacked)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    environment = next(s for s in result["steps"] if s["id"] == "environment")
    assert environment["status"] == "fail"
    assert environment["findings"]
    assert result["record"] and (demo / result["record"]).is_file()
