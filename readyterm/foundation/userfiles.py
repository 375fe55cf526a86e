"""Reading the files a repository hands us (config, waivers, attestations, records).

They are input, possibly hostile: a FIFO would block a read forever, a directory or a device
is no file, a huge file or a YAML alias bomb (a few lines that expand to billions of nodes
when walked) would exhaust memory. Each is refused with an OSError naming what is wrong, so
callers report it as a file that "cannot be read" and exit 2.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

MAX_BYTES = 4 * 1024 * 1024  # far above any real config or record; bounds what is parsed
MAX_NODES = 200_000  # values after expanding aliases; real configs and records hold hundreds
MAX_DEPTH = 200


class UnreadableFile(OSError):
    """A path that exists but is not a small regular file we can read."""


def exists(path: Path) -> bool:
    """True for anything at path, a dangling symlink and a FIFO included (is_file() says
    False for those, which would make a broken config silently mean the defaults)."""
    return os.path.lexists(path)


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most limit bytes; UnreadableFile otherwise."""
    try:
        info = os.stat(path)  # follows symlinks: a link to a regular file is that file
    except FileNotFoundError:
        raise UnreadableFile(f"{path.name} is a symlink to nothing") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(f"it is {_kind(info.st_mode)}, not a regular file")
    if info.st_size > limit:
        raise UnreadableFile(f"it is {info.st_size} bytes, more than the {limit} bytes allowed")
    # O_NONBLOCK: if it became a FIFO between stat and open, the open does not hang.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    opened = os.fstat(fd).st_mode
    if not stat.S_ISREG(opened):  # swapped after the stat: judge what was opened
        os.close(fd)
        raise UnreadableFile(f"it is {_kind(opened)}, not a regular file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(f"it is more than the {limit} bytes allowed")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"it is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def check_aliases(text: str) -> None:
    """Refuse YAML whose aliases expand to more than MAX_NODES nodes, before anything builds
    or walks it: the composed node graph shares each anchored node, so its expanded size is
    counted once per node, not once per path. Deep nesting is refused either way."""
    # Without an alias nothing expands: a record's long plain list of files is no bomb.
    node_limit = MAX_NODES if "*" in text else None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:  # PyYAML composes recursively: thousands of nested brackets
        raise yaml.YAMLError(f"nested more than {MAX_DEPTH} levels deep") from None
    if root is None:
        return
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int = 0) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_DEPTH:
            raise yaml.YAMLError(f"nested more than {MAX_DEPTH} levels deep")
        sizes[id(node)] = 1  # a recursive alias (&a [*a]) counts once instead of looping
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        sizes[id(node)] = total
        if node_limit is not None and total > node_limit:
            raise yaml.YAMLError(
                f"its aliases (*name) expand to more than {MAX_NODES} values: refused as a "
                "possible alias bomb"
            )
        return total

    size(root)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"
