"""The parse cache: every record file's articles, keyed by path, size and mtime.

A warm start reads only the list columns of unchanged files; the full record is fetched when
the detail pane needs it. The cache is disposable: a corrupt or foreign file is moved aside and
rebuilt, never trusted.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.model import Article, Entry, Problem, Provider
from reader.serialize import article_from_dict, article_to_dict
from reader.sources.local import FileResult

SCHEMA_VERSION = 1
_APPLICATION_ID = 0x52454144  # "READ": tells our cache from any other SQLite file
_SCHEMA = """
CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, problems TEXT
);
CREATE TABLE articles (
    path TEXT NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL,
    completeness INTEGER NOT NULL, published REAL, title TEXT NOT NULL, excerpt TEXT,
    provider TEXT, domain TEXT, topics TEXT NOT NULL, heat INTEGER, quality INTEGER,
    type TEXT, category TEXT, data TEXT NOT NULL,
    PRIMARY KEY (path, position)
) WITHOUT ROWID;
"""
_TOPIC_SEP = "\x1f"
_LIST_COLUMNS = (
    "path, position, key, completeness, published, title, excerpt, provider, domain, topics, "
    "heat, quality, type, category"
)

Row = tuple[Any, ...]


@dataclass(slots=True, frozen=True)
class FileRows:
    """One parsed file as the cache stores it; small and quick to send between processes."""

    path: str
    size: int
    mtime_ns: int
    rows: list[Row]
    problems: list[Problem]


def to_rows(result: FileResult, size: int, mtime_ns: int) -> FileRows:
    rows = []
    for position, article in enumerate(result.articles):
        provider = article.provider
        rows.append(
            (
                result.path,
                position,
                article.key,
                article.completeness,
                article.published.timestamp() if article.published else None,
                article.title,
                article.excerpt,
                provider.name if provider else None,
                provider.domain if provider else None,
                _TOPIC_SEP.join(article.topics),
                article.heat,
                article.quality,
                article.type,
                article.category,
                json.dumps(article_to_dict(article), ensure_ascii=False),
            )
        )
    return FileRows(result.path, size, mtime_ns, rows, result.problems)


def entry_from_row(row: Row) -> Entry:
    (path, position, key, completeness, published, title, excerpt, name, domain, topics,
     heat, quality, kind, category) = row[:14]  # fmt: skip
    return Entry(
        key=key,
        title=title,
        source=path,
        position=position,
        completeness=completeness,
        published=datetime.fromtimestamp(published, UTC) if published is not None else None,
        excerpt=excerpt,
        provider=Provider(name, domain) if name or domain else None,
        topics=tuple(topics.split(_TOPIC_SEP)) if topics else (),
        heat=heat,
        quality=quality,
        type=kind,
        category=category,
    )


class CacheError(Exception):
    """The cache file could not be used; it has been set aside and a new one started."""


class ParseCache:
    """SQLite parse cache. `path=None` keeps it in memory (for --no-cache)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.notice: str | None = None  # set when a broken cache file was set aside
        self._lock = threading.Lock()  # the loader thread writes while the UI reads
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._connect(":memory:")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect(str(self.path))
        except sqlite3.DatabaseError as error:
            aside = self.path.with_name(f"{self.path.name}.broken-{int(time.time())}")
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.notice = f"The parse cache was unreadable ({error}); rebuilt it. Old file: {aside}"
            return self._connect(str(self.path))

    def _connect(self, target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            version, app_id = (
                db.execute("PRAGMA user_version").fetchone()[0],
                db.execute("PRAGMA application_id").fetchone()[0],
            )
            if (version, app_id) != (SCHEMA_VERSION, _APPLICATION_ID):
                self._create(db, fresh=version == 0 and app_id == 0)
            db.execute("SELECT count(*) FROM files").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _create(self, db: sqlite3.Connection, *, fresh: bool) -> None:
        """Start an empty cache; an old schema version or a foreign database is replaced."""
        tables = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        if tables and not fresh:
            raise sqlite3.DatabaseError("not a reader cache of this version")
        with db:
            db.execute("BEGIN")
            for (name,) in tables:
                db.execute(f'DROP TABLE "{name}"')
            db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute(f"PRAGMA application_id={_APPLICATION_ID}")

    def split(self, paths: list[Path]) -> tuple[list[str], list[tuple[Path, int, int]]]:
        """Which files are cached unchanged, and which must be parsed (with their size, mtime)."""
        with self._lock:
            known = {
                path: (size, mtime)
                for path, size, mtime in self._db.execute("SELECT path, size, mtime_ns FROM files")
            }
        fresh, stale = [], []
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                stale.append((path, -1, -1))  # reading it will report why
                continue
            name = str(path)
            if known.get(name) == (stat.st_size, stat.st_mtime_ns):
                fresh.append(name)
            else:
                stale.append((path, stat.st_size, stat.st_mtime_ns))
        return fresh, stale

    def cached(self, paths: list[str]) -> tuple[list[Entry], list[Problem]]:
        """Entries and problems of files known to be unchanged."""
        if not paths:
            return [], []
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (path TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM wanted")
            self._db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((p,) for p in paths))
            rows = self._db.execute(
                f"SELECT {_LIST_COLUMNS} FROM articles JOIN wanted USING (path)"
            ).fetchall()
            problem_lists = self._db.execute(
                "SELECT problems FROM files JOIN wanted USING (path) WHERE problems IS NOT NULL"
            ).fetchall()
        problems = [
            Problem(source, reason)
            for (text,) in problem_lists
            for source, reason in json.loads(text)
        ]
        return [entry_from_row(row) for row in rows], problems

    def store(self, parsed: Iterable[FileRows]) -> None:
        """Replace what the cache holds for these files, in one transaction."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            for item in parsed:
                self._db.execute("DELETE FROM articles WHERE path = ?", (item.path,))
                self._db.executemany(
                    "INSERT OR REPLACE INTO articles VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    item.rows,
                )
                problems = [(p.source, p.reason) for p in item.problems]
                self._db.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                    (
                        item.path,
                        item.size,
                        item.mtime_ns,
                        json.dumps(problems) if problems else None,
                    ),
                )

    def record_json(self, entry: Entry) -> str | None:
        """The stored JSON of the full record behind a list entry."""
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM articles WHERE path = ? AND position = ?",
                (entry.source, entry.position),
            ).fetchone()
        return row[0] if row else None

    def article(self, entry: Entry) -> Article | None:
        data = self.record_json(entry)
        return article_from_dict(json.loads(data), entry.key) if data else None

    def close(self) -> None:
        self._db.close()
