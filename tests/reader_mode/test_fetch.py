"""Fetching an article's page with the remote client's rules, and the reasons a person is given
when it cannot be read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from reader.fulltext.document import NO_TEXT, Unreadable
from reader.fulltext.fetch import READER_SETTINGS, fetch_article
from reader.sources.remote import RemoteSettings
from tests.reader_mode.conftest import BIKE_LANES, HTML, SETTINGS, page
from tests.remote.conftest import Reply

WHEN = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


async def fetch(url: str, **overrides: object):
    return await fetch_article(
        url, now=lambda: WHEN, title=BIKE_LANES, settings=replace(SETTINGS, **overrides)
    )


async def reason(url: str, **overrides: object) -> str:
    with pytest.raises(Unreadable) as raised:
        await fetch(url, **overrides)
    return str(raised.value)


async def test_a_page_is_fetched_and_reduced_to_its_article(server):
    server.static("/a", page("bike-lanes.html"), HTML)
    text = await fetch(server.url("/a"))
    assert text.url == server.url("/a")
    assert text.fetched_at == WHEN
    assert "The city council voted 9 to 4" in text.markdown
    assert len(text.links) == 3
    [seen] = server.log
    assert seen.headers["accept"].startswith("text/html")
    assert seen.headers["user-agent"].startswith("reader/")


async def test_redirects_are_followed(server):
    server.static("/a", page("bike-lanes.html"), HTML)
    server.sequence("/old", Reply(301, headers={"Location": server.url("/a")}))
    text = await fetch(server.url("/old"))
    assert "The city council voted 9 to 4" in text.markdown


async def test_relative_links_resolve_against_the_page_a_redirect_led_to(server):
    body = page("bike-lanes.html").replace(
        b"https://example.org/studies/protected-lanes", b"../studies/protected-lanes"
    )
    server.static("/2026/11/bike-lanes", body, HTML)
    server.sequence("/r/x7", Reply(302, headers={"Location": "/2026/11/bike-lanes"}))
    text = await fetch(server.url("/r/x7"))
    assert text.url == server.url("/2026/11/bike-lanes")  # where the text came from
    assert text.links[1] == server.url("/2026/studies/protected-lanes")  # not /studies/...


@pytest.mark.parametrize("charset", ["rot13", "hex", "base64", "idna"])
async def test_a_content_type_charset_that_decodes_no_text_is_ignored(server, charset):
    body = page("bike-lanes.html").replace(b"corridor", "corridór".encode())
    server.static("/a", body, {"Content-Type": f"text/html; charset={charset}"})
    assert "every corridór a year after it opens" in (await fetch(server.url("/a"))).markdown


async def test_reader_mode_tries_a_failing_page_twice_at_most_and_waits_less(server):
    """A person is waiting for this one page: one retry, and shorter timeouts than loading
    a collection in the background."""
    server.sequence("/busy", Reply(503), Reply(503), Reply(200, page("bike-lanes.html"), HTML))
    with pytest.raises(Unreadable) as raised:
        await fetch_article(server.url("/busy"), now=lambda: WHEN)  # the default settings
    assert str(raised.value) == "HTTP 503 Service Unavailable (after 2 attempts)"
    assert server.paths() == ["/busy", "/busy"]
    collections = RemoteSettings()
    assert READER_SETTINGS.retries == 1 < collections.retries
    assert READER_SETTINGS.read_timeout < collections.read_timeout
    assert READER_SETTINGS.total_timeout < collections.total_timeout


async def test_not_found_says_so(server):
    assert await reason(server.url("/gone")) == "HTTP 404 Not Found"


async def test_a_server_that_never_answers_times_out(server):
    server.sequence("/slow", Reply(hang=True))
    assert (await reason(server.url("/slow"), retries=0)).startswith(
        "timed out: nothing received for 0.3 s"
    )


async def test_a_page_over_the_size_cap_is_not_read(server):
    big = page("bike-lanes.html") + b" " * 4096
    server.static("/big", big, HTML)
    assert await reason(server.url("/big"), max_bytes=4096) == "response larger than 4 KiB"
    server.sequence("/chunked", Reply(200, big, HTML, chunked=True))
    assert await reason(server.url("/chunked"), max_bytes=4096) == "response larger than 4 KiB"


@pytest.mark.parametrize(
    ("content_type", "body", "shown"),
    [
        ("application/pdf", b"%PDF-1.7 ...", "application/pdf"),
        ("image/jpeg", b"\xff\xd8\xff\xe0", "image/jpeg"),
        ("application/json", b'{"title": "x"}', "application/json"),
        (None, b"%PDF-1.7 ...", "no content type"),
    ],
)
async def test_what_is_not_a_web_page_says_what_it_is(server, content_type, body, shown):
    headers = {"Content-Type": content_type} if content_type else {}
    server.sequence("/file", Reply(200, body, headers))
    assert await reason(server.url("/file")) == (
        f"not a web page ({shown}): there is no article text to read"
    )


async def test_a_page_without_a_content_type_is_read_if_it_looks_like_html(server):
    server.sequence("/bare", Reply(200, page("bike-lanes.html")))
    assert "Supporters packed the chamber" in (await fetch(server.url("/bare"))).markdown


async def test_a_paywalled_page_has_no_text(server):
    server.static("/paid", page("paywall.html"), HTML)
    assert await reason(server.url("/paid")) == NO_TEXT


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/a", "http:///nohost"]
)
async def test_only_web_addresses_are_fetched(url: str):
    assert (await reason(url)).startswith("this address is not fetched: ")


async def test_a_closed_port_is_a_connection_failure(server):
    url = server.url("/a")
    server.stop()
    assert (await reason(url, retries=0)).startswith("cannot connect")
