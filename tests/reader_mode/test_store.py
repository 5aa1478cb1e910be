"""The store of extracted texts: kept across runs, and never a crash when its file is bad."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.fulltext.document import Fulltext
from reader.fulltext.store import FulltextStore, fulltext_path

TEXT = Fulltext(
    "https://news.example/a",
    "Some *text* \\[1\\]\n\n## Links\n\n1. https://x.example/\n",
    ("https://x.example/",),
    datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
)


def filled(path: Path) -> FulltextStore:
    store = FulltextStore(path)
    store.put("https://news.example/a", TEXT)
    store.close()
    return store


def test_a_text_is_kept_across_runs(tmp_path: Path):
    filled(tmp_path / "f.sqlite3")
    store = FulltextStore(tmp_path / "f.sqlite3")
    assert store.get("https://news.example/a") == TEXT
    assert store.get("https://news.example/other") is None
    assert store.notice is None


def test_it_lives_in_the_cache_folder_and_opens_on_first_use(tmp_path: Path):
    path = fulltext_path()
    assert path.name == "fulltext.sqlite3" and path.parent.name == "reader"
    assert "xdg_cache_home" in str(path)
    store = FulltextStore(path)
    assert not path.exists()  # starting the app costs nothing
    store.put("k", TEXT)
    assert path.exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"this is not a database at all" * 100,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
)
def test_a_file_that_is_not_a_store_is_set_aside_and_replaced(tmp_path: Path, damage: bytes):
    path = tmp_path / "f.sqlite3"
    path.write_bytes(damage)
    store = FulltextStore(path)
    assert store.get("https://news.example/a") is None
    assert store.notice and "could not be used" in store.notice
    assert "Old file:" in store.notice
    [aside] = tmp_path.glob("f.sqlite3.broken-*")
    assert aside.read_bytes() == damage
    store.put("k", TEXT)
    assert store.get("k") == TEXT
    assert store.take_notice() and store.take_notice() is None


def test_another_programs_database_is_set_aside_untouched(tmp_path: Path):
    path = tmp_path / "f.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE mine (x)")
    other.commit()
    other.close()
    before = path.read_bytes()
    store = FulltextStore(path)
    store.put("k", TEXT)
    assert store.get("k") == TEXT
    assert "not a reader-mode store" in (store.notice or "")
    [aside] = tmp_path.glob("f.sqlite3.broken-*")
    assert aside.read_bytes() == before


def test_damage_found_while_reading_starts_a_new_store(tmp_path: Path):
    path = tmp_path / "f.sqlite3"
    store = FulltextStore(path)
    for number in range(200):  # enough pages that damage lands in the table, not the header
        store.put(f"k{number}", TEXT)
    store.close()
    data = bytearray(path.read_bytes())
    data[8192:] = b"\xa5" * (len(data) - 8192)
    path.write_bytes(bytes(data))
    store = FulltextStore(path)
    assert {store.get(f"k{number}") for number in range(0, 200, 20)} == {None}
    assert "database disk image is malformed" in (store.notice or "")
    assert list(tmp_path.glob("f.sqlite3.broken-*"))
    store.put("fresh", TEXT)
    assert store.get("fresh") == TEXT


def test_a_row_that_is_not_ours_reads_as_missing(tmp_path: Path):
    path = tmp_path / "f.sqlite3"
    filled(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE texts SET links = 'not json', fetched_at = 'soon'")
    db.commit()
    db.close()
    store = FulltextStore(path)
    assert store.get("https://news.example/a") is None
    store.put("https://news.example/a", TEXT)
    assert store.get("https://news.example/a") == TEXT


def test_an_unwritable_folder_keeps_texts_in_memory(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    store = FulltextStore(blocker / "f.sqlite3")
    store.put("k", TEXT)
    assert store.get("k") == TEXT
    assert "kept only until you quit" in (store.notice or "")
