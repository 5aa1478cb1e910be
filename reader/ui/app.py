"""The reader app: wiring of screens, app-wide keys, and the workers that load and open."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import get_current_worker
from watchfiles import Change, watch

from reader import links
from reader.fulltext.store import FulltextStore, fulltext_path
from reader.loader import Batch, StreamAhead, prepare_workers, stream
from reader.model import Article, Problem
from reader.resources import SAMPLE_CONTENT, STYLES
from reader.sources.config import is_url
from reader.sources.local import RECORD_SUFFIXES
from reader.store.cache import ParseCache
from reader.store.state import StateStore
from reader.text import printable
from reader.ui.commands import ReaderCommands
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.links import LinksScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.problems import ProblemsScreen
from reader.ui.screens.reader import ReaderScreen

if TYPE_CHECKING:  # httpx loads with the first remote fetch, not at start-up
    from reader.sources.remote import RemoteSettings

# Seconds between hand-overs of loaded rows to the list after the first (which goes at once).
# Each re-sorts and redraws the list, taking CPU from the parsing; the newest stories are
# parsed first, so the top of the list is right from the start and the rest fills in below.
HANDOVER_INTERVAL = 1.0


class ReaderApp(App[None]):
    CSS_PATH = [
        STYLES / "app.tcss",
        STYLES / "main.tcss",
        STYLES / "dialogs.tcss",
        STYLES / "reader.tcss",
    ]
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(
        self,
        sources: list[str],
        *,
        cache: ParseCache | None = None,
        state: StateStore | None = None,
        now: Callable[[], datetime] | None = None,
        problems: list[Problem] | None = None,
        fulltext: FulltextStore | None = None,
        fetch_settings: RemoteSettings | None = None,
    ) -> None:
        super().__init__()
        prepare_workers()
        self.sources = sources
        self.source_problems = problems or []  # from the sources file: shown with the rest
        self.cache = cache or ParseCache(None)
        self.state = state or StateStore(None)
        self.now = now or (lambda: datetime.now(UTC))
        self.fulltext = fulltext or FulltextStore(fulltext_path())  # reader mode's texts
        self.fetch_settings = fetch_settings  # reader mode's limits (None: the defaults)
        self.collection_name = collection_name(sources)
        self._first_load = StreamAhead(sources, self.cache)  # reading starts now
        self._ahead: StreamAhead | None = self._first_load
        self.sub_title = f"{self.collection_name} · loading…"

    def get_default_screen(self) -> MainScreen:
        self.main = MainScreen(self.now, self.cache, self.state)
        return self.main

    def on_mount(self) -> None:
        if self.state.notice:
            self.notify(self.state.notice, severity="warning", timeout=15, markup=False)
        self.load_sources()
        self.watch_sources()

    def action_reload(self) -> None:
        """Read every source again: unchanged files come from the cache, URLs revalidate."""
        self.load_sources()

    def load_sources(self) -> None:
        """Load (again): the first load continues what the app started with; any later one, or
        one that replaces it before it began, reads every source afresh."""
        ahead, self._ahead = self._ahead, None  # here on the UI thread: one load takes it
        self._load(ahead)

    @work(thread=True, exclusive=True, group="load")
    def _load(self, ahead: StreamAhead | None) -> None:
        """Stream the collection in: the first rows at once, then what has arrived since, once
        a second (HANDOVER_INTERVAL)."""
        worker = get_current_worker()
        load = self.call_from_thread(self.main.begin_load, self.source_problems)
        cancelled = lambda: worker.is_cancelled  # noqa: E731
        if ahead is not None:
            batches = ahead.batches(cancelled)
        else:
            batches = stream(self.sources, self.cache, cancelled=cancelled, newest_first=True)
        with contextlib.closing(batches):
            pending = Batch()
            last = 0.0
            for batch in batches:
                if worker.is_cancelled:  # a newer load has started, or the app is closing
                    return
                pending.entries += batch.entries
                pending.problems += batch.problems
                pending.done, pending.total = batch.done, batch.total
                pending.status = batch.status or pending.status
                first_rows = pending.entries and not self.main.entries
                if (
                    first_rows
                    or time.monotonic() - last > HANDOVER_INTERVAL
                    or batch.done == batch.total
                ):
                    self.call_from_thread(self.main.add_batch, pending, load)
                    pending, last = Batch(), time.monotonic()
        self.call_from_thread(self._loaded, load)

    def on_unmount(self) -> None:
        self._first_load.close()  # in case no worker took it, or quitting stopped it mid-way
        self.fulltext.close()

    @work(thread=True, exclusive=True, group="watch")
    def watch_sources(self) -> None:
        """Reload when record files in the local sources are added, changed or removed.

        Wakes twice a second to see whether the app is closing (a thread cannot be cancelled).
        """
        watched = [s for s in self.sources if not is_url(s) and Path(s).expanduser().exists()]
        if not watched:
            return
        worker = get_current_worker()
        for changes in watch(
            *watched,
            watch_filter=_record_files,
            debounce=300,
            rust_timeout=500,
            yield_on_timeout=True,
            ignore_permission_denied=True,
        ):
            if worker.is_cancelled:
                return
            if changes:
                self.call_from_thread(self.load_sources)

    def _loaded(self, load: int) -> None:
        if not self.main.loading_done(load):
            return
        if problems := self.main.problems:
            n = len(problems)
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
        self.push_screen(ProblemsScreen(self.main.problems))

    def open_reader(self, article: Article) -> None:
        """Reader mode for `article`; n/p in it move the main list's cursor."""
        self.push_screen(
            ReaderScreen(
                article,
                store=self.fulltext,
                now=self.now,
                step=self.main.step,
                mark_read=self.main.mark_read,
                settings=self.fetch_settings,
            )
        )

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
    if len(sources) == 1 and is_url(sources[0]):
        return printable(urlsplit(sources[0]).netloc)
    if len(sources) == 1:
        return printable(Path(sources[0].rstrip("/")).name or sources[0])
    return f"{len(sources)} sources"


def _record_files(change: Change, path: str) -> bool:
    """Record files matter, and folders moved in or out (one event for a whole folder); not
    editors' swap files, not .git."""
    name = Path(path).name
    if name.startswith("."):
        return False
    return (
        Path(name).suffix.lower() in RECORD_SUFFIXES
        or change == Change.deleted
        or Path(path).is_dir()
    )
