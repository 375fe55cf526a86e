"""coverage.py in every Python process the suite starts, and what it recorded.

A `sitecustomize` on PYTHONPATH starts coverage in each Python process (pytest, and the
processes it spawns) with branch measurement, whichever interpreter runs the suite. It
uses the project's own coverage.py when that Python has one, else readyterm's (offered
alone, through a folder that holds nothing else, so no other package of ours leaks into
the project's imports).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from readyterm.backends.suite.results import FileCoverage

_IGNORED_FOLDERS = (".venv", "venv", "env", "node_modules", ".tox", ".nox", "site-packages")

_SITECUSTOMIZE = """\
# Written by readyterm for one run of the tests step: measures this process with coverage.py.
import sys
try:
    import coverage
except ImportError:
    sys.path.append({offered!r})
    try:
        import coverage
    except ImportError:
        coverage = None
if coverage is not None:
    try:
        coverage.process_startup()
    except Exception as exc:  # never break the suite over measurement
        sys.stderr.write("readyterm: coverage did not start: %r\\n" % (exc,))
"""


def prepare(work: Path, root: Path) -> dict[str, str]:
    """Write the start-up hook and settings under work; the variables that turn them on."""
    hook = work / "hook"
    offered = work / "offered"
    data = work / "data"
    for folder in (hook, offered, data):
        folder.mkdir()
    import coverage  # here: a run with the tests step off never pays for importing it

    package = Path(coverage.__file__).parent
    os.symlink(package, offered / "coverage", target_is_directory=True)
    (hook / "sitecustomize.py").write_text(_SITECUSTOMIZE.format(offered=str(offered)))
    omit = ", ".join(str(root / folder / "*") for folder in _IGNORED_FOLDERS)
    rc = work / "coveragerc"
    rc.write_text(
        "[run]\n"
        "branch = True\n"
        "parallel = True\n"
        f"data_file = {data / '.coverage'}\n"
        f"source = {root}\n"
        f"omit = {omit}\n"
        "disable_warnings = no-data-collected, module-not-imported, module-not-measured\n"
    )
    return {"COVERAGE_PROCESS_START": str(rc), "_READYTERM_HOOK": str(hook)}


def with_hook(environment: dict[str, str], variables: dict[str, str]) -> dict[str, str]:
    result = dict(environment)
    hook = variables["_READYTERM_HOOK"]
    existing = result.get("PYTHONPATH")
    result["PYTHONPATH"] = hook + (os.pathsep + existing if existing else "")
    result["COVERAGE_PROCESS_START"] = variables["COVERAGE_PROCESS_START"]
    result["PYTHONDONTWRITEBYTECODE"] = "1"
    return result


def measures(name: str) -> bool:
    return name.endswith((".py", ".pyw"))


def recorded(work: Path, root: Path, files: Iterable[str]) -> dict[str, FileCoverage] | None:
    """What ran in each of files (repo-relative .py); None when coverage recorded nothing."""
    import coverage
    from coverage.exceptions import CoverageException

    data_dir = work / "data"
    if not any(data_dir.glob(".coverage*")):
        return None
    measure = coverage.Coverage(
        data_file=str(data_dir / ".coverage"), config_file=False, branch=True
    )
    try:
        measure.combine([str(data_dir)])
        measure.load()
    except CoverageException:
        return None
    result = {}
    for name in files:
        path = root / name
        with contextlib.suppress(CoverageException, OSError, SyntaxError, ValueError):
            _, statements, _, missing, _ = measure.analysis2(str(path))
            result[name] = FileCoverage(
                frozenset(statements), frozenset(set(statements) - set(missing))
            )
    return result
