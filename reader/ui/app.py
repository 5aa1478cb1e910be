"""The reader app: wiring of screens, app-wide keys, and the workers that load and open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding

from reader import links
from reader.collection import Collection
from reader.loader import load
from reader.model import Article
from reader.resources import SAMPLE_CONTENT, STYLES
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.links import LinksScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.problems import ProblemsScreen


class ReaderApp(App[None]):
    CSS_PATH = [STYLES / "app.tcss", STYLES / "main.tcss", STYLES / "dialogs.tcss"]
    TITLE = "reader"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, sources: list[str], *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.sources = sources
        self.now = now or (lambda: datetime.now(UTC))
        self.sub_title = f"{collection_name(sources)} · loading…"

    def get_default_screen(self) -> MainScreen:
        self.main = MainScreen(self.now)
        return self.main

    def on_mount(self) -> None:
        self.load_sources()

    @work(thread=True, exclusive=True, group="load")
    def load_sources(self) -> None:
        collection = load(self.sources)
        self.call_from_thread(self._loaded, collection)

    def _loaded(self, collection: Collection) -> None:
        self.main.show_collection(collection)
        count = len(collection.articles)
        self.sub_title = f"{collection_name(self.sources)} · {count} article{'s' * (count != 1)}"
        if collection.problems:
            n = len(collection.problems)
            self.notify(
                f"{n} problem{'s' * (n != 1)} while loading. Press p to see them.",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_problems(self) -> None:
        self.push_screen(ProblemsScreen(self.main.collection.problems))

    def pick_link(self, article: Article) -> None:
        self.push_screen(LinksScreen(article), callback=self.open_link)

    def open_link(self, url: str | None) -> None:
        """Open an http(s) URL in the browser; anything else is refused, with the reason."""
        if not url:
            return
        reason = links.refusal(url)
        if reason:
            self.notify(f"Not opened: {url}\n{reason}", severity="error", markup=False)
            return
        self._open_in_browser(url)

    @work(thread=True, group="browser")
    def _open_in_browser(self, url: str) -> None:
        if links.open_in_browser(url):
            self.call_from_thread(self.notify, f"Opened {url}", markup=False, timeout=3)
        else:
            self.call_from_thread(self.copy_link, url, "No browser could be started. ")

    def copy_link(self, url: str | None, why: str = "") -> None:
        if url:
            self.copy_to_clipboard(url)
            self.notify(f"{why}Copied to the clipboard:\n{url}", markup=False)


def collection_name(sources: list[str]) -> str:
    """What the header calls the collection: the one source's name, or how many there are."""
    if sources == [str(SAMPLE_CONTENT)]:
        return "Sample collection"
    if len(sources) == 1:
        return Path(sources[0].rstrip("/")).name or sources[0]
    return f"{len(sources)} sources"
