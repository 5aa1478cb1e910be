"""The main screen: the article list beside the detail pane."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, ProgressBar

from reader.collection import dedupe, newest_first
from reader.loader import Batch
from reader.model import Article, Entry, Problem, normalize_url
from reader.store.cache import ParseCache
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.related_list import RelatedList

DETAIL_DELAY = 0.03  # seconds the cursor must rest before the detail pane redraws


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("o", "open_web", "Open"),
        Binding("O", "pick_link", "Links"),
        Binding("y", "copy_url", "Copy URL"),
        Binding("space", "detail_page(1)", "Scroll detail", show=False),
        Binding("b", "detail_page(-1)", "Scroll detail back", show=False),
        Binding("p", "app.problems", "Problems", show=False),
    ]

    def __init__(self, now: Callable[[], datetime], cache: ParseCache) -> None:
        super().__init__()
        self._now = now
        self._cache = cache
        self.entries: dict[str, Entry] = {}  # by key: one per story
        self.problems: list[Problem] = []
        self._detail_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticleList(self._now, id="articles")
            yield DetailPane(self._now, id="detail")
        yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleList).focus()
        self.query_one(DetailPane).show(None, self._in_collection)

    @property
    def entry(self) -> Entry | None:
        return self.query_one(ArticleList).entry

    @property
    def article(self) -> Article | None:
        """The full record under the cursor (read from the store: the list holds summaries)."""
        entry = self.entry
        return self._cache.article(entry) if entry else None

    def add_batch(self, batch: Batch) -> None:
        """Merge newly loaded entries into the list, keeping the cursor where it is."""
        dedupe(batch.entries, self.entries)
        self.problems += batch.problems
        self.query_one(ArticleList).show(newest_first(self.entries.values()))
        progress = self.query_one(ProgressBar)
        progress.update(total=batch.total, progress=batch.done)
        count = len(self.entries)
        self.app.sub_title = (
            f"{self.app.collection_name} · {count:,} articles"
            f" · loading {batch.done:,}/{batch.total:,} files"
        )

    def loading_done(self) -> None:
        self.query_one(ProgressBar).display = False
        count = len(self.entries)
        self.app.sub_title = f"{self.app.collection_name} · {count:,} article{'s' * (count != 1)}"

    def _in_collection(self, url: str | None) -> bool:
        return bool(url) and normalize_url(url) in self.entries

    @on(ArticleList.Highlighted)
    def _follow_cursor(self, event: ArticleList.Highlighted) -> None:
        """Redraw the detail once the cursor rests, so a held-down key never waits on it."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_detail)

    def _show_detail(self) -> None:
        self._detail_timer = None
        self.query_one(DetailPane).show(self.article, self._in_collection)

    @on(ArticleList.Chosen)
    def _open_chosen(self, event: ArticleList.Chosen) -> None:
        self.action_open_web()

    @on(RelatedList.Chosen)
    def _follow_related(self, event: RelatedList.Chosen) -> None:
        """Jump to a related story in the collection; open it in the browser otherwise."""
        url = event.related.web_url
        articles = self.query_one(ArticleList)
        if url and articles.select_key(normalize_url(url)):
            articles.focus()
        else:
            self.app.open_link(url)

    def action_open_web(self) -> None:
        if article := self.article:
            self.app.open_link(article.web_url)

    def action_pick_link(self) -> None:
        if article := self.article:
            self.app.pick_link(article)

    def action_copy_url(self) -> None:
        if article := self.article:
            self.app.copy_link(article.web_url)

    def action_detail_page(self, direction: int) -> None:
        detail = self.query_one(DetailPane)
        if direction > 0:
            detail.scroll_page_down(animate=False)
        else:
            detail.scroll_page_up(animate=False)
