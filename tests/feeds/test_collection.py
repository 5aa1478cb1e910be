"""Feeds in a collection: one row per story with the site's records, the same reading state,
the HTTP cache, and bad feeds reported while the rest loads."""

from __future__ import annotations

from pathlib import Path

from reader.model import Provider
from reader.store.state import StateStore
from tests.feeds.conftest import FILES, feed_bytes, serve_feed
from tests.remote.conftest import Reply
from tests.ui.helpers import record

FABS = "https://www.dailycircuit.example/2024/03/05/2nm-fabs/"


def test_a_feed_entry_and_a_site_record_of_one_story_are_one_row(read, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "fabs.md").write_text(
        record(
            "Chipmakers race to build 2nm fabs",
            FABS.rstrip("/"),  # the same page, written without the final slash
            heat=120,
            quality=80,
            type="article",
            category="news",
            publishedDateTime="2024-03-05T07:30:00Z",
        )
    )
    loaded = read(site, FILES / "news.rss")

    assert loaded.problems == []
    assert len(loaded.articles) == 3  # not 4
    [fabs] = [article for article in loaded.articles if article.title.startswith("Chipmakers")]
    assert fabs.key == "https://www.dailycircuit.example/2024/03/05/2nm-fabs"
    assert fabs.provider == Provider("The Daily Circuit", "dailycircuit.example")  # the fuller
    assert fabs.topics == ("Semiconductors", "Europe")  # copy (the feed's) is kept


def test_reading_state_is_keyed_by_the_web_address(read, tmp_path: Path) -> None:
    """A story marked read in a site record is read in the feed too, and the other way round."""
    state = StateStore(tmp_path / "state.sqlite3")
    loaded = read(FILES / "news.rss")
    state.set_read([loaded.articles[0].key])

    copy = tmp_path / "fabs.md"
    copy.write_text(record("The same story", FABS))
    [site_record] = read(copy).articles
    assert site_record.key in state.read
    state.close()


def test_an_unchanged_feed_is_revalidated_not_downloaded(read, server) -> None:
    url = serve_feed(server, "news.rss", ETag='"circuit-v1"')
    first = read(url)
    server.log.clear()

    second = read(url)

    assert second.titles == first.titles and len(second.titles) == 3
    assert second.problems == []
    [seen] = server.log
    assert seen.headers.get("if-none-match") == '"circuit-v1"'
    assert (seen.status, seen.body) == (304, 0)
    assert "application/rss+xml" in seen.headers["accept"]


def test_a_broken_feed_with_entries_loads_them_with_a_problem(read, tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Broken</title>\n'
        "<item><title>Kept & loaded</title><link>https://b.example/1</link></item>\n"
        "<item><title>Unclosed</title><link>https://b.example/2</link>\n"
        "</channel></rss>\n"
    )
    loaded = read(path, FILES / "blog.atom")
    assert loaded.titles[:2] == ["Fine-tuning small models on a laptop", "Reading papers faster"]
    assert sorted(loaded.titles[2:]) == ["Kept & loaded", "Unclosed"]
    assert loaded.problems == [
        f"{path}: feed read leniently: line 3: not well-formed (invalid token)"
    ]


def test_feeds_that_cannot_be_read_are_problems_and_the_rest_loads(
    read, server, tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated.atom"
    truncated.write_bytes(feed_bytes("blog.atom")[:300])
    server.static("/moved", b"<!DOCTYPE html>\n<html><body>We moved!</body></html>", {})
    server.static("/gone.rss", b"", {})
    server.sequence("/down.rss", Reply(404, b"not here"))
    server.static("/items.json", b'{"version": "https://jsonfeed.org/version/1", "items": 3}', {})
    good = serve_feed(server, "podcast.json")

    loaded = read(
        truncated,
        server.url("/moved"),
        server.url("/down.rss"),
        server.url("/gone.rss"),
        server.url("/items.json"),
        good,
    )

    assert len(loaded.articles) == 3
    assert sorted(loaded.problems) == sorted(
        [
            f"{truncated}: not a readable feed: line 6: unclosed token",
            f"{server.url('/moved')}: a web page (HTML), not records or a feed",
            f"{server.url('/down.rss')}: HTTP 404 Not Found",
            f"{server.url('/gone.rss')}: empty file",
            f"{server.url('/items.json')}: JSON Feed: 'items' is not a list",
        ]
    )


def test_a_date_that_cannot_be_read_costs_only_the_date(read, tmp_path: Path) -> None:
    rss = tmp_path / "dates.rss"
    rss.write_text(
        '<rss version="2.0"><channel><title>Dates</title>'
        "<item><title>Vague</title><link>https://d.example/1</link>"
        "<pubDate>sometime last week</pubDate></item></channel></rss>"
    )
    json_feed = tmp_path / "dates.json"
    json_feed.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": ['
        '{"id": "1", "url": "https://d.example/2", "title": "Also vague",'
        ' "date_published": "31/02/2024"}, "not an item"]}'
    )

    loaded = read(rss, json_feed)

    assert sorted(loaded.titles) == ["Also vague", "Vague"]
    assert all(article.published is None for article in loaded.articles)
    assert sorted(loaded.problems) == [
        f"{json_feed}: item 1: date_published: not a date: '31/02/2024'",
        f"{json_feed}: item 2: not an object, skipped",
        f"{rss}: entry 1: published: not a date: 'sometime last week'",
    ]
