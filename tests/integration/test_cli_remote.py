"""`reader list` and `reader check` with URLs: remote collections page by page, failures named
with their URL and status, and local folders and URLs merged into one list."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import page, record, serve_collection

TOPIC = "/api/news/robots"


def test_list_json_prints_every_page_of_a_remote_collection(server, cli) -> None:
    url = serve_collection(
        server,
        TOPIC,
        page(1, 2, "Robot one", "Robot two", day=20),
        page(2, None, "Robot three", "Robot four", day=10),
    )

    ran = cli("list", url, "--json")

    assert ran.code == 0, ran.stderr
    assert ran.titles == ["Robot one", "Robot two", "Robot three", "Robot four"]
    assert server.paths() == [f"{TOPIC}/index.json", f"{TOPIC}/page/2/index.json"]
    sources = [data["source"] for data in ran.records]
    assert sources == [url, url, *[server.url(f"{TOPIC}/page/2/index.json")] * 2]
    assert {data["provider"]["name"] for data in ran.records} == {"Remote Wire"}
    assert ran.stderr == ""


def test_list_prints_the_good_source_names_the_missing_one_and_exits_1(server, cli) -> None:
    good = serve_collection(server, TOPIC, page(1, None, "Still here", day=3))
    missing = server.url("/api/news/gone/index.json")

    ran = cli("list", good, missing, "--json")

    assert ran.titles == ["Still here"]
    assert missing in ran.stderr
    assert "HTTP 404" in ran.stderr
    assert good not in ran.stderr
    assert ran.code == 1


def test_a_missing_url_is_exit_code_1_of_a_real_process_too(server, reader_process) -> None:
    good = serve_collection(server, TOPIC, page(1, None, "Still here", day=3))
    missing = server.url("/nothing/index.json")

    ran = reader_process("list", good, missing)

    assert ran.code == 1
    assert "Still here" in ran.stdout
    assert f"{missing}: HTTP 404 Not Found" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_list_exits_0_when_every_url_answers(server, cli) -> None:
    url = serve_collection(server, TOPIC, page(1, None, "Fine", day=3))
    ran = cli("list", url)
    assert (ran.code, ran.stderr) == (0, "")
    assert "Fine" in ran.stdout and "Remote Wire" in ran.stdout


def test_check_reports_a_missing_url_and_a_broken_record_and_exits_1(server, cli) -> None:
    data = page(1, None, "Good record", day=5)
    data["value"].append({"webUrl": "https://news.example/untitled"})  # no title
    url = serve_collection(server, TOPIC, data)
    missing = server.url("/api/news/gone/index.json")

    ran = cli("check", url, missing)

    assert ran.code == 1
    assert f"{missing}: HTTP 404 Not Found" in ran.stdout
    assert f"{url} [record 2]: title: missing" in ran.lines
    assert ran.lines[-1] == "2 records, 2 problems"  # the untitled record is still listed


def test_check_of_a_clean_remote_collection_exits_0(server, cli) -> None:
    url = serve_collection(server, TOPIC, page(1, 2, "A", day=2), page(2, None, "B", day=1))
    ran = cli("check", url)
    assert (ran.code, ran.lines) == (0, ["2 records, 0 problems"])


def test_a_folder_and_a_url_merge_into_one_list_one_line_per_story(
    server, cli, tmp_path: Path
) -> None:
    """The same story (same webUrl, up to a final slash) locally and remotely is one line."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "shared.md").write_text(
        record(
            "Shared story",
            "https://news.example/shared-story/",
            publishedDateTime="2026-11-05T12:00:00Z",
        )
    )
    (folder / "local.md").write_text(
        record(
            "Only local",
            "https://news.example/only-local",
            publishedDateTime="2026-11-04T12:00:00Z",
        )
    )
    url = serve_collection(server, TOPIC, page(1, None, "Shared story", "Only remote", day=5))

    as_json = cli("list", folder, url, "--json")
    table = cli("list", folder, url)

    assert as_json.code == 0, as_json.stderr
    assert as_json.titles == ["Shared story", "Only remote", "Only local"]
    assert table.code == 0
    assert len(table.lines) == 3
    assert sum("Shared story" in line for line in table.lines) == 1
    # The remote copy says more (provider, date), so it is the one kept.
    [shared] = [data for data in as_json.records if data["title"] == "Shared story"]
    assert shared["provider"]["name"] == "Remote Wire"
