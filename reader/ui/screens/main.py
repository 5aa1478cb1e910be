"""The main screen: the article list beside the detail pane, the query bar and the facets."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, ProgressBar

from reader import export
from reader.collection import dedupe
from reader.loader import Batch
from reader.model import Article, Entry, Problem, normalize_url
from reader.query import SORT_KEYS, Query, QueryError, SearchIndex, parse_query, sort_entries
from reader.store.cache import ParseCache
from reader.store.state import StateStore
from reader.text import printable
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.export import ExportScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.facets import FacetsPane
from reader.ui.widgets.query_bar import QueryBar
from reader.ui.widgets.related_list import RelatedList

# Seconds the cursor must rest before the detail pane redraws: a held-down key (~30 steps a
# second) moves the list alone, and the pane catches up as soon as the key is let go.
DETAIL_DELAY = 0.05
LOADING_DETAIL_DELAY = 1.0
TITLE_INTERVAL = 1.0  # seconds between title updates while loading


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("o", "open_web", "Open"),
        Binding("O", "pick_link", "Links"),
        Binding("y", "copy_url", "Copy URL"),
        Binding("v", "read", "Reader mode", show=False),
        # Priority: they act as the key arrives, so the keys typed right after land where
        # the user now is (a key is handed to the focused widget before it is handled).
        Binding("slash", "search", "Search", priority=True),
        Binding("enter", "end_search", "Back to the list", show=False, priority=True),
        Binding("escape", "clear_search", "Clear search", show=False),
        Binding("S", "cycle_sort", "Sort"),
        Binding("t", "toggle_facets", "Facets"),
        Binding("m", "toggle_read", "Read/unread", show=False),
        Binding("asterisk", "toggle_star", "Star", show=False),
        Binding("n", "next_unread", "Next unread", show=False),
        Binding("A", "mark_all_read", "Mark all read", show=False),
        Binding("e", "export", "Export to a file", show=False),
        Binding("space", "detail_page(1)", "Scroll detail down", show=False),
        Binding("b", "detail_page(-1)", "Scroll detail up", show=False),
        Binding("p", "app.problems", "Problems", show=False),
    ]

    def __init__(self, now: Callable[[], datetime], cache: ParseCache, state: StateStore) -> None:
        super().__init__()
        self._now = now
        self._cache = cache
        self.state = state
        self.entries: dict[str, Entry] = {}  # by key: one per story
        self.problems: list[Problem] = []
        self.index = SearchIndex()
        self._unindexed: list[Entry] = []  # indexed on the first search, not on the first frame
        self.active_query = Query((), "")
        self.sort_key = SORT_KEYS[0]
        self._sorted: tuple[Entry, ...] = ()
        self._progress: Batch | None = None
        self._titled = 0.0  # when the title last changed during a load
        self._title_timer: Timer | None = None  # a held-back title update
        self._loading: dict[str, Entry] = {}  # what the load under way has found, by key
        self._load = 0
        self._filled = False  # the first load has ended
        self._detail_timer: Timer | None = None
        self._detail_shown = False  # whether the detail pane has followed the cursor yet

    def compose(self) -> ComposeResult:
        yield Header()
        yield QueryBar(id="query")
        with Horizontal(id="panes"):
            yield FacetsPane(id="facets")
            yield ArticleList(self._now, self._is_unread, self._is_starred, id="articles")
            yield DetailPane(self._now, id="detail")
        yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(QueryBar).display = False
        self.query_one(FacetsPane).display = False
        self.query_one(ArticleList).focus()
        self.query_one(DetailPane).show(None, self._in_collection)

    def _is_unread(self, entry: Entry) -> bool:
        return entry.key not in self.state.read

    def _is_starred(self, entry: Entry) -> bool:
        return entry.key in self.state.starred

    @property
    def list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def entry(self) -> Entry | None:
        return self.list.entry

    @property
    def article(self) -> Article | None:
        """The full record under the cursor (read from the store: the list holds summaries)."""
        entry = self.entry
        return self._cache.article(entry) if entry else None

    # Loading

    def begin_load(self, problems: list[Problem]) -> int:
        """A (re)load starts. What it finds replaces what is shown story by story, and what
        it does not find goes when it ends: a reload never empties the list meanwhile.

        Returns the load's number: batches a superseded load had already sent are ignored."""
        self._load += 1
        self._loading = {}
        self.problems = list(problems)
        self.query_one(ProgressBar).display = True
        return self._load

    def add_batch(self, batch: Batch, load: int) -> None:
        """Merge newly loaded entries in, keeping the cursor where it is."""
        if load != self._load:
            return
        loading = dedupe(batch.entries, self._loading)
        # This load's copy of each story it found wins over the last load's.
        found = {entry.key: loading[entry.key] for entry in batch.entries}
        self.entries.update(found)
        self._unindexed += found.values()
        self.problems += batch.problems
        self._progress = batch
        self.query_one(ProgressBar).update(total=batch.total, progress=batch.done)
        self._resort()

    def loading_done(self, load: int) -> bool:
        """Drop the stories this load no longer found (deleted files, gone from a feed).
        False if a newer load has started meanwhile."""
        if load != self._load:
            return False
        self._progress = None
        self.query_one(ProgressBar).display = False
        if self.entries.keys() != self._loading.keys():
            self.entries = self._loading
            self.index, self._unindexed = SearchIndex(), list(self.entries.values())
            self._resort()
        on_top = self._on_filling_top
        self._filled = True
        if on_top:  # the top row, shown or due while filling, is now the story being read
            if self._detail_timer is not None:
                self._detail_timer.stop()
            self._show_detail()
        self._update_title()
        return True

    # What the list shows

    def _resort(self) -> None:
        self._sorted = tuple(sort_entries(self.entries.values(), self.sort_key))
        self._refilter()

    def _refilter(self) -> None:
        state = self.state
        if self.active_query.is_empty:
            shown = list(self._sorted)
        else:
            if self._unindexed:
                self.index.add(self._unindexed)
                self._unindexed = []
            shown = self.index.filter(self.active_query, state.read, state.starred, self._sorted)
        self.list.show(shown, follow_top=not self._filled)
        facets = self.query_one(FacetsPane)
        if facets.display:
            facets.show(shown)
        self._update_title()

    def _title_due(self) -> None:
        self._title_timer = None
        self._update_title()

    def _update_title(self) -> None:
        """Counts and load progress in the header. While loading, at most once a second (a new
        title lays out the whole screen, and batches arrive several times a second); an update
        held back is made when the second is up."""
        if self._progress is not None:
            wait = self._titled + TITLE_INTERVAL - time.monotonic()
            if wait > 0:
                if self._title_timer is None:
                    self._title_timer = self.set_timer(wait, self._title_due)
                return
            self._titled = time.monotonic()
        if self._title_timer is not None:
            self._title_timer.stop()
            self._title_timer = None
        total, shown = len(self.entries), len(self.list.entries)
        if self.active_query.is_empty:
            count = f"{total:,} article{'s' * (total != 1)}"
        else:
            count = f"{shown:,} of {total:,}"
        unread = len(self.entries.keys() - self.state.read)
        parts = [self.app.collection_name, count, f"{unread:,} unread"]
        if self.sort_key != SORT_KEYS[0]:
            parts.append(f"by {self.sort_key}")
        if self._progress is not None:
            progress = self._progress
            parts.append(progress.status or f"loading {progress.done:,}/{progress.total:,} files")
        self.app.sub_title = " · ".join(parts)

    # Search

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` starts a search from anywhere but the search bar (where it is a character);
        Enter ends it only there."""
        if action in ("search", "end_search"):
            typing = isinstance(self.focused, Input)
            return typing if action == "end_search" else not typing
        return True

    def action_end_search(self) -> None:
        self.set_focus(self.list)

    def action_search(self) -> None:
        bar = self.query_one(QueryBar)
        bar.display = True
        self.set_focus(bar.query_one(Input))  # now, not after a refresh: typing may follow at once

    @on(Input.Changed, "#query-input")
    def _query_changed(self, event: Input.Changed) -> None:
        bar = self.query_one(QueryBar)
        try:
            query = parse_query(event.value, now=self._now())
        except QueryError as error:
            bar.show_error(error.message, error.position)
            return  # keep the last good result
        bar.clear_error()
        if query != self.active_query:
            self.active_query = query
            self._refilter()

    def action_clear_search(self) -> None:
        bar = self.query_one(QueryBar)
        if bar.display or not self.active_query.is_empty:
            bar.text = ""
            bar.clear_error()
            bar.display = False
            self.active_query = Query((), "")
            self._refilter()
            self.set_focus(self.list)

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self._resort()
        self.list.move_to(0)

    def action_toggle_facets(self) -> None:
        facets = self.query_one(FacetsPane)
        facets.display = not facets.display
        if facets.display:
            facets.show(self.list.entries)
            self.set_focus(facets)
        else:
            self.set_focus(self.list)

    @on(FacetsPane.Picked)
    def _facet_picked(self, event: FacetsPane.Picked) -> None:
        bar = self.query_one(QueryBar)
        bar.display = True
        bar.text = f"{bar.text.rstrip()} {event.term}".lstrip()  # Input.Changed refilters

    # Read, unread, stars

    def action_toggle_read(self) -> None:
        if entry := self.entry:
            read = self.state.toggle_read(entry.key)
            self._state_changed(f"Marked {'read' if read else 'unread'}")

    def action_toggle_star(self) -> None:
        if entry := self.entry:
            starred = self.state.toggle_star(entry.key)
            self._state_changed("Starred" if starred else "Star removed")

    def _state_changed(self, message: str) -> None:
        """Rows redraw at once; the result is not refiltered, so nothing jumps away mid-read."""
        self.list.refresh_rows()
        self._update_title()
        self.notify(message, timeout=1.5)

    def action_next_unread(self) -> None:
        entries, start = self.list.entries, self.list.cursor
        order = list(range(start + 1, len(entries))) + list(range(start + 1))
        for index in order:
            if self._is_unread(entries[index]):
                self.list.move_to(index)
                return
        self.notify("No unread articles here.", timeout=3)

    def action_mark_all_read(self) -> None:
        keys = [entry.key for entry in self.list.entries if self._is_unread(entry)]
        if not keys:
            self.notify("Everything here is read already.", timeout=3)
            return

        def mark(confirmed: bool | None) -> None:
            if confirmed:
                self.state.set_read(keys)
                self._state_changed(f"Marked {len(keys):,} articles read")

        shown = "this result" if not self.active_query.is_empty else "the collection"
        self.app.push_screen(
            ConfirmScreen(f"Mark {len(keys):,} unread articles in {shown} read?"), mark
        )

    # Export

    def action_export(self) -> None:
        """Write the list exactly as shown (this result, in this order) to a file."""
        entries = list(self.list.entries)
        if not entries:
            self.notify("Nothing to export: the list is empty.", timeout=3)
            return
        cache, query, day = self._cache, self.active_query.text, self._now().astimezone().date()

        def write(path: Path, fmt: str, replace: bool) -> int:  # runs in a thread
            records = export.records(entries, cache)
            return export.export_file(path, fmt, records, query=query, day=day, replace=replace)

        def exported(result: tuple[Path, int] | None) -> None:
            if result:
                path, count = result
                message = f"Exported {count:,} article{'s' * (count != 1)} to {path}"
                self.notify(printable(message), timeout=6, markup=False)

        self.app.push_screen(ExportScreen(write, len(entries), day), exported)

    # The detail pane

    def _in_collection(self, url: str | None) -> bool:
        return bool(url) and normalize_url(url) in self.entries

    @property
    def _on_filling_top(self) -> bool:
        """Whether the cursor is only where it is as the top row of a list still filling in
        (the first load, and the user has not moved): nobody chose that story."""
        return not self._filled and not self.list.moved

    @on(ArticleList.Highlighted)
    def _follow_cursor(self, event: ArticleList.Highlighted) -> None:
        """Redraw the detail once the cursor rests, so a held-down key never waits on it.

        While the first load fills the list, the top row changes with every batch: the detail
        follows it once a second at most (each redraw lays out the whole screen)."""
        loading_top = self._on_filling_top
        if self._detail_timer is not None:
            if loading_top:
                return  # due anyway, and will show the top row as it is then
            self._detail_timer.stop()
        # The first story of all shows at once; the detail then follows a filling list slowly.
        delay = LOADING_DETAIL_DELAY if loading_top and self._detail_shown else DETAIL_DELAY
        self._detail_timer = self.set_timer(delay, self._show_detail)

    def _show_detail(self) -> None:
        """Show the article under the cursor; an article shown is an article read, unless it
        is only shown because it is on top of a list still filling in."""
        self._detail_timer = None
        entry = self.entry
        self._detail_shown = self._detail_shown or entry is not None
        self.query_one(DetailPane).show(self.article, self._in_collection)
        if entry is not None and not self._on_filling_top and self._is_unread(entry):
            self.state.set_read([entry.key])
            self.list.refresh_line(self.list.cursor)
            self._update_title()

    @on(ArticleList.Chosen)
    def _open_chosen(self, event: ArticleList.Chosen) -> None:
        self.action_read()

    @on(RelatedList.Chosen)
    def _follow_related(self, event: RelatedList.Chosen) -> None:
        """Jump to a related story in the collection (clearing a search that hides it);
        open it in the browser otherwise."""
        url = event.related.web_url
        key = normalize_url(url) if url else None
        if key is None or key not in self.entries:
            self.app.open_link(url)
            return
        if not self.list.select_key(key):
            self.action_clear_search()
            self.list.select_key(key)
        self.set_focus(self.list)

    def action_open_web(self) -> None:
        if article := self.article:
            self.app.open_link(article.page_url)

    def action_pick_link(self) -> None:
        if article := self.article:
            self.app.pick_link(article)

    # Reader mode

    def action_read(self) -> None:
        if article := self.article:
            self.list.moved = True  # the list stays on this story from now on
            self.app.open_reader(article)

    def step(self, delta: int) -> Article | None:
        """Move the cursor `delta` rows, for reader mode's next/previous; the article now
        under it, or None (and no move) past either end."""
        index = self.list.cursor + delta
        if not 0 <= index < len(self.list.entries):
            return None
        self.list.move_to(index)
        return self.article

    def mark_read(self, article: Article) -> None:
        if article.key not in self.state.read:
            self.state.set_read([article.key])
            self.list.refresh_rows()
            self._update_title()

    def action_copy_url(self) -> None:
        if article := self.article:
            self.app.copy_link(article.page_url)

    def action_detail_page(self, direction: int) -> None:
        detail = self.query_one(DetailPane)
        if direction > 0:
            detail.scroll_page_down(animate=False)
        else:
            detail.scroll_page_up(animate=False)
