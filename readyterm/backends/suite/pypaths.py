"""Python failure paths, found with `ast`: except clauses (timeouts and retries among them),
status checks on a call's response, and input checks that answer with an error."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from readyterm.backends.suite.paths import FailurePath, Kind
from readyterm.backends.suite.results import FileCoverage

#: Calls that are bookkeeping, not the thing a handler guards.
_NOT_GUARDED = (
    "log",
    "logger",
    "logging",
    "print",
    "len",
    "str",
    "int",
    "float",
    "dict",
    "list",
    "tuple",
    "set",
    "isinstance",
    "super",
    "range",
    "time.sleep",
)
_STATUS_ATTRIBUTES = frozenset({"status_code", "status", "code", "returncode"})
_ERROR_NAMES = (
    "Error",
    "Exception",
    "Invalid",
    "BadRequest",
    "NotFound",
    "Forbidden",
    "Unauthorized",
    "Conflict",
    "HTTPException",
    "abort",
)


def find(name: str, source: bytes, changed: set[int], ran: FileCoverage) -> list[FailurePath]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []  # the file does not parse: other steps report it
    text = source.decode("utf-8", "replace")
    found = []
    for scope in _scopes(tree):
        calls = _assigned_calls(scope)
        for node, loops in _walk(scope):
            if isinstance(node, ast.Try | ast.TryStar):
                found += _handlers(name, text, node, loops, changed, ran)
            elif isinstance(node, ast.If):
                path = _checked_if(name, text, node, calls, changed, ran)
                if path is not None:
                    found.append(path)
    return found


def _scopes(tree: ast.Module) -> list[ast.AST]:
    """The module and each function: a name's assignments are looked up within its own."""
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return [tree, *functions]


def _walk(scope: ast.AST, loops: int = 0) -> Iterator[tuple[ast.AST, int]]:
    """The statements of scope (not of the functions nested in it), with their loop depth."""
    for child in ast.iter_child_nodes(scope):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        yield child, loops
        inner = loops + isinstance(child, ast.For | ast.AsyncFor | ast.While)
        yield from _walk(child, inner)


def _handlers(
    name: str,
    text: str,
    node: ast.Try | ast.TryStar,
    loops: int,
    changed: set[int],
    ran: FileCoverage,
) -> list[FailurePath]:
    guarded = _guarded_call(node.body)
    last = node.body[-1].end_lineno or node.body[-1].lineno
    call_lines = set(range(node.body[0].lineno, last + 1))
    found = []
    for handler in node.handlers:
        end = handler.end_lineno or handler.lineno
        own = set(range(handler.lineno, end + 1))
        if not (own | call_lines) & changed:
            continue
        caught = ast.get_source_segment(text, handler.type) if handler.type else None
        kind: Kind = "except"
        if caught and "timeout" in caught.lower():
            kind = "timeout"
        elif loops and _retries(handler):
            kind = "retry"
        found.append(
            FailurePath(
                path=name,
                line=handler.lineno,
                end_line=end,
                kind=kind,
                guards=guarded,
                branch=f"except {caught}" if caught else "except",
                exercised=_ran(handler.body, ran),
            )
        )
    return found


def _retries(handler: ast.ExceptHandler) -> bool:
    for node in ast.walk(handler):
        if isinstance(node, ast.Continue):
            return True
        if isinstance(node, ast.Call) and (_dotted(node.func) or "").endswith("sleep"):
            return True
    return False


def _checked_if(
    name: str,
    text: str,
    node: ast.If,
    calls: dict[str, list[tuple[int, str]]],
    changed: set[int],
    ran: FileCoverage,
) -> FailurePath | None:
    end = node.body[-1].end_lineno or node.body[-1].lineno
    if not set(range(node.lineno, end + 1)) & changed:
        return None
    condition = ast.get_source_segment(text, node.test) or "..."
    branch = f"if {condition}" if len(condition) <= 60 else f"if {condition[:57]}..."
    if node.body[0].lineno == node.lineno:
        return None  # `if bad: return 400` on one line: line coverage cannot tell
    checked = _status_checked(node.test)
    if checked is not None:
        guards = _latest(calls.get(checked, []), node.lineno) or checked
        return FailurePath(
            name, node.lineno, end, "status-check", guards, branch, _ran(node.body, ran)
        )
    if _rejects(node.body):
        inputs = sorted({n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)})
        checked_inputs = ", ".join(inputs[:3]) or None
        return FailurePath(
            name, node.lineno, end, "validation", checked_inputs, branch, _ran(node.body, ran)
        )
    return None


def _status_checked(test: ast.expr) -> str | None:
    """The name whose response status the condition checks: `not resp.ok`, `r.status_code
    >= 400`, `resp.status != 200`; None for any other condition."""
    for node in ast.walk(test):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = node.operand
            if isinstance(operand, ast.Attribute) and operand.attr == "ok":
                return _root_name(operand.value)
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                if isinstance(side, ast.Attribute) and side.attr in _STATUS_ATTRIBUTES:
                    numbers = [c.value for c in node.comparators if isinstance(c, ast.Constant)]
                    numbers += [node.left.value] if isinstance(node.left, ast.Constant) else []
                    if (
                        any(isinstance(n, int) and 100 <= n < 600 for n in numbers)
                        or side.attr == "returncode"
                    ):
                        return _root_name(side.value)
    return None


def _rejects(body: list[ast.stmt]) -> bool:
    """The branch answers with an error: raises, aborts, or returns a 4xx/5xx status."""
    for statement in body:
        if isinstance(statement, ast.Raise):
            return True
        value = statement.value if isinstance(statement, ast.Return | ast.Expr) else None
        if value is None:
            continue
        for node in ast.walk(value):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, int)
                and 400 <= node.value < 600
            ):
                return True
            if isinstance(node, ast.Call) and any(
                word in (_dotted(node.func) or "") for word in _ERROR_NAMES
            ):
                return True
    return False


def _assigned_calls(scope: ast.AST) -> dict[str, list[tuple[int, str]]]:
    """name -> (line, call) for each `name = some.call(...)` in the scope."""
    found: dict[str, list[tuple[int, str]]] = {}
    for node, _ in _walk(scope):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            called = _dotted(value.func) if isinstance(value, ast.Call) else None
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and called:
                    found.setdefault(target.id, []).append((node.lineno, called))
    return found


def _latest(assignments: list[tuple[int, str]], before: int) -> str | None:
    earlier = [call for line, call in assignments if line < before]
    return earlier[-1] if earlier else None


def _guarded_call(body: list[ast.stmt]) -> str | None:
    """The call a try block exists for: its first call that is not bookkeeping, dotted
    names (`requests.post`) before bare ones."""
    calls = sorted(
        (n for statement in body for n in ast.walk(statement) if isinstance(n, ast.Call)),
        key=lambda n: (n.lineno, n.col_offset),
    )
    names = [name for call in calls if (name := _dotted(call.func)) and not _bookkeeping(name)]
    dotted = [name for name in names if "." in name]
    chosen = dotted or names
    return chosen[0] if chosen else None


def _bookkeeping(name: str) -> bool:
    return any(name == word or name.startswith(word + ".") for word in _NOT_GUARDED)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = node.value.func if isinstance(node.value, ast.Call) else node.value
        base = _dotted(inner)
        if base is None:
            return None
        return (
            f"{base}(...).{node.attr}"
            if isinstance(node.value, ast.Call)
            else f"{base}.{node.attr}"
        )
    return None


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _ran(body: list[ast.stmt], ran: FileCoverage) -> bool:
    """Whether the branch's first statement (any of its statements, if the first is no
    statement to coverage) ran under the tests."""
    first = body[0].lineno
    if first in ran.statements:
        return first in ran.executed
    lines = {
        line
        for statement in body
        for line in range(statement.lineno, (statement.end_lineno or statement.lineno) + 1)
    }
    return bool(lines & ran.executed)
