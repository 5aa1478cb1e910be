"""The record model: what an article is once it has been read, whatever it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit


@dataclass(slots=True, frozen=True)
class Provider:
    name: str
    domain: str | None = None


@dataclass(slots=True, frozen=True)
class Image:
    url: str
    width: int | None = None
    height: int | None = None


@dataclass(slots=True, frozen=True)
class Related:
    """A story an article links to: shown in the detail pane, and maybe in the collection."""

    title: str
    excerpt: str | None = None
    published: datetime | None = None
    web_url: str | None = None
    type: str | None = None
    provider: Provider | None = None
    quality: int | None = None
    images: tuple[Image, ...] = ()


@dataclass(slots=True, frozen=True)
class Article:
    title: str
    source: str
    excerpt: str | None = None
    published: datetime | None = None
    web_url: str | None = None
    original_url: str | None = None
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    type: str | None = None
    category: str | None = None
    heat: int | None = None
    quality: int | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[Related, ...] = ()
    content: str | None = None
    key: str = field(default="")

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", article_key(self.web_url, self.source))

    @property
    def completeness(self) -> int:
        """How much of a record is filled in: among copies of one story, the fullest wins."""
        scalars = (
            self.excerpt,
            self.published,
            self.original_url,
            self.amp_web_url,
            self.cdn_amp_web_url,
            self.type,
            self.category,
            self.heat,
            self.quality,
            self.provider,
            self.content,
        )
        filled = sum(value is not None for value in scalars)
        return filled + len(self.topics) + len(self.images) + 2 * len(self.related)

    @property
    def page_url(self) -> str | None:
        """The article's own page: what `o`, `y` and reader mode open (a record may carry only
        its original URL)."""
        return self.web_url or self.original_url

    def links(self) -> list[tuple[str, str]]:
        """Every link of the record worth offering, labelled, in the order a reader wants them."""
        labelled = [
            ("Web", self.web_url),
            ("Original", self.original_url),
            ("AMP", self.amp_web_url),
            ("AMP (CDN)", self.cdn_amp_web_url),
        ]
        labelled += [(f"Related: {r.title}", r.web_url) for r in self.related]
        seen: set[str] = set()
        links = []
        for label, url in labelled:
            if url and url not in seen:
                seen.add(url)
                links.append((label, url))
        return links


@dataclass(slots=True, frozen=True)
class Entry:
    """An article as the list knows it: what rows, search and sorting need, and where the full
    record is (`source`, `position`), so 100k of them fit in memory."""

    key: str
    title: str
    source: str
    position: int = 0
    completeness: int = 0
    published: datetime | None = None
    excerpt: str | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    heat: int | None = None
    quality: int | None = None
    type: str | None = None
    category: str | None = None


@dataclass(slots=True, frozen=True)
class Problem:
    """Something wrong with a source: the file or URL, and a one-line reason a person can act on."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def normalize_url(url: str) -> str:
    """A URL's identity: scheme and host lower-cased; default port, fragment, final '/' gone."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    if port and (parts.scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def article_key(web_url: str | None, source: str) -> str:
    """An article is its web page; a record without one is only itself."""
    return normalize_url(web_url) if web_url else f"source:{source}"
