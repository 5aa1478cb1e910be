"""The article list draws each row once and reuses it while the list fills; a row must still be
drawn anew when its story changes under the same key (a record edited on disk)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.model import Entry
from reader.ui.widgets.article_list import ArticleList
from tests.ui.helpers import NOW


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleList(lambda: NOW, lambda entry: False, lambda entry: False)


def rows(app: ListApp, count: int) -> list[str]:
    articles = app.query_one(ArticleList)
    return [articles.render_line(y).text for y in range(count)]


async def test_a_story_changed_under_the_same_key_is_drawn_anew() -> None:
    first = Entry("https://news.example/a", "Robots fold laundry", "a.md")
    second = Entry("https://news.example/b", "Chips get faster", "b.md")
    app = ListApp()
    async with app.run_test(size=(100, 10)) as pilot:
        articles = app.query_one(ArticleList)
        articles.show([first, second])
        await pilot.pause()
        assert "Robots fold laundry" in rows(app, 2)[0]

        edited = Entry("https://news.example/a", "Robots fold laundry, at last", "a.md")
        articles.show([edited, second])
        await pilot.pause()
        drawn = rows(app, 2)
        assert "Robots fold laundry, at last" in drawn[0]
        assert "Chips get faster" in drawn[1]


async def test_rows_are_drawn_anew_in_a_new_theme() -> None:
    story = Entry("https://news.example/a", "Robots fold laundry", "a.md")
    app = ListApp()
    async with app.run_test(size=(100, 10)) as pilot:
        articles = app.query_one(ArticleList)
        articles.show([story])
        await pilot.pause()
        dark = [segment.style for segment in articles.render_line(0)]

        app.theme = "textual-light"
        await pilot.pause()
        light = [segment.style for segment in articles.render_line(0)]
        assert light != dark
