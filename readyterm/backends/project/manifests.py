"""What a Python project declares as its dependencies, from every file format in common use.

pyproject.toml ([project], [dependency-groups], Poetry, uv, PDM), requirements*.txt and
requirements/*.txt (following -r includes), setup.cfg, setup.py (best effort), Pipfile and
conda's environment.yml. A file that does not parse becomes a Problem, never an exception.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from readyterm.backends.project.common import DEV_NAME, Problem, Reader, join, normalize

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_TOML_LINE = re.compile(r"at line (\d+)")
_MAX_INCLUDES = 50
_STATIC_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "environment.yml")
_REQUIREMENT_GLOBS = (
    "*requirements*.txt",
    "*requirements*.in",
    "requirements/*.txt",
    "requirements/*/*.txt",
)


@dataclass
class Declarations:
    """The distributions one folder's manifests declare (normalized names)."""

    runtime: set[str] = field(default_factory=set)
    dev: set[str] = field(default_factory=set)
    build: set[str] = field(default_factory=set)
    #: The project's own distribution names (its import name is first-party).
    names: set[str] = field(default_factory=set)
    manifests: list[str] = field(default_factory=list)
    #: Where a missing runtime (development) dependency should be added.
    runtime_file: str | None = None
    dev_file: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, names: set[str], group: str) -> None:
        target = self.dev if DEV_NAME.search(group.lower()) else self.runtime
        target.update(names)


def manifest_paths(folder: str, listing: list[str]) -> list[str]:
    """The dependency files among a folder's entries (listing: names relative to the folder,
    with `requirements/x.txt` for the requirements folder)."""
    found = [name for name in _STATIC_FILES if name in listing]
    found += ["environment.yaml"] if "environment.yaml" in listing else []
    found += sorted(
        name
        for name in listing
        if any(PurePosixPath(name).match(glob) for glob in _REQUIREMENT_GLOBS) and name not in found
    )
    return [join(folder, name) for name in found]


def read_declarations(paths: list[str], read: Reader) -> Declarations:
    """Parse the given manifests (repo-relative) with read; absent files are left out."""
    result = Declarations()
    for path in paths:
        visited: set[str] = set()  # per file: an included file counts in each includer's group
        data = read(path)
        if data is None:
            continue
        name = PurePosixPath(path).name
        text = data.decode("utf-8", errors="replace")
        before = (len(result.runtime), len(result.dev), len(result.names))
        if name == "pyproject.toml":
            _pyproject(path, text, result)
        elif name == "Pipfile":
            _pipfile(path, text, result)
        elif name == "setup.cfg":
            _setup_cfg(path, text, read, result, visited)
        elif name == "setup.py":
            _setup_py(text, result)
        elif name.startswith("environment."):
            _conda(path, text, result)
        else:
            _requirements(path, read, result, visited, group=name)
        declares = (len(result.runtime), len(result.dev), len(result.names)) != before
        if declares or name not in ("pyproject.toml", "setup.cfg"):
            result.manifests.append(path)
    _choose_fix_files(result)
    return result


def _choose_fix_files(result: Declarations) -> None:
    """Where the fix should add a dependency: a dev requirements file for development ones,
    else the first manifest (pyproject.toml first, setup.py last)."""
    dev = [p for p in result.manifests if _is_dev_requirements(p)]
    runtime = [p for p in result.manifests if p not in dev]
    runtime.sort(key=lambda p: PurePosixPath(p).name in ("setup.py", "environment.yml"))
    result.runtime_file = runtime[0] if runtime else None
    result.dev_file = dev[0] if dev else result.runtime_file


def _is_dev_requirements(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return "requirements" in path and DEV_NAME.search(name) is not None


def requirement_name(spec: str) -> str | None:
    """`Flask[async]>=3; python_version>'3.8'` -> flask; URLs and paths give None."""
    spec = spec.strip()
    egg = _EGG.search(spec)
    if egg:
        return normalize(egg.group(1))
    if "://" in spec.split("@")[0] or spec.startswith((".", "/", "~")):
        return None
    match = _REQUIREMENT_NAME.match(spec)
    return normalize(match.group(1)) if match else None


def _names(specs: Any) -> set[str]:
    if not isinstance(specs, list):
        return set()
    return {n for s in specs if isinstance(s, str) and (n := requirement_name(s))}


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _toml(path: str, text: str, result: Declarations) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _TOML_LINE.search(str(exc))
        result.problems.append(
            Problem(path, int(line.group(1)) if line else 1, f"{path} is not valid TOML: {exc}")
        )
        return None


def _pyproject(path: str, text: str, result: Declarations) -> None:
    document = _toml(path, text, result)
    if document is None:
        return
    project = _table(document.get("project"))
    if isinstance(project.get("name"), str):
        result.names.add(normalize(project["name"]))
    result.runtime |= _names(project.get("dependencies"))
    for extra, specs in _table(project.get("optional-dependencies")).items():
        result.add(_names(specs), extra)
    for group, specs in _table(document.get("dependency-groups")).items():
        result.add(_names(specs), group)
    result.build |= _names(_table(document.get("build-system")).get("requires"))
    tool = _table(document.get("tool"))
    poetry = _table(tool.get("poetry"))
    if isinstance(poetry.get("name"), str):
        result.names.add(normalize(poetry["name"]))
    result.runtime |= {normalize(k) for k in _table(poetry.get("dependencies")) if k != "python"}
    result.dev |= {normalize(k) for k in _table(poetry.get("dev-dependencies"))}
    for group, body in _table(poetry.get("group")).items():
        names = {normalize(k) for k in _table(_table(body).get("dependencies"))}
        result.runtime.update(names) if group == "main" else result.add(names, f"dev-{group}")
    result.dev |= _names(_table(tool.get("uv")).get("dev-dependencies"))
    for specs in _table(_table(tool.get("pdm")).get("dev-dependencies")).values():
        result.dev |= _names(specs)


def _pipfile(path: str, text: str, result: Declarations) -> None:
    document = _toml(path, text, result)
    if document is not None:
        result.runtime |= {normalize(k) for k in _table(document.get("packages"))}
        result.dev |= {normalize(k) for k in _table(document.get("dev-packages"))}


def _requirements(
    path: str, read: Reader, result: Declarations, visited: set[str], group: str
) -> None:
    if path in visited or len(visited) >= _MAX_INCLUDES:
        return  # an include loop, or absurdly many files: each file is read once
    visited.add(path)
    data = read(path)
    if data is None:
        return
    lines = data.decode("utf-8", errors="replace").replace("\\\n", " ").splitlines()
    for number, raw in enumerate(lines, start=1):
        line = re.sub(r"(^|\s)#.*", "", raw).strip()
        include = re.match(r"^(-r|--requirement)(\s+|=)?(\S+)", line)
        if include:
            target = _relative(path, include.group(3))
            if target is None or read(target) is None:
                result.problems.append(
                    Problem(path, number, f"{path} includes {include.group(3)}, which is missing")
                )
                continue
            _requirements(target, read, result, visited, group)
            continue
        editable = re.match(r"^(-e|--editable)(\s+|=)(\S+)", line)
        if editable:
            line = editable.group(3) if _EGG.search(editable.group(3)) else ""
        if not line or line.startswith("-"):
            continue  # options: -c constraints, --index-url, --hash, ...
        name = requirement_name(line)
        if name:
            result.add({name}, group)


def _relative(path: str, target: str) -> str | None:
    """target relative to path's folder, kept inside the repository."""
    parts: list[str] = list(PurePosixPath(path).parent.parts)
    for part in PurePosixPath(target).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in (".", "/"):
            parts.append(part)
    return "/".join(parts) or None


def _setup_cfg(path: str, text: str, read: Reader, result: Declarations, visited: set[str]) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        line = getattr(exc, "lineno", 1)
        result.problems.append(Problem(path, int(line), f"{path} cannot be parsed: {exc}"))
        return
    name = parser.get("metadata", "name", fallback="")
    if name:
        result.names.add(normalize(name))
    install = parser.get("options", "install_requires", fallback="")
    if install.strip().startswith("file:"):
        for target in install.strip()[5:].split(","):
            relative = _relative(path, target.strip())
            if relative:
                _requirements(relative, read, result, visited, group="install_requires")
    else:
        result.runtime |= _names(install.splitlines())
    result.dev |= _names(parser.get("options", "tests_require", fallback="").splitlines())
    if parser.has_section("options.extras_require"):
        for extra, specs in parser.items("options.extras_require"):
            result.add(_names(specs.splitlines()), extra)


def _setup_py(text: str, result: Declarations) -> None:
    """Best effort: the literal lists passed to setup(), directly or through a variable."""
    for key, group in (
        ("install_requires", "install"),
        ("extras_require", "extras"),
        ("tests_require", "tests"),
    ):
        for value in re.finditer(rf"{key}\s*=\s*([\[{{].*?[\]}}]|[A-Za-z_]\w*)\s*[,)]", text, re.S):
            block = value.group(1)
            if block[0] not in "[{":  # a variable: use its literal assignment
                assigned = re.search(rf"^{block}\s*=\s*([\[{{].*?[\]}}])\s*$", text, re.S | re.M)
                block = assigned.group(1) if assigned else ""
            result.add({n for m in _SETUP_STRINGS.finditer(block) if (n := _spec(m))}, group)
    result.build |= {"setuptools"}  # setup.py runs under setuptools by definition
    name = re.search(r"""\bname\s*=\s*['"]([^'"]+)['"]""", text)
    if name:
        result.names.add(normalize(name.group(1)))


_SETUP_STRINGS = re.compile(r"""(['"])([^'"\n]+)\1(?!\s*:)""")


def _spec(match: re.Match[str]) -> str | None:
    return requirement_name(match.group(2))


def _conda(path: str, text: str, result: Declarations) -> None:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        result.problems.append(Problem(path, line, f"{path} is not valid YAML: {exc}"))
        return
    for item in _table(document).get("dependencies") or []:
        if isinstance(item, str):
            name = requirement_name(item.split("::")[-1].replace("=", " "))
            result.runtime |= {name} if name else set()
        elif isinstance(item, dict):
            result.runtime |= _names(item.get("pip"))
