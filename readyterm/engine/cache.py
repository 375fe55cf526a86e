"""The result cache: what a backend found in one file, keyed by everything that decides it.

A key is the hash of the file's path and bytes plus the backend's identity (the tool's
executable and version, the rule pack, the settings that change results, readyterm's own
code), so an entry is never trusted across versions and a stale hit is impossible without
a hash collision. Entries hold findings after redaction: no secret is ever cached.

It lives in one SQLite database in the user cache folder: SQLite gives atomic writes and
safe concurrent readers and writers (two CI jobs on one runner, the TUI and a terminal)
without a lock file of our own. The cache is an optimisation only: a cache that cannot be
opened, is corrupt, read-only or full is reported once as a notice and the run goes on
without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from readyterm.foundation.errors import ConfigError

FORMAT = 1
DEFAULT_MAX_MB = 256
_FILE_NAME = f"results-v{FORMAT}.sqlite3"
_BUSY_TIMEOUT_S = 10.0
# Eviction frees a margin below the bound so that every run does not evict again.
_EVICT_TO = 0.8


@dataclass
class CacheSettings:
    directory: Path | None
    max_bytes: int

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> CacheSettings:
        """READYTERM_CACHE_DIR (empty: no cache) and READYTERM_CACHE_MAX_MB; bad values raise."""
        raw_max = environ.get("READYTERM_CACHE_MAX_MB", "").strip()
        max_mb = DEFAULT_MAX_MB
        if raw_max:
            try:
                max_mb = int(raw_max)
            except ValueError:
                max_mb = -1
            if max_mb < 1:
                raise ConfigError(
                    f"READYTERM_CACHE_MAX_MB must be a whole number of megabytes >= 1, "
                    f"not {raw_max!r}"
                )
        raw_dir = environ.get("READYTERM_CACHE_DIR")
        if raw_dir == "":
            return cls(None, max_mb * 1_000_000)
        directory = Path(raw_dir) if raw_dir else Path(platformdirs.user_cache_dir("readyterm"))
        return cls(directory, max_mb * 1_000_000)


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stored: int = 0
    evicted: int = 0


@dataclass
class ResultCache:
    """Open with `ResultCache.open`; every method swallows storage failures into `notice`."""

    path: Path | None
    max_bytes: int
    notice: str | None = None
    stats: CacheStats = field(default_factory=CacheStats)
    _db: sqlite3.Connection | None = field(default=None, repr=False)
    # Backends run in threads and share the cache; one connection, used by one at a time.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, settings: CacheSettings) -> ResultCache:
        if settings.directory is None:
            return cls(None, settings.max_bytes)
        cache = cls(settings.directory / _FILE_NAME, settings.max_bytes)
        cache._connect()
        return cache

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def lookup(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The entries found among keys; unreadable entries count as misses."""
        wanted = list(dict.fromkeys(keys))
        with self._lock:
            found = self._lookup(wanted)
        self.stats.hits += len(found)
        self.stats.misses += len(wanted) - len(found)
        return found

    def _lookup(self, wanted: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        if self._db is None:
            return found
        try:
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, value FROM results WHERE key IN ({marks})",
                    chunk,
                ).fetchall()
                for key, value in rows:
                    with contextlib.suppress(ValueError, TypeError):
                        entry = json.loads(value)
                        if isinstance(entry, dict):
                            found[key] = entry
            if found:
                with self._db:
                    now = time.time()
                    for chunk in _chunks(list(found), 500):
                        marks = ",".join("?" * len(chunk))
                        self._db.execute(
                            f"UPDATE results SET used = ? WHERE key IN ({marks})",
                            [now, *chunk],
                        )
        except sqlite3.Error as exc:
            self._give_up("could not be read", exc)
        return found

    def store(self, entries: Mapping[str, dict[str, Any]]) -> None:
        with self._lock:
            self._store(entries)

    def _store(self, entries: Mapping[str, dict[str, Any]]) -> None:
        if self._db is None or not entries:
            return
        now = time.time()
        rows = [
            (key, json.dumps(value, separators=(",", ":")), now) for key, value in entries.items()
        ]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO results (key, value, size, used) "
                    "VALUES (?, ?, length(?) + 64, ?)",
                    [(key, value, value, used) for key, value, used in rows],
                )
            self.stats.stored += len(rows)
            self._evict_if_needed()
        except sqlite3.Error as exc:
            self._give_up("could not be written", exc)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _connect(self, retry: bool = True) -> None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            db.isolation_level = "DEFERRED"  # `with db:` is then one transaction
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.execute("PRAGMA synchronous=NORMAL")  # a lost entry after a power cut is a miss
            db.execute(
                "CREATE TABLE IF NOT EXISTS results ("
                "key TEXT PRIMARY KEY, value TEXT NOT NULL, size INTEGER NOT NULL, "
                "used REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS results_used ON results (used)")
            db.execute("SELECT count(*) FROM results").fetchone()  # proves the file is readable
            self._db = db
        except sqlite3.DatabaseError as exc:
            corrupt = not isinstance(exc, sqlite3.OperationalError) or "malformed" in str(exc)
            if corrupt and retry and self._discard_file():
                self._connect(retry=False)
                return
            self._give_up("could not be opened", exc)
        except OSError as exc:
            self._give_up("could not be created", exc)

    def _discard_file(self) -> bool:
        """A corrupt database is thrown away: it only ever held what can be recomputed."""
        assert self.path is not None
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")
        except OSError:
            return False
        self.notice = f"the result cache at {self.path} was corrupt and has been rebuilt"
        return True

    def _evict_if_needed(self) -> None:
        assert self._db is not None
        (total,) = self._db.execute("SELECT coalesce(sum(size), 0) FROM results").fetchone()
        if total <= self.max_bytes:
            return
        excess = total - int(self.max_bytes * _EVICT_TO)
        with self._db:
            rows = self._db.execute("SELECT key, size FROM results ORDER BY used").fetchall()
            doomed: list[str] = []
            for key, size in rows:
                if excess <= 0:
                    break
                doomed.append(key)
                excess -= size
            for chunk in _chunks(doomed, 500):
                marks = ",".join("?" * len(chunk))
                self._db.execute(f"DELETE FROM results WHERE key IN ({marks})", chunk)
        self.stats.evicted += len(doomed)
        # Give the freed pages back to the file system, so the bound holds on disk too. A
        # concurrent run reading the cache can make this busy: then the next eviction does it.
        with contextlib.suppress(sqlite3.OperationalError):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.execute("VACUUM")

    def _give_up(self, what: str, exc: BaseException) -> None:
        self._close()
        if self.notice is None or "rebuilt" in self.notice:
            self.notice = (
                f"the result cache at {self.path} {what} ({exc}); this run is not cached "
                "(set READYTERM_CACHE_DIR to a writable folder, or to nothing to turn it off)"
            )


def digest(*parts: str | bytes) -> str:
    """One hash over several parts; each part is length-prefixed so they cannot run together."""
    total = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        total.update(len(data).to_bytes(8, "big") + data)
    return total.hexdigest()


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
