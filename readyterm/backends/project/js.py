"""`undeclared-import` for JavaScript/TypeScript: bare imports package.json does not declare.

Node resolves a bare specifier through node_modules, which holds whatever was installed on
the author's machine; `npm ci` in production installs only what package.json lists.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from readyterm.backends.base import ScanContext
from readyterm.backends.project.common import (
    PRUNED_DIRS,
    Problem,
    Reader,
    ancestors,
    finding,
    is_dev_code,
    join,
    read_bytes,
)
from readyterm.foundation.findings import Finding

JS_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
#: require('module').builtinModules of Node 22 (node:test and friends have the prefix).
NODE_BUILTINS = frozenset(
    [
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "constants",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "sys",
        "timers",
        "tls",
        "trace_events",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
    ]
)
_DEPENDENCY_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
_STATEMENT = re.compile(
    r"""(?<![\w$.])(?P<kw>import|export)(?P<type>\s+type(?=[\s{*]))?(?P<what>[^'";]*?)\bfrom\s*"""
    r"""(?P<q>['"])(?P<spec>[^'"\n]+)(?P=q)"""
    r"""|(?<![\w$.])import\s*(?P<q2>['"])(?P<spec2>[^'"\n]+)(?P=q2)"""
    r"""|(?<![\w$.])(?:require|import)\s*\(\s*(?P<q3>['"])(?P<spec3>[^'"\n]+)(?P=q3)\s*\)"""
)
_PACKAGE = re.compile(r"^(@[A-Za-z0-9][\w.~-]*/[A-Za-z0-9][\w.~-]*|[A-Za-z0-9][\w.~-]*)")
_MAX_PACKAGES = 2000


@dataclass(frozen=True)
class JsImport:
    package: str
    specifier: str
    line: int
    code: str


# Comments, quoted strings and template literals, in the order they start (one C-level scan:
# a character loop in Python took seconds on a vendored jQuery).
_TOKENS = re.compile(
    r"//[^\n]*"
    r"|/\*.*?(?:\*/|\Z)"
    r"|'(?:\\.|[^'\\\n])*(?:'|\n|\Z)"
    r'|"(?:\\.|[^"\\\n])*(?:"|\n|\Z)'
    r"|`(?:\\.|[^`\\])*(?:`|\Z)",
    re.S,
)
_NOT_NEWLINE = re.compile(r"[^\n]")


def strip_comments(text: str, strings: list[tuple[int, int]] | None = None) -> str:
    """Comments and template literal bodies blanked (newlines kept, so lines still count).

    The spans of the quoted strings that are kept go to strings, when given.
    """

    def blank(match: re.Match[str]) -> str:
        token = match.group()
        if token[0] in "'\"":
            if strings is not None:
                strings.append(match.span())
            return token
        return _NOT_NEWLINE.sub(" ", token)

    return _TOKENS.sub(blank, text)


def js_imports(text: str) -> list[JsImport]:
    """Bare package imports (ESM, CommonJS, dynamic); type-only imports are left out."""
    lines = text.splitlines()
    strings: list[tuple[int, int]] = []
    clean = strip_comments(text, strings)
    starts = [start for start, _end in strings]
    found = []
    for match in _STATEMENT.finditer(clean):
        inside = bisect.bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < strings[inside][1]:
            continue  # the words are in a string literal, not code
        spec = match.group("spec") or match.group("spec2") or match.group("spec3")
        if match.group("type") or _only_types(match.group("what") or ""):
            continue
        package = package_name(spec)
        if package is None:
            continue
        line = clean.count("\n", 0, match.start()) + 1
        code = lines[line - 1].strip() if line <= len(lines) else ""
        found.append(JsImport(package, spec, line, code))
    return found


def _only_types(what: str) -> bool:
    """`import { type A, type B } from 'x'`: erased by the TypeScript compiler."""
    inner = re.fullmatch(r"\s*\{(.*)\}\s*", what, re.S)
    if not inner:
        return False
    names = [n.strip() for n in inner.group(1).split(",") if n.strip()]
    return bool(names) and all(n.startswith("type ") for n in names)


def package_name(specifier: str) -> str | None:
    """The npm package a specifier names; None for relative paths, builtins, URLs, aliases."""
    spec = specifier.split("?")[0]
    if spec.startswith((".", "/", "#", "~", "@/")) or ":" in spec or "!" in spec:
        return None
    match = _PACKAGE.match(spec)
    if match is None:
        return None
    name = match.group(1)
    if name in NODE_BUILTINS or spec.split("/")[0] in NODE_BUILTINS:
        return None
    return name


@dataclass
class _Manifest:
    path: str
    declared: set[str] = field(default_factory=set)
    name: str | None = None
    problem: Problem | None = None


class JsProject:
    """package.json and tsconfig.json of each folder, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._manifests: dict[str, _Manifest | None] = {}
        self._aliases: dict[str, list[re.Pattern[str]]] = {}
        self._workspace: set[str] | None = None

    def manifest(self, folder: str) -> _Manifest | None:
        if folder not in self._manifests:
            self._manifests[folder] = self._read_manifest(join(folder, "package.json"))
        return self._manifests[folder]

    def _read_manifest(self, path: str) -> _Manifest | None:
        data = read_bytes(self.root, path)
        return None if data is None else self.parse(path, data)

    @staticmethod
    def parse(path: str, data: bytes) -> _Manifest:
        """A package.json's declared packages and name; a problem when it does not parse."""
        manifest = _Manifest(path)
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, RecursionError) as exc:
            manifest.problem = Problem(path, 1, f"{path} cannot be read: {exc}")
            return manifest
        except json.JSONDecodeError as exc:
            manifest.problem = Problem(path, exc.lineno, f"{path} is not valid JSON: {exc.msg}")
            return manifest
        if not isinstance(document, dict):
            manifest.problem = Problem(path, 1, f"{path} must hold a JSON object")
            return manifest
        for key in _DEPENDENCY_KEYS:
            table = document.get(key)
            if isinstance(table, dict):
                manifest.declared |= {str(k) for k in table}
        if isinstance(document.get("name"), str):
            manifest.name = document["name"]
        return manifest

    def aliases(self, folder: str) -> list[re.Pattern[str]]:
        """tsconfig/jsconfig `paths` keys and `baseUrl` folders, as specifier patterns."""
        if folder not in self._aliases:
            patterns: list[re.Pattern[str]] = []
            for name in ("tsconfig.json", "jsconfig.json"):
                options = _compiler_options(read_bytes(self.root, join(folder, name)))
                paths = options.get("paths")
                for key in paths if isinstance(paths, dict) else {}:
                    patterns.append(re.compile(re.escape(str(key)).replace(r"\*", ".*") + "$"))
                base_url = options.get("baseUrl")
                if isinstance(base_url, str) and ".." not in base_url:
                    base = base_url.strip().strip("./")
                    patterns += self._local_names(join(folder, base) if base else folder)
            self._aliases[folder] = patterns
        return self._aliases[folder]

    def _local_names(self, folder: str) -> list[re.Pattern[str]]:
        try:
            names = {e.name.split(".")[0] for e in os.scandir(self.root / folder)}
        except OSError:
            return []
        return [re.compile(re.escape(n) + r"(/.*)?$") for n in sorted(names) if n]

    def workspace_packages(self) -> set[str]:
        """The names of every package.json in the repository (workspaces, monorepos)."""
        if self._workspace is None:
            self._workspace = set()
            seen = 0
            for folder, dirs, files in os.walk(self.root):
                dirs[:] = [d for d in dirs if d not in PRUNED_DIRS]
                if "package.json" in files:
                    seen += 1
                    relative = Path(folder).relative_to(self.root).as_posix()
                    manifest = self.manifest("" if relative == "." else relative)
                    if manifest and manifest.name:
                        self._workspace.add(manifest.name)
                if seen >= _MAX_PACKAGES:
                    break
        return self._workspace


def _compiler_options(data: bytes | None) -> dict[str, object]:
    """compilerOptions of a tsconfig (JSON with comments and trailing commas)."""
    if data is None:
        return {}
    text = strip_comments(data.decode("utf-8", errors="replace"))
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return {}
    options = document.get("compilerOptions") if isinstance(document, dict) else None
    return options if isinstance(options, dict) else {}


def check_js_imports(
    root: Path, files: list[str], context: ScanContext, read_base: Reader | None
) -> tuple[list[Finding], list[Problem]]:
    project = JsProject(root)
    findings: list[Finding] = []
    problems: list[Problem] = []
    for path in files:
        if context.cancel.is_set():
            break
        if not path.endswith(JS_SUFFIXES) or path.endswith((".d.ts", ".d.mts", ".d.cts")):
            continue
        data = read_bytes(root, path)
        found = js_imports(data.decode("utf-8", errors="replace")) if data else []
        if not found:
            continue
        folders = ancestors(path)
        manifests = [m for f in folders if (m := project.manifest(f)) is not None]
        if not manifests:
            continue  # no package.json up the tree: not an npm project
        broken = [m.problem for m in manifests if m.problem]
        if broken:
            problems += broken
            continue
        declared = set().union(*(m.declared for m in manifests))
        declared |= {m.name for m in manifests if m.name}
        aliases = [p for f in folders for p in project.aliases(f)]
        seen: set[str] = set()
        for item in found:
            if item.package in declared or item.package in seen:
                continue
            if any(p.match(item.specifier) for p in aliases):
                continue
            if item.package in project.workspace_packages():
                continue
            seen.add(item.package)
            old = _old_debt(path, item.package, [m.path for m in manifests], read_base)
            findings.append(
                _finding(path, item, manifests[0].path, is_dev_code(path), introduced=not old)
            )
    return findings, problems


def _old_debt(path: str, package: str, manifests: list[str], read_base: Reader | None) -> bool:
    """Whether the file already imported package at the base, undeclared then too."""
    source = read_base(path) if read_base is not None else None
    if source is None:
        return False  # a new file, or a whole-repository run
    if package not in {i.package for i in js_imports(source.decode("utf-8", errors="replace"))}:
        return False
    declared: set[str] = set()
    for manifest in manifests:
        data = read_base(manifest) if read_base is not None else None
        declared |= JsProject.parse(manifest, data).declared if data is not None else set()
    return package not in declared


def _finding(path: str, item: JsImport, manifest: str, dev_code: bool, introduced: bool) -> Finding:
    command = f"npm install {'--save-dev ' if dev_code else ''}{item.package}"
    return finding(
        "undeclared-import",
        "environment",
        path,
        item.line,
        f"`{item.specifier}` is imported here, but {manifest} does not declare `{item.package}`",
        "It only resolves because node_modules on this machine happens to hold it (hoisted "
        "from another package, or installed by hand); `npm ci` in production installs what "
        "package.json lists, and the import fails there.",
        f"Add `{item.package}` to "
        f"{'devDependencies' if dev_code else 'dependencies'} in {manifest} (`{command}`).",
        code=item.code,
        severity="info" if dev_code else "warning",
        introduced=introduced,
    )
