"""The extracted texts: SQLite in the cache folder, one row per article key, with fetch time.

It is what makes reopening an article instant and possible offline. Like the parse cache it is
disposable, and no method raises on a bad file: a damaged, foreign or older-schema file is set
aside (`<name>.broken-<time>`) and a new one started, with `notice` saying so; a file that
cannot be opened at all leaves the store in memory for the session.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import platformdirs

from reader.fulltext.document import Fulltext
from reader.store import move_aside
from reader.store.sqlite import DAMAGE, Kind, diagnose, open_disposable, primary_code

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE texts (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    markdown TEXT NOT NULL,
    links TEXT NOT NULL,
    fetched_at REAL NOT NULL
)
"""
_FILE = Kind(
    name="reader-mode store",
    application_id=0x52444654,  # "RDFT": tells this file from the parse cache and the state
    version=SCHEMA_VERSION,
    schema=(_SCHEMA,),
    tables=frozenset({"texts"}),
    busy_timeout=2.0,
)
T = TypeVar("T")


def fulltext_path() -> Path:
    return Path(platformdirs.user_cache_dir("reader")) / "fulltext.sqlite3"


class FulltextStore:
    """Extracted texts by article key. `path=None` keeps them in memory (for tests).

    The file is opened on first use, so the app's start-up never waits on it."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.notice: str | None = None  # set when the file could not be used as it was
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def get(self, key: str) -> Fulltext | None:
        row = self._run(
            lambda db: db.execute(
                "SELECT url, markdown, links, fetched_at FROM texts WHERE key = ?", (key,)
            ).fetchone()
        )
        if row is None:
            return None
        try:
            return _decode(row)
        except (ValueError, TypeError, OverflowError):  # not what we wrote: fetch it again
            self._run(lambda db: db.execute("DELETE FROM texts WHERE key = ?", (key,)))
            return None

    def put(self, key: str, text: Fulltext) -> None:
        row = (
            key,
            text.url,
            text.markdown,
            json.dumps(list(text.links)),
            text.fetched_at.timestamp(),
        )
        self._run(lambda db: db.execute("INSERT OR REPLACE INTO texts VALUES (?, ?, ?, ?, ?)", row))

    def take_notice(self) -> str | None:
        """The notice, once: whoever shows it clears it."""
        notice, self.notice = self.notice, None
        return notice

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T | None:
        """`work` on the database, or None if it failed. A damaged file is set aside and the
        work tried once more on a new one; any other failure (a full disk, a lock held too
        long) costs only this call."""
        with self._lock:
            for attempt in range(2):
                try:
                    if self._db is None:
                        self._db = self._open()
                    return work(self._db)
                except sqlite3.Error as error:
                    if primary_code(error) not in DAMAGE or attempt:
                        return None
                    self._db = self._start_over(str(error))
        return None

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return _connect(":memory:")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            problem = _diagnose(self.path)
            if problem is None:
                return _connect(str(self.path))
        except (OSError, sqlite3.Error) as error:
            if not isinstance(error, sqlite3.Error) or primary_code(error) not in DAMAGE:
                return self._in_memory(error)
            problem = str(error)
        return self._start_over(problem)

    def _start_over(self, problem: str) -> sqlite3.Connection:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        assert self.path is not None  # memory databases are not damaged
        try:
            aside = move_aside(self.path) if self.path.exists() else None
            db = _connect(str(self.path))
        except (OSError, sqlite3.Error) as error:
            return self._in_memory(error)
        where = f" Old file: {aside}" if aside else ""
        self.notice = (
            f"The reader-mode store could not be used ({problem}); started a new one.{where}"
        )
        return db

    def _in_memory(self, error: Exception) -> sqlite3.Connection:
        self.notice = (
            f"The reader-mode store is not available ({error}); "
            "articles read now are kept only until you quit."
        )
        return _connect(":memory:")


def _connect(target: str) -> sqlite3.Connection:
    """Open the store (a new file gets the schema); what it holds can be fetched again."""
    return open_disposable(target, _FILE)


def _diagnose(path: Path) -> str | None:
    """Why the file cannot be used as this store, or None if it can (or is new). Damage inside
    a sound-looking file shows when a row is read, and is handled there."""
    return diagnose(path, _FILE, check_length=False)


def _decode(row: tuple[object, ...]) -> Fulltext:
    url, markdown, links, fetched_at = row
    parsed = json.loads(links) if isinstance(links, str) else None
    if (
        not isinstance(url, str)
        or not isinstance(markdown, str)
        or not isinstance(parsed, list)
        or not all(isinstance(link, str) for link in parsed)
        or not isinstance(fetched_at, int | float)
    ):
        raise TypeError("not a stored text")
    return Fulltext(url, markdown, tuple(parsed), datetime.fromtimestamp(fetched_at, UTC))
