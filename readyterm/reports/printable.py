"""Output that stays valid UTF-8 whatever the file names hold."""

from __future__ import annotations


def printable(text: str) -> str:
    """Undecodable file-name bytes (kept as surrogates) become U+FFFD: output stays UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
