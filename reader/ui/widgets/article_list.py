"""The article list: one Line-API widget that draws only the rows on screen, so 100k rows are
as quick as 100 (a widget per row, as ListView makes, is unusable past a few thousand)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Entry
from reader.sources.config import is_url
from reader.text import printable
from reader.timefmt import relative

PROVIDER_WIDTH = 18
WHEN_WIDTH = 10
HEAT_WIDTH = 4
HOT = 150  # heat from which a story is marked as hot


class ArticleList(ScrollView, can_focus=True):
    """Rows of title, provider, relative date and heat; a cursor the detail pane follows."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]
    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--star",
        "article-list--provider",
        "article-list--when",
        "article-list--heat",
        "article-list--hot",
        "article-list--unread",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to `entry` (None when the list is empty)."""

        def __init__(self, entry: Entry | None) -> None:
            super().__init__()
            self.entry = entry

    class Chosen(Message):
        """Enter on `entry`."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(
        self,
        now: Callable[[], datetime],
        is_unread: Callable[[Entry], bool] = lambda entry: False,
        is_starred: Callable[[Entry], bool] = lambda entry: False,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        self._now = now
        self._is_unread = is_unread
        self._is_starred = is_starred
        # Rendered rows, by entry and how it is shown; the entry is kept to check it is the same
        # object (a reload makes a new one for a changed record, under the same key).
        self._cache: LRUCache[tuple[object, ...], tuple[Entry, Strip]] = LRUCache(1024)
        self.moved = False  # whether the user has moved the cursor (keys, mouse, a jump)

    @property
    def entry(self) -> Entry | None:
        """The entry under the cursor."""
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    def show(self, entries: list[Entry], *, follow_top: bool = False) -> None:
        """Replace the rows, keeping the cursor on the current entry if it is still there; with
        `follow_top`, a cursor the user never moved stays on the first row."""
        shown = self.entry
        keep = None if follow_top and not self.moved else shown
        self.entries = entries
        self.refresh()  # rows already drawn for these entries come from the cache
        index = 0
        if keep is not None:
            index = next((i for i, a in enumerate(entries) if a.key == keep.key), 0)
        self._set_height(len(entries))
        if index < len(entries) and entries[index] is shown:
            # The same story: move to its new row without telling the detail pane, which
            # would redraw for nothing (a load hands over new rows every second).
            self.set_reactive(ArticleList.cursor, index)
            self.scroll_to_region(Region(0, index, 1, 1), animate=False, force=True)
        else:
            self.cursor = index

    def _set_height(self, rows: int) -> None:
        """Resize the scrollable area. Setting `virtual_size` lays out the whole screen, which
        only a scrollbar coming or going needs; otherwise only this widget and its scrollbar
        change (a load grows the list every second)."""
        size = Size(self.size.width, rows)
        height = self.size.height
        if size == self.virtual_size:
            return
        if (rows > height) != (self.virtual_size.height > height):
            self.virtual_size = size
        else:
            self.set_reactive(ArticleList.virtual_size, size)
            self._scroll_update(size)

    def refresh_rows(self) -> None:
        """Redraw every row (after something a row shows has changed)."""
        self._cache.clear()
        self.refresh()

    def select_key(self, key: str) -> bool:
        """Move the cursor to the entry with `key`; False if it is not in the list."""
        for index, entry in enumerate(self.entries):
            if entry.key == key:
                self.move_to(index)
                return True
        return False

    def move_to(self, index: int) -> None:
        """Move the cursor as the user asked."""
        self.moved = True
        self.cursor = index

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.entries) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self.post_message(self.Highlighted(self.entry))

    def refresh_line(self, index: int) -> None:
        self.refresh(Region(0, index - int(self.scroll_y), self.size.width, 1))

    def on_mount(self) -> None:
        self.set_interval(60, self.refresh_rows)  # rows are reused: their "5m ago" moves on

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh_rows()  # a new theme: the rows drawn in the old one go

    def on_resize(self) -> None:
        self._set_height(len(self.entries))

    def on_focus(self) -> None:
        self.refresh_rows()

    def on_blur(self) -> None:
        self.refresh_rows()

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.entries) - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def key_enter(self) -> None:
        if self.entry is not None:
            self.post_message(self.Chosen(self.entry))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y + int(self.scroll_y) < len(self.entries):
            self.move_to(offset.y + int(self.scroll_y))
            if event.chain == 2 and self.entry is not None:
                self.post_message(self.Chosen(self.entry))

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if index >= len(self.entries):
            return Strip.blank(width, self.rich_style)
        entry = self.entries[index]
        selected = index == self.cursor
        marks = (self._is_unread(entry), self._is_starred(entry))
        key = (entry.key, width, selected, selected and self.has_focus, marks)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is entry:
            return cached[1]
        strip = self._render_row(entry, width, selected, *marks)
        self._cache[key] = (entry, strip)
        return strip

    def _render_row(
        self, entry: Entry, width: int, selected: bool, unread: bool, starred: bool
    ) -> Strip:
        base = self.rich_style
        style = self.get_component_rich_style
        if unread:
            base += style("article-list--unread")
        heat = entry.heat
        heat_style = style("article-list--hot" if heat and heat >= HOT else "article-list--heat")
        provider = printable(entry.provider.name) if entry.provider else ""
        if is_url(entry.source):
            provider = "⇣ " + provider  # fetched from the web, not read from a file
        title_width = max(8, width - PROVIDER_WIDTH - WHEN_WIDTH - HEAT_WIDTH - 6)
        mark = ("★", style("article-list--star")) if starred else ("●" if unread else " ", base)
        cells = [
            (" ", base),
            mark,
            (" " + _fit(printable(entry.title), title_width), base),
            (" " + _fit(provider, PROVIDER_WIDTH), base + style("article-list--provider")),
            (
                " " + relative(entry.published, self._now()).rjust(WHEN_WIDTH),
                base + style("article-list--when"),
            ),
            (
                " " + ("" if heat is None or heat < 0 else str(heat)).rjust(HEAT_WIDTH) + " ",
                base + heat_style,
            ),
        ]
        if selected:
            cursor = style(
                "article-list--cursor" if self.has_focus else "article-list--cursor-blurred"
            )
            cells = [(text, cell_style + cursor) for text, cell_style in cells]
        return Strip(Segment(text, cell_style) for text, cell_style in cells).adjust_cell_length(
            width, base
        )


def _fit(text: str, width: int) -> str:
    """Exactly `width` cells: cut with an ellipsis if longer; wide characters count double."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
