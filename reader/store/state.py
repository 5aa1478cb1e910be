"""The reading state: which articles were read and which are starred, by article key.

Unlike the parse cache this is the user's own data and is never thrown away: every mark is
committed and synced before the call returns, two running readers share the file by writing
only the rows they change, and a damaged or foreign file is set aside (not modified) with every
mark that can still be read from it carried over into a new one.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import platformdirs

from reader.store import move_aside
from reader.store.sqlite import (
    Kind,
    connect,
    connect_read_only,
    create_schema,
    examine,
    identity,
    primary_code,
)

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE marks (
    key TEXT NOT NULL,
    mark TEXT NOT NULL CHECK (mark IN ('read', 'star')),
    marked_at REAL NOT NULL,
    PRIMARY KEY (key, mark)
)
"""
_FILE = Kind(
    name="reader state file",
    application_id=0x52445354,  # "RDST": tells our state file from the cache and other programs'
    version=SCHEMA_VERSION,
    schema=(_SCHEMA,),
    tables=frozenset({"marks"}),
    busy_timeout=5.0,
)
_READ, _STAR = "read", "star"
_MAX_ROWID = 2**63 - 1
_SCAN = "SELECT rowid, key, mark, marked_at FROM marks WHERE rowid > ? ORDER BY rowid"

Mark = tuple[str, str, float]  # key, mark, marked_at


def state_path() -> Path:
    return Path(platformdirs.user_data_dir("reader")) / "state.sqlite3"


class _TooNew(Exception):
    """The file was written by a newer reader: it is left alone rather than set aside."""


class StateStore:
    """Read and starred marks in SQLite, mirrored in plain sets for per-row checks.

    Change `read` and `starred` only through the methods. They hold what was in the file at
    open plus this store's own writes; another reader's later writes show at the next open.
    `path=None` keeps everything in memory (for tests). Errors that say nothing about the
    file's contents (permissions, a lock held past the timeout, I/O) are raised, never
    "repaired".
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.notice: str | None = None  # set when the file could not be used as it was
        self._lock = threading.Lock()  # the UI and worker threads share the connection
        self._db = self._open()
        self.read: set[str] = set()
        self.starred: set[str] = set()
        for key, mark in self._db.execute("SELECT key, mark FROM marks"):
            (self.read if mark == _READ else self.starred).add(key)

    def set_read(self, keys: Iterable[str], read: bool = True) -> None:
        """Mark many articles at once, in one transaction (one sync, all or nothing)."""
        self._write(_READ, list(keys), read, self.read)

    def toggle_read(self, key: str) -> bool:
        read = key not in self.read
        self._write(_READ, [key], read, self.read)
        return read

    def toggle_star(self, key: str) -> bool:
        starred = key not in self.starred
        self._write(_STAR, [key], starred, self.starred)
        return starred

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, mark: str, keys: list[str], on: bool, mirror: set[str]) -> None:
        """Change only these rows, so another reader's marks are never overwritten; the set
        follows only once the commit has succeeded."""
        if not keys:
            return
        now = time.time()
        with self._lock:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")  # take the write lock now: waits, no deadlock
                if on:  # an existing mark keeps the time it was first set
                    self._db.executemany(
                        "INSERT OR IGNORE INTO marks VALUES (?, ?, ?)",
                        ((key, mark, now) for key in keys),
                    )
                else:
                    self._db.executemany(
                        "DELETE FROM marks WHERE key = ? AND mark = ?",
                        ((key, mark) for key in keys),
                    )
            if on:
                mirror.update(keys)
            else:
                mirror.difference_update(keys)

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return _prepare(connect(":memory:", _FILE))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            problem = _diagnose(self.path)
        except _TooNew as error:
            self.notice = f"{error}; marks made now are kept only until you quit."
            return _prepare(connect(":memory:", _FILE))
        if problem is None:
            return _prepare(connect(str(self.path), _FILE))
        return self._start_over(self.path, problem)

    def _start_over(self, path: Path, problem: str) -> sqlite3.Connection:
        """Set the unusable file aside, start a new one, and carry over what can still be read."""
        aside = move_aside(path)
        db = _prepare(connect(str(path), _FILE))
        with db:
            db.execute("BEGIN IMMEDIATE")
            kept = db.executemany("INSERT OR IGNORE INTO marks VALUES (?, ?, ?)", _salvage(aside))
        count = kept.rowcount
        self.notice = (
            f"The reading state file could not be used ({problem}); started a new one and kept "
            f"{count} mark{'' if count == 1 else 's'} from it. Old file: {aside}"
        )
        return db


def _diagnose(path: Path) -> str | None:
    """Why the file cannot be used as our state, or None if it can (or is new). Read-only, so
    a foreign or damaged file stays exactly as it was for `_salvage` and for the user."""
    return examine(path, _FILE, _problem) if path.exists() else None


def _problem(db: sqlite3.Connection) -> str | None:
    """What is wrong with a state file, by a read-only connection; `_TooNew` if it is newer.
    Unlike a cache's, its whole contents are checked: the user's marks must be sound."""
    db.execute("BEGIN")  # one snapshot: another reader may be creating the file right now
    app_id, version = identity(db)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    if (app_id, version, tables) == (0, 0, set()):
        return None
    if app_id != _FILE.application_id:
        return f"it is not a {_FILE.name}"
    if version > SCHEMA_VERSION:
        raise _TooNew(f"The reading state file is from a newer reader (schema {version})")
    if version != SCHEMA_VERSION or not tables >= _FILE.tables:
        return f"unknown schema {version}"
    check = db.execute("PRAGMA quick_check").fetchall()
    return None if check == [("ok",)] else "it failed its integrity check"


def _prepare(db: sqlite3.Connection) -> sqlite3.Connection:
    """Make every commit durable (WAL, synced) and create the schema in a new file."""
    _use_wal(db)
    db.execute("PRAGMA synchronous=FULL")
    create_schema(db, _FILE)
    return db


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL (a no-op once the file is in it). Switching a new file needs it to itself
    and does not wait on the busy timeout, so retry while another reader opens it too."""
    deadline = time.monotonic() + _FILE.busy_timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            busy = primary_code(error) == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _salvage(path: Path) -> list[Mark]:
    """Every mark of a set-aside file that can still be read; none from another program's."""
    # Without a -wal file there is nothing to replay: immutable=1 then leaves no -wal/-shm behind.
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    try:
        db = connect_read_only(path, _FILE, mode)
    except sqlite3.Error:
        return []
    try:
        db.execute("PRAGMA writable_schema=ON")  # read a truncated file instead of refusing it
        if identity(db)[0] != _FILE.application_id:
            return []
        return [row for row in _readable_rows(db) if _is_mark(row)]
    except sqlite3.Error:
        return []
    finally:
        db.close()


def _readable_rows(db: sqlite3.Connection) -> Iterator[tuple[object, ...]]:
    """The table's rows in rowid order; a scan stopped by a damaged page resumes past it."""
    start: int | None = 0
    while start is not None:
        last = start
        try:
            for rowid, *row in db.execute(_SCAN, (start,)):
                yield tuple(row)
                last = max(last, rowid)
            return
        except sqlite3.DatabaseError:
            start = _resume_point(db, last)


def _resume_point(db: sqlite3.Connection, bad: int) -> int | None:
    """The smallest start past `bad` from which the table reads again, if any: probe further
    and further ahead, then narrow back down so that few readable rows are skipped."""
    good, gap = bad + 1, 1
    while not _reads_after(db, good):
        if good >= _MAX_ROWID:
            return None
        bad, gap = good, gap * 2
        good = min(good + gap, _MAX_ROWID)
    while good - bad > 1:
        middle = (bad + good) // 2
        bad, good = (bad, middle) if _reads_after(db, middle) else (middle, good)
    return good


def _reads_after(db: sqlite3.Connection, start: int) -> bool:
    try:
        db.execute(f"{_SCAN} LIMIT 1", (start,)).fetchone()
    except sqlite3.DatabaseError:
        return False
    return True


def _is_mark(row: tuple[object, ...]) -> bool:
    key, mark, marked_at = row
    return (
        isinstance(key, str)
        and bool(key)
        and mark in (_READ, _STAR)
        and isinstance(marked_at, int | float)
    )
