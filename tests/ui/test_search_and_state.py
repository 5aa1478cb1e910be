"""Finding and keeping track in the app: search as you type, sort, facets, read and stars."""

from __future__ import annotations

from pathlib import Path

from reader.store.state import StateStore
from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.facets import FacetsPane
from tests.ui.helpers import loaded, make_app, screen_text, settled


def titles(app) -> list[str]:
    return [entry.title for entry in app.main.query_one(ArticleList).entries]


async def test_the_list_filters_as_you_type_and_escape_clears():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"robot")
        await pilot.pause()
        shown = titles(app)
        assert 0 < len(shown) < 52
        assert all(
            "robot" in (e.title + (e.excerpt or "") + " ".join(e.topics)).lower()
            or "robot" in (e.provider.name.lower() if e.provider else "")
            for e in app.main.query_one(ArticleList).entries
        )
        assert f"{len(shown)} of 52" in screen_text(app)
        await pilot.press(*" topic:AI")
        await pilot.pause()
        assert len(titles(app)) < len(shown)
        await pilot.press("escape")
        await pilot.pause()
        assert len(titles(app)) == 52
        assert "52 articles" in screen_text(app)


async def test_a_malformed_query_shows_the_error_and_keeps_the_last_good_result():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"topic:Robotics")
        await pilot.pause()
        good = titles(app)
        await pilot.press(*' "unclosed')
        await pilot.pause()
        assert "unclosed quote" in screen_text(app)
        assert titles(app) == good


async def test_enter_returns_to_the_list_with_the_filter_kept():
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"heat:>200", "enter")
        assert isinstance(app.focused, ArticleList)
        assert all(entry.heat > 200 for entry in app.main.query_one(ArticleList).entries)


async def test_capital_s_cycles_the_sort_and_the_header_says_which():
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("S")
        heats = [e.heat for e in app.main.query_one(ArticleList).entries if e.heat is not None]
        assert heats == sorted(heats, reverse=True)
        assert "by heat" in screen_text(app)
        await pilot.press("S", "S")
        assert "by title" in screen_text(app)
        shown = titles(app)
        assert shown == sorted(shown, key=str.casefold) or shown[0] < shown[-1]
        await pilot.press("S", "S")
        assert " by " not in app.sub_title


async def test_facets_count_the_result_and_picking_one_adds_it_to_the_query():
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        facets = app.main.query_one(FacetsPane)
        assert facets.display and app.focused is facets
        text = screen_text(app)
        assert "Topics" in text and "Providers" in text
        robotics = next(
            i
            for i in range(facets.option_count)
            if facets.get_option_at_index(i).id == "topic:Robotics"
        )
        facets.highlighted = robotics
        await pilot.press("enter")
        await pilot.pause()
        assert "topic:Robotics" in screen_text(app)
        assert all("Robotics" in e.topics for e in app.main.query_one(ArticleList).entries)
        await pilot.press("t")
        assert not facets.display


async def test_shown_articles_become_read_and_m_toggles(tmp_path: Path):
    state = StateStore(tmp_path / "state.sqlite3")
    app = make_app(state=state)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        first = app.main.entry
        assert first.key in state.read  # shown in the detail pane
        articles = app.main.query_one(ArticleList)
        assert "●" not in articles.render_line(0).text
        assert "●" in articles.render_line(1).text
        await pilot.press("m")
        assert first.key not in state.read
        assert "●" in articles.render_line(0).text


async def test_stars_and_read_marks_survive_a_restart(tmp_path: Path):
    path = tmp_path / "state.sqlite3"
    app = make_app(state=StateStore(path))
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "asterisk")
        await settled(pilot)
        starred = app.main.entry.key
        assert "★" in app.main.query_one(ArticleList).render_line(1).text
    app.state.close()

    again = make_app(state=StateStore(path))
    async with again.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        assert starred in again.state.starred and starred in again.state.read
        assert "★" in again.main.query_one(ArticleList).render_line(1).text
        await pilot.press("slash", *"is:starred", "enter")
        assert [e.key for e in again.main.query_one(ArticleList).entries] == [starred]


async def test_n_jumps_to_the_next_unread(tmp_path: Path):
    app = make_app(state=StateStore(None))
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        app.state.set_read([e.key for e in app.main.query_one(ArticleList).entries[1:5]])
        await pilot.press("n")
        assert app.main.query_one(ArticleList).cursor == 5


async def test_capital_a_marks_the_result_read_after_confirmation():
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"topic:Robotics", "enter", "A")
        assert isinstance(app.screen, ConfirmScreen)
        assert "unread articles in this result read?" in screen_text(app)
        await pilot.press("n")
        robotics = [e.key for e in app.main.query_one(ArticleList).entries]
        assert not set(robotics) <= app.state.read
        await pilot.press("A", "y")
        assert set(robotics) <= app.state.read
        assert len(app.state.read) < 52
        assert "0 unread" not in app.sub_title


async def test_every_action_is_in_the_command_palette_with_its_key():
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p", *"mark all")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Mark all read  (A)" in text
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, ConfirmScreen)
