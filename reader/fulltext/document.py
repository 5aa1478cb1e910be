"""What reader mode produces for an article, and why it could not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True, frozen=True)
class Fulltext:
    """An article's main text as Markdown; `links[n - 1]` is the target of reference `[n]`."""

    url: str  # the page it was extracted from, after redirects: what `o` opens
    markdown: str
    links: tuple[str, ...]
    fetched_at: datetime


class Unreadable(Exception):
    """The page could not be read; the message is the reason a person sees."""


NO_TEXT = "no readable text on the page (it may be behind a paywall or need JavaScript)"
