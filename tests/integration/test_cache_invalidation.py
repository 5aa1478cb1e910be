"""The parse cache on disk never shows a stale or doubled record: `reader list` after edits,
additions, removals and touches prints what the files say now; a damaged cache file is set
aside and rebuilt with a notice; --no-cache leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest

from tests.integration.conftest import Ran, record


def cache_file() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "reader" / "parse-cache.sqlite3"


def write_story(folder: Path, name: str, title: str, day: int) -> Path:
    path = folder / name
    path.write_text(
        record(title, f"https://news.example/{name}", publishedDateTime=f"2026-11-{day:02d}T07:00Z")
    )
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    write_story(folder, "a.md", "Robots fold laundry", 12)
    write_story(folder, "b.md", "Chips get faster", 11)
    write_story(folder, "c.md", "Models get smaller", 10)
    return folder


@pytest.fixture
def first(cli, folder: Path) -> Ran:
    """A first `reader list --json`, which fills the cache."""
    ran = cli("list", folder, "--json")
    assert (ran.code, ran.stderr) == (0, "")
    assert ran.titles == ["Robots fold laundry", "Chips get faster", "Models get smaller"]
    assert cache_file().is_file()
    return ran


def test_an_edited_title_is_printed(cli, folder: Path, first: Ran) -> None:
    write_story(folder, "b.md", "Chips got faster", 11)  # the same length: only the mtime says
    ran = cli("list", folder, "--json")
    assert ran.titles == ["Robots fold laundry", "Chips got faster", "Models get smaller"]
    assert ran.stderr == ""


def test_an_added_file_is_printed(cli, folder: Path, first: Ran) -> None:
    write_story(folder, "d.md", "Drones deliver mail", 13)
    ran = cli("list", folder, "--json")
    assert ran.titles == [
        "Drones deliver mail",
        "Robots fold laundry",
        "Chips get faster",
        "Models get smaller",
    ]


def test_a_deleted_file_is_gone(cli, folder: Path, first: Ran) -> None:
    (folder / "a.md").unlink()
    ran = cli("list", folder, "--json")
    assert ran.titles == ["Chips get faster", "Models get smaller"]
    assert ran.stderr == ""
    again = cli("list", folder, "--json")
    assert again.stdout == ran.stdout


def test_a_file_replaced_by_a_folder_of_the_same_name_is_not_a_stale_record(
    cli, folder: Path, first: Ran
) -> None:
    (folder / "a.md").unlink()
    (folder / "a.md").mkdir()  # odd, but a name the cache knows is now a folder
    ran = cli("list", folder, "--json")
    assert "Robots fold laundry" not in ran.titles


def test_a_touched_file_is_listed_once_and_unchanged(cli, folder: Path, first: Ran) -> None:
    path = folder / "b.md"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**10))
    ran = cli("list", folder, "--json")
    assert ran.stdout == first.stdout
    assert ran.titles.count("Chips get faster") == 1
    assert cli("list", folder, "--json").stdout == first.stdout  # and once more, warm


def test_a_moved_file_is_listed_once_from_its_new_place(cli, folder: Path, first: Ran) -> None:
    (folder / "2026").mkdir()
    (folder / "b.md").rename(folder / "2026" / "b.md")
    ran = cli("list", folder, "--json")
    assert ran.titles == first.titles
    [moved] = [data for data in ran.records if data["title"] == "Chips get faster"]
    assert moved["source"] == str(folder / "2026" / "b.md")


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda data: os.urandom(len(data)), "it is not an SQLite database"),
        (lambda data: b"garbage\n" * 3, "it is not an SQLite database"),
        (lambda data: data[:100] + os.urandom(len(data) - 100), ""),  # a header, then noise
        (lambda data: data[: len(data) // 2], "the file is truncated"),
    ],
    ids=["random-bytes", "short-text", "header-then-noise", "cut-in-half"],
)
def test_a_damaged_cache_is_rebuilt_with_a_notice(cli, folder: Path, first: Ran, damage, why):
    path = cache_file()
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        companion.unlink(missing_ok=True)  # the last writer has gone: the WAL was checkpointed
    path.write_bytes(damage(path.read_bytes()))

    ran = cli("list", folder, "--json")

    assert ran.code == 0
    assert ran.stdout == first.stdout
    [notice] = ran.stderr.splitlines()
    assert notice.startswith(f"{path}: The parse cache could not be used ({why}")
    assert "rebuilt it. Old file: " in notice
    aside = Path(notice.split("Old file: ")[1])
    assert aside.is_file() and aside.parent == path.parent
    rebuilt = cli("list", folder, "--json")  # the rebuilt cache is used without complaint
    assert (rebuilt.stdout, rebuilt.stderr) == (first.stdout, "")


def test_a_damaged_cache_is_rebuilt_for_check_too(cli, folder: Path, first: Ran) -> None:
    cache_file().write_bytes(b"not a database at all")
    ran = cli("check", folder)
    assert ran.lines[-1] == "3 records, 1 problem"  # the notice is the one problem
    assert "The parse cache could not be used" in ran.stdout
    assert cli("check", folder).lines == ["3 records, 0 problems"]


def test_no_cache_prints_the_same_and_leaves_no_cache_behind(cli, folder: Path) -> None:
    ran = cli("list", folder, "--json", "--no-cache")
    assert ran.code == 0
    assert ran.titles == ["Robots fold laundry", "Chips get faster", "Models get smaller"]
    assert not cache_file().exists()
    assert not cache_file().parent.exists() or list(cache_file().parent.iterdir()) == []
    cached = cli("list", folder, "--json")
    assert cached.stdout == ran.stdout


def test_no_cache_neither_reads_a_stale_cache_nor_writes_it(cli, folder: Path, first: Ran) -> None:
    before = cache_file().read_bytes()
    write_story(folder, "b.md", "Chips got faster", 11)
    ran = cli("list", folder, "--json", "--no-cache")
    assert "Chips got faster" in ran.titles
    assert cache_file().read_bytes() == before


def test_a_cache_made_with_smaller_pages_is_still_used(cli, folder: Path, first: Ran) -> None:
    """New caches have 16 KiB pages (a record's JSON fits one); one made before, with SQLite's
    4 KiB, is read and updated as it is, not rebuilt."""
    with contextlib.closing(sqlite3.connect(cache_file())) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (16384,)
        db.execute("PRAGMA journal_mode=DELETE")  # a WAL file cannot change its page size
        db.execute("PRAGMA page_size=4096")
        db.execute("VACUUM")
        assert db.execute("PRAGMA page_size").fetchone() == (4096,)
    write_story(folder, "b.md", "Chips got faster", 11)
    ran = cli("list", folder, "--json")
    assert (ran.titles, ran.stderr) == (
        ["Robots fold laundry", "Chips got faster", "Models get smaller"],
        "",
    )
    with contextlib.closing(sqlite3.connect(cache_file())) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (4096,)
        assert db.execute("SELECT count(*) FROM files").fetchone() == (3,)
