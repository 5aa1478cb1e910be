"""OPML, the subscription lists feed readers import and export.

Reading takes every `<outline xmlUrl=...>` at any depth (folders of feeds nest). The file comes
from elsewhere, so it is parsed as hostile XML: the prolog, where entities would be declared,
is blanked first (reader.parsing.xmlprolog), and expat is told to refuse any entity
declaration all the same; external entities are never fetched.

Every feed URL, in or out, must be one the app would open (reader.links.refusal): http or
https with a host, and no white space or control character. Others are skipped, saying why.
"""

from __future__ import annotations

import re
import sys
import xml.parsers.expat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.etree import ElementTree

from reader.links import refusal
from reader.model import normalize_url
from reader.parsing import ParseError
from reader.parsing.xmlprolog import strip_prolog
from reader.sources.config import SourceEntry, append_sources, is_url, load_sources_file
from reader.text import printable

# What XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(slots=True, frozen=True)
class OpmlFeed:
    title: str | None
    url: str


@dataclass(slots=True)
class ImportReport:
    """What an import did: feeds added to the sources file, and those skipped, with why."""

    added: list[SourceEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class _EntityDeclared(Exception):
    pass


def import_opml(data: bytes, sources_path: Path) -> ImportReport:
    """Append the OPML's feeds that the sources file does not have yet (the same URL, up to
    case of the host and a final slash). Raises ParseError for OPML that cannot be read, and
    SourcesFileError for a sources file that cannot (it is then left alone)."""
    feeds, skipped = read_opml(data)
    existing, _ = load_sources_file(sources_path) if sources_path.exists() else ([], [])
    known = {normalize_url(entry.location) for entry in existing}
    report = ImportReport(skipped=skipped)
    for feed in feeds:
        if normalize_url(feed.url) in known:
            report.skipped.append(f"{printable(feed.url)}: already in the sources file")
            continue
        known.add(normalize_url(feed.url))
        report.added.append(SourceEntry(feed.title or feed.url, feed.url))
    if report.added:
        append_sources(sources_path, report.added)
    return report


def read_opml(data: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds an OPML document lists, in order, and why any outline was skipped.

    ParseError (with line and column where expat knows them) for a file that is not OPML."""
    document = strip_prolog(data)
    if document.root != "opml":
        raise ParseError(f"not OPML: the root element is <{document.root}>")
    feeds: list[OpmlFeed] = []
    skipped: list[str] = []
    parser = xml.parsers.expat.ParserCreate()

    def start(name: str, attributes: dict[str, str]) -> None:
        if name != "outline":
            return
        found = {key.lower(): value for key, value in attributes.items()}
        url = found.get("xmlurl", "").strip()
        title = " ".join((found.get("title") or found.get("text") or "").split()) or None
        if not url:
            return  # a folder, or a link that is not a feed
        if (reason := refusal(url)) is None:
            feeds.append(OpmlFeed(title and printable(title), url))
        else:
            skipped.append(f"{printable(url)}: {reason}")

    def refuse(*_: object) -> None:
        raise _EntityDeclared

    parser.StartElementHandler = start
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(document.data, True)
    except xml.parsers.expat.ExpatError as error:
        reason = xml.parsers.expat.ErrorString(error.code)
        raise ParseError(f"line {error.lineno}, column {error.offset + 1}: {reason}") from None
    except _EntityDeclared:
        raise ParseError("declares XML entities, which OPML has no use for") from None
    return feeds, skipped


def write_opml(
    entries: list[SourceEntry],
    title: str,
    now: datetime | None = None,
    *,
    warn: Callable[[str], None] | None = None,
) -> str:
    """An OPML 2.0 document listing every URL source, as feed readers import it. Paths are
    left out; so is a URL the app would not open, with a warning (to stderr unless `warn`
    says where), since the document could not hold some of those and no reader could use
    them. Names are made printable; ElementTree escapes what XML gives a meaning to."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = _xml_text(title)
    created = format_datetime(now or datetime.now(UTC), usegmt=True)
    ElementTree.SubElement(head, "dateCreated").text = created
    body = ElementTree.SubElement(root, "body")
    for entry in exportable(entries, warn=warn):
        name = _xml_text(entry.name)
        ElementTree.SubElement(
            body, "outline", type="rss", text=name, title=name, xmlUrl=entry.location
        )
    ElementTree.indent(root)
    text = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'


def exportable(
    entries: list[SourceEntry], *, warn: Callable[[str], None] | None = None
) -> list[SourceEntry]:
    """The sources write_opml writes: URLs (not paths) that the app would open. Each URL
    left out is reported to `warn` (default: a line on stderr)."""
    found = []
    for entry in entries:
        if not is_url(entry.location):
            continue
        if (reason := refusal(entry.location)) is not None:
            (warn or _warn)(f"{printable(entry.location)}: {reason}; left out of the OPML")
            continue
        found.append(entry)
    return found


def _warn(message: str) -> None:
    print(f"Warning: {message}", file=sys.stderr)


def _xml_text(text: str) -> str:
    """Text an XML document can hold: printable (controls as visible symbols, as everywhere
    the app shows text), and no character XML 1.0 cannot hold even escaped."""
    return _NOT_XML.sub("\ufffd", printable(text))
