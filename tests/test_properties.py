"""Property-based: generated configs, decisions files, records and command lines, hostile
ones included, never break the contract. Fixed seed (derandomize), in-process for speed.

The contract, on every generated case: no traceback (only readyterm's own errors), an exit
code from the README's table, nothing written outside the repository, no half-written file
left behind, every record on disk a valid one.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readyterm.cli import main
from readyterm.engine.decisions import load_attestations, load_waivers
from readyterm.engine.record import load_records
from readyterm.foundation.config import CONFIG_FILE, Config, load_config
from readyterm.foundation.errors import ConfigError, RecordError
from readyterm.foundation.paths import ATTESTATIONS_FILE, READYTERM_DIR, WAIVERS_FILE
from tests.conftest import GitRepo

EXIT_CODES = {0, 1, 2, 3}
PROPERTY = settings(
    derandomize=True,  # the fixed seed: the same cases on every run and machine
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what a hostile repository can hold ----------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "main", "../../etc", "x" * 5000, "2027-01-01", "\u202e", "\x00"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
CONFIG_KEYS = [
    "base", "exclude", "jobs", "timeouts", "steps", "staging", "rules", "cache", "max_file_bytes",
    "semgrep_engine", "strict",
]  # fmt: skip
MARKER = "readyterm-property-marker"


def _bomb_level(i: int) -> bytes:
    below = "*a" + (str(i - 1) if i > 1 else "")
    return f"a{i}: &a{i} [{', '.join([below] * 9)}]\n".encode()


def _hostile_payloads(outside: Path) -> list[bytes]:
    marker = outside / MARKER
    return [
        f'!!python/object/apply:os.system ["touch {marker}"]\n'.encode(),
        f"base: !!python/object/new:os.system [touch {marker}]\n".encode(),
        b"a: &a [x, x, x, x, x, x, x, x, x]\n"
        + b"".join(_bomb_level(i) for i in range(1, 10)),
        b"base: \xff\xfe\x00caf\xe9\n",
        b"[" * 3000 + b"]" * 3000,
        b"base: " + b"y" * (5 * 1024 * 1024) + b"\n",
        b"\xef\xbb\xbfbase: main\n",
        b"--- \n...\n--- {base: a}\n",
        b"base: main\nbase: dev\n",
    ]  # fmt: skip


@st.composite
def yaml_documents(draw: st.DrawFn, keys: list[str], outside: Path) -> bytes:
    kind = draw(st.sampled_from(["mapping", "hostile", "anything"]))
    if kind == "hostile":
        return draw(st.sampled_from(_hostile_payloads(outside)))
    if kind == "anything":
        return draw(st.binary(max_size=200))
    document = draw(
        st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), values, max_size=5)
    )
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass")


PLACEMENTS = ["file", "symlink-out", "directory", "dangling", "fifo"]


def _remove(path: Path) -> None:
    """Whatever is there: a file, FIFO, symlink (never followed) or folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def _place(path: Path, content: bytes, how: str, outside: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove(path)
    if how == "file":
        path.write_bytes(content)
    elif how == "symlink-out":
        target = outside / f"target-{path.name}"
        target.write_bytes(content)
        path.symlink_to(target)
    elif how == "directory":
        path.mkdir()
    elif how == "dangling":
        path.symlink_to(outside / "nothing-here")
    else:
        os.mkfifo(path)


def _place_drawn(data: st.DataObject, path: Path, keys: list[str], outside: Path) -> None:
    """A generated document, placed at path in a generated way (file, FIFO, link out ...)."""
    content = data.draw(yaml_documents(keys, outside))
    _place(path, content, data.draw(st.sampled_from(PLACEMENTS)), outside)


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GitRepo, Path]]:
    """A real repository and a folder outside it that must stay untouched."""
    base = tmp_path_factory.mktemp("property")
    outside = base / "outside"
    outside.mkdir()
    path = base / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.write("app/__init__.py", "")
    repo.write("app/web.py", "from flask import Flask\napp = Flask(__name__)\n")
    repo.commit("initial")
    yield repo, outside


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry below folder, with the bytes of each regular file."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() and not p.is_symlink() else None
        for p in sorted(folder.rglob("*"))
    }


def _reset(repo: GitRepo) -> None:
    for name in (CONFIG_FILE, READYTERM_DIR):
        _remove(repo.path / name)


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


def _assert_contract(
    repo: GitRepo, outside: Path, before: dict[str, bytes | None], code: int, err: str
) -> None:
    assert code in EXIT_CODES, (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    assert not (outside / MARKER).exists(), "a YAML tag ran code"
    assert _snapshot(outside) == before, "something was written outside the repository"
    leftovers = [p for p in repo.path.rglob("*.tmp") if p.name.startswith(".")]
    assert leftovers == [], f"half-written files: {leftovers}"
    records = repo.path / READYTERM_DIR / "records"
    if records.is_dir() and not records.is_symlink():
        with contextlib.suppress(RecordError):  # a hostile file next to them is reported...
            load_records(repo.path)  # ...and a record readyterm wrote is always valid


# --- properties ----------------------------------------------------------------------------


@settings(PROPERTY, max_examples=70)
@given(data=st.data())
def test_any_config_loads_or_is_a_config_error(
    world: tuple[GitRepo, Path], data: st.DataObject
) -> None:
    repo, outside = world
    _reset(repo)
    _place_drawn(data, repo.path / CONFIG_FILE, CONFIG_KEYS, outside)
    try:
        config, _source = load_config(repo.path, {})
    except ConfigError as exc:
        assert str(exc).startswith(CONFIG_FILE), exc
    else:
        assert isinstance(config, Config)
    assert not (outside / MARKER).exists()


@settings(PROPERTY, max_examples=50)
@given(data=st.data())
def test_any_decisions_file_loads_or_is_a_record_error(
    world: tuple[GitRepo, Path], data: st.DataObject
) -> None:
    repo, outside = world
    _reset(repo)
    keys = [
        "waivers",
        "attestations",
        "rule",
        "path",
        "reason",
        "owner",
        "expires",
        "step",
        "question",
        "answer",
    ]
    for name in (WAIVERS_FILE, ATTESTATIONS_FILE):
        _place_drawn(data, repo.path / name, keys, outside)
    for load in (load_waivers, load_attestations):
        with contextlib.suppress(RecordError):
            load(repo.path)
    assert not (outside / MARKER).exists()


TOKENS = [
    "--ci", "--all", "--strict", "--all-findings", "--no-cache", "--write-record", "--base", "main",
    "HEAD", "no-such-ref", "--format", "json", "sarif", "junit", "text", "prompt", "github",
    "gitlab", "bogus", "--steps", "monitoring", "tests", "nope", "--jobs", "0", "-1", "99999999999",
    "--days", "30", "-5", "--reason", "", "because", "--answer", "alert=x", "=", "--path", "../x",
    "--fingerprint", "--owner", "\x00", "é", "-", "--", "-C", ".", "--help", "--version",
]  # fmt: skip
COMMANDS = [["verify"], ["waive", "no-health-endpoint"], ["attest", "monitoring"], ["merge"], []]


@settings(PROPERTY, max_examples=90)
@given(data=st.data())
def test_any_command_line_in_any_repository_state_keeps_the_contract(
    world: tuple[GitRepo, Path], data: st.DataObject
) -> None:
    repo, outside = world
    _reset(repo)
    if data.draw(st.booleans()):
        _place_drawn(data, repo.path / CONFIG_FILE, CONFIG_KEYS, outside)
    if data.draw(st.booleans()):  # .readyterm/ itself a symlink out of the repository
        (outside / "decisions").mkdir(exist_ok=True)
        (repo.path / READYTERM_DIR).symlink_to(outside / "decisions")
    before = _snapshot(outside)
    command = data.draw(st.sampled_from(COMMANDS))
    extra = data.draw(
        st.lists(st.sampled_from(TOKENS) | st.text(string.printable, max_size=6), max_size=6)
    )
    where = (
        ["-C", str(repo.path)]
        if command and command[0] in ("waive", "attest")
        else [str(repo.path)]
    )
    if command == []:
        # a run: only the project checks, so that a case takes milliseconds, not a scan
        argv = ["--ci", str(repo.path), *extra, "--no-staging", "--steps", "monitoring"]
    elif command == ["merge"]:
        argv = ["merge", *extra]
    else:
        argv = [*command, *where, *extra]
    try:
        code, err = _run(argv)
    except SystemExit as exc:  # --help / --version exit through argparse
        code, err = int(exc.code or 0), ""
    _assert_contract(repo, outside, before, code, err)
    if (repo.path / READYTERM_DIR).is_symlink():
        assert _snapshot(outside) == before


def test_a_decisions_folder_that_is_a_symlink_out_of_the_repository_is_refused(
    world: tuple[GitRepo, Path],
) -> None:
    repo, outside = world
    _reset(repo)
    (outside / "elsewhere").mkdir(exist_ok=True)
    (repo.path / READYTERM_DIR).symlink_to(outside / "elsewhere")
    code, err = _run(["waive", "no-health-endpoint", "--reason", "r", "-C", str(repo.path)])
    assert code == 2, err
    assert "leads out of the repository" in err
    assert list((outside / "elsewhere").iterdir()) == []
    _reset(repo)


def _records_of(repo: GitRepo) -> list[Path]:
    return sorted((repo.path / READYTERM_DIR / "records").glob("*.yaml"))


@settings(PROPERTY, max_examples=40)
@given(data=st.data())
def test_no_edit_of_a_record_ever_verifies_as_fresh(
    world: tuple[GitRepo, Path], data: st.DataObject
) -> None:
    """Any change to what a ready record attests is caught (tampered, stale or invalid)."""
    repo, _outside = world
    _reset(repo)
    code, err = _run(
        ["--ci", str(repo.path), "--all", "--no-staging", "--steps", "monitoring", "--write-record"]
    )
    assert code in (0, 1), err
    [path] = _records_of(repo)
    record: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    fresh, _ = _run(["verify", str(repo.path)])
    target = data.draw(st.sampled_from(_leaves(record)))
    new_value = data.draw(values)
    container, key = _locate(record, target)
    if container[key] == new_value or target[0] == "created":
        return  # not an edit of what it attests
    container[key] = new_value
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), "utf-8")
    code, err = _run(["verify", str(repo.path)])
    assert code in (1, 2), (target, new_value, code, err)
    assert "Traceback" not in err
    assert fresh in (0, 1)


def _leaves(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict) and data:
        return [leaf for k, v in data.items() for leaf in _leaves(v, (*prefix, k))]
    if isinstance(data, list) and data:
        return [leaf for i, v in enumerate(data) for leaf in _leaves(v, (*prefix, i))]
    return [prefix] if prefix else []


def _locate(data: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    for part in path[:-1]:
        data = data[part]
    return data, path[-1]
