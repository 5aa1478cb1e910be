"""The parse cache: every record file's articles, keyed by path, size and mtime.

A warm start reads only the list columns of unchanged files; the full record is fetched when
the detail pane needs it. The cache is disposable and never trusted: a corrupt, truncated or
foreign file is moved aside and rebuilt, a query that fails starts an empty cache, and rows that
do not read back as this program wrote them are parsed again from their file.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from reader.model import Article, Entry, Problem, Provider
from reader.serialize import article_from_dict, article_to_dict
from reader.sources.local import FileResult, read_file
from reader.store import move_aside
from reader.store.sqlite import Kind, diagnose, open_disposable, primary_code
from reader.text import escape_json

# Also the parser's version: bump it when parsing changes what a file yields, as a cached file
# is read again only when it changes.
SCHEMA_VERSION = 2
# What the list needs and the full records are apart: a warm start reads 20k list rows from a
# few MB, not from 80 MB of records.
_SCHEMA = (
    """CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, problems TEXT
)""",
    """CREATE TABLE articles (
    path TEXT NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL,
    completeness INTEGER NOT NULL, published REAL, title TEXT NOT NULL, excerpt TEXT,
    provider TEXT, domain TEXT, topics TEXT NOT NULL, heat INTEGER, quality INTEGER,
    type TEXT, category TEXT,
    PRIMARY KEY (path, position)
) WITHOUT ROWID""",
    """CREATE TABLE records (
    path TEXT NOT NULL, position INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (path, position)
)""",
)
_FILE = Kind(
    name="reader parse cache",
    application_id=0x52454144,  # "READ": tells our cache from any other SQLite file
    version=SCHEMA_VERSION,
    schema=_SCHEMA,
    tables=frozenset({"files", "articles", "records"}),
    busy_timeout=5.0,
    # Four records' JSON (~3.5 KB each) to a 16 KiB page, not one to a 4 KiB page: storing a
    # cold start's records took 18 µs a record instead of 24.
    page_size=16384,
)
_TOPIC_SEP = "\x1f"
_LIST_COLUMNS = (
    "path, position, key, completeness, published, title, excerpt, provider, domain, topics, "
    "heat, quality, type, category"
)
# Whether a list row holds what entry_from_row needs (the types, a date datetime can hold):
# checked by SQLite as it reads, for next to nothing.
_ROW_OK = """(
    typeof(key) = 'text' AND typeof(title) = 'text' AND typeof(topics) = 'text'
    AND typeof(position) = 'integer' AND typeof(completeness) = 'integer'
    AND typeof(excerpt) IN ('text', 'null') AND typeof(provider) IN ('text', 'null')
    AND typeof(domain) IN ('text', 'null') AND typeof(type) IN ('text', 'null')
    AND typeof(category) IN ('text', 'null')
    AND typeof(heat) IN ('integer', 'null') AND typeof(quality) IN ('integer', 'null')
    AND (published IS NULL OR (typeof(published) IN ('real', 'integer')
         AND published BETWEEN -62135596800 AND 253402300799))
)"""
# A record's JSON is handed out (`reader list --json` prints it as is) only if it is JSON naming
# its file: ~3 µs a record.
_JSON_OK = """typeof(data) = 'text'
    AND CASE WHEN json_valid(data) THEN json_extract(data, '$.source') = path END"""
# Errors that say nothing about the file's contents: the cache is left as it is.
_CIRCUMSTANCE = {
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_NOMEM,
}

Row = tuple[Any, ...]
T = TypeVar("T")


@dataclass(slots=True, frozen=True)
class FileRows:
    """One parsed file as the cache stores it; small and quick to send between processes."""

    path: str
    size: int
    mtime_ns: int
    rows: list[Row]
    problems: list[Problem]

    def __reduce__(self) -> tuple[type[FileRows], tuple[Any, ...]]:
        # Quicker than the field-by-field state a dataclass pickles: 20k of these a cold start.
        return FileRows, (self.path, self.size, self.mtime_ns, self.rows, self.problems)


def to_rows(result: FileResult) -> FileRows:
    # Record text is made safe by the normaliser; a file's name is only as safe as it is.
    unsafe_name = not result.path.isprintable()
    rows = []
    for position, article in enumerate(result.articles):
        provider = article.provider
        data = json.dumps(article_to_dict(article), ensure_ascii=False)
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
                escape_json(data) if unsafe_name else data,
            )
        )
    return FileRows(result.path, result.size, result.mtime_ns, rows, result.problems)


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
        provider=_provider(name, domain) if name or domain else None,
        topics=_topics(topics) if topics else (),
        heat=heat,
        quality=quality,
        type=kind,
        category=category,
    )


# A collection has a few hundred providers and topic lists: one object each, shared by the
# entries, saves memory at 100k entries and time on every warm start.
_provider = functools.lru_cache(maxsize=4096)(Provider)


@functools.lru_cache(maxsize=4096)
def _topics(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_TOPIC_SEP))


class ParseCache:
    """SQLite parse cache. `path=None` keeps it in memory (for --no-cache).

    No method raises on a bad cache: `notice` says what was done about it instead."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.notice: str | None = None  # set when the cache file could not be used as it was
        self._lock = threading.Lock()  # the loader thread writes while the UI reads
        self._db = self._open()

    def split(self, paths: list[str]) -> tuple[list[str], list[str]]:
        """Which files are cached unchanged, and which must be parsed. Only files the cache
        knows are looked at here: a cold start parses all of them, and the parser takes each
        file's size and mtime from the file it reads."""
        known = (
            self._run(
                lambda db: {
                    path: (size, mtime)
                    for path, size, mtime in db.execute("SELECT path, size, mtime_ns FROM files")
                }
            )
            or {}
        )
        fresh, stale = [], []
        for path in paths:
            cached = known.get(path)
            if cached is None:
                stale.append(path)
                continue
            try:
                stat = os.stat(path)
            except OSError:
                stale.append(path)  # reading it will report why
                continue
            if cached == (stat.st_size, stat.st_mtime_ns):
                fresh.append(path)
            else:
                stale.append(path)
        return fresh, stale

    def cached(self, paths: list[str]) -> tuple[list[Entry], list[Problem]]:
        """Entries and problems of files known to be unchanged. Files whose rows do not read
        back are parsed again here (and the cache's damage noted)."""
        if not paths:
            return [], []
        fetched = self._run(lambda db: _fetch(db, paths))
        if fetched is None:  # the cache failed and was replaced by an empty one
            return self._parse_again(paths)
        rows, problem_rows = fetched
        broken = {row[0] for row in rows if not row[-1]}
        problems: dict[str, list[Problem]] = {}
        for path, text in problem_rows:
            try:
                problems[path] = _problems_from(text)
            except (ValueError, TypeError):
                broken.add(path)
        if not broken:
            entries = [entry_from_row(row) for row in rows]
            return entries, [problem for found in problems.values() for problem in found]
        count = len(broken)
        self.notice = (
            f"The parse cache held unreadable rows for {count} file{'s' * (count != 1)}; "
            "parsed them again."
        )
        entries = [entry_from_row(row) for row in rows if row[0] not in broken]
        kept = [p for path, found in problems.items() if path not in broken for p in found]
        more_entries, more_problems = self._parse_again(sorted(broken))
        return entries + more_entries, kept + more_problems

    def store(self, parsed: Iterable[FileRows]) -> None:
        """Replace what the cache holds for these files, in one transaction."""
        parsed = list(parsed)
        if self._run(lambda db: _write(db, parsed)) is None:
            self._run(lambda db: _write(db, parsed))  # into the cache that replaced the failed one

    def record_json(self, entry: Entry) -> str | None:
        """The stored JSON of the full record behind a list entry (parsed again if the stored
        row is missing or not JSON)."""
        found = self._run(
            lambda db: db.execute(
                "SELECT data FROM records JOIN articles USING (path, position) "
                f"WHERE path = ? AND position = ? AND key = ? AND {_JSON_OK}",
                (entry.source, entry.position, entry.key),
            ).fetchall()
        )
        return found[0][0] if found else self._json_again(entry)

    def article(self, entry: Entry) -> Article | None:
        data = self.record_json(entry)
        try:
            return article_from_dict(json.loads(data), entry.key) if data else None
        except (ValueError, KeyError, TypeError, AttributeError):  # JSON, not the one we wrote
            data = self._json_again(entry)
            return article_from_dict(json.loads(data), entry.key) if data else None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _open(self) -> sqlite3.Connection:
        """The cache file, set aside first if it cannot be trusted; memory if no file will do."""
        if self.path is None:
            return _connect(":memory:")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            problem = _diagnose(self.path)
            if problem is None:
                return _connect(str(self.path))
        except (OSError, sqlite3.Error) as error:
            return self._without_file(error)
        return self._start_over(self.path, problem)

    def _start_over(self, path: Path, problem: str) -> sqlite3.Connection:
        try:
            aside = move_aside(path)
            db = _connect(str(path))
        except (OSError, sqlite3.Error) as error:
            return self._without_file(error)
        self.notice = (
            f"The parse cache could not be used ({problem}); rebuilt it. Old file: {aside}"
        )
        return db

    def _without_file(self, error: Exception) -> sqlite3.Connection:
        self.notice = f"The parse cache is not available ({error}); files are parsed without it."
        return _connect(":memory:")

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T | None:
        """`work` on the database, or None if it failed: the cache then starts again, empty (in
        a new file if the old one is damaged, else in memory)."""
        with self._lock:
            try:
                return work(self._db)
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    self._db.close()
                if self.path is None or primary_code(error) in _CIRCUMSTANCE:
                    self._db = self._without_file(error)
                else:
                    self._db = self._start_over(self.path, str(error))
                return None

    def _reparse(self, source: str) -> FileRows | None:
        """Parse a cached file again and store it afresh; None if it is no (longer a) file."""
        if not Path(source).is_file():
            return None
        parsed = to_rows(read_file(source))
        self.store([parsed])
        return parsed

    def _parse_again(self, paths: list[str]) -> tuple[list[Entry], list[Problem]]:
        parsed = [item for item in map(self._reparse, paths) if item is not None]
        return (
            [entry_from_row(row) for item in parsed for row in item.rows],
            [problem for item in parsed for problem in item.problems],
        )

    def _json_again(self, entry: Entry) -> str | None:
        parsed = self._reparse(entry.source)
        for row in parsed.rows if parsed else ():
            if row[1] == entry.position and row[2] == entry.key:
                return row[-1]
        return None


def _fetch(db: sqlite3.Connection, paths: list[str]) -> tuple[list[Row], list[Row]]:
    """List rows (each ending in whether it is sound) and problem lists of these files.

    Rows are stored in path order, so files that share a folder are one range to read: that
    is read when it holds little else, which is twice as quick as joining with 20k names."""
    wanted = set(paths)
    low = os.path.commonprefix(paths)  # noqa: RUF071 (a string prefix: the range to read)
    high = low[:-1] + chr(ord(low[-1]) + 1) if low and low[-1] < "\U0010ffff" else None
    select = f"SELECT {_LIST_COLUMNS}, {_ROW_OK} FROM articles"
    with db:
        db.execute("BEGIN")
        if high is not None:
            in_range = "WHERE path >= ? AND path < ?"
            count = db.execute(f"SELECT count(*) FROM files {in_range}", (low, high)).fetchone()
            if count[0] <= 2 * len(wanted):
                rows = db.execute(f"{select} {in_range}", (low, high)).fetchall()
                problem_rows = db.execute(
                    f"SELECT path, problems FROM files {in_range} AND problems IS NOT NULL",
                    (low, high),
                ).fetchall()
                return (
                    [row for row in rows if row[0] in wanted],
                    [row for row in problem_rows if row[0] in wanted],
                )
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (path TEXT PRIMARY KEY)")
        db.execute("DELETE FROM wanted")
        db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((p,) for p in wanted))
        rows = db.execute(f"{select} JOIN wanted USING (path)").fetchall()
        problem_rows = db.execute(
            "SELECT path, problems FROM files JOIN wanted USING (path) WHERE problems IS NOT NULL"
        ).fetchall()
    return rows, problem_rows


def _problems_from(text: Any) -> list[Problem]:
    """A file's stored problems; ValueError or TypeError if they are not what we store."""
    problems = [Problem(source, reason) for source, reason in json.loads(text)]
    if not all(isinstance(p.source, str) and isinstance(p.reason, str) for p in problems):
        raise ValueError("not a problem list")
    return problems


def _write(db: sqlite3.Connection, parsed: list[FileRows]) -> bool:
    """Replace what is stored for these files: one statement each for all of them, as a cold
    start writes 20k files a chunk at a time."""
    paths = [(item.path,) for item in parsed]
    rows = [row for item in parsed for row in item.rows]
    with db:
        db.execute("BEGIN")
        db.executemany("DELETE FROM articles WHERE path = ?", paths)
        db.executemany("DELETE FROM records WHERE path = ?", paths)
        db.executemany(
            f"INSERT OR REPLACE INTO articles VALUES ({', '.join('?' * 14)})",
            [row[:14] for row in rows],
        )
        db.executemany(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
            [(row[0], row[1], row[14]) for row in rows],
        )
        db.executemany(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            [
                (item.path, item.size, item.mtime_ns, _problems_json(item.problems))
                for item in parsed
            ],
        )
    return True


def _problems_json(problems: list[Problem]) -> str | None:
    return json.dumps([(p.source, p.reason) for p in problems]) if problems else None


def _connect(target: str) -> sqlite3.Connection:
    """Open the cache (a new file gets the schema); the cache can always be parsed again."""
    return open_disposable(target, _FILE)


def _diagnose(path: Path) -> str | None:
    """Why the file cannot be used as our cache, or None if it can (or is new). Its length is
    checked against its header and `files` is read through, so that damage is found before
    the cache is trusted."""
    return diagnose(path, _FILE, check_length=True, probe="SELECT count(*) FROM files")
