"""Reader mode's test site: article pages written for the tests (pages/, shaped like real news
pages: navigation, cookie banner, ads, share buttons, related links, comments, footer) served
from the real test server on 127.0.0.1, plus the ways a page fails to be read.

A small record collection points at the site, newest first in the list:
bike lanes, search latency, reading list, paywall.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.fulltext.store import FulltextStore
from reader.sources.remote import RemoteSettings
from reader.ui.app import ReaderApp
from reader.ui.screens.reader import ReaderScreen
from tests.remote.conftest import FAST, Server
from tests.ui.helpers import loaded, make_app, record

PAGES = Path(__file__).parent / "pages"
HTML = {"Content-Type": "text/html; charset=utf-8"}
SETTINGS: RemoteSettings = replace(FAST, retries=1)

BIKE_LANES = "Harbour city votes for a network of protected bike lanes"
SEARCH = "Why our search got 10x faster"
READING_LIST = "Twelve papers that shaped web search"
PAYWALL = "Inside the deal that reshaped the port"

ARTICLES = [  # title, path, page file, provider, published
    (BIKE_LANES, "/local/bike-lanes", "bike-lanes.html", "The Harbour Courier", "26T09:30"),
    (SEARCH, "/blog/search-latency", "search-latency.html", "Tessel Engineering", "25T16:00"),
    (READING_LIST, "/features/reading-list", "reading-list.html", "The Index", "24T08:15"),
    (PAYWALL, "/markets/port-deal", "paywall.html", "The Ledger", "23T07:00"),
]


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def serve_articles(server: Server) -> None:
    for _, path, name, _, _ in ARTICLES:
        server.static(path, page(name), HTML)


@pytest.fixture
def site(server: Server) -> Server:
    serve_articles(server)
    return server


@pytest.fixture
def collection(tmp_path: Path, site: Server) -> Path:
    """Record files for the site's articles (a folder of its own, for the reader to load)."""
    folder = tmp_path / "records"
    folder.mkdir()
    for number, (title, path, _, provider, published) in enumerate(ARTICLES):
        (folder / f"{number}.md").write_text(
            record(
                title,
                site.url(path),
                excerpt=f"{provider}'s summary, shown while the page loads.",
                publishedDateTime=f"2026-11-{published}:00Z",
                provider={"name": provider},
            )
        )
    return folder


def reader_app(folder: Path, store: FulltextStore | None = None, **options: object) -> ReaderApp:
    """The app on `folder`, with fast network limits and an in-memory store unless given."""
    return make_app(
        folder,
        fulltext=store or FulltextStore(None),
        fetch_settings=options.pop("fetch_settings", SETTINGS),
        **options,
    )


async def open_reader(pilot: Pilot, *keys: str) -> ReaderScreen:
    """Load the collection, press `keys` (Enter by default) and wait for reader mode."""
    await loaded(pilot)
    await pilot.press(*(keys or ("enter",)))
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


async def arrived(pilot: Pilot, timeout: float = 10.0) -> ReaderScreen:
    """Wait until reader mode shows a text (laid out) or a failure."""
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    status, body = screen.query_one("#reader-status"), screen.query_one("#reader-text")
    for _ in range(int(timeout / 0.02)):
        await pilot.pause()
        failed = status.display and "Could not read" in str(status.render())
        if body.display or failed:
            await pilot.pause()
            return screen
        await asyncio.sleep(0.02)
    raise AssertionError("reader mode showed neither a text nor a failure")
