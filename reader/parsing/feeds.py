"""Web feeds (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed) as article records.

The XML formats are read by feedparser (reader.parsing.xmlfeed), JSON Feed by
reader.parsing.jsonfeed; both describe a feed as a `Feed` of `FeedItem`s, and `to_articles`
maps those onto the record model the same way for every format:

    title → title, summary → excerpt (plain text), content → body, link → webUrl,
    published (else updated) → publishedDateTime, feed title + link's domain → provider,
    categories / tags → topics, image enclosures / media / JSON images → images.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.model import Article, Image, Problem, Provider, article_key
from reader.parsing.htmltext import plain_to_markdown, shorten
from reader.text import clean_url, is_web_url

JSON_FEED_VERSION = "https://jsonfeed.org/version/"
XML_FEED_ROOTS = frozenset({"rss", "RDF", "feed"})  # RSS 0.9x/2.0, RSS 1.0, Atom
EXCERPT_LIMIT = 500  # characters: a feed's "summary" is often the whole article


@dataclass(slots=True)
class FeedItem:
    """One entry, its text already plain (HTML stripped, entities decoded, made safe)."""

    id: str | None = None
    title: str | None = None
    summary: str | None = None
    content: str | None = None  # paragraphs split by blank lines
    link: str | None = None
    published: datetime | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


@dataclass(slots=True)
class Feed:
    title: str | None = None
    link: str | None = None  # the site's home page: the provider's domain comes from it
    items: list[FeedItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def is_json_feed(data: object) -> bool:
    """Whether parsed JSON is a JSON Feed: an object whose "version" is the spec's URL."""
    return isinstance(data, dict) and str(data.get("version", "")).startswith(JSON_FEED_VERSION)


def to_articles(feed: Feed, source: str) -> tuple[list[Article], list[Problem]]:
    """The feed's items as Articles from `source` (the file or URL it was read from)."""
    home = _absolute(feed.link, source)
    provider_domain = _domain(home or source)
    articles = []
    for position, item in enumerate(feed.items):
        web_url = _absolute(item.link, home or source)
        name = feed.title or item.author or provider_domain
        excerpt = item.summary or (item.content and item.content.replace("\n\n", " "))
        title = item.title or (excerpt and shorten(excerpt, 80)) or web_url or "(untitled)"
        articles.append(
            Article(
                title=title,
                source=source,
                excerpt=shorten(excerpt, EXCERPT_LIMIT) if excerpt else None,
                published=item.published,
                web_url=web_url,
                provider=Provider(name, provider_domain) if name else None,
                topics=_unique(item.tags),
                images=tuple({image.url: image for image in item.images}.values()),
                content=plain_to_markdown(item.content) if item.content else None,
                # An entry without a link is itself: its id keeps read marks on it when newer
                # entries push it down the feed.
                key=article_key(web_url, f"{source}#{item.id or position}"),
            )
        )
    return articles, [Problem(source, problem) for problem in feed.problems]


def _unique(tags: list[str]) -> tuple[str, ...]:
    """Each topic once: "Rust" and "rust" are one topic (the search matches topics in any case)."""
    unique: dict[str, str] = {}
    for tag in tags:
        unique.setdefault(tag.casefold(), tag)
    return tuple(unique.values())


def web_image(url: object, width: object = None, height: object = None) -> Image | None:
    """An Image from loosely typed feed attributes; None unless the URL is http(s)."""
    if not isinstance(url, str) or not is_web_url(url := clean_url(url)):
        return None
    return Image(url, _dimension(width), _dimension(height))


def _dimension(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 0 < number < 100_000 else None


def _absolute(link: str | None, base: str) -> str | None:
    """A link made absolute against the feed's page or URL; a relative one is useless later."""
    if not link:
        return None
    link = clean_url(link)
    if is_web_url(link) or not is_web_url(base):
        return link or None
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def _domain(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def nonblank(value: Any) -> str | None:
    """A feed field that is text with something in it (feeds put anything anywhere)."""
    return value if isinstance(value, str) and value.strip() else None
