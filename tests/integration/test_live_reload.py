"""The app follows its folder: record files added, edited or removed on disk show up by
themselves (the file watcher), and `r` reads every source again."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from reader.ui.app import ReaderApp
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.detail import DetailPane
from tests.ui.helpers import finished, loaded, make_app, record, screen_text, settled

WITHIN = 5.0  # seconds a change on disk may take to show


def titles(app: ReaderApp) -> list[str]:
    return [entry.title for entry in app.main.query_one(ArticleList).entries]


async def until(
    pilot: Pilot, condition: Callable[[], bool], what: str, within: float = WITHIN
) -> float:
    """Wait (bounded) until `condition` holds; how long it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < within, f"not within {within} s: {what}"
        await pilot.pause(0.05)
    return time.monotonic() - started


def story(folder: Path, name: str, title: str, day: int) -> Path:
    path = folder / name
    path.write_text(
        record(title, f"https://news.example/{name}", publishedDateTime=f"2026-11-{day:02d}T08:00Z")
    )
    return path


def two_stories(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    story(folder, "a.md", "Story A", 10)
    story(folder, "b.md", "Story B", 9)
    return folder


async def test_files_added_edited_and_removed_on_disk_show_by_themselves(tmp_path: Path):
    folder = two_stories(tmp_path)
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        assert titles(app) == ["Story A", "Story B"]

        story(folder, "c.md", "Story C arrives", 11)
        await until(pilot, lambda: len(titles(app)) == 3, "a new file is listed")
        assert titles(app) == ["Story C arrives", "Story A", "Story B"]

        assert app.main.entry.title == "Story A"  # the cursor stayed on its story

        story(folder, "a.md", "Story A, corrected headline", 10)
        await until(pilot, lambda: "Story A, corrected headline" in titles(app), "an edit shows")
        assert titles(app) == ["Story C arrives", "Story A, corrected headline", "Story B"]

        (folder / "b.md").unlink()
        await until(pilot, lambda: "Story B" not in titles(app), "a removed file goes")
        assert titles(app) == ["Story C arrives", "Story A, corrected headline"]

        await asyncio.wait_for(finished(app), timeout=5)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "Story A, corrected headline" in text and "Story B" not in text
        assert "2 articles" in app.sub_title


async def test_editing_the_story_under_the_cursor_keeps_the_cursor_on_it(tmp_path: Path):
    folder = two_stories(tmp_path)
    story(folder, "c.md", "Story C", 8)
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        await pilot.press("j")
        await settled(pilot)
        assert app.main.entry.title == "Story B"

        story(folder, "b.md", "Story B, corrected headline", 9)
        await until(pilot, lambda: "Story B, corrected headline" in titles(app), "an edit shows")
        await asyncio.wait_for(finished(app), timeout=5)

        assert titles(app) == ["Story A", "Story B, corrected headline", "Story C"]
        assert app.main.entry.title == "Story B, corrected headline"
        detail = app.main.query_one(DetailPane)
        await until(
            pilot,
            lambda: detail.article.title == "Story B, corrected headline",
            "the detail pane shows the edited record",
            within=1.0,
        )


async def test_a_search_shows_the_files_as_they_are_now(tmp_path: Path):
    """With a search on, a reload refilters: an edit that stops matching leaves the result,
    one that starts matching joins it, and the old text is no longer found."""
    folder = two_stories(tmp_path)
    story(folder, "c.md", "Robots fold laundry", 8)
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        await pilot.press("slash", *"robots", "enter")
        assert titles(app) == ["Robots fold laundry"]

        story(folder, "c.md", "Drones fold laundry", 8)
        story(folder, "a.md", "Story A: robots everywhere", 10)
        await until(
            pilot, lambda: titles(app) == ["Story A: robots everywhere"], "the search refilters"
        )
        await asyncio.wait_for(finished(app), timeout=5)
        await pilot.pause(0.1)
        assert titles(app) == ["Story A: robots everywhere"]
        assert "1 of 3" in app.sub_title
        await pilot.press("escape")
        assert titles(app) == ["Story A: robots everywhere", "Story B", "Drones fold laundry"]


async def test_files_in_subfolders_are_followed_too(tmp_path: Path):
    folder = two_stories(tmp_path)
    (folder / "2026").mkdir()
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        story(folder / "2026", "d.md", "Story D in a subfolder", 12)
        await until(pilot, lambda: "Story D in a subfolder" in titles(app), "a nested new file")


async def test_folders_of_records_moved_in_and_out_are_followed(tmp_path: Path):
    folder = two_stories(tmp_path)
    incoming = tmp_path / "incoming" / "2026-11"
    incoming.mkdir(parents=True)
    story(incoming, "d.md", "Story D moves in", 12)
    (folder / "2025").mkdir()
    story(folder / "2025", "e.md", "Story E moves out", 1)
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        assert "Story E moves out" in titles(app)
        incoming.rename(folder / "2026-11")
        (folder / "2025").rename(tmp_path / "archived-2025")
        await until(
            pilot,
            lambda: titles(app) == ["Story D moves in", "Story A", "Story B"],
            "folders moved in and out",
            within=2.5,
        )


async def test_an_editor_saving_through_a_temporary_file_is_followed(tmp_path: Path):
    """Editors write a hidden temporary file and rename it over the record."""
    folder = two_stories(tmp_path)
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        temporary = story(folder, ".a.md.swp", "Story A, saved atomically", 10)
        os.replace(temporary, folder / "a.md")
        await until(pilot, lambda: "Story A, saved atomically" in titles(app), "a saved edit")
        assert titles(app) == ["Story A, saved atomically", "Story B"]


async def test_removing_every_file_empties_the_list(tmp_path: Path):
    folder = two_stories(tmp_path)
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        for path in folder.iterdir():
            path.unlink()
        await until(pilot, lambda: titles(app) == [], "the list empties")
        await asyncio.wait_for(finished(app), timeout=5)
        await pilot.pause(0.1)
        assert "0 articles" in app.sub_title
        assert app.main.query_one(DetailPane).article is None


async def test_r_reads_the_sources_again(tmp_path: Path):
    folder = two_stories(tmp_path)
    app = make_app(folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await asyncio.wait_for(loaded(pilot), timeout=10)
        # Stop the watcher (as if it missed the change: a network drive, a full inotify table),
        # so only `r` can bring the change in.
        for worker in app.workers:
            if worker.group == "watch":
                worker.cancel()  # it looks before it reloads: no reload from here on

        story(folder, "b.md", "Story B, edited while nobody watched", 9)
        await pilot.pause(0.8)
        assert "Story B" in titles(app), "the watcher reloaded: `r` is not what is tested"

        await pilot.press("r")
        await until(
            pilot, lambda: "Story B, edited while nobody watched" in titles(app), "`r` reloads"
        )
        await asyncio.wait_for(finished(app), timeout=5)
        assert titles(app) == ["Story A", "Story B, edited while nobody watched"]
        assert "2 articles" in app.sub_title
