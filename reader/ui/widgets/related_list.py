"""Related stories of the shown article: selectable, to jump to or open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.model import Related
from reader.text import printable
from reader.timefmt import relative


class RelatedList(OptionList):
    """One option per related story: title, then provider, date and whether it is in the list."""

    class Chosen(Message):
        def __init__(self, related: Related) -> None:
            super().__init__()
            self.related = related

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.related: tuple[Related, ...] = ()

    def show(
        self, related: tuple[Related, ...], in_collection: Callable[[str | None], bool]
    ) -> None:
        self.related = related
        self.set_options(
            Option(self._prompt(item, in_collection(item.web_url))) for item in related
        )
        if related:
            self.highlighted = 0

    def _prompt(self, item: Related, here: bool) -> Content:
        muted = "$text-muted"
        meta = [printable(item.provider.name)] if item.provider else []
        if item.published:
            meta.append(relative(item.published, self._now()))
        parts: list[str | tuple[str, str]] = [(printable(item.title), "bold")]
        parts += ["\n", (" · ".join(meta), muted)]
        parts.append(("  ↵ in this collection" if here else "  ↗ opens in browser", "$text-accent"))
        if item.excerpt:
            parts += ["\n", (printable(item.excerpt), muted)]
        return Content.assemble(*parts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.related[event.option_index]))
