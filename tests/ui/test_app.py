"""The reader as a user drives it: keys, what the panes show, what gets opened or copied."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reader.fulltext.document import Fulltext
from reader.fulltext.store import FulltextStore
from reader.model import normalize_url
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.links import LinksScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.problems import ProblemsScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.related_list import RelatedList
from tests.ui.helpers import finished, loaded, make_app, record, screen_text, settled

QUANTUM = "Transformer-based quantum error correction runs on real hardware"
QUANTUM_URL = (
    "https://quantumgazette.net/stories/2026-11-26/"
    "transformer-based-quantum-error-correction-runs-on-real-hardware-for-the-first-time"
)


def rows(app) -> list[str]:
    articles = app.main.query_one(ArticleList)
    return [articles.render_line(y).text for y in range(articles.size.height)]


async def test_header_names_the_collection_and_counts_it():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        assert "Sample collection · 52 articles" in screen_text(app)


async def test_rows_show_title_provider_relative_date_and_heat_newest_first():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        first, second = rows(app)[1], rows(app)[2]
        assert "Transformer-based quantum" in first and "The Quantum Gazet" in first
        assert "5 h" in first and "171" in first
        assert "8 h" in second
        assert first.rstrip().endswith("171")


async def test_long_titles_end_in_an_ellipsis_and_wide_characters_keep_columns(tmp_path: Path):
    (tmp_path / "a.md").write_text(
        record(
            "日本語のタイトルがとても長い記事です、列がずれないこと" * 2,
            "https://a.example/1",
            publishedDateTime="2026-11-26T00:00:00Z",
            heat=300,
            provider={"name": "Wide"},
        )
    )
    (tmp_path / "b.md").write_text(
        record(
            "An ASCII title that is also long enough to be cut somewhere " * 2,
            "https://a.example/2",
            publishedDateTime="2026-11-25T00:00:00Z",
            heat=5,
            provider={"name": "Narrow"},
        )
    )
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        wide, narrow = rows(app)[:2]
        assert "…" in wide and "…" in narrow
        articles = app.main.query_one(ArticleList)
        strips = [articles.render_line(y) for y in range(2)]
        assert strips[0].cell_length == strips[1].cell_length

        # The provider column starts at the same cell in both rows.
        def cell_of(strip, text):
            plain = strip.text
            from rich.cells import cell_len

            return cell_len(plain[: plain.index(text)])

        assert cell_of(strips[0], "Wide") == cell_of(strips[1], "Narrow")


async def test_keys_move_the_cursor_and_the_detail_follows():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        articles = app.main.query_one(ArticleList)
        await pilot.press("j")
        await settled(pilot)
        assert articles.cursor == 1
        assert QUANTUM in screen_text(app)
        await pilot.press("down", "down", "k", "up")
        assert articles.cursor == 1
        await pilot.press("G")
        assert articles.cursor == len(articles.entries) - 1
        await pilot.press("g")
        assert articles.cursor == 0
        await pilot.press("end")
        assert articles.cursor == len(articles.entries) - 1
        await pilot.press("home", "pagedown")
        assert articles.cursor > 10
        await pilot.press("pageup")
        assert articles.cursor == 0


async def test_detail_shows_every_part_of_the_record():
    app = make_app()
    async with app.run_test(size=(160, 60), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j")
        await settled(pilot)
        text = screen_text(app)
        for expected in (
            QUANTUM,
            "The Quantum Gazette",
            "quantumgazette.net",
            "Thu 2026-11-26 22:55 UTC",
            "(5 hours ago)",
            "article · news",
            "heat 171",
            "quality",
            "Image",
            "Web",
            "AMP",
            "Related stories",
            "Researchers train a transformer",
            "in this collection",
            "opens in browser",
            "From",
            "sample_content",
        ):
            assert expected in text, expected


async def test_markdown_body_is_shown():
    app = make_app()
    async with app.run_test(size=(160, 80), notifications=True) as pilot:
        await loaded(pilot)
        app.main.query_one(ArticleList).select_key(
            "https://northwindscience.com/news/explainer-how-to-read-an-ai-model-card-before-you-trust-the-model-3264"
        )
        await settled(pilot)
        body = app.main.query_one("#detail-body")
        assert body.display
        assert "model card" in screen_text(app).lower()


async def test_tab_moves_focus_to_related_stories_and_back():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j")
        await settled(pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, RelatedList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, ArticleList)


async def test_enter_on_a_related_story_in_the_collection_jumps_to_it(opened):
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j")
        await settled(pilot)
        await pilot.press("tab", "enter")
        await settled(pilot)
        assert app.main.entry.title.startswith("Researchers train a transformer")
        assert isinstance(app.focused, ArticleList)
        assert opened() == []


async def test_enter_on_a_related_story_elsewhere_opens_it_in_the_browser(opened):
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j")
        await settled(pilot)
        related = app.main.query_one(RelatedList)
        outside = related.related[1]
        await pilot.press("tab", "down", "enter")
        await finished(app)
        assert opened() == [[outside.web_url]]


async def test_o_opens_the_web_url_and_enter_reads_the_article_in_reader_mode(opened):
    store = FulltextStore(None)  # read before: reader mode needs no network here
    saved = Fulltext(QUANTUM_URL, "The saved text of the story.\n", (), datetime(2026, 11, 26))
    store.put(normalize_url(QUANTUM_URL), saved)
    app = make_app(fulltext=store)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j", "o")
        await finished(app)
        assert opened() == [[QUANTUM_URL]]
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReaderScreen)
        assert "The saved text of the story." in screen_text(app)
        await finished(app)
        assert opened() == [[QUANTUM_URL]]


async def test_capital_o_offers_every_link_and_opens_the_chosen_one(opened):
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j", "O")
        assert isinstance(app.screen, LinksScreen)
        text = screen_text(app)
        assert "Web" in text and "AMP" in text and "Related: Researchers train" in text
        await pilot.press("down", "enter")
        await finished(app)
        assert isinstance(app.screen, MainScreen)
        assert opened() == [[QUANTUM_URL + "/amp"]]


async def test_y_copies_the_url():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j", "y")
        assert app.clipboard == QUANTUM_URL


async def test_o_and_y_use_the_original_url_of_a_record_without_a_web_url(tmp_path, opened):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Only an original\noriginalUrl: https://news.example/original\n---\n"
    )
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("o", "y")
        await finished(app)
        await settled(pilot)
        assert opened() == [["https://news.example/original"]]
        assert app.clipboard == "https://news.example/original"


async def test_only_http_links_are_opened(tmp_path: Path, opened):
    (tmp_path / "bad.md").write_text(record("Click me", "javascript:alert(1)"))
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await finished(app)
        await settled(pilot)
        assert opened() == []
        assert "only http and https" in screen_text(app)


async def test_without_a_browser_the_url_is_shown_and_copied(monkeypatch, opened):
    monkeypatch.delenv("BROWSER")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j", "o")
        await finished(app)
        await settled(pilot)
        assert opened() == []
        assert app.clipboard == QUANTUM_URL
        assert "No browser could be started" in screen_text(app)


async def test_problems_are_one_notification_and_a_screen_lists_them(tmp_path: Path):
    (tmp_path / "good.md").write_text(record("Fine", "https://a.example/fine"))
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    (tmp_path / "empty.md").write_text("")
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        assert "2 problems while loading" in screen_text(app)
        await pilot.press("p")
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "broken.md" in text and "invalid YAML" in text
        assert "empty.md" in text and "empty file" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_record_text_is_never_markup(tmp_path: Path):
    (tmp_path / "a.md").write_text(
        record(
            "[bold]Loud[/bold] [@click=app.quit]quit[/] \x1b[31mred",
            "https://a.example/x",
            excerpt="[link=https://evil.example]click[/link]",
        )
    )
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "[bold]Loud[/bold]" in text
        assert "[link=https://evil.example]click[/link]" in text
        assert "\x1b" not in text
        assert app.is_running


async def test_the_same_story_in_two_files_is_one_row(tmp_path: Path):
    (tmp_path / "a.md").write_text(record("Same story", "https://a.example/s"))
    (tmp_path / "b.md").write_text(
        record("Same story", "https://a.example/s/", excerpt="fuller", heat=3)
    )
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        assert len(app.main.query_one(ArticleList).entries) == 1
        assert "fuller" in screen_text(app)


async def test_help_lists_every_key():
    app = make_app()
    async with app.run_test(size=(160, 120), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in (
            "j",
            "k",
            "g",
            "G",
            "Home",
            "End",
            "PgUp",
            "PgDn",
            "Tab",
            "Shift+Tab",
            "Enter",
            "v",
            "o",
            "O",
            "y",
            "?",
            "q",
            "p",
            "Space",
            "b",
        ):
            assert f" {key} " in text or f" {key}\n" in text, key
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_mouse_click_selects_a_row():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.click(ArticleList, offset=(10, 3))
        assert app.main.query_one(ArticleList).cursor == 3


async def test_q_quits():
    app = make_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
