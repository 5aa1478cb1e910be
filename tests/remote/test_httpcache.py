"""The HTTP cache: conditional reloads, starting offline from the last copy, damaged entries."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reader.sources.httpcache import CachedResponse, HttpCache, default_http_cache_dir
from reader.sources.remote import RemoteClient, fetch_collection
from tests.remote.conftest import FAST, Reply, load

TOPIC = "/api/news/cached"


def page_path(number: int) -> str:
    return f"{TOPIC}/index.json" if number == 1 else f"{TOPIC}/page/{number}/index.json"


def serve_collection(server, pages: int = 3) -> None:
    """Pages with an ETag each, as a static host serves them."""
    for number in range(1, pages + 1):
        records = [{"title": f"story {number}", "webUrl": f"https://news.example/{number}"}]
        next_page = number + 1 if number < pages else None
        data = {"page": number, "value": records, "nextPage": next_page}
        server.json(page_path(number), data, ETag=f'"v1-{number}"')


async def test_a_reload_of_an_unchanged_collection_transfers_no_body(server, client_for):
    serve_collection(server)
    first = await load(client_for(), server.url(page_path(1)))
    server.log.clear()

    second = await load(client_for(), server.url(page_path(1)))

    assert second.titles == first.titles == ["story 1", "story 2", "story 3"]
    assert second.problems == []
    assert [seen.headers.get("if-none-match") for seen in server.log] == [
        '"v1-1"',
        '"v1-2"',
        '"v1-3"',
    ]
    assert [(seen.status, seen.body) for seen in server.log] == [(304, 0)] * 3


async def test_last_modified_is_sent_back_as_if_modified_since(server, client_for):
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    server.sequence("/a.json", Reply(200, b'{"title": "A"}', {"Last-Modified": stamp}))
    await load(client_for(), server.url("/a.json"))
    await load(client_for(), server.url("/a.json"))
    assert server.log[1].headers.get("if-modified-since") == stamp


async def test_a_changed_page_replaces_the_cached_copy(server, client_for):
    server.sequence(
        "/a.json",
        Reply(200, b'{"title": "Old"}', {"ETag": '"1"'}),
        Reply(200, b'{"title": "New"}', {"ETag": '"2"'}),
    )
    await load(client_for(), server.url("/a.json"))
    assert (await load(client_for(), server.url("/a.json"))).titles == ["New"]
    assert (await load(client_for(), server.url("/a.json"))).titles == ["New"]
    assert server.log[2].headers.get("if-none-match") == '"2"'


async def test_offline_the_last_copy_is_shown_with_a_notice(server, client_for):
    """Start, stop the server, start again: the records are there, with one notice per source,
    and the pages after the first do not wait through retries again."""
    serve_collection(server)
    url = server.url(page_path(1))
    online = await load(client_for(), url)
    server.stop()

    started = time.monotonic()
    offline = await load(client_for(backoff=0.05), url)

    assert offline.titles == online.titles
    assert offline.problems == [f"{url}: offline: showing the copy fetched just now"]
    # One page waits through the retries (0.05 + 0.1 + 0.2 s); three would take over 1 s.
    assert time.monotonic() - started < 0.7


async def test_the_offline_notice_says_how_old_the_copy_is(http_cache, client_for):
    url = "http://127.0.0.1:9/api/news/old/index.json"  # the discard port: nothing answers
    fetched_at = datetime.now(UTC) - timedelta(hours=3, minutes=5)
    http_cache.put(CachedResponse(url, b'{"value": [{"title": "Kept"}]}', fetched_at))
    loaded = await load(client_for(), url)
    assert loaded.titles == ["Kept"]
    assert loaded.problems == [f"{url}: offline: showing the copy fetched 3 hours ago"]


async def test_a_failing_server_falls_back_to_the_last_copy_too(server, client_for):
    server.sequence("/a.json", Reply(200, b'{"title": "A"}'), Reply(503))
    await load(client_for(), server.url("/a.json"))
    loaded = await load(client_for(), server.url("/a.json"))
    assert loaded.titles == ["A"]
    assert loaded.problems == [
        f"{server.url('/a.json')}: HTTP 503 Service Unavailable: showing the copy fetched just now"
    ]


async def test_a_damaged_cache_entry_is_fetched_again(server, client_for, http_cache):
    serve_collection(server, pages=1)
    url = server.url(page_path(1))
    await load(client_for(), url)
    [entry] = Path(http_cache.folder).iterdir()
    entry.write_bytes(entry.read_bytes()[:-5])  # cut short, as by a crash
    server.log.clear()

    loaded = await load(client_for(), url)

    assert (loaded.titles, loaded.problems) == (["story 1"], [])
    assert [(seen.status, seen.headers.get("if-none-match")) for seen in server.log] == [
        (200, None)
    ]


def test_entries_round_trip_and_leave_no_temporary_files(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path / "http")
    entry = CachedResponse(
        "https://h/a.json",
        b"\x00body\n with lines",
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        etag='"x"',
        last_modified="Wed, 21 Oct 2015 07:28:00 GMT",
        content_type="application/json",
    )
    cache.put(entry)
    cache.put(entry)
    assert cache.get("https://h/a.json") == entry
    assert cache.get("https://h/b.json") is None
    assert [path.suffix for path in (tmp_path / "http").iterdir()] == [".entry"]


def test_a_foreign_or_garbled_entry_is_dropped(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path / "http")
    cache.put(CachedResponse("https://h/a", b"body", datetime.now(UTC)))
    [path] = (tmp_path / "http").iterdir()
    header = json.loads(path.read_bytes().partition(b"\n")[0])
    garbled = [
        b"",
        b"not json\nbody",
        json.dumps({**header, "url": "https://h/b"}).encode() + b"\nbody",  # another URL's
        json.dumps({**header, "etag": 5}).encode() + b"\nbody",
        json.dumps({**header, "length": 99}).encode() + b"\nbody",  # cut short
    ]
    for damaged in garbled:
        path.write_bytes(damaged)
        assert cache.get("https://h/a") is None
        assert not path.exists()


def test_no_cache_folder_means_nothing_is_kept() -> None:
    cache = HttpCache(None)
    cache.put(CachedResponse("https://h/a", b"body", datetime.now(UTC)))
    assert cache.get("https://h/a") is None


async def test_the_default_cache_is_in_the_users_cache_folder(server, tmp_path):
    server.sequence("/a.json", Reply(200, b'{"title": "A"}'))
    async with RemoteClient(FAST) as client:
        await fetch_collection([server.url("/a.json")], client=client)
    folder = tmp_path / "xdg" / "xdg_cache_home" / "reader" / "http"
    assert default_http_cache_dir() == folder
    assert len(list(folder.glob("*.entry"))) == 1
