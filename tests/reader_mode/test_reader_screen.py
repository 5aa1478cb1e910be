"""Reader mode as a user drives it: open, read, move on, open links, go back, read offline."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import LoadingIndicator

from reader.fulltext.document import Fulltext
from reader.fulltext.store import FulltextStore
from reader.store.state import StateStore
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.article_list import ArticleList
from tests.reader_mode.conftest import (
    BIKE_LANES,
    HTML,
    PAYWALL,
    READING_LIST,
    SEARCH,
    SETTINGS,
    arrived,
    open_reader,
    page,
    reader_app,
)
from tests.remote.conftest import Reply
from tests.ui.helpers import finished, loaded, record, screen_text

# bike-lanes.html with its second link made relative to the page's folder
RELATIVE = page("bike-lanes.html").replace(
    b"https://example.org/studies/protected-lanes", b"../studies/protected-lanes"
)

SIZE = (120, 40)


def flat(app) -> str:
    """The screen's text as one line: prose wraps wherever the width makes it."""
    return " ".join(screen_text(app).split())


def cursor(app) -> int:
    return app.main.query_one(ArticleList).cursor


async def test_enter_opens_the_article_in_reader_mode(collection: Path):
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        screen = await arrived(pilot)
        assert screen.article.title == BIKE_LANES
        text = flat(app)
        assert BIKE_LANES in text
        assert "The Harbour Courier · Thu 2026-11-26 09:30 UTC" in text
        assert "3 links: type a number to open one" in text
        assert "The city council voted 9 to 4 on Tuesday night" in text
        assert "What changes on the streets" in text
        assert "We use cookies" not in text and "Share on Facebook" not in text


async def test_v_opens_it_too_and_enter_in_the_search_bar_still_ends_the_search(collection):
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"search", "enter")
        assert isinstance(app.screen, MainScreen)
        assert isinstance(app.focused, ArticleList)
        await pilot.press("v")
        screen = await arrived(pilot)
        assert screen.article.title == SEARCH
        assert "Where the time went" in flat(app)


async def test_while_the_page_loads_the_excerpt_and_a_progress_indicator_show(collection, site):
    site.sequence("/local/bike-lanes", Reply(200, page("bike-lanes.html"), HTML, delay=1.0))
    app = reader_app(collection, fetch_settings=replace(SETTINGS, read_timeout=5.0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        await pilot.pause(0.2)
        assert screen.query_one(LoadingIndicator).display
        text = flat(app)
        assert "The Harbour Courier's summary, shown while the page loads." in text
        assert "Fetching 127.0.0.1" in text
        await arrived(pilot)
        assert not screen.query_one(LoadingIndicator).display
        assert "shown while the page loads" not in flat(app)


async def test_n_and_p_move_through_the_list_and_its_cursor_follows(collection):
    app = reader_app(collection)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        await pilot.press("n")
        screen = await arrived(pilot)
        assert screen.article.title == SEARCH
        assert "We started by tracing a thousand real queries" in flat(app)
        assert cursor(app) == 1
        await pilot.press("n")
        assert (await arrived(pilot)).article.title == READING_LIST
        await pilot.press("p", "p")
        assert (await arrived(pilot)).article.title == BIKE_LANES
        assert cursor(app) == 0
        await pilot.press("p")
        await pilot.pause()
        assert app.screen is screen and screen.article.title == BIKE_LANES
        assert "This is the first article in the list." in flat(app)


@pytest.mark.parametrize("back", ["q", "escape"])
async def test_back_returns_to_the_list_on_the_last_article_read(collection, back: str):
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("n", "n")
        await arrived(pilot)
        await pilot.press(back)
        assert isinstance(app.screen, MainScreen)
        assert cursor(app) == 2
        assert app.main.entry.title == READING_LIST
        assert isinstance(app.focused, ArticleList)


async def test_articles_read_in_reader_mode_are_marked_read(collection):
    state = StateStore(None)
    app = reader_app(collection, state=state)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("n")
        await arrived(pilot)
        titles = {entry.key: entry.title for entry in app.main.entries.values()}
        assert {titles[key] for key in state.read} == {BIKE_LANES, SEARCH}
        assert "2 unread" in app.sub_title


async def test_a_link_opens_by_its_number(collection, opened):
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        await pilot.press("2")  # fewer than 10 links: one digit opens at once
        await finished(app)
        assert opened() == [["https://example.org/studies/protected-lanes"]]


async def test_with_ten_links_or_more_a_number_opens_once_it_is_whole(collection, opened):
    app = reader_app(collection)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_reader(pilot, "j", "j", "enter")
        screen = await arrived(pilot)
        assert screen.article.title == READING_LIST and len(screen.text.links) == 13
        await pilot.press("1")
        assert "Link 1… Enter opens it, Esc cancels" in flat(app)
        await pilot.press("3")  # 13: no longer number starts with it
        await finished(app)
        await pilot.press("1", "enter")  # 1, since 10 to 13 could follow
        await finished(app)
        await pilot.press("7")  # 70 and up do not exist: 7 opens at once
        await finished(app)
        await pilot.press("1", "escape")  # cancels the number, stays in reader mode
        assert app.screen is screen
        await pilot.press("0")
        await pilot.pause()
        assert "No link 0 (links: 1 to 13)." in flat(app)
        thirteenth = screen.text.links[12]
        assert thirteenth.endswith("/features/query-logs")
        assert opened() == [
            [thirteenth],
            ["https://papers.example.org/1"],
            ["https://papers.example.org/7"],
        ]


async def test_o_opens_the_article_in_the_browser(collection, opened):
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        await arrived(pilot)
        await pilot.press("o")
        await finished(app)
        assert opened() == [[screen.article.web_url]]


async def test_a_paywalled_page_says_there_is_no_text_and_o_still_opens_it(collection, opened):
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot, "G", "enter")
        await arrived(pilot)
        assert screen.article.title == PAYWALL and screen.text is None
        text = flat(app)
        assert "Could not read this article: no readable text on the page" in text
        assert "behind a paywall or need JavaScript" in text
        assert "Press o to open it in the browser." in text
        assert "The Ledger's summary, shown while the page loads." in text
        await pilot.press("o")
        await finished(app)
        assert opened() == [[screen.article.web_url]]


@pytest.mark.parametrize(
    ("reply", "limits", "reason"),
    [
        (None, {}, "HTTP 404 Not Found"),
        (Reply(hang=True), {"retries": 0}, "timed out: nothing received for 0.3 s"),
        (Reply(200, page("bike-lanes.html"), HTML), {"max_bytes": 2048}, "larger than 2 KiB"),
        (Reply(200, b"%PDF-1.7", {"Content-Type": "application/pdf"}), {}, "application/pdf"),
    ],
)
async def test_failures_say_why(tmp_path, server, reply, limits, reason):
    if reply is not None:
        server.sequence("/story", reply)
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text(record("A story", server.url("/story")))
    app = reader_app(folder, fetch_settings=replace(SETTINGS, **limits))
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        text = flat(app)
        assert "Could not read this article: " in text and reason in text
        assert "Press o to open it in the browser." in text


async def test_reopening_is_instant_and_works_offline(collection, site, tmp_path):
    path = tmp_path / "fulltext.sqlite3"
    app = reader_app(collection, FulltextStore(path))
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
    site.stop()
    app = reader_app(collection, FulltextStore(path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        await arrived(pilot, timeout=1.0)
        assert screen.text is not None
        text = flat(app)
        assert "The city council voted 9 to 4" in text
        assert "saved just now" in text  # the app's clock stands still in tests
        assert not screen.query_one(LoadingIndicator).display


async def test_moving_on_while_a_page_loads_leaves_it_behind(collection, site):
    site.sequence("/local/bike-lanes", Reply(200, page("bike-lanes.html"), HTML, delay=1.0))
    app = reader_app(collection, fetch_settings=replace(SETTINGS, read_timeout=5.0))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        await pilot.pause(0.1)
        await pilot.press("n")
        await arrived(pilot)
        assert screen.article.title == SEARCH
        await asyncio.sleep(1.2)  # the first page would have arrived by now
        await pilot.pause()
        assert screen.article.title == SEARCH
        assert "We started by tracing" in flat(app)
        assert "The city council voted" not in flat(app)


async def test_leaving_while_a_page_loads_cancels_the_fetch(collection, site):
    site.sequence("/local/bike-lanes", Reply(hang=True))
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.pause(0.1)
        await pilot.press("q")
        await pilot.pause(0.1)
        assert isinstance(app.screen, MainScreen)
        assert not [w for w in app.workers if w.group == "fulltext" and not w.is_finished]


class WatchedStore(FulltextStore):
    """An in-memory store that notes the thread of every read and write, and its closing."""

    def __init__(self) -> None:
        super().__init__(None)
        self.threads: list[threading.Thread] = []
        self.closed = False

    def get(self, key: str) -> Fulltext | None:
        self.threads.append(threading.current_thread())
        return super().get(key)

    def put(self, key: str, text: Fulltext) -> None:
        self.threads.append(threading.current_thread())
        super().put(key, text)

    def close(self) -> None:
        self.closed = True
        super().close()


async def test_the_store_is_used_off_the_event_loop_and_closed_when_the_app_ends(collection):
    store = WatchedStore()
    app = reader_app(collection, store)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await arrived(pilot)  # looked up, fetched, stored
        await pilot.press("q", "enter")
        await arrived(pilot)  # from the store
        assert "The city council voted 9 to 4" in flat(app)
        assert not store.closed
    assert len(store.threads) == 3
    assert threading.main_thread() not in store.threads
    assert store.closed


async def test_moving_to_an_article_read_before_cancels_the_download_in_progress(collection, site):
    site.sequence("/local/bike-lanes", Reply(hang=True))
    app = reader_app(collection, fetch_settings=replace(SETTINGS, read_timeout=5.0))
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot, "j", "enter")
        await arrived(pilot)  # the search article: read, and stored
        await pilot.press("q", "k", "enter")
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and screen.article.title == BIKE_LANES
        await pilot.pause(0.1)
        assert "Fetching 127.0.0.1" in flat(app)  # its page never comes
        await pilot.press("n")
        await arrived(pilot)
        assert screen.article.title == SEARCH
        assert "We started by tracing" in flat(app)
        await pilot.pause(0.1)
        assert not [w for w in app.workers if w.group == "fulltext" and not w.is_finished]


async def test_capital_r_fetches_the_page_again_and_replaces_the_stored_text(collection, site):
    store = FulltextStore(None)
    app = reader_app(collection, store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        await arrived(pilot)
        key = screen.article.key
        changed = page("bike-lanes.html").replace(b"voted 9 to 4", b"voted 10 to 3")
        site.static("/local/bike-lanes", changed, HTML)
        await pilot.press("q", "enter")
        await arrived(pilot)
        assert "voted 9 to 4" in flat(app)  # the stored text: the page is not asked for again
        await pilot.press("R")
        screen = await arrived(pilot)
        assert "The city council voted 10 to 3" in flat(app)
        assert "voted 9 to 4" not in flat(app) and "saved" not in flat(app)
        assert site.paths().count("/local/bike-lanes") == 2
        stored = store.get(key)
        assert stored is not None and "voted 10 to 3" in stored.markdown


async def test_when_fetching_again_fails_the_text_read_before_stays(collection, site):
    store = FulltextStore(None)
    app = reader_app(collection, store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_reader(pilot)
        await arrived(pilot)
        site.sequence("/local/bike-lanes", Reply(404))
        await pilot.press("R")
        await arrived(pilot)
        text = flat(app)
        assert "Could not fetch the page again: HTTP 404 Not Found" in text
        assert "The city council voted 9 to 4" in text and "Could not read" not in text
        assert len(screen.text.links) == 3
        stored = store.get(screen.article.key)
        assert stored is not None and "voted 9 to 4" in stored.markdown


async def test_after_a_redirect_links_and_o_go_where_the_text_came_from(tmp_path, server, opened):
    server.static("/2026/11/bike-lanes", RELATIVE, HTML)
    server.sequence("/r/x7", Reply(302, headers={"Location": "/2026/11/bike-lanes"}))
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text(record(BIKE_LANES, server.url("/r/x7")))
    app = reader_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        await pilot.press("2")
        await finished(app)
        await pilot.press("o")
        await finished(app)
        assert opened() == [
            [server.url("/2026/studies/protected-lanes")],
            [server.url("/2026/11/bike-lanes")],
        ]


@pytest.mark.parametrize("digit", ["²", "٣"])  # AZERTY's top-left key; an Arabic-Indic 3
async def test_only_the_digits_0_to_9_type_link_numbers(collection, opened, digit: str):
    app = reader_app(collection)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_reader(pilot)
        await arrived(pilot)
        await pilot.press(digit)
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert "Link" not in str(screen.query_one("#reader-number").render())
        await pilot.press("2")
        await finished(app)
        assert opened() == [["https://example.org/studies/protected-lanes"]]


async def test_a_corrupt_store_is_set_aside_with_a_notice(collection, tmp_path):
    path = tmp_path / "fulltext.sqlite3"
    path.write_bytes(b"garbage, not a database" * 50)
    app = reader_app(collection, FulltextStore(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        text = flat(app)
        assert "The city council voted 9 to 4" in text
        assert "The reader-mode store could not be used" in text
        key = app.main.entry.key
    assert list(tmp_path.glob("fulltext.sqlite3.broken-*"))
    assert FulltextStore(path).get(key) is not None


async def test_record_text_in_the_header_is_never_markup(tmp_path, site):
    folder = tmp_path / "one"
    folder.mkdir()
    title = "[bold]Loud[/bold] [@click=app.quit]quit[/] \x1b[31mred"
    (folder / "a.md").write_text(record(title, site.url("/local/bike-lanes")))
    app = reader_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        text = flat(app)
        assert "[bold]Loud[/bold] [@click=app.quit]quit[/]" in text
        assert "\x1b" not in text
        assert app.is_running


async def test_a_record_without_a_web_address_says_so(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.md").write_text('---\ntitle: "No address"\nexcerpt: "Just this."\n---\n')
    app = reader_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        assert "Could not read this article: the record has no web address" in flat(app)


async def test_help_lists_the_reader_mode_keys(collection):
    app = reader_app(collection)
    async with app.run_test(size=(120, 160)) as pilot:
        await open_reader(pilot)
        await arrived(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        text = flat(app)
        assert "Reader mode" in text
        for row in ("`v`", "next / previous article", "open link number", "fetch the page again"):
            assert row.strip("`") in text, row
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_keys_that_arrive_before_reader_mode_is_up_are_ignored(collection):
    """Typed fast after Enter, a key can reach the new screen before it has its widgets."""
    app = reader_app(collection)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.open_reader(app.main.article)  # pushed, not yet mounted
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and not screen.is_mounted
        for action in ("scroll(1)", "page(1)", "edge(1)", "step(1)", "escape", "back"):
            await app.run_action(action, screen)
        await pilot.pause()
        await arrived(pilot)
        assert app.screen is screen and screen.article.title == BIKE_LANES
