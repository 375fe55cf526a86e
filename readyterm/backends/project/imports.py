"""`undeclared-import` for Python: imports of packages the project does not declare.

Code like that only works because the author's machine happens to have the package; the
production image installs what the manifests say and fails at import time.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from readyterm.backends.base import ScanContext
from readyterm.backends.project.common import (
    Problem,
    Reader,
    ancestors,
    base_content,
    finding,
    is_dev_code,
    join,
    normalize,
    read_bytes,
)
from readyterm.backends.project.manifests import Declarations, manifest_paths, read_declarations
from readyterm.backends.project.names import candidates, comes_with
from readyterm.foundation.findings import Finding

_GUARDS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_NAMESPACE_ROOTS = frozenset({"google", "azure", "opentelemetry"})
_STDLIB = frozenset(sys.stdlib_module_names) | {"__main__"}


@dataclass(frozen=True)
class Imported:
    module: str  # dotted, e.g. google.cloud.storage
    line: int
    code: str

    @property
    def top(self) -> str:
        return self.module.split(".")[0]


# Import statements at the start of a line. Parsing every module with `ast` was most of a
# whole-repo run's cost (20 s on Django), while nearly every file imports only modules that
# are fine: a file is parsed only when one of these names something that may not be.
_IMPORT_LINE = re.compile(
    rb"^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([^\n#;]+))", re.M
)
# Import statements this line scan cannot see (`try: import x`, `a; import b`, `import a, \`).
_HIDDEN_IMPORT = re.compile(rb"[:;][ \t]*(?:import|from)[ \t]|^[ \t]*import[^\n]*\\\r?$", re.M)


def quick_imports(source: bytes) -> list[str] | None:
    """The absolute modules named by import lines (a superset of `imports`: docstrings and
    optional imports count too); None when an import may hide where this scan cannot see."""
    if _HIDDEN_IMPORT.search(source):
        return None
    modules = []
    for match in _IMPORT_LINE.finditer(source):
        if match.group(1):
            modules.append(match.group(1).decode("ascii", "replace"))
            continue
        for part in match.group(2).split(b","):
            words = part.split()
            if words and words[0] != b"(":
                modules.append(words[0].decode("utf-8", "replace").strip("()"))
    return modules


def imports(source: bytes) -> list[Imported] | None:
    """The absolute imports a module makes for real; None when it does not parse.

    Left out, as optional or never run: imports guarded by `try: ... except ImportError`
    (and the `else:` of such a try, and any other import of a module imported that way),
    imports under `if TYPE_CHECKING:`, and imports under an `if` inside a function (loaded
    only on some path, like `if backend == "trio": import trio`).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    visitor = _Visitor(source.decode("utf-8", errors="replace").splitlines())
    try:
        visitor.visit(tree.body, optional=False, in_function=False)
    except RecursionError:
        return None
    return [i for i in visitor.found if i.top not in visitor.optional]


class _Visitor:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.found: list[Imported] = []
        #: Top-level modules imported somewhere as optional.
        self.optional: set[str] = set()

    def visit(self, body: list[ast.stmt], optional: bool, in_function: bool) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                self._record(node, optional)
            elif isinstance(node, ast.Try | ast.TryStar):
                guarded = optional or any(_catches_import_error(h) for h in node.handlers)
                self.visit(node.body, guarded, in_function)
                for handler in node.handlers:
                    self.visit(handler.body, guarded, in_function)
                self.visit(node.orelse, guarded, in_function)
                self.visit(node.finalbody, optional, in_function)
            elif isinstance(node, ast.If):
                skip = _is_type_checking(node.test)
                self.visit(node.body, optional or skip or in_function, in_function)
                self.visit(node.orelse, optional or in_function, in_function)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.visit(node.body, optional, in_function=True)
            else:
                self._children(node, optional, in_function)

    def _children(self, node: ast.stmt, optional: bool, in_function: bool) -> None:
        for name in ("body", "orelse", "finalbody", "cases"):
            children = getattr(node, name, None)
            if not isinstance(children, list):
                continue
            self.visit([c for c in children if isinstance(c, ast.stmt)], optional, in_function)
            for child in children:
                if isinstance(child, ast.match_case):
                    self.visit(child.body, optional or in_function, in_function)

    def _record(self, node: ast.Import | ast.ImportFrom, optional: bool) -> None:
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif node.level == 0 and node.module:
            modules = _dotted(node.module, node.names)
        else:
            return  # relative: first-party by definition
        if optional:
            self.optional |= {m.split(".")[0] for m in modules}
            return
        code = self.lines[node.lineno - 1].strip() if node.lineno <= len(self.lines) else ""
        self.found += [Imported(m, node.lineno, code) for m in modules]


def _dotted(module: str, names: list[ast.alias]) -> list[str]:
    # `from google.cloud import storage` comes from google-cloud-storage: keep one level more
    # for namespace packages; elsewhere the module is enough.
    if module.split(".")[0] in _NAMESPACE_ROOTS and module.count(".") < 2:
        return [f"{module}.{alias.name}" for alias in names if alias.name != "*"] or [module]
    return [module]


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_name_of(t) in _GUARDS for t in types)


def _is_type_checking(test: ast.expr) -> bool:
    return _name_of(test) == "TYPE_CHECKING"


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


class PythonProject:
    """Per-folder caches of manifests and first-party names, at the head and at the base."""

    def __init__(self, root: Path, read_head: Reader, read_base: Reader | None) -> None:
        self.root = root
        self.readers = {False: read_head, True: read_base}
        self._listings: dict[str, list[str]] = {}
        self._declared: dict[tuple[str, bool], Declarations] = {}
        self._modules: dict[str, set[str]] = {}

    def listing(self, folder: str) -> list[str]:
        if folder not in self._listings:
            names: list[str] = []
            subfolders = ["", "requirements"]
            for sub in subfolders:
                try:
                    with os.scandir(self.root / join(folder, sub)) as entries:
                        for entry in entries:
                            if entry.is_file():
                                names.append(join(sub, entry.name))
                            elif sub == "requirements" and entry.is_dir():
                                subfolders.append(join(sub, entry.name))  # requirements/extras/
                except OSError:
                    pass
            self._listings[folder] = names
        return self._listings[folder]

    def declared(self, folder: str, base: bool = False) -> Declarations:
        key = (folder, base)
        reader = self.readers[base]
        if key not in self._declared:
            paths = manifest_paths(folder, self.listing(folder))
            self._declared[key] = (
                read_declarations(paths, reader) if reader is not None else Declarations()
            )
        return self._declared[key]

    def modules(self, folder: str) -> set[str]:
        """Top-level modules and packages importable from folder (and its src/)."""
        if folder not in self._modules:
            names: set[str] = set()
            for where in (folder, join(folder, "src")):
                try:
                    with os.scandir(self.root / where) as entries:
                        for entry in entries:
                            if entry.name.endswith(_MODULE_SUFFIXES) and entry.is_file():
                                names.add(entry.name.split(".")[0])  # x.cpython-311-....so: x
                            elif entry.is_dir() and _has_python(Path(entry.path), depth=2):
                                names.add(entry.name)
                except OSError:
                    pass
            self._modules[folder] = names
        return self._modules[folder]


_MODULE_SUFFIXES = (".py", ".pyi", ".pyx", ".so", ".pyd")


def _has_python(folder: Path, depth: int) -> bool:
    """Whether a folder holds Python modules, or namespace folders that do."""
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError:
        return False
    if any(e.name.endswith(_MODULE_SUFFIXES) for e in listed):
        return True
    return depth > 1 and any(
        e.is_dir() and not e.name.startswith(".") and _has_python(Path(e.path), depth - 1)
        for e in listed[:50]
    )


def check_python_imports(
    root: Path, files: list[str], context: ScanContext, read_base: Reader | None
) -> tuple[list[Finding], list[Problem]]:
    project = PythonProject(root, lambda path: read_bytes(root, path), read_base)
    findings: list[Finding] = []
    problems: list[Problem] = []
    for path in files:
        if context.cancel.is_set():
            break
        if not path.endswith(".py"):
            continue
        source = read_bytes(root, path)
        quick = quick_imports(source) if source is not None else []
        if source is None or quick == []:
            continue  # no import at all
        folders = ancestors(path)
        head = [project.declared(f) for f in folders]
        if not any(d.manifests or d.problems for d in head):
            continue  # the project declares nothing at all: nothing to compare with
        broken = [p for d in head for p in d.problems]
        if broken:
            problems += broken
            continue
        first_party = set().union(*(project.modules(f) for f in folders))
        first_party |= {n.replace("-", "_") for d in head for n in d.names}
        dev_code = is_dev_code(path)
        if quick is not None and all(
            m.split(".")[0] in _STDLIB
            or m.split(".")[0] in first_party
            or allowed(m, head, dev_code, path)
            for m in quick
        ):
            continue  # every import line names a module that is fine: no need to parse
        found = imports(source)
        if not found:
            continue
        base = _base_view(project, folders, path, context) if read_base else None
        findings += _judge(path, found, head, first_party, base)
    return findings, problems


@dataclass(frozen=True)
class _Base:
    tops: set[str]
    declarations: list[Declarations]


def _base_view(
    project: PythonProject, folders: list[str], path: str, context: ScanContext
) -> _Base | None:
    """What the file imported at the base, and what was declared then (None: a new file)."""
    source = base_content(context, path)
    found = imports(source) if source is not None else None
    if found is None:
        return None
    return _Base({i.top for i in found}, [project.declared(f, base=True) for f in folders])


def _judge(
    path: str,
    found: list[Imported],
    head: list[Declarations],
    first_party: set[str],
    base: _Base | None,
) -> list[Finding]:
    dev_code = is_dev_code(path)
    findings: list[Finding] = []
    seen: set[str] = set()
    for item in found:
        if item.top in _STDLIB or item.top in first_party or item.top in seen:
            continue
        if allowed(item.module, head, dev_code, path):
            continue
        seen.add(item.top)
        introduced = base is None or not (
            item.top in base.tops and not allowed(item.module, base.declarations, dev_code, path)
        )
        findings.append(_finding(path, item, head, dev_code, introduced))
    return findings


def allowed(module: str, declarations: list[Declarations], dev_code: bool, path: str) -> bool:
    declared: set[str] = set()
    for d in declarations:
        declared |= d.runtime | (d.dev if dev_code else set())
        declared |= d.build if path.endswith("setup.py") else set()
    if any(normalize(c) in declared for c in candidates(module)):
        return True
    parts = module.split(".")
    along = comes_with(declared)
    return any(".".join(parts[:n]) in along for n in range(1, len(parts) + 1))


def _finding(
    path: str, item: Imported, head: list[Declarations], dev_code: bool, introduced: bool
) -> Finding:
    dist = candidates(item.module)[0]
    nearest = next(d for d in head if d.manifests)
    dev_only = any(normalize(c) in d.dev for d in head for c in candidates(item.module))
    target = (nearest.dev_file if dev_code else nearest.runtime_file) or nearest.manifests[0]
    if dev_only:
        message = (
            f"`{item.module}` is imported here, but `{dist}` is only a development dependency "
            f"of the project"
        )
        why = (
            "The production install leaves development dependencies out, so this import "
            "fails there with ModuleNotFoundError although it works on a developer's machine."
        )
    else:
        message = f"`{item.module}` is imported here, but no dependency file declares `{dist}`"
        why = (
            "It only works because the package happens to be installed on this machine; the "
            "production image installs what the dependency files list and fails with "
            "ModuleNotFoundError."
        )
    fix = (
        f"Add `{dist}` (the distribution that provides `{item.top}`) to {target}"
        + ("" if dev_code else " with the runtime dependencies")
        + ", or remove the import."
    )
    return finding(
        "undeclared-import",
        "environment",
        path,
        item.line,
        message,
        why,
        fix,
        code=item.code,
        severity="info" if dev_code else "warning",
        introduced=introduced,
    )
