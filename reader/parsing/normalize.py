"""Raw record mappings (from YAML or JSON) to `Article`s, never raising.

Every field is optional and may be of the wrong type: what can be read is kept, and each thing
that could not be is reported as a `Problem` naming the field.
"""

from __future__ import annotations

import contextlib
import math
import reprlib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from reader.model import Article, Image, Problem, Provider, Related, article_key
from reader.text import clean_text, clean_url

_MAX_INT = 2**63 - 1  # what SQLite (the parse cache) can store
# Other record types of the site name the same things differently (profiles, conferences).
_TITLE = ("title", "name")
_EXCERPT = ("excerpt", "overview")
_WEB_URL = ("webUrl", "website")
_PUBLISHED = ("publishedDateTime", "startDateTime")


class _Fields:
    """Reads typed fields out of one raw mapping, noting what it had to drop or coerce."""

    def __init__(self, raw: Mapping[str, Any], where: str, problems: list[str]) -> None:
        self.raw = raw
        self.where = where
        self.problems = problems

    def note(self, name: str, reason: str) -> None:
        self.problems.append(f"{self.where}{name}: {reason}")

    def first(self, names: tuple[str, ...]) -> tuple[str, Any]:
        for name in names:
            value = self.raw.get(name)
            if value is not None:
                return name, value
        return names[0], None

    def text(self, *names: str, multiline: bool = False) -> str | None:
        name, value = self.first(names)
        if value is None:
            return None
        if type(value) is str:  # the common case first: this runs ~50 times a record
            return clean_text(value, multiline=multiline) or None
        if isinstance(value, bool) or not isinstance(value, str | int | float | date):
            self.note(name, f"expected text, got {_kind(value)}")
            return None
        if not isinstance(value, str):
            self.note(name, f"expected text, got {_kind(value)} {_short(value)}")
            try:
                value = str(value)
            except ValueError:  # an int of more digits than Python will write out
                return None
        return clean_text(value, multiline=multiline) or None

    def url(self, *names: str) -> str | None:
        name, value = self.first(names)
        if value is None:
            return None
        if type(value) is not str:
            self.note(name, f"expected a URL, got {_kind(value)}")
            return None
        return clean_url(value) or None

    def number(self, name: str) -> int | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if type(value) is int and -_MAX_INT <= value <= _MAX_INT:
            return value
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = float(value.strip())
        if isinstance(value, float):
            if not math.isfinite(value):
                self.note(name, f"not a finite number: {value}")
                return None
            value = int(value)
        if type(value) is int:
            if -_MAX_INT <= value <= _MAX_INT:
                return value
            self.note(name, f"out of range: {_short(value)}")
            return None
        self.note(name, f"expected a number, got {_kind(value)} {_short(value)}")
        return None

    def when(self, *names: str) -> datetime | None:
        name, value = self.first(names)
        if value is None:
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            self.note(name, f"not a date: {_short(value)}")
        return parsed

    def mapping(self, name: str) -> Mapping[str, Any] | None:
        value = self.raw.get(name)
        if value is None or isinstance(value, Mapping):
            return value
        self.note(name, f"expected a mapping, got {_kind(value)}")
        return None

    def items(self, name: str) -> list[Any]:
        """A list field; a lone item where a list belongs is taken as a list of one (and noted:
        `reader check` names every field that is not what the format says)."""
        value = self.raw.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, str | Mapping):
            self.note(name, f"expected a list, got {_kind(value)} (taken as one item)")
            return [value]
        self.note(name, f"expected a list, got {_kind(value)}")
        return []

    def provider(self) -> Provider | None:
        value = self.raw.get("provider")
        if value is None:
            return None
        if isinstance(value, str):  # a bare name
            name = clean_text(value)
            return Provider(name) if name else None
        if not isinstance(value, Mapping):
            self.note("provider", f"expected a mapping, got {_kind(value)}")
            return None
        inner = _Fields(value, f"{self.where}provider.", self.problems)
        name, domain = inner.text("name"), inner.text("domain")
        if not (name or domain):
            return None
        return Provider(name or domain or "", domain)

    def topics(self) -> tuple[str, ...]:
        topics: list[str] = []
        for item in self.items("topics"):
            if isinstance(item, str) and (topic := clean_text(item)):
                if topic not in topics:
                    topics.append(topic)
            else:
                self.note("topics", f"skipped {_kind(item)} {_short(item)}")
        return tuple(topics)

    def images(self) -> tuple[Image, ...]:
        images = []
        for item in self.items("images"):
            if isinstance(item, str):
                item = {"url": item}
            if not isinstance(item, Mapping):
                self.note("images", f"skipped {_kind(item)}")
                continue
            inner = _Fields(item, f"{self.where}images.", self.problems)
            if url := inner.url("url"):
                images.append(Image(url, inner.number("width"), inner.number("height")))
        return tuple(images)

    def related(self) -> tuple[Related, ...]:
        related = []
        for index, item in enumerate(self.items("related")):
            if not isinstance(item, Mapping):
                self.note("related", f"skipped {_kind(item)}")
                continue
            inner = _Fields(item, f"{self.where}related[{index}].", self.problems)
            title = inner.text("title")
            url = inner.url("webUrl")
            if not (title or url):
                self.note(f"related[{index}]", "no title and no webUrl")
                continue
            related.append(
                Related(
                    title=title or url or "",
                    excerpt=inner.text("excerpt"),
                    published=inner.when("publishedDateTime"),
                    web_url=url,
                    type=inner.text("type"),
                    provider=inner.provider(),
                    quality=inner.number("quality"),
                    images=inner.images(),
                )
            )
        return tuple(related)


def normalize(
    raw: Any, source: str, *, position: int | None = None, body: str | None = None
) -> tuple[Article | None, list[Problem]]:
    """One raw record to an Article. `position` tells records apart within one multi-record file."""
    label = source if position is None else f"{source} [record {position + 1}]"
    if not isinstance(raw, Mapping):
        return None, [Problem(label, f"not a record: expected a mapping, got {_kind(raw)}")]
    notes: list[str] = []
    fields = _Fields(raw, "", notes)
    title = fields.text(*_TITLE)
    web_url = fields.url(*_WEB_URL)
    if not title:
        notes.append("title: missing")
    content = (
        fields.text("content", multiline=True) if body is None else clean_text(body, multiline=True)
    )
    article = Article(
        title=title or web_url or "(untitled)",
        source=source,
        excerpt=fields.text(*_EXCERPT),
        published=fields.when(*_PUBLISHED),
        web_url=web_url,
        original_url=fields.url("originalUrl"),
        amp_web_url=fields.url("ampWebUrl"),
        cdn_amp_web_url=fields.url("cdnAmpWebUrl"),
        type=fields.text("type"),
        category=fields.text("category") or _first_text(raw.get("categories")),
        heat=fields.number("heat"),
        quality=fields.number("quality"),
        provider=fields.provider(),
        topics=fields.topics(),
        images=fields.images(),
        related=fields.related(),
        content=content or None,
        key=article_key(web_url, label),
    )
    return article, [Problem(label, note) for note in notes]


def parse_datetime(value: Any) -> datetime | None:
    """Timezone-aware datetime from YAML/JSON: Z, offsets, naive (taken as UTC), date-only.

    A moment that cannot be expressed in UTC (year 1 or 9999 at the edge of an offset) is
    not a date: everything downstream compares and converts instants."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(UTC)
    except OverflowError:
        return None
    return parsed


def _first_text(value: Any) -> str | None:
    if isinstance(value, list) and value and isinstance(value[0], str):
        return clean_text(value[0]) or None
    return None


def _kind(value: Any) -> str:
    return {
        type(None): "nothing",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 3, 3, 36, 36


def _short(value: Any) -> str:
    """A bounded preview of a value: YAML aliases can make a tiny file hold a huge structure."""
    try:
        return clean_text(_REPR.repr(value))
    except ValueError:  # an int of more digits than Python will write out
        return f"({_kind(value)})"
