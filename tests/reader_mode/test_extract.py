"""Extraction quality on news-shaped pages: the article in, the page's furniture out, written as
Markdown that can only ever be text, with links as numbered references."""

from __future__ import annotations

import pytest

from reader.fulltext.document import NO_TEXT, Unreadable
from reader.fulltext.extract import extract_article
from reader.fulltext.markdown import escape
from tests.reader_mode.conftest import BIKE_LANES, READING_LIST, SEARCH, page

BASE = "http://127.0.0.1:8000/local/bike-lanes"


def bike_lanes():
    return extract_article(page("bike-lanes.html"), BASE, title=BIKE_LANES)


def test_every_paragraph_of_the_article_is_kept():
    text = bike_lanes().markdown
    for start in (
        "The city council voted 9 to 4",
        "Supporters packed the chamber",
        "The network joins the ferry terminal",
        "Construction starts with the Quay Street trial",
        "That was how councillor Ana Teixeira",
        "The plan costs an estimated 120 million",
        "The levy was the most disputed part",
        "Work on the first corridor is due to begin in April",
    ):
        assert start in text, start


def test_headings_lists_and_quotes_become_markdown():
    text = bike_lanes().markdown
    assert "\n## What changes on the streets\n" in text
    assert "\n## Who pays for it\n" in text
    assert "\n- a kerb or planter strip between riders and traffic, never just paint;\n" in text
    assert "\n- bus stops moved onto islands" in text
    assert "\n1. the regional transport fund, which covers half;\n" in text
    assert "\n3. a new levy on parking permits in the city centre.\n" in text
    assert "\n> We are not building this for the people who already cycle." in text
    assert "*Image: A cyclist on the new lane along Quay Street*" in text


@pytest.mark.parametrize(
    "furniture",
    [
        "Sections",  # navigation
        "Politics",
        "We use cookies",  # cookie banner
        "Accept all",
        "Advertisement",  # ads, in the article and around it
        "Upgrade your commute",
        "Sponsored",
        "Five credit cards",
        "Share on Facebook",  # share buttons
        "Copy link",
        "Related stories",  # related links
        "what six months of data show",
        "Get the Courier in your inbox",  # newsletter box
        "harbourdad",  # comments
        "Nobody asked the businesses",
        "Join the discussion",
        "All rights reserved",  # footer
        "Privacy policy",
    ],
)
def test_the_page_furniture_is_left_out(furniture: str):
    assert furniture not in bike_lanes().markdown


def test_the_title_is_not_repeated_in_the_text():
    assert BIKE_LANES not in bike_lanes().markdown


def test_links_become_numbered_references_listed_at_the_end():
    rendered = bike_lanes()
    assert rendered.links == (
        "https://council.example.org/reports/cycling-2026",
        "https://example.org/studies/protected-lanes",
        "https://chamber.example.com/statements/levy",
    )
    text = rendered.markdown
    assert "a two-year study of crashes and commuting \\[1\\] found" in text
    assert "research from other coastal cities \\[2\\] in which" in text
    assert "ask the council to phase it in \\[3\\] more slowly" in text
    assert text.endswith(
        "## Links\n\n"
        "1. https://council.example.org/reports/cycling-2026\n"
        "2. https://example.org/studies/protected-lanes\n"
        "3. https://chamber.example.com/statements/levy\n"
    )


def test_numbering_is_stable_and_only_web_links_get_a_number():
    rendered = extract_article(
        page("reading-list.html"), "http://127.0.0.1:8000/features/reading-list", title=""
    )
    assert rendered.links[:12] == tuple(f"https://papers.example.org/{n}" for n in range(1, 13))
    # A relative link is made absolute against the page; javascript: and mailto: get no number.
    assert rendered.links[12:] == ("http://127.0.0.1:8000/features/query-logs",)
    assert "query logs \\[13\\] and on click models, which you can read about by writing" in (
        rendered.markdown
    )
    again = extract_article(
        page("reading-list.html"), "http://127.0.0.1:8000/features/reading-list"
    )
    assert again == rendered


def test_a_link_relative_to_the_page_resolves_against_its_path_not_just_its_host():
    body = page("bike-lanes.html").replace(
        b"https://example.org/studies/protected-lanes", b"../studies/protected-lanes"
    )
    rendered = extract_article(body, "http://127.0.0.1:8000/2026/11/bike-lanes")
    assert rendered.links[1] == "http://127.0.0.1:8000/2026/studies/protected-lanes"


def test_text_that_looks_like_markup_stays_text():
    text = extract_article(
        page("reading-list.html"), "http://127.0.0.1:8000/x", title=READING_LIST
    ).markdown
    assert "\\# This line is not a heading, \\*\\*this is not bold\\*\\*" in text
    assert "\\[this\\](https://evil.example) is not a link" in text
    assert "\\<b\\>this\\</b\\> is not HTML" in text
    assert "1984\\. A year, not a list item." in text
    assert "https://evil.example" not in [
        *extract_article(page("reading-list.html"), "http://x/").links
    ]


def test_control_characters_become_visible_symbols():
    text = extract_article(page("reading-list.html"), "http://127.0.0.1:8000/x").markdown
    assert "\x1b" not in text and "\x07" not in text
    assert "the bell ␇ and escape ␛\\[31m stay visible" in text


def test_a_blog_post_keeps_its_subheadings_bold_and_quote():
    text = extract_article(
        page("search-latency.html"), "https://tessel.example/blog/x", title=SEARCH
    )
    markdown = text.markdown
    assert "\n## Where the time went\n" in markdown
    assert "\n### Permissions first\n" in markdown
    assert "\n- **62%** went to fetching permissions" in markdown
    assert "> The fastest permission check is the one you never make." in markdown
    for furniture in (
        "Start free trial",
        "Hacker News",
        "Subscribe to our newsletter",
        "Tessel Inc",
    ):
        assert furniture not in markdown
    assert text.links == (
        "https://example.org/papers/acl-filters",
        "https://tessel.example/careers",
    )


@pytest.mark.parametrize("name", ["paywall.html", "app-shell.html"])
def test_a_paywall_or_a_javascript_shell_has_no_text_to_read(name: str):
    with pytest.raises(Unreadable) as raised:
        extract_article(page(name), "https://example.com/x")
    assert str(raised.value) == NO_TEXT


def test_the_content_type_charset_is_used():
    body = page("bike-lanes.html").replace(b'<meta charset="utf-8">', b"")
    latin = body.decode().replace("corridor", "corridór").encode("latin-1", "replace")
    text = extract_article(latin, BASE, charset="iso-8859-1").markdown
    assert "every corridór a year after it opens" in text


@pytest.mark.parametrize(
    "charset",
    [
        "hex",  # bytes-to-bytes codecs: str.decode raises LookupError
        "rot13",
        "base64",
        "uu_codec",
        "zlib",
        "idna",  # text codecs that cannot decode with errors="replace"
        "punycode",
        "undefined",
        "no-such-charset",
        "utf-8\x00",  # ValueError from codecs.lookup
    ],
)
def test_a_charset_that_does_not_decode_text_is_ignored(charset: str):
    """The page's own declaration (or a guess) is used instead; the page is still read."""
    body = page("bike-lanes.html").replace(b"corridor", "corridór".encode())
    text = extract_article(body, BASE, charset=charset, title=BIKE_LANES).markdown
    assert "every corridór a year after it opens" in text


def test_a_malformed_link_gets_no_number_and_its_text_stays():
    body = page("bike-lanes.html").replace(
        b"https://example.org/studies/protected-lanes", b"http://[oops/"
    )
    rendered = extract_article(body, BASE, title=BIKE_LANES)
    assert "research from other coastal cities in which" in rendered.markdown
    assert rendered.links == (
        "https://council.example.org/reports/cycling-2026",
        "https://chamber.example.com/statements/levy",
    )


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01\x02", b"<html>", b"\xff" * 1000])
def test_garbage_is_unreadable_never_an_error(garbage: bytes):
    with pytest.raises(Unreadable):
        extract_article(garbage, "https://example.com/x")


def test_escape_makes_every_markdown_character_plain():
    assert escape("a*b_c`d[e]f<g>h|i~j&k#l\\m") == (
        "a\\*b\\_c\\`d\\[e\\]f\\<g\\>h\\|i\\~j\\&k\\#l\\\\m"
    )
