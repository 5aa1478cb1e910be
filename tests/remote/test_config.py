"""The sources file: named URLs and paths in TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.sources.config import (
    SourceEntry,
    SourcesFileError,
    default_sources_path,
    is_url,
    load_sources_file,
)

EXAMPLE = """\
[[source]]
name = "AI ethics"
url = "https://everyday-cc.github.io/ai/api/news/ai-ethics/index.json"

[[source]]
name = "My archive"
path = "~/news/_news"

[[source]]
path = "local/pages"
"""


def write(tmp_path: Path, text: str, name: str = "sources.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sources_file_names_urls_and_paths(tmp_path: Path) -> None:
    """`~` is the home folder; a relative path is relative to the file; no name, the location."""
    path = write(tmp_path, EXAMPLE)
    entries, problems = load_sources_file(path)
    assert problems == []
    assert entries == [
        SourceEntry("AI ethics", "https://everyday-cc.github.io/ai/api/news/ai-ethics/index.json"),
        SourceEntry("My archive", str(Path.home() / "news/_news")),
        SourceEntry(str(tmp_path / "local/pages"), str(tmp_path / "local/pages")),
    ]


def test_the_default_file_is_in_the_users_config_folder(tmp_path: Path) -> None:
    expected = tmp_path / "xdg" / "xdg_config_home" / "reader" / "sources.toml"
    assert default_sources_path() == expected
    assert load_sources_file() == ([], [])  # not there: no sources, no complaint
    expected.parent.mkdir(parents=True)
    expected.write_text(EXAMPLE)
    assert len(load_sources_file()[0]) == 3


def test_a_sources_file_given_explicitly_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match=r"missing\.toml: no such file"):
        load_sources_file(tmp_path / "missing.toml")


def test_a_file_that_is_not_toml_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[source]]\nname = "A"\nurl = https://x\n')
    with pytest.raises(SourcesFileError) as caught:
        load_sources_file(path)
    assert str(caught.value) == f"{path}: line 3, column 7: invalid value"


def test_a_file_that_is_not_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_bytes(b"name = '\xff'")
    with pytest.raises(SourcesFileError, match="not UTF-8 text"):
        load_sources_file(path)


def test_wrong_entries_are_problems_with_their_line_and_the_rest_load(tmp_path: Path) -> None:
    text = """\
[[source]]
name = "No location"

[[source]]
url = "https://a.example/index.json"
path = "/both"

[[source]]
url = "ftp://a.example/x.json"

[[source]]
name = 5
url = "https://a.example/n.json"

[[source]]
name = "Good"
url = "https://a.example/good.json"
colour = "red"

[sources]
oops = 1
"""
    path = write(tmp_path, text)
    entries, problems = load_sources_file(path)
    assert entries == [SourceEntry("Good", "https://a.example/good.json")]
    assert [problem.reason for problem in problems] == [
        "unknown key 'sources' (sources are [[source]] tables)",
        "line 1: a source needs either a url or a path (one of them)",
        "line 4: a source needs either a url or a path (one of them)",
        "line 8: url must start with http:// or https://: 'ftp://a.example/x.json'",
        "line 11: name must be non-empty text",
        "line 15: unknown key 'colour' (expected name, url or path)",
    ]
    assert {problem.source for problem in problems} == {str(path)}


def test_source_must_be_a_list_of_tables(tmp_path: Path) -> None:
    entries, problems = load_sources_file(write(tmp_path, 'source = "https://a.example"\n'))
    assert entries == []
    assert [p.reason for p in problems] == ["'source' must be a list of [[source]] tables"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://a.example/x.json", True),
        ("HTTP://A.EXAMPLE/", True),
        ("~/news", False),
        ("news/http://x", False),
        ("ftp://a.example", False),
    ],
)
def test_is_url_tells_remote_sources_from_paths(source: str, expected: bool) -> None:
    assert is_url(source) is expected
