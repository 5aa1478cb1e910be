"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read by feedparser into a `Feed`.

feedparser is handed bytes in a BytesIO and nothing else: given a string (or even bytes) it
may take it for a URL or a file name and fetch or open it by itself. The prolog is blanked
first (reader.parsing.xmlprolog), so no entity declaration reaches either of its parsers.
"""

from __future__ import annotations

import io
import re
import reprlib
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from reader.model import Image
from reader.parsing import ParseError
from reader.parsing.feeds import XML_FEED_ROOTS, Feed, FeedItem, nonblank, web_image
from reader.parsing.htmltext import html_to_text
from reader.parsing.xmlprolog import BOM, XmlDocument
from reader.text import printable

_SAX_POSITION = re.compile(r"^<unknown>:(\d+):\d+: ")  # columns: feedparser rewrites line 1
# feedparser puts a declaration of its own on a line before a document that has none: with
# this one it replaces it instead, and the lines it reports are the file's.
_DECLARATION = b'<?xml version="1.0"?>'


def read_xml_feed(document: XmlDocument) -> Feed:
    """The feed in an XML document whose root is rss, rdf:RDF or feed.

    A document feedparser could only read leniently ("bozo") still yields its entries, with a
    problem saying what is wrong; one that yields none is a ParseError with the reason."""
    if document.local_root.lower() == "html":
        raise ParseError("a web page (HTML), not records or a feed")
    if document.local_root not in XML_FEED_ROOTS:
        raise ParseError(f"XML, but not a feed: the root element is <{document.root}>")
    try:
        parsed = feedparser.parse(io.BytesIO(_declared(document.data)), sanitize_html=False)
    except Exception as error:  # it means never to raise, yet hostile bytes can make it
        raise ParseError(f"not a readable feed: {printable(str(error))}") from None
    reason = _bozo_reason(parsed) if parsed.get("bozo") else None
    if reason and not parsed.entries:
        raise ParseError(f"not a readable feed: {reason}")
    channel = parsed.feed
    feed = Feed(
        title=_text(channel, "title"),
        link=nonblank(channel.get("link")),
        problems=[f"feed read leniently: {reason}"] if reason else [],
    )
    for number, entry in enumerate(parsed.entries, 1):
        feed.items.append(_item(entry, f"entry {number}: ", feed.problems))
    return feed


def _declared(data: bytes) -> bytes:
    """The document with an XML declaration (a BOM says UTF-8, as no encoding does)."""
    body = data.removeprefix(BOM)
    return data if body.startswith(b"<?xml") else _DECLARATION + body


def _bozo_reason(parsed: Any) -> str:
    error = parsed.get("bozo_exception")
    message = str(error) if error is not None else "not well-formed"
    message = _SAX_POSITION.sub(r"line \1: ", message)
    return printable(message or type(error).__name__)


def _item(entry: Any, where: str, problems: list[str]) -> FeedItem:
    return FeedItem(
        id=nonblank(entry.get("id")),
        title=_text(entry, "title"),
        summary=_text(entry, "summary"),
        content=_content(entry.get("content")),
        link=nonblank(entry.get("link")),
        published=_published(entry, where, problems),
        author=_plain(entry.get("author")),
        tags=[
            topic
            for tag in entry.get("tags") or []
            if (topic := _plain(tag.get("label")) or _plain(tag.get("term")))
        ],
        images=_images(entry),
    )


def _text(node: Any, name: str) -> str | None:
    """A text construct as plain text: HTML ones (by feedparser's reading) stripped of tags. A
    summary feedparser copied from the content has no type: it is HTML like the content."""
    value = nonblank(node.get(name))
    if not value:
        return None
    kind = (node.get(f"{name}_detail") or {}).get("type", "text/html")
    return (html_to_text(value) if "html" in kind else _plain(value)) or None


def _content(contents: Any) -> str | None:
    """The entry's body: the first HTML content (content:encoded, Atom content), else text."""
    if not isinstance(contents, list) or not contents:
        return None
    best = next((c for c in contents if "html" in c.get("type", "")), contents[0])
    value = nonblank(best.get("value"))
    if not value:
        return None
    if "html" in best.get("type", ""):
        return html_to_text(value, multiline=True) or None
    return printable(value, multiline=True).strip() or None


def _images(entry: Any) -> list[Image]:
    """media:content (images only), media:thumbnail, then image enclosures (RSS <enclosure>,
    Atom link rel=enclosure)."""
    found = []
    for media in entry.get("media_content") or []:
        kind = f"{media.get('medium', '')} {media.get('type', '')}"
        if "image" in kind or not kind.strip():
            found.append(_sized(media))
    found += [_sized(thumbnail) for thumbnail in entry.get("media_thumbnail") or []]
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            found.append(web_image(link.get("href")))
    return [item for item in found if item is not None]


def _sized(media: Any) -> Image | None:
    return web_image(media.get("url"), media.get("width"), media.get("height"))


def _published(entry: Any, where: str, problems: list[str]) -> datetime | None:
    """When it was published, else updated; a date feedparser cannot read is reported.
    (dict.get: FeedParserDict.get maps "updated" to "published", with a warning.)"""
    for name in ("published", "updated"):
        if when := _when(dict.get(entry, f"{name}_parsed")):
            return when
    for name in ("published", "updated"):
        if raw := nonblank(dict.get(entry, name)):
            problems.append(f"{where}{name}: not a date: {reprlib.repr(raw)}")
            break
    return None


def _when(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's dates are UTC struct_times; a nonsense one is no date."""
    if parsed is None:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _plain(value: Any) -> str | None:
    """Text feedparser has already decoded, made safe to show."""
    return printable(value).strip() or None if isinstance(value, str) else None
