"""The app and the CLI show the same collection: the app's list, streamed in batch by batch
(parsed in a process pool, cold; from the parse cache, warm), ends up exactly as the CLI builds
it in one go: the same stories, the same copy of each story, in the same order.

The collection is made to be hard on a streaming merge: 600 generated records (over the pool
threshold), copies of some of them (more and less complete ones, which arrive in whatever
order the pool finishes), and stories published at the same moment (ties, ordered by title).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reader import loader
from reader.loader import load, stream
from reader.model import Entry, normalize_url
from reader.query import sort_entries
from reader.store.cache import ParseCache
from reader.ui.app import ReaderApp
from reader.ui.screens import main as main_screen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.detail import DetailPane
from tests.integration.conftest import REPO, Ran
from tests.ui.helpers import NOW, finished, record

RECORDS = 600  # more than the pool threshold: the process-pool path is taken
TIED_TITLES = ["Apple harvest robots", "Éclair-baking AI", "banana sorting", "'Quoted' models"]


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = tmp_path_factory.mktemp("generated")
    paths = generate(RECORDS, root)
    copies = root / "copies"
    copies.mkdir()
    for number, path in enumerate(paths[::20]):
        text = path.read_text(encoding="utf-8")
        if number % 2:  # a poorer copy: no excerpt (the fuller original must win)
            text = re.sub(r"(?m)^excerpt: .*\n", "", text, count=1)
        (copies / f"copy-{number}.md").write_text(text, encoding="utf-8")  # or an exact one
    return root


SlowLoad = Callable[..., None]


@pytest.fixture
def slow_load(monkeypatch: pytest.MonkeyPatch) -> SlowLoad:
    """Make loads hand over their batches `seconds` apart (and wait longer once the first rows
    are out, if asked): time to look at, and act on, a list still filling in."""

    def slow(seconds: float, pause_after_first_rows: float = 0.0) -> None:
        stream = loader.stream

        def slow_stream(*args, **kwargs):
            paused = False
            for batch in stream(*args, **kwargs):
                yield batch
                time.sleep(seconds)
                if batch.entries and not paused:
                    time.sleep(pause_after_first_rows)
                    paused = True

        monkeypatch.setattr(loader, "stream", slow_stream)

    return slow


async def until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.01)


def tied(root: Path) -> Path:
    """Stories published at the same moment, in a folder of their own."""
    folder = root / "ties"
    folder.mkdir()
    for number, title in enumerate(TIED_TITLES):
        (folder / f"tie-{number}.md").write_text(
            record(title, f"https://ties.example/{number}", publishedDateTime="2026-11-20T09:00Z")
        )
    return root


async def shown(source: Path, cache: ParseCache) -> list[tuple[str, str]]:
    """(key, file) of each row of the app's list, in order, once loading has finished."""
    app = ReaderApp([str(source)], cache=cache, now=lambda: NOW)
    async with app.run_test(size=(160, 40)) as pilot:
        await asyncio.wait_for(finished(app), timeout=30)
        await pilot.pause()
        assert "loading" not in app.sub_title
        return rows(app.main.query_one(ArticleList).entries)


def rows(entries: list[Entry]) -> list[tuple[str, str]]:
    return [(entry.key, entry.source) for entry in entries]


def printed(ran: Ran) -> list[tuple[str, str]]:
    """(key, file) of each record `reader list --json` printed."""
    assert ran.code == 0, ran.stderr
    return [(normalize_url(data["webUrl"]), data["source"]) for data in ran.records]


async def test_the_app_lists_what_reader_list_prints_cold_and_warm(
    collection: Path, tmp_path: Path, cli
) -> None:
    assert len(list(collection.rglob("*.md"))) > RECORDS > loader.POOL_THRESHOLD
    expected = rows(load([str(collection)], ParseCache(None)).entries)
    assert len(expected) == len(set(expected)) >= RECORDS * 0.9
    cache_file = tmp_path / "parse-cache.sqlite3"

    cold = await shown(collection, ParseCache(cache_file))
    warm = await shown(collection, ParseCache(cache_file))
    cli_cold = printed(cli("list", collection, "--json"))  # its own cache (XDG), cold
    cli_warm = printed(cli("list", collection, "--json"))

    assert cold == expected
    assert warm == expected
    assert cli_cold == expected
    assert cli_warm == expected
    assert rows(load([str(collection)], ParseCache(cache_file)).entries) == expected


async def test_stories_published_at_the_same_moment_are_in_the_same_order_everywhere(
    tmp_path: Path, cli
) -> None:
    folder = tied(tmp_path)
    app_rows = await shown(folder, ParseCache(None))
    cli_rows = printed(cli("list", folder, "--json"))
    assert app_rows == cli_rows
    assert len(app_rows) == len(TIED_TITLES)


async def test_load_orders_ties_as_the_app_does(tmp_path: Path) -> None:
    folder = tied(tmp_path)
    app_rows = await shown(folder, ParseCache(None))
    assert rows(load([str(folder)], ParseCache(None)).entries) == app_rows


def test_reader_list_order_is_sort_entries_of_load(collection: Path) -> None:
    entries = load([str(collection)], ParseCache(None)).entries
    assert rows(sort_entries(entries, "date")) == rows(entries)


def test_a_load_for_the_screen_parses_the_newest_file_names_first(tmp_path: Path) -> None:
    """Records are named by date (YYYY-MM-DD-slug.md): parsing the last names first puts the
    top of the list in the first rows shown. `reader list` keeps file order."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    paths = sorted(str(path) for path in generate(300, tmp_path))

    def first_parsed(newest_first: bool) -> list[str]:
        """The files of the first batch with rows (no cache: every file is parsed)."""
        batches = stream([str(tmp_path)], ParseCache(None), newest_first=newest_first)
        with contextlib.closing(batches):
            batch = next(batch for batch in batches if batch.entries)
        return sorted(entry.source for entry in batch.entries)

    newest = load([str(tmp_path)], ParseCache(None)).entries[0]
    first = first_parsed(newest_first=True)
    assert first == paths[-len(first) :]
    assert newest.source in first
    assert first_parsed(newest_first=False) == paths[: len(first)]


async def test_a_cold_load_ends_with_the_cursor_on_the_newest_story(
    collection: Path, tmp_path: Path
) -> None:
    """Batches arrive in (reverse) file order, not date order: a cursor nobody moved stays on
    the top row as newer stories arrive, so the load ends where the list starts."""
    app = ReaderApp(
        [str(collection)], cache=ParseCache(tmp_path / "cache.sqlite3"), now=lambda: NOW
    )
    async with app.run_test(size=(160, 40)) as pilot:
        await asyncio.wait_for(finished(app), timeout=30)
        await pilot.pause(0.2)
        articles = app.main.query_one(ArticleList)
        assert articles.cursor == 0
        assert articles.entry is articles.entries[0]
        assert app.main.query_one(DetailPane).article.key == articles.entries[0].key


@pytest.mark.parametrize("detail_caught_up", [False, True])
async def test_only_the_story_on_top_when_loading_ends_is_read(
    collection: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    slow_load: SlowLoad,
    detail_caught_up: bool,
) -> None:
    """The top row changes with every batch of a cold load: what merely passed through it was
    never read. The story on top when loading ends is shown, and so read: also when the detail
    pane had caught up with it before the end (batches slowed, the detail following at once)."""
    if detail_caught_up:
        slow_load(0.2)
        monkeypatch.setattr(main_screen, "LOADING_DETAIL_DELAY", 0.01)
    app = ReaderApp(
        [str(collection)], cache=ParseCache(tmp_path / "cache.sqlite3"), now=lambda: NOW
    )
    async with app.run_test(size=(160, 40)) as pilot:
        await asyncio.wait_for(finished(app), timeout=30)
        await pilot.pause(0.3)
        top = app.main.query_one(ArticleList).entries[0]
        assert app.state.read == {top.key}
        assert app.main.query_one(DetailPane).article.key == top.key


async def test_while_loading_the_first_story_shows_at_once_and_the_header_keeps_up(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow_load: SlowLoad
) -> None:
    """The detail pane shows the first story as soon as there is one (then follows a filling
    list slowly), and the header's counts catch up within a second even when no batch comes."""
    slow_load(0.2, pause_after_first_rows=3.0)
    monkeypatch.setattr(main_screen, "LOADING_DETAIL_DELAY", 30.0)
    app = ReaderApp(
        [str(collection)], cache=ParseCache(tmp_path / "cache.sqlite3"), now=lambda: NOW
    )
    async with app.run_test(size=(160, 40)) as pilot:
        articles, detail = app.main.query_one(ArticleList), app.main.query_one(DetailPane)
        while not articles.entries:
            await asyncio.sleep(0.005)
        rows_shown = len(articles.entries)
        await asyncio.wait_for(until(lambda: detail.article is not None), timeout=2)
        assert detail.article.key == articles.entries[0].key
        counted = f"{rows_shown:,} articles"
        await asyncio.wait_for(until(lambda: counted in app.sub_title), timeout=2)
        assert "loading" in app.sub_title
        assert len(articles.entries) == rows_shown  # still the first rows: no batch since
        assert app.state.read == set()  # only on top of a filling list: not read
        await asyncio.wait_for(finished(app), timeout=30)
        await pilot.pause()


async def test_a_story_the_user_moved_to_while_loading_keeps_the_cursor(
    collection: Path, tmp_path: Path, slow_load: SlowLoad
) -> None:
    slow_load(0.2)  # time to move between batches
    app = ReaderApp(
        [str(collection)], cache=ParseCache(tmp_path / "cache.sqlite3"), now=lambda: NOW
    )
    async with app.run_test(size=(160, 40)) as pilot:
        articles = app.main.query_one(ArticleList)
        while len(articles.entries) < 2:
            await asyncio.sleep(0.005)
        await pilot.press("j", "k")  # back on the top row, but by choice: it stays on this story
        chosen = articles.entry
        await asyncio.wait_for(finished(app), timeout=30)
        await pilot.pause(0.2)
        assert articles.entry.key == chosen.key
        assert app.main.query_one(DetailPane).article.key == chosen.key


async def test_a_reload_at_once_still_ends_with_the_whole_collection(
    collection: Path, tmp_path: Path
) -> None:
    """`r` (or the folder watcher) right at start-up replaces the load the app began with."""
    expected = rows(load([str(collection)], ParseCache(None)).entries)
    app = ReaderApp(
        [str(collection)], cache=ParseCache(tmp_path / "cache.sqlite3"), now=lambda: NOW
    )
    async with app.run_test(size=(160, 40)) as pilot:
        app.load_sources()
        await pilot.press("r")
        await asyncio.wait_for(finished(app), timeout=30)
        await pilot.pause()
        assert rows(app.main.query_one(ArticleList).entries) == expected
