"""JS/TS failure paths, found by a light scanner over the code with literals blanked out:
`catch` blocks and `.catch(...)` handlers, status checks (`!res.ok`, `res.status >= 400`)
and input checks that answer 4xx or throw. Not a parser: a construct it does not know is
missed, never misread as a path."""

from __future__ import annotations

import re

from readyterm.backends.suite.jstext import code_only
from readyterm.backends.suite.paths import FailurePath, Kind
from readyterm.backends.suite.results import FileCoverage

_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_CATCH = re.compile(r"\}\s*catch\s*(\(([^)]*)\))?\s*\{")
_PROMISE_CATCH = re.compile(r"\.catch\s*\(")
_IF = re.compile(r"\bif\s*\(")
_CALL = re.compile(r"(?:await\s+)?((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\s*\(")
_NOT_CALLS = frozenset(
    {
        "if",
        "for",
        "while",
        "switch",
        "catch",
        "function",
        "return",
        "typeof",
        "super",
        "require",
        "String",
        "Number",
        "Boolean",
        "JSON.stringify",
        "JSON.parse",
        "console.log",
        "console.error",
        "console.warn",
        "setTimeout",
        "Error",
        "TypeError",
    }
)
_NOT_OK = re.compile(r"!\s*([A-Za-z_$][\w$]*)\.ok\b")
_STATUS = re.compile(
    r"([A-Za-z_$][\w$]*)\.(?:status|statusCode)\s*(?:>=|>|<|<=|!==|!=|===|==)\s*[1-5]\d\d"
)
_REJECTS = re.compile(r"\bthrow\b|\.status\(\s*[45]\d\d\s*\)|\breturn\b[^;]*\b[45]\d\d\b")


def reads(name: str) -> bool:
    return name.endswith(_SUFFIXES)


def find(name: str, source: bytes, changed: set[int], ran: FileCoverage) -> list[FailurePath]:
    text = source.decode("utf-8", "replace")
    code = code_only(text)
    starts = _line_starts(code)
    found: list[FailurePath] = []

    def add(
        kind: Kind,
        guards: str | None,
        branch: str,
        open_at: int,
        close_at: int,
        touched: tuple[int, int] | None = None,
    ) -> None:
        first, last = _line(starts, open_at), _line(starts, close_at)
        exercised = _ran(code, starts, open_at, close_at, ran)
        if exercised is None:
            return  # its body shares a line with code that always runs: lines cannot tell
        lines = set(range(first, last + 1))
        if touched:
            lines |= set(range(_line(starts, touched[0]), _line(starts, touched[1]) + 1))
        if lines & changed:
            found.append(FailurePath(name, first, last, kind, guards, branch, exercised))

    for match in _CATCH.finditer(code):
        brace = match.end() - 1
        close = _matching(code, brace)
        try_block = _try_block(code, match.start())
        guards = _first_call(code[try_block[0] : try_block[1]]) if try_block else None
        caught = (match.group(2) or "").strip()
        timeout = re.search(r"timeout|AbortError|ETIMEDOUT", text[match.start() : close], re.I)
        kind: Kind = "timeout" if timeout else "catch"
        add(
            kind,
            guards,
            f"catch ({caught})" if caught else "catch",
            match.start() + 1,
            close,
            try_block,
        )
    for match in _PROMISE_CATCH.finditer(code):
        paren = match.end() - 1
        close = _matching(code, paren, "(", ")")
        statement = code[_statement_start(code, match.start()) : match.start()]
        add("catch", _first_call(statement), ".catch(...)", match.start(), close)
    for match in _IF.finditer(code):
        paren = match.end() - 1
        close_paren = _matching(code, paren, "(", ")")
        condition = code[paren + 1 : close_paren]
        body_start, body_end = _body(code, close_paren + 1)
        body = code[body_start:body_end]
        shown = " ".join(text[paren + 1 : close_paren].split())
        branch = f"if ({shown})" if len(shown) <= 60 else f"if ({shown[:57]}...)"
        checked = _NOT_OK.search(condition) or _STATUS.search(condition)
        if checked:
            guards = _assigned_call(code[: match.start()], checked.group(1)) or checked.group(1)
            add("status-check", guards, branch, match.start(), body_end)
        elif _REJECTS.search(body):
            names = sorted(
                set(re.findall(r"[A-Za-z_$][\w$]*", condition))
                - {"typeof", "null", "undefined", "true", "false"}
            )
            add("validation", ", ".join(names[:3]) or None, branch, match.start(), body_end)
    return sorted(found, key=lambda p: p.line)


def _line_starts(code: str) -> list[int]:
    starts = [0]
    starts += [i + 1 for i, char in enumerate(code) if char == "\n"]
    return starts


def _line(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts)
    while low + 1 < high:
        middle = (low + high) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle
    return low + 1


def _matching(code: str, at: int, opening: str = "{", closing: str = "}") -> int:
    depth = 0
    for index in range(at, len(code)):
        if code[index] == opening:
            depth += 1
        elif code[index] == closing:
            depth -= 1
            if depth == 0:
                return index
    return len(code) - 1


def _matching_back(code: str, at: int) -> int:
    depth = 0
    for index in range(at, -1, -1):
        if code[index] == "}":
            depth += 1
        elif code[index] == "{":
            depth -= 1
            if depth == 0:
                return index
    return 0


def _try_block(code: str, close_brace: int) -> tuple[int, int] | None:
    """The try block whose closing brace is at close_brace."""
    opening = _matching_back(code, close_brace)
    if not re.search(r"\btry\s*$", code[max(opening - 20, 0) : opening]):
        return None
    return opening, close_brace


def _body(code: str, after: int) -> tuple[int, int]:
    """An if's body: its block, else its single statement."""
    rest = code[after:]
    stripped = len(rest) - len(rest.lstrip())
    start = after + stripped
    if start < len(code) and code[start] == "{":
        return start, _matching(code, start)
    end = code.find(";", start)
    newline = code.find("\n", start)
    end = min(e for e in (end, newline, len(code) - 1) if e != -1)
    return start, end


def _statement_start(code: str, at: int) -> int:
    return max(code.rfind(";", 0, at), code.rfind("{", 0, at), code.rfind("}", 0, at)) + 1


def _first_call(block: str) -> str | None:
    names = [m.group(1) for m in _CALL.finditer(block) if m.group(1) not in _NOT_CALLS]
    awaited = [
        m.group(1)
        for m in _CALL.finditer(block)
        if m.group(0).startswith("await") and m.group(1) not in _NOT_CALLS
    ]
    dotted = [n for n in names if "." in n]
    chosen = awaited or dotted or names
    return chosen[0] if chosen else None


def _assigned_call(before: str, variable: str) -> str | None:
    pattern = re.compile(
        rf"\b(?:const|let|var)?\s*{re.escape(variable)}\s*=\s*(?:await\s+)?((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\s*\("
    )
    found = pattern.findall(before)
    return found[-1] if found else None


def _ran(
    code: str, starts: list[int], open_at: int, close_at: int, ran: FileCoverage
) -> bool | None:
    """Whether the first line of code inside the branch's body ran; None when that line
    is the branch's own first line (`if (x) return;`, `.catch(e => null)`)."""
    body_open = code.find("{", open_at, close_at + 1)
    inner = body_open + 1 if body_open != -1 else open_at
    first_code = inner + len(code[inner:close_at]) - len(code[inner:close_at].lstrip())
    line = _line(starts, first_code)
    if line == _line(starts, open_at):
        return None
    if line in ran.statements:
        return line in ran.executed
    return bool(set(range(line, _line(starts, close_at) + 1)) & ran.executed)
