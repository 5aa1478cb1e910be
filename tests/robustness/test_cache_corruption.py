"""The parse cache is disposable and never trusted: a damaged, truncated or foreign file is set
aside (unchanged) with a notice and rebuilt, garbage rows are parsed again from their files,
an unusable location means parsing without a cache, and a writer killed with SIGKILL leaves a
consistent cache behind. In every case `reader list --json` prints the real records."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader.loader import cache_path, load, open_cache
from reader.store.cache import ParseCache
from reader.ui.app import ReaderApp
from tests.robustness.conftest import has_raw_control
from tests.ui.helpers import NOW, loaded, screen_text

RECORDS = 40


@pytest.fixture
def collection(src: Path) -> Path:
    """RECORDS good records and one with a field problem (so the cache stores problems)."""
    for i in range(RECORDS):
        (src / f"r{i:03}.md").write_text(
            f"---\ntitle: Record {i}\nexcerpt: Excerpt of record {i}\n"
            f"webUrl: https://e.example/{i}\npublishedDateTime: 2026-11-{i % 28 + 1:02}\n"
            f"topics: [AI, T{i}]\nprovider: {{name: P{i % 3}}}\nheat: {i}\n---\nBody {i}.\n"
        )
    (src / "warm.md").write_text("---\ntitle: Warm\nheat: warm\n---\n")
    return src


def listed(run, src: Path, *options: str) -> tuple[list[dict], str]:
    result = run("list", "--json", *options, src)
    assert result.exception is None, repr(result.exception)
    assert not has_raw_control(result.stdout)
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def filled(src: Path) -> Path:
    """Build the cache of `src` as a first run would, closed cleanly (no -wal left)."""
    cache = open_cache()
    load([str(src)], cache)
    cache.close()
    path = cache_path()
    assert path.is_file() and not Path(f"{path}-wal").exists()
    return path


def asides(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.broken-*[0-9]"))


def assert_rebuilt(run, src: Path, expected: list[dict], reason: str) -> None:
    """This run reports the notice and lists every record; the next one is clean."""
    records, stderr = listed(run, src)
    assert records == expected
    assert "The parse cache could not be used" in stderr and reason in stderr, stderr
    records, stderr = listed(run, src)
    assert records == expected
    assert "parse cache" not in stderr


@pytest.fixture
def expected(run, collection: Path) -> list[dict]:
    return listed(run, collection, "--no-cache")[0]


# --- the file ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (random.Random(1).randbytes(64 * 1024), "it is not an SQLite database"),
        (b"\0" * 8192, "it is not an SQLite database"),
        (b"SQLite format 3\0" + random.Random(2).randbytes(16 * 1024), ""),
        (b"SQLite format 3\0", "it is not an SQLite database"),
    ],
    ids=["random", "zeros", "sqlite-header-then-noise", "header-only"],
)
def test_a_cache_of_random_bytes_is_set_aside(run, collection, expected, content, reason) -> None:
    path = cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert_rebuilt(run, collection, expected, reason)
    (aside,) = asides(path)
    assert aside.read_bytes() == content


def test_an_empty_cache_file_is_a_new_cache(run, collection, expected) -> None:
    path = cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    records, stderr = listed(run, collection)
    assert records == expected and "parse cache" not in stderr


@pytest.mark.parametrize("keep", [0.5, 0.1, 4096, 50], ids=["half", "tenth", "4k", "50-bytes"])
def test_a_truncated_cache_is_set_aside(run, collection, expected, keep: float) -> None:
    """A file cut short opens fine and fails pages later; it is caught at open."""
    path = filled(collection)
    size = int(path.stat().st_size * keep) if keep < 1 else int(keep)
    with open(path, "r+b") as handle:
        handle.truncate(size)
    reason = "not an SQLite database" if size < 100 else "the file is truncated"
    assert_rebuilt(run, collection, expected, reason)
    assert len(asides(path)) == 1


@pytest.mark.parametrize(
    ("application_id", "user_version", "tables"),
    [(0, 0, ["notes"]), (0x12345678, 3, ["notes"]), (0, 0, ["files", "articles"])],
    ids=["plain", "other-app", "same-table-names"],
)
def test_a_foreign_database_is_set_aside_unchanged(
    run, collection, expected, application_id, user_version, tables
) -> None:
    """Someone else's SQLite file at the cache's path is moved aside byte for byte (the old
    cache dropped every table of one with no application id)."""
    path = cache_path()
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    for table in tables:
        db.execute(f"CREATE TABLE {table} (precious TEXT)")
        db.execute(f"INSERT INTO {table} VALUES ('keep me')")
    db.execute(f"PRAGMA application_id={application_id}")
    db.execute(f"PRAGMA user_version={user_version}")
    db.commit()
    db.close()
    original = path.read_bytes()
    assert_rebuilt(run, collection, expected, "it is not a reader parse cache")
    (aside,) = asides(path)
    assert aside.read_bytes() == original


@pytest.mark.parametrize("version", [0, 1, 99])
def test_a_cache_of_another_schema_version_is_rebuilt(run, collection, expected, version) -> None:
    path = filled(collection)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={version}")
    db.commit()
    db.close()
    assert_rebuilt(run, collection, expected, f"another version of reader (schema {version})")


@pytest.mark.parametrize("where", ["cache-is-a-folder", "folder-is-a-file"])
def test_an_unusable_cache_location_means_no_cache(run, collection, expected, where) -> None:
    """Nothing can be set aside: the reader parses without a cache and says so."""
    path = cache_path()
    if where == "cache-is-a-folder":
        path.mkdir(parents=True)
    else:
        path.parent.parent.mkdir(parents=True, exist_ok=True)
        path.parent.write_text("not a folder")
    records, stderr = listed(run, collection)
    assert records == expected
    assert "The parse cache is not available" in stderr


# --- rows ----------------------------------------------------------------------------------------

GARBAGE = {
    "data-not-json": "UPDATE records SET data = 'not json'",
    "data-blob": "UPDATE records SET data = x'00ff1b5b326a'",
    "data-number": "UPDATE records SET data = '42'",
    "data-other-record": "UPDATE records SET data = '{\"title\": 1}'",
    "data-raw-escape": "UPDATE records SET data = replace(data, 'Record', char(27) || '[2J')",
    "data-truncated": "UPDATE records SET data = substr(data, 1, length(data) / 2)",
    "published-text": "UPDATE articles SET published = 'yesterday'",
    "published-huge": "UPDATE articles SET published = 1e300",
    "title-blob": "UPDATE articles SET title = x'1b5b326a'",
    "title-not-utf8": "UPDATE articles SET title = CAST(x'ff1b41' AS TEXT) WHERE heat = 3",
    "heat-text": "UPDATE articles SET heat = 'hot'",
    "position-text": "UPDATE articles SET position = 'first'",
    "topics-blob": "UPDATE articles SET topics = x'ff'",
    "problems-not-json": "UPDATE files SET problems = 'nope' WHERE problems IS NOT NULL",
    "problems-shape": "UPDATE files SET problems = '[[1, 2]]' WHERE problems IS NOT NULL",
    "size-text": "UPDATE files SET size = 'big'",
    "table-dropped": "DROP TABLE articles",
}


def spoil(path: Path, statement: str) -> None:
    db = sqlite3.connect(path)
    db.execute(statement)
    db.commit()
    db.close()


@pytest.mark.parametrize("statement", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_rows_never_reach_the_output(run, collection, expected, statement) -> None:
    """`reader list --json` prints the real records (parsed again where the cache's are not
    usable), and `reader check` still finds exactly the real problem."""
    path = filled(collection)
    spoil(path, statement)
    records, _ = listed(run, collection)
    assert records == expected
    checked = run("check", collection)
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    assert f"{collection / 'warm.md'}: heat: expected a number" in checked.output
    assert not has_raw_control(checked.output)
    records, stderr = listed(run, collection)  # and afterwards, the cache is sound again
    assert records == expected and "parse cache" not in stderr


@pytest.mark.parametrize(
    "statement",
    [
        *GARBAGE.values(),
        "UPDATE records SET data = json_set(data, '$.topics', 5)",
        "UPDATE records SET data = json_remove(data, '$.provider')",
    ],
    ids=[*GARBAGE.keys(), "data-topics-number", "data-key-missing"],
)
async def test_garbage_rows_do_not_crash_the_app(collection, statement) -> None:
    """The detail pane shows the full record even when the stored one is not usable."""
    path = filled(collection)
    spoil(path, statement)
    app = ReaderApp([str(collection)], cache=ParseCache(path), now=lambda: NOW)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Record 27" in text and "Excerpt of record 27" in text, text
        await pilot.press("j")
        await pilot.pause(0.1)
        assert "Excerpt of record 26" in screen_text(app)
        assert not has_raw_control(screen_text(app))
        assert app.is_running


# --- SIGKILL -------------------------------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.model import Problem
    from reader.store.cache import FileRows, ParseCache

    cache = ParseCache(Path(sys.argv[1]))
    print(cache.notice, flush=True)
    round = 0
    while True:
        batch = []
        for i in range(64):
            path, count = f"/f{(round * 7 + i) % 300}.md", (round + i) % 4
            rows = [
                (path, p, f"k{round}.{i}.{p}", count, 1e9, "t", None, None, None, "", 1,
                 None, None, None, '{"title": "t"}')
                for p in range(count)
            ]
            problems = [] if count else [Problem(path, "empty")]
            batch.append(FileRows(path, count, round, rows, problems))
        cache.store(batch)
        round += 1
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_writer_killed_mid_transaction_leaves_a_sound_cache(tmp_path: Path) -> None:
    """Kill -9 at random moments of a stream of transactions: every reopening finds a sound
    file, no notice, and each file's rows exactly as one transaction left them."""
    path = tmp_path / "cache.sqlite3"
    chance = random.Random(7)
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "None"  # opened without a notice
        child.stdout.close()
        try:
            child.wait(timeout=chance.uniform(0.05, 0.4))
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
        assert child.wait() == -signal.SIGKILL
        cache = ParseCache(path)
        assert cache.notice is None
        cache.close()
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        files = dict(db.execute("SELECT path, size FROM files"))
        counts = dict(db.execute("SELECT path, count(*) FROM articles GROUP BY path"))
        assert files, "nothing was ever committed"
        assert set(counts) <= set(files)
        assert all(counts.get(name, 0) == size for name, size in files.items())
        db.close()
