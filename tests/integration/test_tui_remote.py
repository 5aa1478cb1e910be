"""The app with URL sources: it stays usable while a slow server answers, says it is loading,
and shows the remote records (and their detail) once they arrive."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

from textual.pilot import Pilot

from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.detail import DetailPane
from reader.ui.widgets.query_bar import QueryBar
from tests.integration.conftest import Reply, page, serve_collection
from tests.ui.helpers import finished, loaded, make_app, record, screen_text, settled

TOPIC = "/api/news/slow"
HOLD = 6.0  # the longest the slow server holds its answer back
# Seconds a key may take while loading goes on. A UI that waited on the fetch would take the
# whole HOLD; this leaves room for a slow, busy machine (two test workers on two cores: the
# help screen, the slowest key, has taken ~1 s there; ~0.3 s on an idle one).
KEY_BUDGET = 1.5


def titles(app) -> list[str]:
    return [entry.title for entry in app.main.query_one(ArticleList).entries]


async def until(pilot: Pilot, condition, timeout: float = 5.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        await pilot.pause(0.02)


async def timed_press(pilot: Pilot, *keys: str) -> float:
    started = time.monotonic()
    await pilot.press(*keys)
    return time.monotonic() - started


async def test_the_app_stays_responsive_while_a_slow_server_answers(server) -> None:
    """The server holds its answer back until the keys have been pressed (at most HOLD s):
    every key is handled while the page is still on its way, and the header says so."""
    body = json.dumps(page(1, None, "Slow but sure", "Worth the wait", day=26)).encode()
    path = f"{TOPIC}/index.json"
    asked, answer = threading.Event(), threading.Event()

    def slow(request) -> Reply:
        asked.set()
        answer.wait(HOLD)
        return Reply(200, body, {"Content-Type": "application/json"})

    server.routes[path] = slow
    app = make_app(server.url(path))
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        try:
            await until(pilot, asked.is_set, what="the request to reach the server")
            assert "loading" in app.sub_title
            assert "loading" in screen_text(app)

            timings = {"slash": await timed_press(pilot, "slash")}
            assert app.main.query_one(QueryBar).display
            for char in "robots":
                timings[f"typing {char}"] = await timed_press(pilot, char)
            assert app.main.query_one(QueryBar).text == "robots"
            timings["escape"] = await timed_press(pilot, "escape")
            assert not app.main.query_one(QueryBar).display
            timings["question_mark"] = await timed_press(pilot, "question_mark")
            assert isinstance(app.screen, HelpScreen)
            timings["escape again"] = await timed_press(pilot, "escape")
            assert isinstance(app.screen, MainScreen)

            assert server.log == [], "the page was answered meanwhile"
            assert all(took < KEY_BUDGET for took in timings.values()), timings
            assert titles(app) == []
            assert "loading" in app.sub_title
        finally:
            answer.set()

        await asyncio.wait_for(finished(app), timeout=10)
        await settled(pilot)
        assert titles(app) == ["Slow but sure", "Worth the wait"]
        assert "loading" not in app.sub_title
        assert "2 articles" in screen_text(app)


async def test_remote_records_show_in_the_list_and_the_detail(server) -> None:
    url = serve_collection(
        server,
        "/api/news/robots",
        page(1, 2, "Robots learn to fold laundry", day=26),
        page(2, None, "Older robot news", day=20),
    )
    app = make_app(url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        assert titles(app) == ["Robots learn to fold laundry", "Older robot news"]
        text = screen_text(app)
        assert "Robots learn to fold laundry" in text and "Older robot news" in text

        detail = app.main.query_one(DetailPane)
        assert detail.article is not None
        assert detail.article.title == "Robots learn to fold laundry"
        head = str(detail.query_one("#detail-head").render())
        assert "Robots learn to fold laundry" in head
        assert "Remote Wire" in head and "remotewire.example" in head

        await pilot.press("j")
        await settled(pilot)
        assert detail.article.title == "Older robot news"
        assert "Older robot news" in str(detail.query_one("#detail-head").render())
        assert "2 articles" in app.sub_title


def slow_after_first(server, path: str, body: bytes, delay: float = 1.0) -> str:
    """Serve `body` at once the first time, then after `delay` (a slow reload)."""
    calls: list[int] = []

    def handle(request) -> Reply:
        calls.append(1)
        return Reply(
            200, body, {"Content-Type": "application/json"}, delay=delay * (len(calls) > 1)
        )

    server.routes[path] = handle
    return server.url(path)


async def watch_reload(pilot: Pilot, app, seconds: float) -> list[list[str]]:
    """The list's titles every 50 ms for `seconds` (what the user sees during a reload)."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.append(titles(app))
        await pilot.pause(0.05)
    return seen


async def test_r_on_a_remote_collection_keeps_the_list_shown_while_it_refetches(server) -> None:
    """A reload does not empty the list while the URLs are fetched again (nothing to read
    for as long as the server takes)."""
    body = json.dumps(page(1, None, "One", "Two", "Three", day=26)).encode()
    url = slow_after_first(server, f"{TOPIC}/index.json", body)
    app = make_app(url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        await pilot.press("r")
        seen = await watch_reload(pilot, app, 0.8)
        await asyncio.wait_for(finished(app), timeout=5)
        assert len(server.log) == 2
        assert all(shown == ["One", "Two", "Three"] for shown in seen), seen


async def test_r_on_a_remote_collection_keeps_the_cursor_on_its_story(server) -> None:
    body = json.dumps(page(1, None, "One", "Two", "Three", day=26)).encode()
    url = slow_after_first(server, f"{TOPIC}/index.json", body, delay=0.3)
    app = make_app(url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        await pilot.press("j", "j")
        await settled(pilot)
        assert app.main.entry.title == "Three"
        await pilot.press("r")
        await pilot.pause(0.1)
        await asyncio.wait_for(finished(app), timeout=5)
        await settled(pilot)
        assert len(server.log) == 2
        assert app.main.entry.title == "Three"


async def test_a_local_edit_does_not_hide_the_remote_stories(server, tmp_path: Path) -> None:
    """The watcher's reload of a folder refetches the URLs too: their stories stay listed."""
    folder = tmp_path / "news"
    folder.mkdir()
    local = folder / "local.md"
    local.write_text(record("Local story", "https://a.example/l", publishedDateTime="2026-11-01"))
    body = json.dumps(page(1, None, "Remote story", day=26)).encode()
    url = slow_after_first(server, f"{TOPIC}/index.json", body)
    app = make_app(folder, url)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        assert titles(app) == ["Remote story", "Local story"]

        local.write_text(
            record("Local, edited", "https://a.example/l", publishedDateTime="2026-11-01")
        )
        deadline = time.monotonic() + 5
        while len(server.log) < 2:  # the watcher reloads, which fetches the URL again
            assert time.monotonic() < deadline, "the watcher did not reload"
            await pilot.pause(0.02)
        seen = await watch_reload(pilot, app, 0.6)
        await asyncio.wait_for(finished(app), timeout=5)
        assert titles(app) == ["Remote story", "Local, edited"]
        assert all("Remote story" in shown for shown in seen), seen


async def test_a_url_that_fails_is_a_problem_the_user_can_read(server) -> None:
    good = serve_collection(server, "/api/news/robots", page(1, None, "Robot news", day=26))
    missing = server.url("/api/news/gone/index.json")
    app = make_app(good, missing)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        assert titles(app) == ["Robot news"]
        assert "1 problem while loading" in screen_text(app)
        await pilot.press("p")
        text = screen_text(app)
        assert "/api/news/gone/index.json" in text and "HTTP 404" in text
