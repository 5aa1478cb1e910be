"""The sources file as a user meets it: `reader sources`, `--sources FILE`, the default file in
the config folder, and a file that is not TOML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.conftest import page, record, serve_collection


def default_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "reader" / "sources.toml"


def a_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "archive" / "_news"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(
        record("Archived story", "https://a.example/1", publishedDateTime="2026-10-01T00:00:00Z")
    )
    return folder


def sources_toml(url: str) -> str:
    return f"""
[[source]]
name = "Robots"
url = "{url}"

[[source]]
name = "My archive"
path = "archive/_news"
"""


def test_sources_prints_each_name_and_location(server, cli, tmp_path: Path) -> None:
    url = server.url("/api/news/robots/index.json")
    file = tmp_path / "sources.toml"
    file.write_text(sources_toml(url))

    ran = cli("sources", "--sources", file)

    assert ran.code == 0, ran.stderr
    assert ran.lines[0] == f"# {file}"
    lines = ran.lines[1:]
    assert len(lines) == 2
    assert lines[0].split() == ["Robots", url]
    # A relative path is relative to the file, and the locations line up in one column.
    assert lines[1].split("  ")[0] == "My archive"
    assert lines[1].endswith(str(tmp_path / "archive" / "_news"))
    assert lines[0].index(url) == lines[1].index(str(tmp_path))
    assert server.log == []  # listing the sources fetches nothing


def test_without_a_sources_file_none_are_configured(cli) -> None:
    ran = cli("sources")
    assert ran.code == 0
    assert ran.stdout.startswith(f"No sources configured in {default_file()}")
    assert ran.stderr == ""


@pytest.mark.parametrize("command", ["sources", "list", "check"])
def test_a_file_that_is_not_toml_is_a_clear_error(reader_process, tmp_path: Path, command) -> None:
    file = tmp_path / "sources.toml"
    file.write_text('[[source]]\nname = "Robots"\nurl = https://unquoted.example/\n')

    ran = reader_process(command, "--sources", file)

    assert ran.code != 0
    assert str(file) in ran.stderr
    assert "line 3" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert ran.stdout == ""


def test_a_sources_file_that_is_not_there_is_a_clear_error(cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    ran = cli("list", "--sources", missing)
    assert ran.code != 0
    assert f"{missing}: no such file" in ran.stderr


def test_list_without_sources_reads_the_sources_file(server, cli, tmp_path: Path) -> None:
    url = serve_collection(server, "/api/news/robots", page(1, None, "Remote robot", day=20))
    a_folder(tmp_path)
    file = tmp_path / "sources.toml"
    file.write_text(sources_toml(url))

    ran = cli("list", "--sources", file, "--json")

    assert ran.code == 0, ran.stderr
    assert ran.titles == ["Remote robot", "Archived story"]
    assert server.paths() == ["/api/news/robots/index.json"]


def test_a_source_argument_wins_over_the_sources_file(server, cli, tmp_path: Path) -> None:
    url = serve_collection(server, "/api/news/robots", page(1, None, "Remote robot", day=20))
    folder = a_folder(tmp_path)
    file = tmp_path / "sources.toml"
    file.write_text(sources_toml(url))

    ran = cli("list", "--sources", file, folder, "--json")

    assert ran.titles == ["Archived story"]
    assert server.log == []


def test_the_default_sources_file_in_the_config_folder_is_used(server, cli, tmp_path: Path) -> None:
    url = serve_collection(server, "/api/news/robots", page(1, None, "Remote robot", day=20))
    default_file().parent.mkdir(parents=True)
    default_file().write_text(f'[[source]]\nname = "Robots"\nurl = "{url}"\n')

    listed = cli("sources")
    printed = cli("list", "--json")
    checked = cli("check")

    assert listed.lines[0] == f"# {default_file()}"
    assert listed.lines[1].split() == ["Robots", url]
    assert (printed.code, printed.titles) == (0, ["Remote robot"])
    assert (checked.code, checked.lines) == (0, ["1 record, 0 problems"])


def test_a_wrong_entry_is_reported_and_the_others_still_load(server, cli, tmp_path: Path) -> None:
    url = serve_collection(server, "/api/news/robots", page(1, None, "Remote robot", day=20))
    file = tmp_path / "sources.toml"
    file.write_text(f'[[source]]\nname = "Robots"\nurl = "{url}"\n\n[[source]]\nname = "Nothing"\n')

    ran = cli("list", "--sources", file, "--json")

    assert ran.titles == ["Remote robot"]
    assert f"{file}: line 5: a source needs either a url or a path" in ran.stderr
