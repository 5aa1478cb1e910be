"""The app on a feed URL: its entries in the list, and everything of one in the detail pane."""

from __future__ import annotations

import asyncio

from reader.ui.widgets.article_list import ArticleList
from tests.feeds.conftest import serve_feed
from tests.feeds.test_security import HOSTILE
from tests.ui.helpers import loaded, make_app, screen_text, settled


async def test_a_feed_entry_shows_in_the_list_and_the_detail_pane(server) -> None:
    app = make_app(serve_feed(server, "news.rss"))
    async with app.run_test(size=(160, 60), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        rows = [entry.title for entry in app.main.query_one(ArticleList).entries]
        assert rows == [
            "Chipmakers race to build 2nm fabs – and Europe wants in",
            "Open-source RISC-V laptop ships <finally>",
            "Podcast: the week in chips",
        ]
        text = screen_text(app)
        for expected in (
            "Chipmakers race to build 2nm fabs – and Europe wants in",  # the detail's title
            "The Daily Circuit  dailycircuit.example",
            "Tue 2024-03-05 07:30 UTC",
            "Semiconductors",
            "Europe",
            "Three foundries announced new fabs this week & the EU’s Chips Act money",
            "1200×675 https://cdn.dailycircuit.example/fab-1200.jpg",
            "https://www.dailycircuit.example/2024/03/05/2nm-fabs/",
            "Why 2nm matters",  # the body
            "Smaller transistors use *less* power.",  # as written, not as emphasis
            "• TSMC",
        ):
            assert expected in text, expected
        assert "<p>" not in text and "<strong>" not in text and "tracking" not in text

        await pilot.press("j")
        await settled(pilot)
        text = screen_text(app)
        assert "A laptop you can audit down to the instruction set. Preorders open today." in text
        assert "https://cdn.dailycircuit.example/laptop.png" in text


async def test_feed_markup_is_shown_as_text(server) -> None:
    server.static("/hostile.rss", HOSTILE.encode(), {"Content-Type": "application/rss+xml"})
    app = make_app(server.url("/hostile.rss"))
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        text = screen_text(app)
        assert "[bold red]Pwned[/] ␛]52;c;ZWNobw==␇ end" in text
        assert "Evil [b]Feed[/b]" in text
        assert "# Not a heading *not bold* [not a link](javascript:x)" in text
        assert "\x1b" not in text and "alert(1)</script>" not in text
