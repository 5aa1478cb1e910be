"""The `reader` command as scripts and people use it: `list` (table and JSON Lines), `check`
(problems and exit status), `--version`, `--help`, and never letting record text drive the
terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import pytest

DOCUMENTED_KEYS = {
    "title",
    "excerpt",
    "publishedDateTime",
    "webUrl",
    "originalUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "category",
    "heat",
    "quality",
    "provider",
    "topics",
    "images",
    "related",
    "content",
    "source",
}

HOSTILE_TITLE = "Pwned \x1b]52;c;ZWNobyBwd25lZA==\x07 clipboard and \x1b[31mred\x1b[0m text"


def quoted(text: str) -> str:
    """text as a YAML double-quoted scalar; control characters become escapes YAML decodes."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def record(
    title: str,
    *,
    url: str | None = None,
    when: datetime | str | None = None,
    heat: int | None = None,
    provider: str | None = None,
    extra: str = "",
) -> str:
    """A Markdown record in the site's shape; title and provider may hold any character."""
    lines = ["---", f"title: {quoted(title)}"]
    if url:
        lines.append(f'webUrl: "{url}"')
    if when:
        lines.append(
            f"publishedDateTime: {when.isoformat() if isinstance(when, datetime) else when}"
        )
    if heat is not None:
        lines.append(f"heat: {heat}")
    if provider:
        lines += ["provider:", f"  name: {quoted(provider)}", "  domain: example.com"]
    return "\n".join(lines) + "\n" + extra + "---\n"


def cells(text: str) -> int:
    """Terminal cells of text: East Asian wide/fullwidth characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def has_raw_control(text: str) -> bool:
    """True if text holds a C0/C1 control other than newline (an ESC, BEL, CSI …)."""
    return any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text)


# --- reader list ---------------------------------------------------------------------------------


def test_list_prints_an_aligned_table_newest_first(tmp_path, write, run) -> None:
    """`reader list` shows one row per record, newest first, titles starting in one column
    whatever the lengths of date, heat and provider (wide characters counted as two cells)."""
    now = datetime.now(UTC)
    write(
        "a.md",
        record(
            "Three hours old",
            url="https://e.com/a",
            when=now - timedelta(hours=3),
            heat=7,
            provider="BBC",
        ),
    )
    write(
        "b.md",
        record(
            "From 2021",
            url="https://e.com/b",
            when="2021-03-02T10:00:00Z",
            heat=1234,
            provider="日本経済新聞",
        ),
    )
    write(
        "c.md",
        record(
            "From 2014",
            url="https://e.com/c",
            when="2014-10-20T08:00:00Z",
            provider="A provider name far longer than the column allows",
        ),
    )
    write("d.md", record("No date at all", url="https://e.com/d"))
    result = run("list", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    titles = ["Three hours old", "From 2021", "From 2014", "No date at all"]
    assert len(lines) == len(titles)
    for line, title in zip(lines, titles, strict=True):
        assert line.rstrip().endswith(title), line
    columns = {cells(line[: line.index(title)]) for line, title in zip(lines, titles, strict=True)}
    assert len(columns) == 1, lines
    assert "BBC" in lines[0]
    assert "3 h" in lines[0]
    assert "1234" in lines[1]
    assert "…" in lines[2]  # the over-long provider is cut, not pushing the title


def test_list_of_nothing_prints_nothing(tmp_path, run) -> None:
    """An empty folder lists nothing and is not an error."""
    result = run("list", tmp_path)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_list_problems_go_to_stderr_not_stdout(tmp_path, write, run) -> None:
    """Problems do not pollute the listing a script reads from stdout."""
    write("good.md", record("Good one", url="https://e.com/g"))
    bad = write("bad.md", "---\ntitle: [unclosed\n---\n")
    result = run("list", tmp_path)
    assert result.stdout.splitlines()[0].endswith("Good one")
    assert str(bad) not in result.stdout
    assert str(bad) in result.stderr
    json_result = run("list", "--json", tmp_path)
    assert [json.loads(line)["title"] for line in json_result.stdout.splitlines()] == ["Good one"]
    assert str(bad) in json_result.stderr


def test_list_without_sources_shows_the_bundled_samples(run) -> None:
    """`reader list` alone lists the samples shipped with the program."""
    result = run("list")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


# --- reader list --json --------------------------------------------------------------------------


FULL = """\
---
category: news
title: "Robots learn to fold laundry"
excerpt: "A two-armed robot folds towels."
publishedDateTime: 2021-03-02T14:05:00Z
originalUrl: "https://news.example.com/robots-fold/?src=rss"
webUrl: "https://news.example.com/robots-fold/"
ampWebUrl: "https://news.example.com/robots-fold/amp/"
cdnAmpWebUrl: "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/robots-fold/amp/"
type: article
quality: 74
heat: 84
provider:
  name: Example News
  domain: example.com
topics:
  - Robotics
  - AI
images:
  - url: "https://news.example.com/img/robot.jpg?w=1024&#038;h=446"
    width: 1024
    height: 446
related:
  - title: "Laundry robots, a history"
    publishedDateTime: 2021-03-01T09:00:00Z
    webUrl: "https://other.example.org/laundry-robots/"
    provider:
      name: Other Paper
      domain: other.example.org
    quality: 39
---
Body text.
"""


def test_list_json_lines_have_the_documented_keys_and_values(tmp_path, write, run) -> None:
    """`reader list --json` prints one JSON object per line with the site's camelCase keys."""
    path = write("full.md", FULL)
    result = run("list", "--json", tmp_path)
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    data = json.loads(line)
    assert data.keys() >= DOCUMENTED_KEYS
    assert data["title"] == "Robots learn to fold laundry"
    assert data["excerpt"] == "A two-armed robot folds towels."
    assert datetime.fromisoformat(data["publishedDateTime"]) == datetime(
        2021, 3, 2, 14, 5, tzinfo=UTC
    )
    assert data["webUrl"] == "https://news.example.com/robots-fold/"
    assert data["originalUrl"] == "https://news.example.com/robots-fold/?src=rss"
    assert data["ampWebUrl"] == "https://news.example.com/robots-fold/amp/"
    assert data["cdnAmpWebUrl"].startswith("https://news-example-com.cdn.ampproject.org/")
    assert (data["type"], data["category"], data["heat"], data["quality"]) == (
        "article",
        "news",
        84,
        74,
    )
    assert data["provider"] == {"name": "Example News", "domain": "example.com"}
    assert data["topics"] == ["Robotics", "AI"]
    assert data["images"] == [
        {"url": "https://news.example.com/img/robot.jpg?w=1024&h=446", "width": 1024, "height": 446}
    ]
    (related,) = data["related"]
    assert related["title"] == "Laundry robots, a history"
    assert related["webUrl"] == "https://other.example.org/laundry-robots/"
    assert related["provider"] == {"name": "Other Paper", "domain": "other.example.org"}
    assert related["quality"] == 39
    assert datetime.fromisoformat(related["publishedDateTime"]) == datetime(
        2021, 3, 1, 9, tzinfo=UTC
    )
    assert data["content"] == "Body text."
    assert data["source"] == str(path)


def test_list_json_missing_values_are_null_or_empty_lists(tmp_path, write, run) -> None:
    """A record with only a title gives null for absent values and [] for absent lists."""
    write("bare.md", record("Bare"))
    data = json.loads(run("list", "--json", tmp_path).stdout)
    assert data.keys() >= DOCUMENTED_KEYS
    assert data["title"] == "Bare"
    for key in DOCUMENTED_KEYS - {"title", "source", "topics", "images", "related"}:
        assert data[key] is None, key
    for key in ("topics", "images", "related"):
        assert data[key] == [], key


def test_list_json_is_newest_first_one_line_per_story(tmp_path, write, run) -> None:
    """JSON Lines follow the same order as the table, and repeated stories appear once."""
    write("old.md", record("Old", url="https://e.com/old", when="2019-12-08T08:00:00-08:00"))
    write("new.md", record("New", url="https://e.com/new", when="2024-02-20T06:46:00Z"))
    write(
        "dup.json", json.dumps({"value": [{"title": "New (copy)", "webUrl": "https://e.com/new/"}]})
    )
    lines = run("list", "--json", tmp_path).stdout.splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["New", "Old"]


def test_list_json_escapes_control_characters(tmp_path, write, run) -> None:
    """Even JSON output never carries a raw ESC/BEL that a terminal would act on."""
    write("evil.md", record(HOSTILE_TITLE, url="https://e.com/evil"))
    result = run("list", "--json", tmp_path)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert json.loads(result.stdout)["title"]


def test_warm_cache_gives_the_same_output_and_edits_show(tmp_path, write, run) -> None:
    """A second run (from the parse cache) prints the same; an edited file shows its new text."""
    path = write("s.md", FULL)
    first = run("list", "--json", tmp_path).stdout
    second = run("list", "--json", tmp_path).stdout
    assert first == second
    path.write_text(FULL.replace("fold laundry", "iron shirts!!"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert (
        json.loads(run("list", "--json", tmp_path).stdout)["title"]
        == "Robots learn to iron shirts!!"
    )


# --- terminal safety -----------------------------------------------------------------------------


def test_hostile_title_is_not_raw_in_list_output(tmp_path, write, run) -> None:
    """A title with OSC 52 (clipboard write) and SGR colour sequences is shown harmlessly:
    the ESC and BEL are visible symbols, never raw bytes reaching the terminal."""
    write("evil.md", record(HOSTILE_TITLE, url="https://e.com/evil", provider="Evil\x1b[2J Corp"))
    result = run("list", tmp_path)
    assert result.exit_code == 0, result.output
    assert not has_raw_control(result.output)
    assert "\u241b]52;c;" in result.stdout  # the user can see something odd was there
    assert "red" in result.stdout


def test_hostile_text_is_not_raw_in_check_output(tmp_path, write, run) -> None:
    """`reader check` output (problem lines from names and values) carries no raw controls."""
    write(f"evil \x1b[31m{chr(0x9B)}name.md", "---\ntitle: [unclosed\n---\n")
    write("evil-value.md", record(HOSTILE_TITLE, extra=f"heat: {quoted(HOSTILE_TITLE)}\n"))
    write(
        "evil-json.json",
        json.dumps({"value": [{"title": HOSTILE_TITLE, "quality": HOSTILE_TITLE}]}),
    )
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "problem" in result.output
    assert not has_raw_control(result.output)
    assert "\u241b[31m" in result.output  # the file name is shown, with a visible ESC


# --- reader check --------------------------------------------------------------------------------


def test_check_clean_sources_exit_0(tmp_path, write, run) -> None:
    """No problem: the summary line only, exit status 0."""
    write("a.md", record("A", url="https://e.com/a"))
    write("b.md", record("B", url="https://e.com/b"))
    result = run("check", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["2 records, 0 problems"]


def test_check_reports_source_and_reason_and_exits_1(tmp_path, write, run) -> None:
    """Each problem is one `SOURCE: reason` line, then `N records, M problems`; exit 1."""
    write("good.md", record("Good", url="https://e.com/g"))
    broken = write("broken.md", "---\ntitle: ok\nexcerpt: fine\nbad: : x\n---\n")
    typed = write("typed.md", record("Typed", url="https://e.com/t", extra="heat: warm\n"))
    missing = tmp_path / "missing.md"
    result = run("check", tmp_path, missing)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "2 records, 3 problems"
    problems = lines[:-1]
    assert len(problems) == 3
    assert any(
        line.startswith(f"{broken}: invalid YAML") and "(line 4)" in line for line in problems
    )
    assert any(line.startswith(f"{typed}: heat:") for line in problems)
    assert any(line.startswith(f"{missing}: ") for line in problems)


def test_check_uses_singular_for_one(tmp_path, write, run) -> None:
    """'1 record, 1 problem', not '1 records, 1 problems'."""
    write("a.md", record("A", extra="heat: warm\n"))
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 record, 1 problem"


def test_check_bundled_samples_are_clean(run) -> None:
    """The samples shipped with the program pass their own check."""
    result = run("check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "args",
    [["list", "--bogus"], ["check", "--bogus"], ["list", "--json=yes"], ["--bogus"]],
    ids=["list", "check", "flag-value", "top-level"],
)
def test_usage_errors_exit_2(run, args: list[str]) -> None:
    """A mistyped option is a usage error (exit 2) with a message, not a crash or a TUI."""
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Error:" in result.output
    assert result.stdout == ""  # nothing a script could mistake for records


# --- --version and --help ------------------------------------------------------------------------


def test_version(run) -> None:
    """`reader --version` prints the installed version and exits 0."""
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"reader, version {version('reader')}"


@pytest.mark.parametrize("command", ["list", "check", "open"])
def test_help_of_each_command(run, command: str) -> None:
    """`reader CMD --help` describes the command and its SOURCE arguments."""
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert f"Usage: reader {command}" in result.output
    assert "SOURCE" in result.output


def test_top_level_help_lists_the_commands(run) -> None:
    """`reader --help` and `reader -h` list the commands."""
    for flag in ("--help", "-h"):
        result = run(flag)
        assert result.exit_code == 0, result.output
        for command in ("list", "check", "open"):
            assert command in result.output


def test_a_source_as_first_argument_means_open(tmp_path, write, run) -> None:
    """`reader FILE` is `reader open FILE` (shown here with --help so no app starts)."""
    path = write("a.md", record("A"))
    result = run(path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: reader open" in result.output


# --- known bugs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("inf.md", "---\ntitle: Hot\nheat: .inf\n---\n"),
        ("nan.md", "---\ntitle: Hot\nquality: .nan\n---\n"),
        ("inf.json", '{"title": "Hot", "heat": Infinity}'),
        ("text.md", '---\ntitle: Hot\nheat: "inf"\n---\n'),
    ],
    ids=["yaml-inf", "yaml-nan", "json-infinity", "text-inf"],
)
def test_check_reports_infinite_heat_instead_of_crashing(tmp_path, write, run, name, text) -> None:
    """A record with an infinite or NaN number is a problem line, not a traceback."""
    write(name, text)
    result = run("check", tmp_path)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 record, 1 problem"


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_list_survives_an_extreme_date(tmp_path, write, run, when: str) -> None:
    """A silly date is shown (or left blank); it does not crash the listing of the others."""
    write("odd.md", record("Odd date", url="https://e.com/f", when=when))
    write("ok.md", record("Normal", url="https://e.com/n", when="2021-03-02T10:00:00Z"))
    result = run("list", tmp_path)
    assert result.exception is None, repr(result.exception)
    assert any(line.endswith("Normal") for line in result.stdout.splitlines())


def _limit_memory() -> None:
    """In the child only: cap its address space so a runaway parse fails fast, not the host."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


def _billion_laughs(depth: int) -> str:
    """A ~500-byte YAML whose `heat` is an alias tree of 9**depth strings."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, depth + 1)]
    return "---\ntitle: Laughs\n" + "\n".join(lines) + f"\nheat: *l{depth}\n---\n"


def test_check_is_not_hung_by_a_yaml_alias_bomb(tmp_path, write, cache_home) -> None:
    """A tiny hostile file is reported quickly, not expanded into gigabytes of text."""
    path = write("laughs.md", _billion_laughs(9))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "reader", "check", str(path)],
            capture_output=True,
            text=True,
            timeout=4,
            env=env,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("`reader check` was still running after 4 s on a 500-byte file")
    assert completed.returncode == 1, completed.stderr
    assert f"{path}: heat:" in completed.stdout


def test_yaml_file_with_python_tag_does_not_run_code(tmp_path, write, run) -> None:
    """`reader check` refuses a record with a Python object tag; the command in it never runs."""
    marker = tmp_path / "pwned"
    write("evil.md", f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n")
    result = run("check", tmp_path)
    assert result.exit_code == 1
    assert "YAML refused" in result.output
    assert not marker.exists()


def test_cli_output_paths_are_real_files(tmp_path, write, run) -> None:
    """`source` in JSON output is the path of the file, usable to open or edit it."""
    write("sub/a.md", record("A"))
    data = json.loads(run("list", "--json", tmp_path).stdout)
    assert Path(data["source"]).is_file()
