import collections
import io
from collections import deque


def crawl(start, neighbours):
    queue = [start]
    seen = {start}
    while queue:
        # ruleid: quadratic-list-ops-in-loop
        node = queue.pop(0)
        for nxt in neighbours(node):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)


def newest_first(rows):
    out = []
    for row in rows:
        # ruleid: quadratic-list-ops-in-loop
        out.insert(0, row)
    return out


def collect_ids(rows):
    ids = []
    for row in rows:
        # ruleid: quadratic-list-ops-in-loop
        ids = ids + [row.id]
    return ids


def download(resp):
    body = b""
    for chunk in resp.iter_content(65536):
        # ruleid: quadratic-list-ops-in-loop
        body += chunk
    return body


# --- linear forms -----------------------------------------------------------------------------
def crawl_deque(start, neighbours):
    queue = collections.deque([start])
    while queue:
        # ok: quadratic-list-ops-in-loop
        node = queue.popleft()
        queue.extend(neighbours(node))


def crawl_deque_named(start, neighbours):
    queue = deque([start])
    while queue:
        # ok: quadratic-list-ops-in-loop
        node = queue.pop(0) if hasattr(queue, "pop") else None
        queue.extend(neighbours(node))


def parse_tokens(bits):
    remaining = list(bits)
    options = {}
    while remaining:
        # ok: quadratic-list-ops-in-loop
        option = remaining.pop(0)
        options[option] = True
    return options


def path_to_root(node):
    path = []
    for parent in node.parents:
        # ok: quadratic-list-ops-in-loop
        path.insert(0, parent)
    return path


def newest_first_linear(rows):
    out = []
    for row in rows:
        # ok: quadratic-list-ops-in-loop
        out.append(row)
    out.reverse()
    return out


def download_joined(resp):
    chunks = []
    for chunk in resp.iter_content(65536):
        # ok: quadratic-list-ops-in-loop
        chunks.append(chunk)
    buf = io.BytesIO()
    for chunk in chunks:
        # ok: quadratic-list-ops-in-loop
        buf.write(chunk)
    return b"".join(chunks)


def last_of_each(stack):
    # ok: quadratic-list-ops-in-loop
    first = stack.pop(0)
    for item in stack:
        # ok: quadratic-list-ops-in-loop
        item.pop()
    return first
