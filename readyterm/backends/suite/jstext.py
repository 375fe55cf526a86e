"""JS/TS source with its strings, template literals, regular expressions and comments blanked
out (same length, same line breaks), so brackets and keywords can be found by position."""

from __future__ import annotations

_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")


def code_only(source: str) -> str:
    out = list(source)

    def blank(start: int, end: int) -> None:
        for j in range(start, end):
            if out[j] != "\n":
                out[j] = " "

    i, n = 0, len(source)
    while i < n:
        char, pair = source[i], source[i : i + 2]
        if pair in ("//", "/*"):
            end = source.find("\n" if pair == "//" else "*/", i + 2)
            end = n if end == -1 else end + (2 if pair == "/*" else 0)
            blank(i, end)  # a comment goes whole
        elif char in "'\"`" or (char == "/" and _regex_can_start(source, i)):
            end = _string_end(source, i, char)
            blank(i + 1, end - 1)  # a literal keeps its delimiters
        else:
            end = i + 1
        i = max(end, i + 1)
    return "".join(out)


def _string_end(source: str, start: int, quote: str) -> int:
    """The index just past the closing quote (template literals may span lines)."""
    i = start + 1
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == quote:
            return i + 1
        if char == "\n" and quote in "'\"/":
            return i  # an unterminated string or a division: stop at the line's end
        i += 1
    return len(source)


def _regex_can_start(source: str, index: int) -> bool:
    before = source[:index].rstrip()
    return not before or before[-1] in _REGEX_AFTER or before.endswith(("return", "typeof"))
