"""Local sources: files, folders and globs, read into records."""

from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from reader.model import Article, Problem
from reader.parsing import ParseError
from reader.parsing.feeds import Feed, to_articles
from reader.parsing.frontmatter import parse_front_matter
from reader.parsing.jsonpages import parse_json_document
from reader.parsing.normalize import normalize
from reader.parsing.xmlprolog import BOM, strip_prolog
from reader.text import printable

# What a folder scan reads: records, JSON pages and feeds. A glob also matches .xml and .rdf
# (and a file named on its own is always read), but in a folder those are too often a sitemap
# or some other XML that is no feed.
RECORD_SUFFIXES = frozenset({".md", ".markdown", ".json", ".rss", ".atom"})
GLOB_SUFFIXES = RECORD_SUFFIXES | {".xml", ".rdf"}
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
DocumentKind = Literal["markdown", "json", "xml"]
MAX_FILE_BYTES = 8 * 1024 * 1024  # a record is a few KB and a page a few hundred


@dataclass(slots=True)
class FileResult:
    """What one file yielded: its records and what was wrong with it."""

    path: str
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The size and mtime of the file read (what the parse cache keys it by); -1 if it could
    # not be read, so that it is tried again.
    size: int = -1
    mtime_ns: int = -1


def expand(sources: list[str]) -> tuple[list[str], list[Problem]]:
    """Record files named by SOURCE arguments (files, folders searched recursively, globs).

    Paths are strings: a Path object for each of 100k files costs a tenth of a second."""
    paths: dict[str, None] = {}
    problems = []
    for source in sources:
        path = os.path.expanduser(source)
        if os.path.isdir(path):
            paths.update(dict.fromkeys(_walk(path)))
        elif os.path.isfile(path):
            paths[path] = None
        elif glob.has_magic(source):
            matches = _glob(path)
            for match in matches:
                if match.is_dir():
                    paths.update(dict.fromkeys(_walk(str(match))))
                elif match.suffix.lower() in GLOB_SUFFIXES:
                    paths[str(match)] = None
            if not matches:
                problems.append(Problem(source, "no file matches this pattern"))
        else:
            problems.append(Problem(source, "no such file or directory"))
    return list(paths), problems


def _glob(pattern: str) -> list[Path]:
    """Paths matching a glob, sorted. A `**` does not follow symbolic links: glob.glob's does,
    and two links back up the tree make it run for ever."""
    if "**" not in pattern:
        return sorted(map(Path, glob.glob(pattern)))
    parts = Path(pattern).parts
    cut = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = Path(*parts[:cut])
    return sorted(
        match
        for match in root.glob(str(Path(*parts[cut:])))
        if not any(part.startswith(".") for part in match.relative_to(root).parts)
    )


def _walk(folder: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        prefix = os.path.join(root, "")  # string operations: 100k names go through here
        found += [
            prefix + name
            for name in sorted(files)
            if not name.startswith(".") and name[name.rfind(".") :].lower() in RECORD_SUFFIXES
        ]
    return found


def read_file(path: str | Path) -> FileResult:
    """Every record in one file; never raises: a file that cannot be read is a problem."""
    name = _source_name(path)
    result = FileResult(name)
    try:
        # O_NONBLOCK: a FIFO named x.md would block open() for ever; it is refused below.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                result.problems.append(Problem(name, "cannot read: not a regular file"))
                return result
            # Too large by its size: refused unread (one that grows past the limit, once read).
            too_large = status.st_size > MAX_FILE_BYTES
            data = b"" if too_large else _read_all(descriptor, status.st_size)
        finally:
            os.close(descriptor)
    except OSError as error:  # not keyed by size and mtime: tried again on the next start
        result.problems.append(Problem(name, f"cannot read: {error.strerror or error}"))
        return result
    result.size, result.mtime_ns = status.st_size, status.st_mtime_ns
    if too_large or len(data) > MAX_FILE_BYTES:
        result.problems.append(
            Problem(name, f"larger than {MAX_FILE_BYTES // 2**20} MiB, not read")
        )
        return result
    try:
        records_from_bytes(data, name, result, kind=document_kind(name, data))
    except ParseError as error:  # the reason may quote the file: a tag, a key
        result.problems.append(Problem(name, printable(str(error))))
    return result


def _read_all(descriptor: int, size: int) -> bytes:
    """A file's bytes (up to one past the limit) in one read of the size fstat gave: open()
    would add an fstat, an isatty and an lseek, allocate a buffer the size of the limit, and
    read again to find the end; 20k files a cold start. Reads on if the file grew since, or
    if a read came back short (some network file systems)."""
    data = os.read(descriptor, min(size, MAX_FILE_BYTES) + 1)
    while len(data) != size and len(data) <= MAX_FILE_BYTES:
        more = os.read(descriptor, MAX_FILE_BYTES + 1 - len(data))
        if not more:
            break
        data += more
    return data


def _source_name(path: str | Path) -> str:
    """The path as records and problems name it. A file name that is not UTF-8 (its bytes are
    surrogates in a str) is spelt with backslash escapes, as no terminal, JSON or SQLite text
    can hold it."""
    name = str(path)
    if name.isascii():
        return name
    try:
        name.encode()
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def document_kind(name: str, data: bytes, content_type: str | None = None) -> DocumentKind:
    """What a file or page holds. Markdown if its name says so (front matter may open with
    anything, even `<`); otherwise its first character tells XML from JSON (a feed saved as
    .json is still XML); failing that, its suffix or Content-Type; else front matter."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    first = data[:1024].removeprefix(BOM).lstrip()[:1]
    if first == b"<":
        return "xml"
    if first in (b"{", b"[") or suffix == ".json" or "json" in (content_type or "").lower():
        return "json"
    return "markdown"


def records_from_bytes(data: bytes, source: str, result: FileResult, *, kind: DocumentKind) -> None:
    """Parse one document (front matter, JSON, or a feed in XML or JSON) into `result`; raises
    ParseError if unreadable."""
    if b"\0" in data[:8192]:
        raise ParseError("binary file, not a record")
    if kind == "xml":
        from reader.parsing.xmlfeed import read_xml_feed  # feedparser takes 40 ms to import

        _add_feed(result, read_xml_feed(strip_prolog(data)), source)
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParseError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    if kind == "json":
        document = parse_json_document(text)
        if document.feed is not None:
            from reader.parsing.jsonfeed import read_json_feed

            _add_feed(result, read_json_feed(document.feed), source)
        for position, raw in enumerate(document.records):
            _add(result, *normalize(raw, source, position=position))
    else:
        notes: list[str] = []
        raw, body = parse_front_matter(text, notes)
        _add(result, *normalize(raw, source, body=body))
        result.problems += [Problem(source, note) for note in notes]


def _add_feed(result: FileResult, feed: Feed, source: str) -> None:
    articles, problems = to_articles(feed, source)
    result.articles += articles
    result.problems += problems


def _add(result: FileResult, article: Article | None, problems: list[Problem]) -> None:
    if article is not None:
        result.articles.append(article)
    result.problems += problems
