"""Writing a result out: JSON, JSON Lines, CSV or a Markdown reading list.

`reader list --format` and the app's `e` feed these writers the same records, in the order the
list shows them: each record's JSON as the parse cache holds it (`article_to_dict`'s shape), so
JSON and JSON Lines cost no more than copying it (that JSON is made terminal-safe where it is
built: see `reader.store.cache.to_rows`). Record text is data from strangers: nothing written
carries a terminal control character, a CSV cell cannot start a spreadsheet formula, and a
title cannot break out of Markdown link syntax.

A file is written whole or not at all: as a temporary file beside it, moved into place once
complete (`writing`), so a failure part way never empties a file the user agreed to replace.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from reader.links import refusal
from reader.model import Entry
from reader.store.cache import ParseCache
from reader.text import escape_markdown, printable
from reader.timefmt import in_local_time

FORMATS = {"md": "Markdown", "csv": "CSV", "json": "JSON", "jsonl": "JSON Lines"}
SUFFIXES = {".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json", ".jsonl": "jsonl"}
CSV_COLUMNS = (
    "title",
    "url",
    "published",
    "provider",
    "topics",
    "excerpt",
    "heat",
    "quality",
    "type",
    "category",
)
# What a spreadsheet reads as the start of a formula (OWASP's list, whose tab and CR are
# covered by looking past white space).
_FORMULA_START = ("=", "+", "-", "@")
# Characters that would end or confuse a Markdown link destination.
_MD_URL = str.maketrans({"(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"})


def records(entries: Iterable[Entry], cache: ParseCache) -> Iterator[str]:
    """The full record behind each list entry, as JSON text, in order. A story whose file has
    gone since it was listed is left out."""
    return filter(None, map(cache.record_json, entries))


def format_for(path: str | Path) -> str | None:
    """The format a file name asks for by its extension, if it is one of ours."""
    return SUFFIXES.get(os.path.splitext(path)[1].lower())


def write(fmt: str, records: Iterable[str], out: TextIO, *, query: str, day: date) -> int:
    """Write `records` to `out` as `fmt` (a key of FORMATS); returns how many were written.
    `query` and `day` head the Markdown reading list."""
    if fmt == "md":
        return write_markdown(records, out, query=query, day=day)
    return {"json": write_json, "jsonl": write_jsonl, "csv": write_csv}[fmt](records, out)


def export_file(
    path: Path, fmt: str, records: Iterable[str], *, query: str, day: date, replace: bool
) -> int:
    """Write to a file, whole or not at all (see `writing`); unless `replace`, one that
    exists already raises FileExistsError before anything is written."""
    with writing(path, replace=replace) as out:
        return write(fmt, records, out, query=query, day=day)


@contextmanager
def writing(path: Path, *, replace: bool = True) -> Iterator[TextIO]:
    """A text file to write that becomes `path` only once all of it is written: it is a
    temporary file in the same folder, moved over `path` at the end (os.replace, which no one
    sees half done). On any failure, an exception in the caller's block included, the
    temporary file is removed and `path` keeps what it held.

    Unless `replace`, a `path` that exists raises FileExistsError at once: the name is
    claimed with an empty file (the check and the claim are one step, so nothing can slip in
    between), and given up again on failure. Replacing keeps the file's permissions and
    writes through a symbolic link to the file it names. What is not a file (a terminal, a
    pipe: `-o /dev/stdout`) is written to directly. Text is UTF-8; line ends are written as
    given (the csv module writes its own).
    """
    claimed: os.stat_result | None = None
    if replace:
        try:
            status: os.stat_result | None = os.stat(path)  # of the file a link names
        except FileNotFoundError:
            status = None
        if status is not None and stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if status is not None and not stat.S_ISREG(status.st_mode):
            with open(path, "w", encoding="utf-8", newline="") as out:
                yield out
            return
        target = Path(os.path.realpath(path))
    else:
        target, status = path, None
        claim = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        claimed = os.fstat(claim)
        os.close(claim)
    temporary: Path | None = None
    try:
        descriptor, temporary = _temporary_file(target)
        if status is not None and hasattr(os, "fchmod"):
            os.fchmod(descriptor, stat.S_IMODE(status.st_mode))
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            _remove(temporary)
        if claimed is not None and _is_same_file(path, claimed):
            _remove(path)
        raise


def write_error(path: Path, error: Exception) -> str:
    """Why a file could not be written, in words that say what to fix (or, for what is not
    an OSError, what went wrong)."""
    if not isinstance(error, OSError):
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    elif os.path.isdir(path):  # IsADirectoryError, or FileExistsError when not replacing
        reason = "that is a folder"
    elif isinstance(error, FileNotFoundError):
        reason = f"the folder {path.parent} does not exist"
    elif isinstance(error, PermissionError):
        reason = "permission denied"
    elif isinstance(error, NotADirectoryError):
        reason = "part of the path is a file, not a folder"
    else:
        reason = error.strerror or str(error)
    return printable(f"Cannot write {path}: {reason}")


def write_jsonl(records: Iterable[str], out: TextIO) -> int:
    """JSON Lines: one record a line, as `reader list --json` has always printed them."""
    count = 0
    for record in records:
        out.write(record + "\n")
        count += 1
    return count


def write_json(records: Iterable[str], out: TextIO) -> int:
    """A JSON array of records, one a line: as easy to grep and diff as JSON Lines."""
    count = 0
    for count, record in enumerate(records, 1):
        out.write(("[\n" if count == 1 else ",\n") + record)
    out.write("\n]\n" if count else "[]\n")
    return count


def write_csv(records: Iterable[str], out: TextIO) -> int:
    """A header row, then one row a record: the columns a spreadsheet is wanted for."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for data in map(json.loads, records):
        provider = data["provider"]
        row = (
            data["title"],
            data["webUrl"],
            data["publishedDateTime"],
            provider["name"] if provider else None,
            "; ".join(data["topics"]),
            data["excerpt"],
            data["heat"],
            data["quality"],
            data["type"],
            data["category"],
        )
        writer.writerow([_cell(value) for value in row])
        count += 1
    return count


def _temporary_file(target: Path) -> tuple[int, Path]:
    """A new file beside `target`, hidden, with the permissions a new file gets (open's
    0o666 less the umask); its descriptor and path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = target.with_name(f".{target.name[:100]}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(target))


def _is_same_file(path: Path, status: os.stat_result) -> bool:
    try:
        return os.path.samestat(os.stat(path, follow_symlinks=False), status)
    except OSError:
        return False


def _remove(path: Path) -> None:
    with suppress(OSError):
        os.unlink(path)


def write_markdown(records: Iterable[str], out: TextIO, *, query: str, day: date) -> int:
    """A reading list: a heading with the query and the day, then one item a record, the
    title linking to the story, with its provider and date, and the excerpt below."""
    about = f": {_md_escape(query)}" if query.strip() else ""
    out.write(f"# Reading list{about} ({day.isoformat()})\n")
    count = 0
    for data in map(json.loads, records):
        out.write("\n" + _md_item(data) + "\n")
        count += 1
    return count


def _md_escape(text: str) -> str:
    """One line of text that Markdown shows as it is, even at the start of a block: no
    emphasis, code, link, HTML, entity, maths, heading, quote or list (reader.text's
    escape_markdown, the escaper of all record text)."""
    return escape_markdown(printable(text).strip())


def _cell(value: str | int | None) -> str | int:
    """A CSV cell: one line of visible text that no spreadsheet runs as a formula (a leading
    apostrophe makes it text); numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = printable(value)
    # Before and after: printable turns a CR into "␍" and drops a bidi control before a "=".
    risky = value.lstrip().startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START)
    return "'" + text if risky else text


def _md_item(data: dict[str, Any]) -> str:
    title = _md_escape(data["title"] or "(untitled)")
    url = data["webUrl"]
    # Only links the app would open: a reading list must not carry `javascript:` links.
    if url and refusal(url) is None:
        title = f"[{title}]({url.translate(_MD_URL)})"
    provider = data["provider"]
    byline = ", ".join(filter(None, [_md_escape(provider["name"]) if provider else "", _day(data)]))
    item = f"- {title} — {byline}" if byline else f"- {title}"
    if excerpt := _md_escape(data["excerpt"] or ""):
        item += f"\n\n  {excerpt}"
    return item


def _day(data: dict[str, Any]) -> str:
    """The day a record was published, in local time as the app shows it (in the record's own
    zone for the first and last days a datetime can hold, which have no local day)."""
    published = data["publishedDateTime"]
    if not published:
        return ""
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return ""
    return in_local_time(moment).date().isoformat()
