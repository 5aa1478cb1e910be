"""Reader mode: the article's own web page reduced to its text, full screen.

The excerpt shows while a worker looks for the text in the store (in a thread: the file may be
slow or locked, the screen never waits on it) and, if it was never read, fetches and extracts
the page. A text read before so comes at once, offline too; `R` fetches it again. `n`/`p` step
through the list in the order it shows, and the list's cursor follows, so leaving returns to
the last article read. Links in the text carry numbers: typing one opens that link.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, LoadingIndicator, Markdown, Static

from reader.fulltext.document import Fulltext, Unreadable
from reader.fulltext.store import FulltextStore
from reader.model import Article
from reader.text import printable
from reader.timefmt import ago, local

if TYPE_CHECKING:  # httpx and the extractor load with the first page fetched, not at start-up
    from reader.sources.remote import RemoteSettings

_DIGITS = frozenset("0123456789")  # link numbers: not "²" or "٣", which str.isdigit() accepts


class ReaderPage(VerticalScroll, can_focus=False):
    """The scrolling body; the screen's keys scroll it, so nothing inside needs focus."""


class ReaderScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "step(1)", "Next"),
        Binding("p", "step(-1)", "Previous"),
        Binding("o", "open_web", "Open in browser"),
        Binding("R", "refetch", "Fetch again"),
        Binding("q", "back", "Back to the list"),
        Binding("escape", "escape", "Back / cancel the link number", show=False),
        Binding("enter", "open_number", "Open the link numbered", show=False),
        Binding("j,down", "scroll(1)", "Scroll down", show=False),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "edge(0)", "Top", show=False),
        Binding("G,end", "edge(1)", "Bottom", show=False),
    ]

    def __init__(
        self,
        article: Article,
        *,
        store: FulltextStore,
        now: Callable[[], datetime],
        step: Callable[[int], Article | None],
        mark_read: Callable[[Article], None],
        settings: RemoteSettings | None = None,
    ) -> None:
        super().__init__()
        self.article = article
        self.text: Fulltext | None = None  # what is shown, once it has arrived
        self._store = store
        self._now = now
        self._step = step
        self._mark_read = mark_read
        self._settings = settings  # None: reader mode's own limits (fulltext.fetch)
        self._number = ""  # a link number being typed
        self._shown = 0  # which showing a worker's result belongs to

    def compose(self) -> ComposeResult:
        yield Static(id="reader-head", markup=False)
        with ReaderPage(id="reader-page"):
            yield Static(id="reader-excerpt", markup=False)
            yield LoadingIndicator(id="reader-loading")
            yield Static(id="reader-status", markup=False)
            yield Markdown(id="reader-text", open_links=False, parser_factory=_parser)
        yield Static(id="reader-number", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.article)

    # Showing an article

    def show(self, article: Article) -> None:
        """Show `article`: its stored text as soon as the store has answered, else the excerpt
        while the page is fetched."""
        self.article = article
        self._mark_read(article)
        self._load(article, self._begin())

    def _begin(self) -> int:
        """Back to the excerpt and the loading indicator, with the last fetch cancelled (its
        download, not just its result); returns the number of this showing."""
        self.workers.cancel_group(self, "fulltext")
        self.text = None
        self._shown += 1
        self._set_number("")
        self._update_head()
        excerpt = printable(self.article.excerpt or "", multiline=True)
        self.query_one("#reader-excerpt", Static).update(excerpt)
        _show(self.query_one("#reader-excerpt"), bool(excerpt))
        _show(self.query_one("#reader-text"), False)  # never the last article's text
        _show(self.query_one("#reader-status"), False)
        _show(self.query_one(LoadingIndicator), True)
        self._scroll_home()
        return self._shown

    @work(exclusive=True, group="fulltext")
    async def _load(
        self, article: Article, shown: int, *, again: bool = False, kept: Fulltext | None = None
    ) -> None:
        """The stored text, else (or when fetching `again`) the page fetched and extracted:
        the store in a thread, the download on the event loop, the extraction in a thread.
        If fetching again fails, the text `kept` from before is shown again."""
        if not again:
            stored = await asyncio.to_thread(self._store.get, article.key)
            self._notice_store()
            if stored is not None:
                if shown == self._shown:
                    self._display(stored, saved=True)
                return
        url = article.page_url
        if not url:
            if shown == self._shown:
                self._fail("the record has no web address")
            return
        if shown == self._shown:
            host = printable(urlsplit(url).netloc)
            self._status(Content.styled(f"Fetching {host}…", "$text-muted"))
        from reader.fulltext.fetch import fetch_article  # httpx and the extractor: loaded late

        try:
            text = await fetch_article(
                url, now=self._now, title=article.title, settings=self._settings
            )
        except Unreadable as error:
            if shown != self._shown:
                return
            if kept is None:
                self._fail(str(error))
                return
            self.notify(
                f"Could not fetch the page again: {printable(str(error))}",
                severity="warning",
                timeout=8,
                markup=False,
            )
            self._display(kept, saved=True)
            return
        if shown == self._shown:
            self._display(text, saved=False)
        await asyncio.to_thread(self._store.put, article.key, text)  # replaces an older one
        self._notice_store()

    def _display(self, text: Fulltext, *, saved: bool) -> None:
        self.text = text
        self._update_head(saved_at=text.fetched_at if saved else None)
        _show(self.query_one("#reader-status"), False)
        self._lay_out(text.markdown, self._shown)

    @work(exclusive=True, group="render")
    async def _lay_out(self, markdown: str, shown: int) -> None:
        """Lay the text out, then show it: Markdown builds a widget per block, which takes a
        moment on a long page, and the excerpt and the indicator stay meanwhile."""
        body = self.query_one("#reader-text", Markdown)
        await body.update(markdown)
        if shown != self._shown:
            return
        _show(self.query_one("#reader-excerpt"), False)
        _show(self.query_one(LoadingIndicator), False)
        _show(body, True)
        self._scroll_home()

    def _fail(self, reason: str) -> None:
        _show(self.query_one(LoadingIndicator), False)
        self._status(
            Content.assemble(
                ("Could not read this article: ", "bold $text-error"),
                printable(reason),
                "\n",
                ("Press o to open it in the browser.", "$text-muted"),
            )
        )

    def _status(self, content: Content) -> None:
        status = self.query_one("#reader-status", Static)
        status.update(content)
        _show(status, True)

    def _update_head(self, saved_at: datetime | None = None) -> None:
        article, muted = self.article, "$text-muted"
        parts: list[str | tuple[str, str]] = [(printable(article.title), "bold $text"), "\n"]
        facts: list[str | tuple[str, str]] = []
        if article.provider:
            facts.append((printable(article.provider.name), "bold $text-accent"))
        if article.published:
            facts.append(f"{local(article.published)} ({ago(article.published, self._now())})")
        if saved_at is not None:
            facts.append((f"saved {ago(saved_at, self._now())}", muted))
        if self.text is not None and self.text.links:
            count = len(self.text.links)
            facts.append((f"{count} link{'s' * (count != 1)}: type a number to open one", muted))
        for index, fact in enumerate(facts):
            parts += [(" · ", muted)] * bool(index) + [fact]
        self.query_one("#reader-head", Static).update(Content.assemble(*parts))

    def _notice_store(self) -> None:
        notice = self._store.take_notice()
        if notice:
            self.notify(notice, severity="warning", timeout=15, markup=False)

    # Keys. Bindings run on the screen in front even before it has its widgets (keys typed
    # fast after Enter): until it is mounted they are taken and do nothing.

    def action_step(self, delta: int) -> None:
        if not self.is_mounted:
            return
        article = self._step(delta)
        if article is None:
            where = "last" if delta > 0 else "first"
            self.notify(f"This is the {where} article in the list.", timeout=3)
            return
        self.show(article)

    def action_open_web(self) -> None:
        """The page the text came from (where redirects led), or the article's address."""
        if self.text is not None:
            self.app.open_link(self.text.url)
        else:
            self.app.open_link(self.article.page_url)

    def action_refetch(self) -> None:
        """Fetch the page again and replace the stored text: a page may change after it is
        read. If it cannot be had, the text shown before comes back, with the reason."""
        if not self.is_mounted:
            return
        kept = self.text
        self._load(self.article, self._begin(), again=True, kept=kept)

    def action_back(self) -> None:
        if self.is_mounted:
            self.dismiss()

    def action_escape(self) -> None:
        if not self.is_mounted:
            return
        if self._number:
            self._set_number("")
        else:
            self.dismiss()

    def action_open_number(self) -> None:
        if self._number:
            self._open_link(int(self._number))

    def on_key(self, event: events.Key) -> None:
        """Digits type a link number. It opens as soon as no longer number could start with
        it (at once with fewer than 10 links), else on Enter."""
        if event.character not in _DIGITS:
            return
        event.stop()
        links = self.text.links if self.text is not None else ()
        typed = self._number + event.character
        if not links or not 1 <= int(typed) <= len(links):
            self._set_number("")
            shown = f"1 to {len(links)}" if links else "none here"
            self.notify(f"No link {int(typed)} (links: {shown}).", severity="warning", timeout=3)
        elif int(typed) * 10 > len(links):
            self._open_link(int(typed))
        else:
            self._set_number(typed)

    def _open_link(self, number: int) -> None:
        self._set_number("")
        if self.text is not None and 1 <= number <= len(self.text.links):
            self.app.open_link(self.text.links[number - 1])

    def _set_number(self, typed: str) -> None:
        self._number = typed
        prompt = self.query_one("#reader-number", Static)
        prompt.update(f"Link {typed}…  Enter opens it, Esc cancels" if typed else "")
        _show(prompt, bool(typed))

    def action_scroll(self, lines: int) -> None:
        if self.is_mounted:
            self.query_one(ReaderPage).scroll_relative(y=lines, animate=False)

    def action_page(self, direction: int) -> None:
        if not self.is_mounted:
            return
        page = self.query_one(ReaderPage)
        if direction > 0:
            page.scroll_page_down(animate=False)
        else:
            page.scroll_page_up(animate=False)

    def action_edge(self, end: int) -> None:
        if not self.is_mounted:
            return
        page = self.query_one(ReaderPage)
        if end:
            page.scroll_end(animate=False)
        else:
            page.scroll_home(animate=False)

    def _scroll_home(self) -> None:
        self.query_one(ReaderPage).scroll_home(animate=False)


def _parser() -> MarkdownIt:
    """CommonMark with tables, without raw HTML or link detection: the text is a stranger's."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _show(widget: Widget, shown: bool) -> None:
    if widget.display != shown:
        widget.display = shown
