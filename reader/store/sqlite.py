"""What every SQLite file of ours shares: how it is opened, how it says whose it is and which
schema it has, and how a file is judged before it is trusted.

What to do about a file that fails (rebuild it, carry its marks over, keep to memory) is each
store's own policy and stays in its module: the parse cache and the reader-mode texts are
disposable, the reading state is the user's own and is never thrown away.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Result codes that speak of the file's contents, not of the circumstances (a lock, a full disk).
DAMAGE = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_MAGIC = b"SQLite format 3\0"
_HEADER_SIZE = 100


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of file of ours: the identity SQLite keeps in its header for it, what a new
    one is given, and how long its connections wait for another reader's write."""

    name: str  # as a notice says it: "it is not a <name>"
    application_id: int  # tells our files from other programs' SQLite files, and from each other
    version: int  # the schema's version, kept as user_version
    schema: tuple[str, ...]  # the statements that create a new file's tables
    tables: frozenset[str]  # the tables a file of this kind must hold
    busy_timeout: float  # seconds to wait for another reader's write to finish
    page_size: int | None = None  # of a new file; None: SQLite's default (4 KiB)


def connect(target: str, kind: Kind) -> sqlite3.Connection:
    """A read-write connection. Each store shares one between its threads under its own lock
    and begins its own transactions, so Python neither checks the thread nor begins any."""
    return sqlite3.connect(
        target, timeout=kind.busy_timeout, check_same_thread=False, isolation_level=None
    )


def connect_read_only(path: Path, kind: Kind, mode: str = "mode=ro") -> sqlite3.Connection:
    """A connection that cannot change the file, so a foreign or damaged one is set aside
    exactly as it was: closing a read-write connection would checkpoint a WAL into it, or
    delete a WAL it cannot make sense of. `mode` is the URI's query ("immutable=1" also keeps
    SQLite from making a -wal/-shm beside it)."""
    uri = f"{path.absolute().as_uri()}?{mode}"
    return sqlite3.connect(uri, uri=True, timeout=kind.busy_timeout, isolation_level=None)


def identity(db: sqlite3.Connection) -> tuple[int, int]:
    """(application_id, user_version): whose file this is, and which schema it has."""
    return (
        db.execute("PRAGMA application_id").fetchone()[0],
        db.execute("PRAGMA user_version").fetchone()[0],
    )


def primary_code(error: sqlite3.Error) -> int | None:
    """The primary SQLite result code of an error (extended codes say more than we ask), or
    None for an error Python raised itself."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def create_schema(db: sqlite3.Connection, kind: Kind) -> None:
    """Give a new file its tables and identity in one transaction, so that a crash leaves all
    or none of them; a file that has them is left alone."""
    if identity(db) != (kind.application_id, kind.version):
        with db:
            db.execute("BEGIN IMMEDIATE")
            if identity(db) == (0, 0):  # another reader may have created it meanwhile
                for statement in kind.schema:
                    db.execute(statement)
                db.execute(f"PRAGMA application_id={kind.application_id}")
                db.execute(f"PRAGMA user_version={kind.version}")


def open_disposable(target: str, kind: Kind) -> sqlite3.Connection:
    """Open a file whose contents can be made again (a cache), creating its schema if new.

    WAL lets one reader read while another writes. Commits are not synced one by one
    (synchronous=NORMAL): a power cut costs at most the last ones, which are made again. The
    reading state, the user's own, is opened its own way and syncs every commit."""
    db = connect(target, kind)
    try:
        if kind.page_size:
            db.execute(f"PRAGMA page_size={kind.page_size}")  # only a new file takes it
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        create_schema(db, kind)
    except sqlite3.Error:
        db.close()
        raise
    return db


def diagnose(path: Path, kind: Kind, *, check_length: bool, probe: str | None = None) -> str | None:
    """Why the file cannot be used as a `kind` file, or None if it can (or is new).

    A file cut short opens without complaint and fails pages later: `check_length` checks its
    length against its header. `probe`, a query run once the identity is right, meets damage
    now rather than mid-session. Raises as `examine` does."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(_HEADER_SIZE)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return None
    if not header:
        return None  # SQLite makes a new database of an empty file
    if not header.startswith(_MAGIC) or (check_length and len(header) < _HEADER_SIZE):
        return "it is not an SQLite database"
    if check_length and _truncated(path, header, size):
        return "the file is truncated"
    return examine(path, kind, lambda db: _not_ours(db, kind, probe))


def examine(path: Path, kind: Kind, look: Callable[[sqlite3.Connection], str | None]) -> str | None:
    """What `look`, given a read-only connection to the file (see `connect_read_only`), finds
    wrong with it, or None. Damage it meets is what is wrong; any other error (the file cannot
    be read, a lock held past the timeout) says nothing about the file and is raised."""
    db = connect_read_only(path, kind)
    try:
        return look(db)
    except sqlite3.DatabaseError as error:
        if primary_code(error) in DAMAGE:
            return str(error)
        raise
    finally:
        db.close()


def _not_ours(db: sqlite3.Connection, kind: Kind, probe: str | None) -> str | None:
    """Why an SQLite file is not a `kind` file of this version (None if it is, or is empty)."""
    found = identity(db)
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    if found == (0, 0) and not tables:
        return None
    if found[0] != kind.application_id or not tables >= kind.tables:
        return f"it is not a {kind.name}"
    if found[1] != kind.version:
        return f"it is from another version of reader (schema {found[1]})"
    if probe is not None:
        db.execute(probe).fetchone()
    return None


def _truncated(path: Path, header: bytes, size: int) -> bool:
    """Whether the file is shorter than its header says it is."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size  # 1 stands for 65536
    pages = int.from_bytes(header[28:32], "big")  # valid if the two change counters agree
    counted = header[24:28] == header[92:96]
    # With a WAL left by a crash mid-checkpoint, SQLite completes the file from the WAL.
    return counted and size < pages * page_size and not _has_wal(path)


def _has_wal(path: Path) -> bool:
    """Whether a -wal file with something in it stands beside the database."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False
