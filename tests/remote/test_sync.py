"""The synchronous entry points the CLI and the loader's thread use."""

from __future__ import annotations

import json
import time
from dataclasses import replace

from reader.sources.remote import Progress, fetch_sources, iter_pages
from tests.remote.conftest import FAST, Reply


def record(title: str) -> bytes:
    return json.dumps({"title": title, "webUrl": f"https://news.example/{title}"}).encode()


def test_fetch_sources_runs_its_own_event_loop(server, http_cache) -> None:
    server.sequence("/api/x/index.json", Reply(200, b'{"value": [{"title": "1"}], "nextPage": 2}'))
    server.sequence("/api/x/page/2/index.json", Reply(200, b'{"value": [{"title": "2"}]}'))
    server.sequence("/b.json", Reply(200, record("b")))
    progress: list[Progress] = []
    urls = [server.url("/api/x/index.json"), server.url("/b.json")]

    pages = fetch_sources(urls, settings=FAST, cache=http_cache, on_progress=progress.append)

    assert [page.path for page in pages] == [
        *urls[:1],
        server.url("/api/x/page/2/index.json"),
        urls[1],
    ]
    assert [a.title for page in pages for a in page.articles] == ["1", "2", "b"]
    assert sorted((p.source, p.pages, p.records) for p in progress) == [
        (urls[0], 1, 1),
        (urls[0], 2, 2),
        (urls[1], 1, 1),
    ]


def test_iter_pages_yields_pages_as_they_arrive(server, http_cache) -> None:
    server.sequence("/fast.json", Reply(200, record("fast")))
    server.sequence("/slow.json", Reply(200, record("slow"), delay=0.2))
    urls = [server.url("/slow.json"), server.url("/fast.json")]
    arrived = [
        (item.source, [a.title for a in item.page.articles])
        for item in iter_pages(urls, settings=FAST, cache=http_cache)
    ]
    assert arrived == [(urls[1], ["fast"]), (urls[0], ["slow"])]


def test_closing_iter_pages_early_cancels_the_rest(server, http_cache) -> None:
    """A consumer that stops listening (the app quits) does not wait for slow sources."""
    server.sequence("/fast.json", Reply(200, record("fast")))
    server.sequence("/hangs.json", Reply(hang=True))
    settings = replace(FAST, read_timeout=5.0)
    pages = iter_pages(
        [server.url("/hangs.json"), server.url("/fast.json")], settings=settings, cache=http_cache
    )
    first = next(pages)
    started = time.monotonic()
    pages.close()
    assert first.source == server.url("/fast.json")
    assert time.monotonic() - started < 1
