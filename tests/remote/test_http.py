"""Fetching over HTTP: retries, timeouts, limits and what users are told when a URL fails."""

from __future__ import annotations

import json
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from reader import __version__
from reader.sources.remote import FetchError, retry_after_seconds
from tests.remote.conftest import Reply, load

RECORD = json.dumps({"title": "Story", "webUrl": "https://news.example/story"}).encode()
OK = Reply(200, RECORD, {"Content-Type": "application/json"})


async def test_the_user_agent_names_the_reader(server, client_for):
    """Sent on every request, so a site owner can tell who is asking."""
    server.sequence("/a.json", OK)
    await load(client_for(), server.url("/a.json"))
    [seen] = server.log
    assert seen.headers["user-agent"] == f"reader/{__version__} (+terminal news reader)"


async def test_not_found_is_reported_with_its_status_and_not_retried(server, client_for):
    loaded = await load(client_for(), server.url("/gone.json"))
    assert loaded.titles == []
    assert loaded.problems == [f"{server.url('/gone.json')}: HTTP 404 Not Found"]
    assert len(server.log) == 1


async def test_a_server_error_is_retried_until_it_passes(server, client_for):
    server.sequence("/a.json", Reply(500), Reply(502), OK)
    loaded = await load(client_for(), server.url("/a.json"))
    assert (loaded.titles, loaded.problems) == (["Story"], [])
    assert [seen.status for seen in server.log] == [500, 502, 200]


async def test_a_server_error_that_lasts_is_reported_after_the_retry_bound(server, client_for):
    server.sequence("/a.json", Reply(500))
    started = time.monotonic()
    loaded = await load(client_for(), server.url("/a.json"))
    assert loaded.problems == [
        f"{server.url('/a.json')}: HTTP 500 Internal Server Error (after 4 attempts)"
    ]
    assert len(server.log) == 4  # the first try and 3 retries
    assert time.monotonic() - started < 1  # backoff 0.01, 0.02, 0.04


@pytest.mark.parametrize("seconds", [0, 1])
async def test_too_many_requests_waits_as_long_as_retry_after_says(server, client_for, seconds):
    server.sequence("/a.json", Reply(429, headers={"Retry-After": str(seconds)}), OK)
    started = time.monotonic()
    loaded = await load(client_for(), server.url("/a.json"))
    waited = time.monotonic() - started
    assert (loaded.titles, loaded.problems) == (["Story"], [])
    assert seconds <= waited < seconds + 0.5


async def test_a_long_retry_after_is_capped(server, client_for):
    server.sequence("/a.json", Reply(503, headers={"Retry-After": "3600"}), OK)
    started = time.monotonic()
    loaded = await load(client_for(max_retry_after=0.05), server.url("/a.json"))
    assert loaded.titles == ["Story"]
    assert time.monotonic() - started < 0.5


def test_retry_after_is_seconds_or_an_http_date() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0  # already past
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


async def test_a_server_that_never_answers_times_out(server, client_for):
    server.sequence("/a.json", Reply(hang=True))
    started = time.monotonic()
    loaded = await load(client_for(read_timeout=0.2, retries=1), server.url("/a.json"))
    assert loaded.problems == [
        f"{server.url('/a.json')}: timed out: nothing received for 0.2 s (after 2 attempts)"
    ]
    assert time.monotonic() - started < 1.5


async def test_a_trickling_answer_is_cut_off_by_the_total_timeout(server, client_for):
    """Each chunk comes within the read timeout, but the whole would take far too long."""
    server.sequence("/a.json", Reply(200, b" " * 50 * 1024, chunked=True, pause=0.05))
    loaded = await load(client_for(total_timeout=0.3, retries=0), server.url("/a.json"))
    assert loaded.problems == [
        f"{server.url('/a.json')}: timed out: no complete answer within 0.3 s (after 1 attempt)"
    ]


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "streamed"])
async def test_an_oversized_body_is_not_read(server, client_for, chunked):
    """Refused from its Content-Length, or, without one, as soon as it passes the cap."""
    server.sequence("/big.json", Reply(200, b"[" + b" " * 64 * 1024 + b"]", chunked=chunked))
    server.sequence("/small.json", OK)
    loaded = await load(
        client_for(max_bytes=4096), server.url("/big.json"), server.url("/small.json")
    )
    assert loaded.titles == ["Story"]
    assert loaded.problems == [f"{server.url('/big.json')}: response larger than 4 KiB"]
    assert [seen.path for seen in server.log].count("/big.json") == 1  # not retried


async def test_a_redirect_is_followed(server, client_for):
    server.sequence("/old.json", Reply(301, headers={"Location": "/new.json"}))
    server.sequence("/new.json", OK)
    loaded = await load(client_for(), server.url("/old.json"))
    assert (loaded.titles, loaded.problems) == (["Story"], [])
    assert loaded.pages[0].path == server.url("/old.json")  # the source as the user named it


async def test_a_redirect_loop_is_reported(server, client_for):
    server.sequence("/a.json", Reply(302, headers={"Location": "/b.json"}))
    server.sequence("/b.json", Reply(302, headers={"Location": "/a.json"}))
    loaded = await load(client_for(), server.url("/a.json"))
    assert loaded.problems == [f"{server.url('/a.json')}: too many redirects (more than 5)"]
    assert len(server.log) == 6  # the request and 5 redirects, not retried


async def test_a_body_cut_short_by_the_server_is_retried_then_reported(server, client_for):
    server.sequence("/a.json", Reply(200, RECORD, cut=10))
    loaded = await load(client_for(retries=1), server.url("/a.json"))
    [problem] = loaded.problems
    assert problem.startswith(f"{server.url('/a.json')}: connection failed: ")
    assert problem.endswith("(after 2 attempts)")
    assert len(server.log) == 2


async def test_a_refused_connection_is_reported(client_for):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/a.json"
    loaded = await load(client_for(), url)
    [problem] = loaded.problems
    assert problem.startswith(f"{url}: cannot connect: ")
    assert problem.endswith("(after 4 attempts)")


async def test_a_host_that_cannot_be_reached_is_not_retried_for_every_url(client_for):
    """Offline with nothing cached: the first URL waits through its retries, later ones of the
    same host (the next pages) fail at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{probe.getsockname()[1]}"
    async with client_for(backoff=0.05) as client:
        with pytest.raises(FetchError, match=r"\(after 4 attempts\)$"):
            await client.fetch(f"{base}/a.json")
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"^cannot connect: .*\(host not tried again\)$"):
            await client.fetch(f"{base}/b.json")
        assert time.monotonic() - started < 0.05


async def test_requests_to_one_host_are_bounded(server, client_for):
    """Sixteen records from one host: several at a time, never more than four."""
    for number in range(16):
        server.sequence(f"/{number}.json", Reply(200, RECORD, delay=0.05))
    urls = [server.url(f"/{number}.json") for number in range(16)]
    loaded = await load(client_for(), *urls)
    assert len(loaded.titles) == 16
    assert 2 <= server.most_in_flight <= 4
