"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into a `Feed`.

feedparser's released versions do not read JSON Feed, and the format is plain JSON: the
document is already parsed (reader.parsing.jsonpages tells it from the site's pages). Any
field may be missing or of the wrong type; what cannot be used is left out or reported.
"""

from __future__ import annotations

import reprlib
from datetime import datetime
from typing import Any

from reader.model import Image
from reader.parsing import ParseError
from reader.parsing.feeds import Feed, FeedItem, nonblank, web_image
from reader.parsing.htmltext import html_to_text
from reader.parsing.normalize import parse_datetime
from reader.text import printable


def read_json_feed(data: dict[str, Any]) -> Feed:
    items = data.get("items", [])
    if not isinstance(items, list):
        raise ParseError("JSON Feed: 'items' is not a list")
    feed = Feed(title=_plain(data.get("title")), link=nonblank(data.get("home_page_url")))
    for number, item in enumerate(items, 1):
        if isinstance(item, dict):
            feed.items.append(_item(item, f"item {number}: ", feed.problems))
        else:
            feed.problems.append(f"item {number}: not an object, skipped")
    return feed


def _item(item: dict[str, Any], where: str, problems: list[str]) -> FeedItem:
    return FeedItem(
        id=nonblank(item.get("id")) or (str(item["id"]) if type(item.get("id")) is int else None),
        title=_plain(item.get("title")),
        summary=_plain(item.get("summary")),
        content=_content(item),
        link=nonblank(item.get("url")) or nonblank(item.get("external_url")),
        published=_when(item, "date_published", where, problems)
        or _when(item, "date_modified", where, problems),
        author=_author(item),
        tags=[tag for value in _list(item.get("tags")) if (tag := _plain(value))],
        images=_images(item),
    )


def _content(item: dict[str, Any]) -> str | None:
    if html := nonblank(item.get("content_html")):
        return html_to_text(html, multiline=True) or None
    if text := nonblank(item.get("content_text")):
        return printable(text, multiline=True).strip() or None
    return None


def _images(item: dict[str, Any]) -> list[Image]:
    """image, banner_image, then image attachments."""
    found = [web_image(item.get("image")), web_image(item.get("banner_image"))]
    for attachment in _list(item.get("attachments")):
        if isinstance(attachment, dict) and str(attachment.get("mime_type")).startswith("image/"):
            found.append(web_image(attachment.get("url")))
    return [each for each in found if each is not None]


def _author(item: dict[str, Any]) -> str | None:
    """The first author's name: `authors` (1.1) or `author` (1.0)."""
    for author in [*_list(item.get("authors")), item.get("author")]:
        if isinstance(author, dict) and (name := _plain(author.get("name"))):
            return name
    return None


def _when(item: dict[str, Any], name: str, where: str, problems: list[str]) -> datetime | None:
    value = item.get(name)
    if value is None:
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        problems.append(f"{where}{name}: not a date: {reprlib.repr(value)}")
    return parsed


def _plain(value: Any) -> str | None:
    """Plain text on one line, made safe to show."""
    return printable(" ".join(value.split())) or None if isinstance(value, str) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
