"""`e` in the app: the list as shown goes to the file the user names, in the format asked for."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Static

from reader.ui.screens.confirm import ConfirmScreen
from reader.ui.screens.export import ExportScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article_list import ArticleList
from tests.cli.test_cli import record
from tests.ui.helpers import loaded, make_app, screen_text, settled

SIZE = (140, 40)


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder with a short path, so that a toast naming a file in it fits on one line."""
    with tempfile.TemporaryDirectory(prefix="rx-", dir="/tmp") as name:
        yield Path(name)


async def search_and_export(pilot: Pilot, query: str = "robot") -> list[str]:
    """Search, press e; the titles the list shows, in order."""
    await loaded(pilot)
    await pilot.press("slash", *query, "enter")
    await settled(pilot)
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExportScreen)
    return [entry.title for entry in pilot.app.main.query_one(ArticleList).entries]


async def type_path(pilot: Pilot, path: Path | str) -> None:
    await pilot.press("ctrl+u", *str(path))


def message(pilot: Pilot) -> str:
    """The line of the dialog that says what went wrong (or what is going on)."""
    line = pilot.app.screen.query_one("#export-message", Static)
    return str(line.content) if line.display else ""


async def written(pilot: Pilot) -> None:
    """Wait for the dialog's write (a thread) to end and its outcome to show. (A successful
    write closes the dialog, which cancels its worker: wait_for_complete would raise.)"""
    await pilot.pause()
    for worker in [worker for worker in pilot.app.workers if worker.group == "export"]:
        while not worker.is_finished:
            await asyncio.sleep(0.01)
    await pilot.pause()


async def test_e_writes_the_filtered_list_in_its_order(folder: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("S")  # by heat: the file follows the list, not the date
        shown = await search_and_export(pilot)
        target = folder / "robots.jsonl"
        await type_path(pilot, target)
        await pilot.press("enter")
        await written(pilot)
        assert isinstance(app.screen, MainScreen)
        assert f"Exported {len(shown)} articles to {target}" in screen_text(app)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["title"] for line in lines] == shown
    assert 1 < len(shown) < 52


async def test_the_dialog_offers_a_dated_markdown_file_in_home() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shown = await search_and_export(pilot)
        assert app.screen.query_one(Input).value == "~/reader-export-2026-11-27.md"
        assert app.screen.query_one("#format-md", RadioButton).value
        assert f"Export the {len(shown)} articles in the list to:" in screen_text(app)


async def test_choosing_a_format_sets_the_extension_and_back(folder: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_and_export(pilot)
        field = app.screen.query_one(Input)
        await type_path(pilot, folder / "list.md")
        await pilot.press("tab", "right", "enter")  # the radio after Markdown: CSV
        await pilot.pause()
        assert field.value == f"{folder / 'list.csv'}"
        assert app.screen.focused is field
        await pilot.press("backspace", "backspace", "backspace", *"json")
        await pilot.pause()
        assert app.screen.query_one("#format-json", RadioButton).value
        await pilot.press("enter")
        await written(pilot)
    assert isinstance(json.loads((folder / "list.json").read_text()), list)


async def test_a_name_of_another_extension_keeps_the_chosen_format(folder: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shown = await search_and_export(pilot)
        await type_path(pilot, folder / "robots.txt")
        await pilot.press("tab", "right", "enter")  # CSV: robots.txt.csv
        await pilot.pause()
        await pilot.press("backspace", "backspace", "backspace", "backspace", "enter")
        await written(pilot)
    header, *rows = csv.reader(io.StringIO((folder / "robots.txt").read_text(), newline=""))
    assert header[0] == "title"
    assert [row[0] for row in rows] == shown


async def test_enter_on_the_chosen_format_goes_back_to_the_name(folder: Path) -> None:
    """A name without an extension is written as it is, in the format chosen."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_and_export(pilot)
        await type_path(pilot, folder / "reading")
        await pilot.press("tab", "enter")  # Markdown, chosen already
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one(Input)
        await pilot.press("enter")
        await written(pilot)
        assert isinstance(app.screen, MainScreen)
    assert (folder / "reading").read_text().startswith("# Reading list: robot")


async def test_an_existing_file_is_replaced_only_when_confirmed(folder: Path) -> None:
    target = folder / "list.md"
    target.write_text("my notes")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_and_export(pilot)
        await type_path(pilot, target)
        await pilot.press("enter")
        await written(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"{target} exists. Replace it?" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, ExportScreen)
        assert target.read_text() == "my notes"
        await pilot.press("enter")
        await written(pilot)
        await pilot.press("y")
        await written(pilot)
        assert isinstance(app.screen, MainScreen)
    assert target.read_text().startswith("# Reading list: robot (2026-11-27)")


async def test_a_missing_folder_is_named_and_the_dialog_stays(folder: Path) -> None:
    target = folder / "no such folder" / "list.md"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_and_export(pilot)
        await type_path(pilot, target)
        await pilot.press("enter")
        await written(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert message(pilot) == (
            f"Cannot write {target}: the folder {target.parent} does not exist"
        )
        await type_path(pilot, folder / "list.md")  # fixed: it writes
        await pilot.press("enter")
        await written(pilot)
        assert isinstance(app.screen, MainScreen)
    assert not target.parent.exists()
    assert (folder / "list.md").exists()


async def test_an_error_of_any_kind_is_shown_and_the_app_stays(folder: Path) -> None:
    """Not only OSError: any exception of the writer (a record it cannot write) is an error
    in the dialog, naming the file; escaping the thread, it would close the app."""
    target = folder / "list.md"
    target.write_text("my notes")

    def writer(path: Path, fmt: str, replace: bool) -> int:
        raise OverflowError("date value out of range")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.push_screen(ExportScreen(writer, 3, date(2026, 11, 27)))
        await pilot.pause()
        await type_path(pilot, target)
        await pilot.press("enter")
        await written(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert message(pilot) == f"Cannot write {target}: OverflowError: date value out of range"
        await pilot.press("escape")  # no longer busy: the dialog closes
        assert isinstance(app.screen, MainScreen)
    assert target.read_text() == "my notes"


async def test_a_story_dated_year_1_exports_west_of_utc(
    folder: Path, tmp_path: Path, write, west_of_utc: None
) -> None:
    """0001-01-01T00:00Z has no local time five hours west of UTC: the list shows it and
    the reading list has it, each with the record's own day."""
    write("stories/old.md", record("Very old", url="https://e.com/old", when="0001-01-01"))
    write("stories/new.md", record("New", url="https://e.com/new", when="2026-11-01T10:00:00Z"))
    target = folder / "list.md"
    target.write_text("my notes")
    app = make_app(tmp_path / "stories")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        assert "0001-01-01" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        await type_path(pilot, target)
        await pilot.press("enter")
        await written(pilot)
        await pilot.press("y")  # replace it
        await written(pilot)
        assert isinstance(app.screen, MainScreen)
    lines = target.read_text().splitlines()
    assert "- [Very old](https://e.com/old) — 0001-01-01" in lines
    assert list(folder.iterdir()) == [target]


async def test_the_name_of_a_folder_is_refused_not_replaced(folder: Path) -> None:
    (folder / "notes").mkdir()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_and_export(pilot)
        await type_path(pilot, folder / "notes")
        await pilot.press("enter")
        await written(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert message(pilot) == f"Cannot write {folder / 'notes'}: that is a folder"


async def test_escape_cancels_and_writes_nothing(folder: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_and_export(pilot)
        await type_path(pilot, folder / "list.md")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
    assert list(folder.glob("list.*")) == []


async def test_an_empty_list_has_nothing_to_export() -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"zzzznothing", "enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Nothing to export" in screen_text(app)


async def test_e_is_in_the_help_and_the_command_palette() -> None:
    app = make_app()
    async with app.run_test(size=(160, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert " e " in screen_text(app) and "export the list as shown" in screen_text(app)
        await pilot.press("escape", "ctrl+p", *"export")
        await pilot.pause(0.3)
        assert "Export to a file  (e)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
