"""`reader list` and `reader check` on feeds: named on the command line or in the sources file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.feeds.conftest import FILES, serve_feed


def test_list_prints_a_feed_url_as_a_table(cli, server) -> None:
    url = serve_feed(server, "news.rss")

    ran = cli("list", url)

    assert (ran.code, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == [
        "2024-03-05    The Daily Circuit  Chipmakers race to build 2nm fabs – and Europe wants in",
        "2024-03-04    The Daily Circuit  Open-source RISC-V laptop ships <finally>",
        "2024-03-03    The Daily Circuit  Podcast: the week in chips",
    ]


def test_list_json_prints_feed_entries_as_records(cli, server) -> None:
    url = serve_feed(server, "blog.atom")

    ran = cli("list", url, "--json", "--filter", "topic:lora")

    [record] = [json.loads(line) for line in ran.stdout.splitlines()]
    assert record["title"] == "Fine-tuning small models on a laptop"
    assert record["publishedDateTime"] == "2024-03-01T17:45:00+00:00"
    assert record["webUrl"] == "https://lena.example.net/posts/fine-tuning-small-models/"
    assert record["provider"] == {"name": "Lena's Notebook", "domain": "lena.example.net"}
    assert record["topics"] == ["Machine learning", "LoRA"]
    assert record["source"] == url


def test_feeds_in_the_sources_file_are_read(cli, server, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "Dispatch"\nurl = "{serve_feed(server, "podcast.json")}"\n'
        f'\n[[source]]\nname = "Science"\npath = "{FILES / "science.rdf"}"\n'
    )

    listed = cli("list", "--sources", sources)

    assert (listed.code, listed.stderr) == (0, "")
    assert [line.split("  ")[-1] for line in listed.stdout.splitlines()] == [
        "Rust in the kernel, one year on",
        "Quantum error correction passes the break-even point",
        "Coral reefs recover faster than expected",
        "SQLite everywhere",
        "A short note without a title: ship small changes, often, and read your own…",
    ]


def test_check_reports_each_bad_feed_and_counts(cli, server, tmp_path: Path) -> None:
    good = serve_feed(server, "news.rss")
    server.static("/page", b"<html><body>Not a feed</body></html>", {})
    truncated = tmp_path / "cut.rss"
    truncated.write_bytes((FILES / "news.rss").read_bytes()[:2000])  # in the first entry
    empty = tmp_path / "empty.atom"
    empty.write_bytes((FILES / "blog.atom").read_bytes()[:400])  # before any entry

    ran = cli("check", good, server.url("/page"), truncated, empty)

    assert ran.code == 1
    assert ran.stdout.splitlines() == [
        f"{truncated}: feed read leniently: line 32: unclosed CDATA section",
        f"{empty}: not a readable feed: line 7: no element found",
        f"{server.url('/page')}: a web page (HTML), not records or a feed",
        "3 records, 3 problems",  # the entry cut.rss still had is one of the good feed's
    ]


def test_check_is_clean_on_good_feeds(cli, server) -> None:
    ran = cli("check", serve_feed(server, "science.rdf"), FILES / "podcast.json")
    assert (ran.code, ran.stdout) == (0, "5 records, 0 problems\n")
