"""The routes a service declares: found in its code (Flask, FastAPI, Express and the like),
plus those listed in `staging.routes`. Path parameters are filled with a plain value."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from readyterm.backends.project.common import PRUNED_DIRS, is_dev_code, read_text

_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts")
_MAX_FILES = 400
_MAX_ROUTES = 40
_VERBS = "get|post|put|patch|delete"
#: @app.post("/x"), @bp.get(""), @router.put('/x/{id}'), app.post('/x', ...) in Express.
_VERB_CALL = re.compile(
    rf"""\b\w+\.({_VERBS})\(\s*(?:path\s*=\s*)?(["'`])(?P<path>[^"'`\n]*)\2""", re.I
)
#: Flask's @app.route("/x", methods=["POST", "PUT"]).
_ROUTE_CALL = re.compile(
    r"""\.route\(\s*(["'])(?P<path>[^"'\n]*)\1(?P<rest>[^)\n]*)\)""",
)
_METHODS = re.compile(r"""["'](GET|POST|PUT|PATCH|DELETE)["']""", re.I)
#: Blueprint("x", __name__, url_prefix="/api"), APIRouter(prefix="/api"), Router({prefix}).
_PREFIX = re.compile(r"""\b(?:url_)?prefix\s*[=:]\s*(["'])(?P<prefix>/[^"'\n]*)\1""")
_PARAM = re.compile(r"<(?:[a-z_]+:)?[A-Za-z_]\w*>|\{[A-Za-z_]\w*(?::[^}]*)?\}|:[A-Za-z_]\w*")
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, order=True)
class Route:
    method: str
    path: str
    #: The path as declared, with its parameters ("/orders/<int:id>"); "" when configured.
    template: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @classmethod
    def parse(cls, text: str) -> Route:
        method, _, path = text.strip().partition(" ")
        return cls(method.upper(), concrete(path.strip()), path.strip())

    @property
    def changes_state(self) -> bool:
        return self.method in STATE_CHANGING


def concrete(path: str, value: str = "1") -> str:
    """/orders/<int:id>, /orders/{id}, /orders/:id -> /orders/1 (a value most routes accept)."""
    return _PARAM.sub(lambda _: value, path) or "/"


def has_params(path: str) -> bool:
    return bool(_PARAM.search(path))


def scan_routes(context: Path) -> list[Route]:
    """Routes declared in the build context's source files (bounded: a huge repo is cut)."""
    found: set[Route] = set()
    for path in source_files(context):
        text = read_text(context, path)
        if not text or not (_VERB_CALL.search(text) or _ROUTE_CALL.search(text)):
            continue
        prefix_match = _PREFIX.search(text)
        prefix = prefix_match.group("prefix").rstrip("/") if prefix_match else ""
        for match in _VERB_CALL.finditer(text):
            if _looks_like_route(match.group("path")):
                declared = prefix + match.group("path")
                found.add(Route(match.group(1).upper(), concrete(declared), declared))
        for match in _ROUTE_CALL.finditer(text):
            methods = {m.upper() for m in _METHODS.findall(match.group("rest"))} or {"GET"}
            for method in methods:
                declared = prefix + match.group("path")
                found.add(Route(method, concrete(declared), declared))
    return sorted(found)[:_MAX_ROUTES]


def route_list(context: Path, configured: list[str]) -> list[Route]:
    """The configured routes first (they are what the team cares about), then the found ones."""
    routes = [Route.parse(text) for text in configured]
    for route in scan_routes(context):
        if route not in routes:
            routes.append(route)
    return routes


def _looks_like_route(path: str) -> bool:
    # requests.get("https://...") and dict.get("key") are calls, not route declarations.
    return path == "" or (path.startswith("/") and "://" not in path)


def source_files(context: Path, suffixes: tuple[str, ...] = _SUFFIXES) -> list[str]:
    """Production source files under the build context (no tests, vendored or hidden
    folders), at most a few hundred."""
    files: list[str] = []
    for folder, dirs, names in os.walk(context):
        dirs[:] = sorted(d for d in dirs if d not in PRUNED_DIRS and not d.startswith("."))
        for name in sorted(names):
            relative = Path(folder, name).relative_to(context).as_posix()
            if name.endswith(suffixes) and not is_dev_code(relative):
                files.append(relative)
                if len(files) >= _MAX_FILES:
                    return files
    return files
