"""Remote collections: following `nextPage` across pages, single records, and when to stop."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reader.sources.local import read_file
from reader.sources.remote import PaginationError, next_page_url, page_number
from tests.conftest import SHARED_CORPUS as EVERYDAY
from tests.conftest import needs_corpus
from tests.remote.conftest import Server, load

TOPIC = "/api/news/mixed"


def page(number: int, next_page: Any, *titles: str) -> dict[str, Any]:
    """A page in the site's shape, with one small record per title."""
    records = [{"title": t, "webUrl": f"https://news.example/{t}"} for t in titles]
    return {"page": number, "value": records, "nextPage": next_page}


def page_path(number: int) -> str:
    return f"{TOPIC}/index.json" if number == 1 else f"{TOPIC}/page/{number}/index.json"


def serve_pages(server: Server, *pages: dict[str, Any]) -> None:
    for data in pages:
        server.json(page_path(data["page"]), data)


# --- the next page's URL -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "number", "expected"),
    [
        ("https://h/ai/api/news/ethics/index.json", 2, "https://h/ai/api/news/ethics/page/2/index.json"),
        ("https://h/api/news/ethics/page/2/index.json", 3, "https://h/api/news/ethics/page/3/index.json"),
        ("https://h/api/news/ethics/page/9/index.json?v=1", 10, "https://h/api/news/ethics/page/10/index.json?v=1"),
    ],
)  # fmt: skip
def test_the_next_page_url_follows_the_site_layout(url: str, number: int, expected: str) -> None:
    assert next_page_url(url, number) == expected


def test_a_url_not_in_the_site_layout_cannot_be_paged() -> None:
    with pytest.raises(PaginationError, match=r"does not end in /index\.json"):
        next_page_url("https://h/feed.json", 2)


def test_the_page_number_comes_from_the_url() -> None:
    assert page_number("https://h/api/news/x/index.json") == 1
    assert page_number("https://h/api/news/x/page/7/index.json") == 7


# --- collections -------------------------------------------------------------------------------


@needs_corpus()
async def test_a_collection_of_three_real_pages_loads_page_by_page(server, client_for, tmp_path):
    """Real pages of the site served as pages 1-3 of one topic: every record arrives, with the
    same records and record problems as reading the files locally, and progress per page."""
    sources = [
        EVERYDAY / "api/news/meta-ai/index.json",
        EVERYDAY / "api/news/ai-ethics/page/10/index.json",
        EVERYDAY / "api/news/aws-ai/page/13/index.json",
    ]
    local = []
    for number, source in enumerate(sources, 1):
        data = json.loads(source.read_text(encoding="utf-8"))
        data.update(page=number, nextPage=number + 1 if number < 3 else None)
        body = json.dumps(data).encode()
        server.static(page_path(number), body, {"Content-Type": "application/json"})
        copy = tmp_path / f"{number}.json"
        copy.write_bytes(body)
        local.append(read_file(copy))

    loaded = await load(client_for(), server.url(page_path(1)))

    assert [p.path for p in loaded.pages] == [server.url(page_path(n)) for n in (1, 2, 3)]
    assert loaded.titles == [a.title for result in local for a in result.articles]
    assert len(loaded.titles) == 30 + 4 + 3
    assert [p.reason for r in loaded.pages for p in r.problems] == [
        p.reason for r in local for p in r.problems
    ]
    assert all(a.source.startswith(server.url(TOPIC)) for a in loaded.articles)
    assert [(p.source, p.pages, p.records) for p in loaded.progress] == [
        (server.url(page_path(1)), 1, 30),
        (server.url(page_path(1)), 2, 34),
        (server.url(page_path(1)), 3, 37),
    ]


@needs_corpus()
async def test_a_raw_markdown_record_url_is_one_record(server, client_for):
    name = "2020-11-18-lapd-bars-detectives-use-of-clearview-ai-facial-recognition-system.md"
    local = EVERYDAY / "_news" / name
    server.static("/_news/lapd.md", local.read_bytes(), {"Content-Type": "text/markdown"})

    loaded = await load(client_for(), server.url("/_news/lapd.md"))

    [article] = loaded.articles
    [expected] = read_file(local).articles
    assert (article.title, article.web_url, article.published, article.topics) == (
        expected.title,
        expected.web_url,
        expected.published,
        expected.topics,
    )
    assert article.source == server.url("/_news/lapd.md")


async def test_a_json_record_url_is_one_record(server, client_for):
    server.json("/record", {"title": "Alone", "webUrl": "https://news.example/alone"})
    loaded = await load(client_for(), server.url("/record"))
    assert (loaded.titles, loaded.problems) == (["Alone"], [])


async def test_markdown_without_a_suffix_is_recognised(server, client_for):
    server.static("/story", b'---\ntitle: "Sniffed"\n---\n', {"Content-Type": "text/plain"})
    loaded = await load(client_for(), server.url("/story"))
    assert loaded.titles == ["Sniffed"]


async def test_a_collection_may_start_at_a_later_page(server, client_for):
    serve_pages(server, page(2, 3, "b"), page(3, None, "c"))
    loaded = await load(client_for(), server.url(page_path(2)))
    assert (loaded.titles, loaded.problems) == (["b", "c"], [])


@pytest.mark.parametrize("back_to", [1, 2])
async def test_a_next_page_loop_stops_with_a_problem(server, client_for, back_to):
    """Page 2 points back to page 1 (or to itself): read once, then stop, saying why."""
    serve_pages(server, page(1, 2, "a"), page(2, back_to, "b"))
    loaded = await load(client_for(), server.url(page_path(1)))
    assert loaded.titles == ["a", "b"]
    assert loaded.problems == [
        f"{server.url(page_path(2))}: nextPage loop: page 2 points back to page {back_to}"
    ]
    assert server.paths().count(page_path(1)) == 1


@pytest.mark.parametrize(
    ("value", "shown"), [("3", "'3'"), (-1, "-1"), (0, "0"), (2.5, "2.5"), (True, "True")]
)
async def test_a_next_page_that_is_not_a_positive_integer_is_a_problem(
    server, client_for, value, shown
):
    serve_pages(server, page(1, value, "a"))
    loaded = await load(client_for(), server.url(page_path(1)))
    assert loaded.titles == ["a"]
    assert loaded.problems == [
        f"{server.url(page_path(1))}: nextPage {shown} is not a positive integer"
    ]
    assert server.paths() == [page_path(1)]


async def test_an_endless_collection_stops_at_the_page_limit(server, client_for):
    for number in range(1, 10):
        serve_pages(server, page(number, number + 1, f"p{number}"))
    loaded = await load(client_for(max_pages=3), server.url(page_path(1)))
    assert loaded.titles == ["p1", "p2", "p3"]
    assert loaded.problems == [
        f"{server.url(page_path(3))}: stopped after 3 pages (the page limit)"
    ]


async def test_a_next_page_from_a_url_outside_the_layout_is_a_problem(server, client_for):
    server.json("/feed.json", page(1, 2, "a"))
    loaded = await load(client_for(), server.url("/feed.json"))
    assert loaded.titles == ["a"]
    assert loaded.problems == [
        f"{server.url('/feed.json')}: cannot follow nextPage 2: the URL does not end in /index.json"
    ]


async def test_a_missing_page_ends_its_collection_but_not_the_others(server, client_for):
    serve_pages(server, page(1, 2, "a"))  # page 2 is not there
    server.json("/other/index.json", page(1, None, "x"))
    loaded = await load(client_for(), server.url(page_path(1)), server.url("/other/index.json"))
    assert loaded.titles == ["a", "x"]
    assert loaded.problems == [f"{server.url(page_path(2))}: HTTP 404 Not Found"]
    assert server.paths().count(page_path(2)) == 1  # a 404 is not retried


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"page": 1, "value": [{"title": "cut', "invalid JSON: Unterminated string"),
        (b"<html><body>Moved</body></html>", "a web page (HTML), not records or a feed"),
    ],
    ids=["truncated", "not-json"],
)
async def test_a_page_that_is_not_json_is_a_problem(server, client_for, body, reason):
    server.static(page_path(1), body, {"Content-Type": "application/json"})
    server.json("/fine/index.json", page(1, None, "fine"))
    loaded = await load(client_for(), server.url(page_path(1)), server.url("/fine/index.json"))
    assert loaded.titles == ["fine"]
    [problem] = loaded.problems
    assert problem.startswith(f"{server.url(page_path(1))}: {reason}")


async def test_the_same_url_twice_is_read_once(server, client_for):
    serve_pages(server, page(1, None, "a"))
    url = server.url(page_path(1))
    loaded = await load(client_for(), url, url)
    assert loaded.titles == ["a"]
