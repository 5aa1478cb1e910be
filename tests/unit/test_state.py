"""The reading state: marks persist by article key, two readers share a file, and a damaged or
foreign file is set aside untouched with whatever can still be read carried over."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from reader.model import Article
from reader.store.state import StateStore, state_path

KEYS = [f"https://example.com/news/{i}" for i in range(3000)]


def reopened(path: Path) -> tuple[set[str], set[str], str | None]:
    store = StateStore(path)
    try:
        return set(store.read), set(store.starred), store.notice
    finally:
        store.close()


def filled(path: Path, keys: list[str] = KEYS) -> Path:
    """A state file holding `keys` as read, closed (so its WAL is checkpointed away)."""
    store = StateStore(path)
    store.set_read(keys)
    store.close()
    return path


def aside_files(path: Path) -> list[Path]:
    """The set-aside files themselves, without their -wal/-shm."""
    found = path.parent.glob(f"{path.name}.broken-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


# --- basics -----------------------------------------------------------------------------------


def test_the_file_lives_in_the_user_data_dir() -> None:
    assert state_path() == Path(os.environ["XDG_DATA_HOME"]) / "reader" / "state.sqlite3"


def test_in_memory_store_marks_and_writes_no_file(tmp_path: Path) -> None:
    store = StateStore(None)
    assert store.toggle_read("a") is True
    assert store.toggle_star("a") is True
    store.set_read(["b", "c"])
    assert store.toggle_read("b") is False
    assert (store.read, store.starred, store.notice) == ({"a", "c"}, {"a"}, None)
    store.close()
    assert not any(p.is_file() for p in (tmp_path / "xdg").rglob("*"))


def test_toggles_persist_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "data" / "state.sqlite3"  # the folder is created on first open
    store = StateStore(path)
    reads = [store.toggle_read("a"), store.toggle_read("b"), store.toggle_read("a")]
    stars = [store.toggle_star("s"), store.toggle_star("t"), store.toggle_star("t")]
    assert reads == stars == [True, True, False]
    store.close()
    assert reopened(path) == ({"b"}, {"s"}, None)


def test_bulk_marking_is_one_transaction_and_persists(tmp_path: Path) -> None:
    """One commit for "mark everything read" on 20k results, not 20k synced ones."""
    path = tmp_path / "state.sqlite3"
    keys = [f"https://example.com/{i}" for i in range(20_000)]
    store = StateStore(path)
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    store.set_read(iter(keys))  # any iterable, read once
    store.set_read(keys[:5000], read=False)
    store._db.set_trace_callback(None)
    store.close()
    assert sum(s.startswith("BEGIN") for s in statements) == 2
    assert reopened(path)[0] == set(keys[5000:])


def test_a_mark_keeps_the_time_it_was_first_set(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)
    before = time.time()
    store.set_read(["a"])
    store.toggle_star("a")
    first = time.time()
    time.sleep(0.01)
    store.set_read(["a"])  # already read: not a new mark
    store.close()
    with closing(sqlite3.connect(path)) as db:
        times = dict(db.execute("SELECT mark, marked_at FROM marks WHERE key = 'a'"))
    assert before <= times["read"] <= times["star"] <= first


def test_copies_of_one_story_share_their_marks(tmp_path: Path) -> None:
    """Keys are normalized web URLs, so a copy in another (or a moved) file is the same story."""
    one = Article(title="A", source="/old/a.md", web_url="HTTPS://Example.com:443/story/")
    other = Article(title="A", source="/new/b.json", web_url="https://example.com/story")
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)
    store.toggle_star(one.key)
    store.close()
    assert other.key in reopened(path)[1]


# --- two readers on one file -----------------------------------------------------------------


def test_two_stores_never_erase_each_others_marks(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first, second = StateStore(path), StateStore(path)
    first.set_read(["a", "shared"])
    second.set_read(["b"])
    second.toggle_star("s")
    first.set_read(["c"])
    second.set_read(["shared"], read=False)  # an explicit unmark does apply
    assert "a" not in second.read  # the sets are per process, not live
    first.close()
    second.close()
    assert reopened(path) == ({"a", "b", "c"}, {"s"}, None)


def test_two_stores_writing_at_the_same_time(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    stores = [StateStore(path), StateStore(path)]
    errors: list[BaseException] = []

    def mark(store: StateStore, name: str) -> None:
        try:
            for i in range(100):
                store.toggle_star(f"{name}{i}")
                store.set_read([f"{name}{i}-{n}" for n in range(20)])
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=mark, args=(s, n)) for s, n in zip(stores, "xy", strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert errors == []
    read, starred, notice = reopened(path)
    assert (len(read), len(starred), notice) == (4000, 200, None)


def open_at_once(path: Path, count: int) -> list[str | BaseException | None]:
    """`count` threads open a store on `path` at the same moment and each marks one key; what
    each got: its notice, or the error it raised."""
    start = threading.Barrier(count)
    results: list[str | BaseException | None] = []

    def open_and_mark(key: str) -> None:
        start.wait()
        try:
            store = StateStore(path)
            store.set_read([key])
            results.append(store.notice)
            store.close()
        except BaseException as error:
            results.append(error)

    threads = [threading.Thread(target=open_and_mark, args=(str(n),)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_readers_opening_a_new_file_at_the_same_moment(tmp_path: Path) -> None:
    """Creating the file races: one creates it, and none may take it, half made, for a foreign
    file (which would set aside the file the others are writing to)."""
    for attempt in range(5):
        path = tmp_path / str(attempt) / "state.sqlite3"
        assert open_at_once(path, 6) == [None] * 6
        assert reopened(path) == ({str(n) for n in range(6)}, set(), None)


# --- damaged and foreign files ---------------------------------------------------------------


def random_bytes(path: Path) -> bytes:
    return random.Random(1).randbytes(16_384)


def half_of_a_state_file(path: Path) -> bytes:
    data = filled(path).read_bytes()
    return data[: len(data) // 2]


def another_programs_database(path: Path) -> bytes:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        db.executemany("INSERT INTO notes (body) VALUES (?)", [("x" * 100,)] * 200)
    return path.read_bytes()


@pytest.mark.parametrize("damage", [random_bytes, half_of_a_state_file, another_programs_database])
def test_an_unusable_file_is_set_aside_untouched(
    tmp_path: Path, damage: Callable[[Path], bytes]
) -> None:
    path = tmp_path / "state.sqlite3"
    damaged = damage(path)
    path.write_bytes(damaged)

    store = StateStore(path)
    [aside] = aside_files(path)
    assert store.notice is not None and str(aside) in store.notice
    assert f"kept {len(store.read)} mark" in store.notice
    assert aside.read_bytes() == damaged  # set aside as it was, not modified
    store.toggle_star("new")
    store.close()
    assert reopened(path) == (store.read, {"new"}, None)


def test_the_readable_half_of_a_truncated_file_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(half_of_a_state_file(path))
    read, _, notice = reopened(path)
    assert 0 < len(read) < len(KEYS) and read <= set(KEYS)
    assert f"kept {len(read)} marks" in (notice or "")


def damage_the_page_holding(path: Path, key: str) -> None:
    """Overwrite with garbage the table leaf (page type 0x0D) that holds `key`'s row."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    found = key.encode()
    [page] = {
        offset // size
        for offset in range(len(data))
        if data.startswith(found, offset) and data[offset // size * size] == 0x0D
    }
    data[page * size : (page + 1) * size] = random.Random(2).randbytes(size)
    path.write_bytes(bytes(data))


def test_one_damaged_page_loses_only_the_marks_on_it(tmp_path: Path) -> None:
    """The salvage skips past a bad page instead of stopping at it."""
    path = filled(tmp_path / "state.sqlite3")
    damage_the_page_holding(path, KEYS[1500])
    read, _, notice = reopened(path)
    assert notice is not None and KEYS[1500] not in read
    assert len(KEYS) - 200 < len(read) < len(KEYS)
    assert KEYS[0] in read and KEYS[-1] in read


def test_marks_only_in_the_wal_of_a_damaged_file_are_kept(tmp_path: Path) -> None:
    """A crash can leave the latest marks only in -wal: it goes aside with the file, and is read."""
    live = filled(tmp_path / "live" / "state.sqlite3")
    writer = StateStore(live)
    writer.toggle_star("only-in-the-wal")
    path = tmp_path / "state.sqlite3"
    for suffix in ("", "-wal", "-shm"):  # the files as a crash right now would leave them
        shutil.copyfile(f"{live}{suffix}", f"{path}{suffix}")
    writer.close()
    damage_the_page_holding(path, KEYS[1500])

    read, starred, notice = reopened(path)
    [aside] = aside_files(path)
    assert notice is not None and str(aside) in notice
    assert Path(f"{aside}-wal").stat().st_size > 0
    assert starred == {"only-in-the-wal"} and len(read) > len(KEYS) - 200


def test_a_second_breakage_never_overwrites_the_first_old_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    for content in (b"first" * 100, b"second" * 100):
        path.write_bytes(content)
        StateStore(path).close()
    assert [p.read_bytes()[:6] for p in aside_files(path)] == [b"firstf", b"second"]


def test_an_empty_file_is_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.touch()
    assert reopened(path) == (set(), set(), None)
    assert aside_files(path) == []


def test_a_file_from_a_newer_reader_is_left_alone(tmp_path: Path) -> None:
    path = filled(tmp_path / "state.sqlite3", ["a"])
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version=2")
    before = path.read_bytes()
    store = StateStore(path)
    assert store.notice is not None and "newer reader" in store.notice
    assert store.toggle_star("b") is True  # still usable, in memory
    store.close()
    assert path.read_bytes() == before and aside_files(path) == []


def test_errors_that_say_nothing_about_the_contents_are_raised(tmp_path: Path) -> None:
    """A file that cannot be opened at all is not "damaged": nothing is moved or replaced."""
    path = tmp_path / "state.sqlite3"
    path.mkdir()
    with pytest.raises(sqlite3.OperationalError):
        StateStore(path)
    assert path.is_dir() and aside_files(path) == []
