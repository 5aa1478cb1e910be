"""`reader list --format json|jsonl|csv|md` and `-o FILE`: the same records as the table, filtered
and sorted alike, written where asked."""

from __future__ import annotations

import csv
import errno
import io
import json
import unicodedata
from datetime import date
from pathlib import Path
from typing import TextIO

import pytest

from reader import export
from tests.cli.test_cli import HOSTILE_TITLE, record


@pytest.fixture
def folder(tmp_path: Path, write) -> Path:
    """Three stories: two about robots (hot and mild), one about chips."""
    write("a.md", record("Robot arms", url="https://e.com/a", when="2024-02-01T10:00:00Z", heat=5))
    write(
        "b.md",
        record("Robot legs", url="https://e.com/b", when="2024-02-03", heat=90, provider="Bots"),
    )
    write("c.md", record("Chip news", url="https://e.com/c", when="2024-02-02T10:00:00Z", heat=50))
    return tmp_path


def titles_in_json_lines(text: str) -> list[str]:
    return [json.loads(line)["title"] for line in text.splitlines()]


def test_json_is_an_array_in_the_order_of_the_list(folder: Path, run) -> None:
    result = run("list", folder, "--format", "json", "--filter", "robot", "--sort", "heat")
    assert result.exit_code == 0, result.output
    assert [item["title"] for item in json.loads(result.stdout)] == ["Robot legs", "Robot arms"]


def test_jsonl_is_what_json_prints(folder: Path, run) -> None:
    """`--json` stays, as the short form of `--format jsonl`; --reverse applies to both."""
    jsonl = run("list", folder, "--format", "jsonl", "--reverse").stdout
    assert run("list", folder, "--json", "--reverse").stdout == jsonl
    assert run("list", folder, "--json", "--format", "jsonl", "--reverse").stdout == jsonl
    assert titles_in_json_lines(jsonl) == ["Robot arms", "Chip news", "Robot legs"]


def test_json_and_jsonl_hold_the_same_records(folder: Path, run) -> None:
    array = json.loads(run("list", folder, "--format", "json").stdout)
    lines = run("list", folder, "--format", "jsonl").stdout.splitlines()
    assert array == [json.loads(line) for line in lines]


def test_csv_reads_back_with_a_header(folder: Path, run) -> None:
    result = run("list", folder, "--format", "csv", "--filter", "robot")
    header, *rows = csv.reader(io.StringIO(result.stdout, newline=""))
    assert header[:3] == ["title", "url", "published"]
    assert [row[:3] for row in rows] == [
        ["Robot legs", "https://e.com/b", "2024-02-03T00:00:00+00:00"],
        ["Robot arms", "https://e.com/a", "2024-02-01T10:00:00+00:00"],
    ]


def test_md_is_a_reading_list_of_the_query(folder: Path, run) -> None:
    lines = run("list", folder, "--format", "md", "--filter", "robot").stdout.splitlines()
    assert lines[0] == f"# Reading list: robot ({date.today().isoformat()})"
    assert [line for line in lines if line.startswith("- ")] == [
        "- [Robot legs](https://e.com/b) — Bots, 2024-02-03",
        "- [Robot arms](https://e.com/a) — 2024-02-01",
    ]


def test_output_file_takes_the_format_from_its_extension(folder: Path, run) -> None:
    out = folder / "out" / "robots.csv"
    out.parent.mkdir()
    result = run("list", folder, "--filter", "robot", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [row[0] for row in rows] == ["title", "Robot legs", "Robot arms"]


def test_output_file_with_format_replaces_what_was_there(folder: Path, run) -> None:
    out = folder / "list.txt"
    out.write_text("old content\n" * 100)
    assert run("list", folder, "--format", "jsonl", "--output", out).exit_code == 0
    assert titles_in_json_lines(out.read_text()) == ["Robot legs", "Chip news", "Robot arms"]


def test_output_file_is_replaced_whole_or_not_at_all(
    folder: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills part way leaves the file -o names as it was, and nothing beside it."""
    out = folder / "list.csv"
    out.write_text("my notes\n")
    before = set(folder.iterdir())

    def full_disk(records: object, stream: TextIO) -> int:
        stream.write("title,url\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "write_csv", full_disk)
    result = run("list", folder, "-o", out)
    assert result.exit_code == 1
    assert f"Cannot write {out}: No space left on device" in result.stderr
    assert out.read_text() == "my notes\n"
    assert set(folder.iterdir()) == before


def test_a_story_dated_year_1_is_listed_west_of_utc(
    tmp_path: Path, write, run, west_of_utc: None
) -> None:
    """0001-01-01T00:00Z has no local time five hours west: the day is the record's own."""
    write("old.md", record("Very old", url="https://e.com/old", when="0001-01-01T00:00:00Z"))
    result = run("list", tmp_path, "--format", "md")
    assert result.exit_code == 0, result.output
    assert "- [Very old](https://e.com/old) — 0001-01-01" in result.stdout.splitlines()
    table = run("list", tmp_path)
    assert table.exit_code == 0, table.output
    assert "0001-01-01" in table.stdout


def test_output_file_of_unknown_extension_gets_the_table(folder: Path, run) -> None:
    out = folder / "list.txt"
    run("list", folder, "-o", out)
    assert out.read_text() == run("list", folder).stdout


def test_output_into_a_missing_folder_says_which_and_why(folder: Path, run) -> None:
    out = folder / "missing" / "list.md"
    result = run("list", folder, "-o", out)
    assert result.exit_code == 1
    assert f"Cannot write {out}: the folder {out.parent} does not exist" in result.stderr
    assert not out.parent.exists()


def test_json_with_another_format_is_a_usage_error(folder: Path, run) -> None:
    result = run("list", folder, "--json", "--format", "csv")
    assert result.exit_code == 2
    assert "--json is short for --format jsonl" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "md"])
def test_no_format_lets_record_text_drive_the_terminal(tmp_path: Path, write, run, fmt) -> None:
    """A title with OSC 52 and colour codes comes out of every format harmlessly."""
    write("evil.md", record(HOSTILE_TITLE, url="https://e.com/evil", provider="Evil\x1b[2J Co"))
    result = run("list", tmp_path, "--format", fmt)
    assert result.exit_code == 0, result.output
    raw = [ch for ch in result.stdout if unicodedata.category(ch) == "Cc" and ch not in "\r\n"]
    assert raw == []
    assert "red" in result.stdout
