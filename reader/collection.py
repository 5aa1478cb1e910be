"""A collection: the records of all sources merged into one list, one entry per story."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from reader.model import Article, Problem

_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(slots=True)
class Collection:
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def newest_first(article: Article) -> tuple[datetime, str]:
    return (article.published or _OLDEST, article.title)


def merge(articles: Iterable[Article]) -> list[Article]:
    """One article per story (same key), keeping the most complete copy; newest first."""
    best: dict[str, Article] = {}
    for article in articles:
        kept = best.get(article.key)
        if kept is None or article.completeness > kept.completeness:
            best[article.key] = article
    return sorted(best.values(), key=newest_first, reverse=True)
