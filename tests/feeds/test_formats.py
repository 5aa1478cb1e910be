"""Each feed format, from a local file and from a URL, as the records a user reads: titles,
plain-text excerpts, links, dates, providers, topics, images and bodies."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.model import Image, Provider
from reader.sources.local import read_file
from tests.feeds.conftest import FILES, serve_feed


@pytest.fixture(params=["file", "url"])
def source(request, server):
    """source(name): a feed of tests/feeds/files as a local file, or served over HTTP."""

    def locate(name: str) -> str:
        return str(FILES / name) if request.param == "file" else serve_feed(server, name)

    return locate


def test_rss2_news_feed(read, source) -> None:
    url = source("news.rss")
    loaded = read(url)

    assert loaded.problems == []
    assert loaded.titles == [
        "Chipmakers race to build 2nm fabs – and Europe wants in",
        "Open-source RISC-V laptop ships <finally>",
        "Podcast: the week in chips",
    ]
    fabs, laptop, podcast = loaded.articles
    assert fabs.excerpt == (
        "Three foundries announced new fabs this week & the EU’s Chips Act money is finally "
        "flowing. The post Chipmakers race to build 2nm fabs appeared first on The Daily Circuit."
    )
    assert fabs.web_url == "https://www.dailycircuit.example/2024/03/05/2nm-fabs/"
    assert fabs.published == datetime(2024, 3, 5, 7, 30, tzinfo=UTC)  # 08:30 +0100
    assert fabs.provider == Provider("The Daily Circuit", "dailycircuit.example")
    assert fabs.topics == ("Semiconductors", "Europe")
    assert fabs.images == (
        Image("https://cdn.dailycircuit.example/fab-1200.jpg", 1200, 675),
        Image("https://cdn.dailycircuit.example/fab-150.jpg", 150, 150),
    )
    assert fabs.source == url
    # content:encoded is the body: paragraphs of text, no script, Markdown characters escaped
    # so that they show as they are.
    assert fabs.content == (
        "Three foundries announced new fabs this week.\n\nA clean room in Dresden\n\n"
        "Why 2nm matters\n\nSmaller transistors use \\*less\\* power.\n\n• TSMC\n\n• Intel"
    )
    assert (
        laptop.excerpt
        == "A laptop you can audit down to the instruction set. Preorders open today."
    )
    assert laptop.images == (Image("https://cdn.dailycircuit.example/laptop.png"),)
    assert laptop.topics == ("Hardware",)
    assert podcast.images == ()  # an audio enclosure is no image
    assert podcast.content is None


def test_rss1_rdf_feed_in_latin1(read, source) -> None:
    loaded = read(source("science.rdf"))

    assert loaded.problems == []
    quantum, coral = loaded.articles
    assert quantum.title == "Quantum error correction passes the break-even point"
    assert quantum.excerpt == (
        "Logical qubits now outlive their physical parts, a team in Zürich reports."
    )
    assert quantum.published == datetime(2024, 2, 28, 13, 0, tzinfo=UTC)  # dc:date, +01:00
    assert quantum.topics == ("Quantum computing",)  # dc:subject
    assert quantum.provider == Provider("Science Desk", "science.example.org")
    assert quantum.web_url == "https://science.example.org/2024/02/quantum-error-correction"
    assert coral.excerpt.startswith("Café scientists")  # ISO-8859-1, as the file declares
    assert coral.published == datetime(2024, 2, 27, tzinfo=UTC)
    assert coral.topics == ("Oceans",)


def test_atom_feed(read, source) -> None:
    loaded = read(source("blog.atom"))

    assert loaded.problems == []
    tuning, papers = loaded.articles
    assert tuning.title == "Fine-tuning small models on a laptop"  # type="html": tags dropped
    assert tuning.excerpt == "LoRA makes it possible — here is how."
    assert tuning.content == (
        "You do not need a GPU cluster. A 7B model and my notes are enough.\n\nStep one: measure."
    )  # from the xhtml content
    assert tuning.published == datetime(2024, 3, 1, 17, 45, tzinfo=UTC)  # published, not updated
    assert tuning.web_url == "https://lena.example.net/posts/fine-tuning-small-models/"
    assert tuning.provider == Provider("Lena's Notebook", "lena.example.net")
    assert tuning.topics == ("Machine learning", "LoRA")  # a category's label, else its term
    assert tuning.images == (
        Image("https://lena.example.net/posts/fine-tuning-small-models/cover.jpg"),
    )  # link rel=enclosure of an image type
    assert papers.published == datetime(2024, 2, 20, 8, 0, tzinfo=UTC)  # only updated
    assert papers.web_url == "https://lena.example.net/posts/reading-papers/"  # relative link
    assert papers.excerpt == "Three passes, each with a question."  # from the content
    assert papers.topics == ("research",)


def test_json_feed(read, source) -> None:
    loaded = read(source("podcast.json"))

    assert loaded.problems == []
    assert loaded.titles == [
        "Rust in the kernel, one year on",
        "SQLite everywhere",
        # no title: the start of its text stands in
        "A short note without a title: ship small changes, often, and read your own…",
    ]
    rust, sqlite, note = loaded.articles
    assert rust.excerpt == "Drivers written in Rust are shipping & maintainers are (mostly) happy."
    assert rust.content == "Drivers written in Rust are shipping.\n\nHere is what changed."
    assert rust.published == datetime(2024, 3, 4, 12, 0, tzinfo=UTC)
    assert rust.provider == Provider("Dev Dispatch", "devdispatch.example.com")
    assert rust.topics == ("Rust", "Linux")  # "rust" again is the same topic
    assert rust.images == (
        Image("https://devdispatch.example.com/img/rust-kernel.jpg"),
        Image("https://devdispatch.example.com/img/rust-kernel-wide.jpg"),
    )
    assert sqlite.images == (Image("https://devdispatch.example.com/img/sqlite-diagram.png"),)
    assert sqlite.excerpt == (
        "SQLite runs in your phone, your browser and your car. Why it keeps winning."
    )
    assert note.web_url is None and note.published is None
    assert note.excerpt.endswith("read your own diffs before anyone else does.")


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [("news.rss", "latest"), ("blog.atom", "feed.txt"), ("podcast.json", "feed.jsonfeed")],
)
def test_a_feed_is_known_by_its_content_not_its_name(
    read, tmp_path: Path, name: str, saved_as: str
) -> None:
    path = tmp_path / saved_as
    shutil.copy(FILES / name, path)
    loaded = read(path)
    assert loaded.problems == []
    assert len(loaded.articles) >= 2


def test_a_feed_url_with_no_telling_name_or_type(read, server) -> None:
    server.static("/export?format=rss", (FILES / "news.rss").read_bytes(), {})
    server.static("/api/feed", (FILES / "podcast.json").read_bytes(), {})
    loaded = read(server.url("/export?format=rss"), server.url("/api/feed"))
    assert loaded.problems == []
    assert len(loaded.articles) == 6


def test_a_folder_scan_reads_rss_atom_and_json_feeds_but_not_xml(read, tmp_path: Path) -> None:
    """Decided: .xml in a folder is too often a sitemap; a glob or the file's name reads it."""
    folder = tmp_path / "feeds"
    folder.mkdir()
    shutil.copy(FILES / "news.rss", folder / "circuit.rss")
    shutil.copy(FILES / "blog.atom", folder / "lena.atom")
    shutil.copy(FILES / "podcast.json", folder / "dispatch.json")
    shutil.copy(FILES / "science.rdf", folder / "science.xml")
    (folder / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>')

    scanned = read(folder)
    assert scanned.problems == []
    assert {article.provider.name for article in scanned.articles} == {
        "The Daily Circuit",
        "Lena's Notebook",
        "Dev Dispatch",
    }
    globbed = read(str(folder / "*.xml"))
    assert [article.provider.name for article in globbed.articles] == ["Science Desk"] * 2
    assert globbed.problems == [
        f"{folder / 'sitemap.xml'}: XML, but not a feed: the root element is <urlset>"
    ]


def test_a_local_feed_is_parsed_once_and_again_when_it_changes(
    read, parse_cache, tmp_path: Path
) -> None:
    path = tmp_path / "circuit.rss"
    shutil.copy(FILES / "news.rss", path)
    read(path)
    fresh, stale = parse_cache.split([str(path)])
    assert (fresh, stale) == ([str(path)], [])  # the second start reads it from the cache

    path.write_bytes(path.read_bytes().replace(b"Podcast: the week", b"Podcast: this week"))
    assert parse_cache.split([str(path)])[0] == []
    assert "Podcast: this week in chips" in read(path).titles


def test_a_markdown_file_opening_with_markup_is_judged_as_markdown(tmp_path) -> None:
    """A .md file is never sniffed as XML: one opening with an HTML comment gets the front
    matter's reason, not a feed's."""
    path = tmp_path / "note.md"
    path.write_text("<!-- draft -->\n---\ntitle: Draft\n---\n")
    result = read_file(path)
    assert result.articles == []
    assert [p.reason for p in result.problems] == [
        "no front matter: the file does not start with '---'"
    ]


def test_a_feed_saved_under_a_json_name_is_read_as_the_feed_it_is(tmp_path) -> None:
    path = tmp_path / "feed.json"
    path.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Saved feed</title><link>https://example.com/s</link></item>"
        b"</channel></rss>"
    )
    result = read_file(path)
    assert [a.title for a in result.articles] == ["Saved feed"]
