"""reader.text.escape_markdown, the one escaper of record text that goes into Markdown: whatever
the text, a Markdown renderer shows it as typed. Checked with the parsers the app renders with
(Textual's Markdown widget: markdown-it "gfm-like" in the detail pane, CommonMark and tables in
the reader view), with dollar maths as other readers of an exported list have it, and through
the widget itself; and each of the three writers of Markdown is shown to use it."""

from __future__ import annotations

import io
import json
import string
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from textual.app import App, ComposeResult
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownParagraph

from reader import export
from reader.fulltext import markdown as reader_markdown
from reader.parsing.htmltext import plain_to_markdown
from reader.text import escape_markdown, escape_markdown_line_starts
from reader.ui.screens.reader import _parser as reader_view_parser

PARSERS: dict[str, Callable[[], MarkdownIt]] = {
    "detail pane (Textual's gfm-like)": lambda: MarkdownIt("gfm-like"),
    "reader view": reader_view_parser,
    "dollar maths": lambda: (
        MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(dollarmath_plugin)
    ),
}

# Every way a line of text could turn into markup, one a line.
HOSTILE_LINES = [
    "# not a heading #",
    "## nor this ##",
    "> not a quote",
    "- not a list",
    "+ nor this",
    "* nor this",
    "1. nor an ordered list",
    "2) nor this",
    "---",
    "===",
    "***",
    "___",
    "- [ ] no task",
    "| a | b |",
    "|---|---|",
    "```python",
    "~~~",
    "`code` *em* _em_ **strong** __strong__ ~~struck~~ ~one~",
    "[link](https://evil.example/) ![image](https://evil.example/i.png)",
    "<https://auto.example/> <b>html</b> <!-- comment --> <script>x</script>",
    "&amp; &#65; &copy; a\\*b \\ back\\slash at the end\\",
    "$x^2$ and $$y$$ cost $5",
    "[^note] [ref]",
    "[ref]: https://evil.example/",
    "https://a.example/x_y#z&q=1 www.news.example/a_b?c=d&e=f https://a.example/clean",
    "2024-01-01 and 3.5 stay as typed: no escape where none is needed",
]
HOSTILE = "\n".join(HOSTILE_LINES)


def shown(markdown: str, parser: MarkdownIt) -> list[str]:
    """The text of each block as a reader sees it (a line break inside a paragraph as "\\n");
    fails on any markup at all: a block other than a paragraph, or emphasis, code, a link,
    HTML, an entity or maths inside one. (A bare URL a renderer links is still its text.)"""
    paragraphs = []
    for block in parser.parse(markdown):
        assert block.type in ("paragraph_open", "inline", "paragraph_close"), block.type
        if block.type != "inline":
            continue
        text = ""
        for child in block.children or []:
            if child.type == "text":
                text += child.content
            elif child.type == "softbreak":
                text += "\n"
            elif child.type in ("link_open", "link_close") and child.markup == "linkify":
                pass
            else:
                raise AssertionError(f"markup: {child.type} {child.content!r}")
        paragraphs.append(text)
    return paragraphs


@pytest.mark.parametrize("parser", PARSERS.values(), ids=PARSERS.keys())
def test_every_hostile_line_shows_as_typed(parser: Callable[[], MarkdownIt]) -> None:
    assert shown(escape_markdown(HOSTILE), parser()) == [HOSTILE]


@pytest.mark.parametrize("parser", PARSERS.values(), ids=PARSERS.keys())
def test_line_ends_of_every_kind_start_lines_that_are_escaped(
    parser: Callable[[], MarkdownIt],
) -> None:
    for end in ("\n", "\r\n", "\r"):
        text = end.join(["one", "- two", "3. three", "==="])
        assert shown(escape_markdown(text), parser()) == ["one\n- two\n3. three\n==="]


# Runs of punctuation, letters, digits and spaces, with pieces of URLs and list markers.
PIECES = st.one_of(
    st.text(string.punctuation + "aZ19 ", min_size=1, max_size=4),
    st.sampled_from(["https://", "http://", "www.", "a.example", "/x", "1.", "- ", "\\"]),
)
LINES = st.lists(
    st.lists(PIECES, min_size=1, max_size=8).map("".join).map(str.strip).filter(bool),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(lines=LINES)
def test_any_punctuation_shows_as_typed(lines: list[str]) -> None:
    """Lines of any ASCII punctuation (white space within lines; the callers collapse it
    at their ends) come out as the same characters under every parser."""
    text = "\n".join(lines)
    for parser in PARSERS.values():
        assert shown(escape_markdown(text), parser()) == [text]


def test_only_what_could_be_markup_is_escaped() -> None:
    assert escape_markdown("Rates fall - again; 3.5% on 2024-01-01 (or so), he said.") == (
        "Rates fall - again; 3.5% on 2024-01-01 (or so), he said."
    )
    assert escape_markdown("1984. A year") == "1984\\. A year"
    assert escape_markdown("+972 Magazine\n= sign") == "\\+972 Magazine\n\\= sign"


def test_line_starts_are_escaped_once() -> None:
    escaped = escape_markdown("- a\n1. b\n  + c\n\t2) d")
    assert escaped == "\\- a\n1\\. b\n  \\+ c\n\t2\\) d"
    assert escape_markdown_line_starts(escaped) == escaped
    # Runs put together: "1984" then ". A year" ("**x**" markup is left alone).
    assert escape_markdown_line_starts("1984. A year\n**x** - y") == "1984\\. A year\n**x** - y"


# --- in Textual's Markdown widget ----------------------------------------------------------------


class Shown(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown(escape_markdown(HOSTILE), id="detail")
        yield Markdown(escape_markdown(HOSTILE), id="reader", parser_factory=reader_view_parser)


async def test_the_markdown_widget_shows_the_characters_as_typed() -> None:
    """What the detail pane and the reader view draw: one paragraph, its text as typed (the
    widget shows a line break inside a paragraph as a space)."""
    app = Shown()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        for widget in app.query(Markdown):
            blocks = list(widget.query("MarkdownBlock"))
            assert [type(block) for block in blocks] == [MarkdownParagraph], widget.id
            assert blocks[0]._content.plain == HOSTILE.replace("\n", " "), widget.id


# --- the writers of Markdown use it --------------------------------------------------------------


def feed_body(text: str) -> str:
    """A feed item's body as the detail pane gets it."""
    return plain_to_markdown(text)


def reader_view(text: str) -> str:
    """An extracted article's paragraph as the reader view gets it."""
    main = etree.Element("main")
    etree.SubElement(main, "p").text = text
    return reader_markdown.render(main, "https://news.example/story").markdown


def reading_list(text: str) -> str:
    """An exported record's excerpt, in the reading list's Markdown."""
    record = {
        "title": "T",
        "webUrl": None,
        "provider": None,
        "publishedDateTime": None,
        "excerpt": text,
    }
    out = io.StringIO()
    export.write_markdown([json.dumps(record)], out, query="", day=date(2026, 1, 1))
    return out.getvalue().split("\n\n  ", 1)[1]


@pytest.mark.parametrize("write", [feed_body, reader_view, reading_list])
@pytest.mark.parametrize("parser", PARSERS.values(), ids=PARSERS.keys())
def test_every_writer_of_markdown_shows_record_text_as_typed(
    write: Callable[[str], str], parser: Callable[[], MarkdownIt]
) -> None:
    one_line = " ".join(HOSTILE_LINES)  # the reader view and the list collapse line breaks
    text = HOSTILE if write is feed_body else one_line
    assert shown(write(HOSTILE), parser()) == [text]


@pytest.mark.parametrize("write", [feed_body, reader_view, reading_list])
def test_every_writer_of_markdown_escapes_alike(write: Callable[[str], str]) -> None:
    one_line = " ".join(HOSTILE_LINES)
    assert write(one_line).strip() == escape_markdown(one_line)
