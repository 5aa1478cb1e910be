"""The facets sidebar: topics and providers of the current result, with counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.model import Entry
from reader.text import printable

LIMIT = 40  # of each kind: a sidebar, not an index


class FacetsPane(OptionList):
    """Selecting a facet adds its term (`topic:"AI Ethics"`, `provider:Wired`) to the query."""

    class Picked(Message):
        def __init__(self, term: str) -> None:
            super().__init__()
            self.term = term

    def show(self, entries: Iterable[Entry]) -> None:
        topics: Counter[str] = Counter()
        providers: Counter[str] = Counter()
        for entry in entries:
            topics.update(entry.topics)
            if entry.provider and entry.provider.name:
                providers[entry.provider.name] += 1
        highlighted = self.highlighted
        self.clear_options()
        for heading, field, counts in (
            ("Topics", "topic", topics),
            ("Providers", "provider", providers),
        ):
            self.add_option(Option(Content.styled(heading, "bold $text-accent"), disabled=True))
            for name, count in counts.most_common(LIMIT):
                label = Content.assemble(printable(name), (f"  {count:,}", "$text-muted"))
                self.add_option(Option(label, id=f"{field}:{_quote(name)}"))
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Picked(event.option.id))


def _quote(name: str) -> str:
    """A facet value as the query language reads it back."""
    if name and all(char.isalnum() or char in "-_.'&" for char in name):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
