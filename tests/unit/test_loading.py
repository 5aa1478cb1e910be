"""Loading: which files SOURCE arguments name, what each file yields, and how copies of one
story from several files become one list entry, newest first."""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.collection import dedupe
from reader.model import Entry
from reader.sources.local import MAX_FILE_BYTES, expand, read_file


def record(title: str, *, url: str | None = None, when: str | None = None, extra: str = "") -> str:
    """A small Markdown record in the site's shape."""
    lines = ["---", f'title: "{title}"']
    if url:
        lines.append(f'webUrl: "{url}"')
    if when:
        lines.append(f"publishedDateTime: {when}")
    return "\n".join(lines) + "\n" + extra + "---\n"


def load_collection(*sources: Path | str):
    """The collection exactly as `reader list` builds it (without touching the user's cache)."""
    from reader.loader import load, open_cache

    return load([str(source) for source in sources], open_cache(enabled=False))


# --- expand: what SOURCE arguments name ------------------------------------------------------


def test_a_file_names_itself(write) -> None:
    """`reader list story.md` reads exactly that file."""
    path = write("story.md", record("A"))
    assert expand([str(path)]) == ([str(path)], [])


def test_a_folder_is_searched_recursively_for_record_files(tmp_path, write) -> None:
    """A folder means every .md/.markdown/.json below it; other and hidden files are skipped."""
    wanted = [
        write("news/a.md", record("A")),
        write("news/b.MD", record("B")),
        write("news/2021/c.markdown", record("C")),
        write("news/2021/03/page.json", '{"value": []}'),
    ]
    write("news/notes.txt", "not a record")
    write("news/image.png", b"\x89PNG")
    write("news/.draft.md", record("hidden"))
    write("news/.git/HEAD.md", record("git internals"))
    write("news/_site/.cache/x.md", record("hidden folder"))
    paths, problems = expand([str(tmp_path / "news")])
    assert problems == []
    assert sorted(paths) == sorted(map(str, wanted))


def test_folder_order_is_stable(tmp_path, write) -> None:
    """The same folder always gives the same file order (sorted), so output is reproducible."""
    for name in ("b.md", "a.md", "c/z.md", "c/a.json"):
        write(f"d/{name}", record(name))
    first, _ = expand([str(tmp_path / "d")])
    second, _ = expand([str(tmp_path / "d")])
    assert first == second
    assert [os.path.basename(p) for p in first] == ["a.md", "b.md", "a.json", "z.md"]


def test_a_glob_selects_matching_record_files(tmp_path, write) -> None:
    """Quoted globs work, including `**`; non-record files matched by the glob are ignored."""
    a = write("g/2021-01-a.md", record("A"))
    b = write("g/sub/2021-02-b.md", record("B"))
    write("g/2020-12-c.md", record("C"))
    write("g/2021-notes.txt", "no")
    paths, problems = expand([str(tmp_path / "g" / "**" / "2021-*")])
    assert problems == []
    assert sorted(paths) == sorted([str(a), str(b)])


def test_a_glob_matching_nothing_is_a_problem_naming_it(tmp_path) -> None:
    """A pattern that matches nothing is reported with the pattern itself."""
    pattern = str(tmp_path / "*.md")
    paths, problems = expand([pattern])
    assert paths == []
    assert [(p.source, p.reason) for p in problems] == [(pattern, "no file matches this pattern")]


def test_a_missing_path_is_a_problem_naming_it(tmp_path, write) -> None:
    """A typo in a path is reported by name; the other sources still load."""
    good = write("ok.md", record("A"))
    missing = str(tmp_path / "nope" / "missing.md")
    paths, problems = expand([missing, str(good)])
    assert paths == [str(good)]
    assert len(problems) == 1
    assert problems[0].source == missing
    assert "no such file" in problems[0].reason


def test_a_file_named_twice_is_read_once(tmp_path, write) -> None:
    """A file reached by a folder and by name is read (and counted) once."""
    path = write("f/a.md", record("A"))
    paths, _ = expand([str(tmp_path / "f"), str(path), str(tmp_path / "f" / "*.md")])
    assert paths == [str(path)]


# --- read_file: what one file yields -----------------------------------------------------------


def test_markdown_record_gives_one_article(write) -> None:
    """A good record file gives one article and no problem."""
    path = write("a.md", record("Hello", url="https://e.com/a", when="2021-03-02T10:00:00Z"))
    result = read_file(path)
    assert result.problems == []
    assert [a.title for a in result.articles] == ["Hello"]
    assert result.articles[0].source == str(path)


def test_binary_file_is_a_problem(write) -> None:
    """An image saved with a .md name is reported as binary, not parsed."""
    path = write("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = read_file(path)
    assert result.articles == []
    assert len(result.problems) == 1
    assert result.problems[0].source == str(path)
    assert "binary" in result.problems[0].reason


def test_non_utf8_bytes_are_reported_with_their_offset(write) -> None:
    """A Latin-1 file says which byte, and where, is not UTF-8 (so it can be fixed)."""
    data = b'---\ntitle: "Caf\xe9"\n---\n'
    path = write("latin1.md", data)
    result = read_file(path)
    assert result.articles == []
    (problem,) = result.problems
    assert problem.source == str(path)
    assert "UTF-8" in problem.reason
    assert "0xe9" in problem.reason
    offset = data.index(b"\xe9")
    assert f"offset {offset}" in problem.reason


def test_oversized_file_is_refused_without_being_read_whole(tmp_path) -> None:
    """A huge file is reported as too large instead of filling memory. The file here is sparse
    and far larger than memory could hold, so reading it whole would not finish."""
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        try:
            handle.truncate(64 * 2**30)  # 64 GiB, sparse: no disk used
        except OSError:
            pytest.skip("this filesystem cannot make a sparse file")
    result = read_file(path)
    assert result.articles == []
    (problem,) = result.problems
    assert problem.source == str(path)
    assert "larger than" in problem.reason
    assert f"{MAX_FILE_BYTES // 2**20} MiB" in problem.reason


def test_a_file_read_carries_the_size_and_mtime_the_cache_keys_it_by(write) -> None:
    """Taken from the open file, so a cold start need not stat every file first."""
    path = write("story.md", record("A"))
    status = os.stat(path)
    result = read_file(path)
    assert (result.size, result.mtime_ns) == (status.st_size, status.st_mtime_ns)
    missing = read_file(path.with_name("gone.md"))
    assert (missing.size, missing.mtime_ns) == (-1, -1)


def test_a_file_that_fails_to_read_is_not_keyed_for_the_cache(
    write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error is reported, and the file tried again next time (its size and mtime, which
    the cache would keep the failure under, are not given)."""
    path = write("story.md", record("A"))

    def failing_read(descriptor: int, count: int) -> bytes:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "read", failing_read)
    result = read_file(path)
    assert (result.size, result.mtime_ns) == (-1, -1)
    assert [problem.reason for problem in result.problems] == [
        f"cannot read: {os.strerror(errno.EIO)}"
    ]


def test_a_file_that_grew_after_its_size_was_taken_is_read_whole(
    write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are read by the size fstat gives; one written to meanwhile is longer than that,
    and the rest of it is read too (up to the limit)."""
    path = write("growing.md", record("Grown", extra=f'excerpt: "{"x" * 5000}"\n'))
    real_fstat = os.fstat

    def stale_fstat(descriptor: int) -> os.stat_result:
        status = real_fstat(descriptor)
        return os.stat_result((*status[:6], 10, *status[7:]))  # st_size: 10 bytes

    monkeypatch.setattr(os, "fstat", stale_fstat)
    (article,) = read_file(path).articles
    assert article.title == "Grown"
    assert article.excerpt == "x" * 5000


def test_file_just_under_the_limit_is_read(write) -> None:
    """The size limit does not refuse ordinary large pages."""
    padding = " " * (MAX_FILE_BYTES - 200)
    path = write("big.json", '{"title": "Big"}' + padding)
    result = read_file(path)
    assert result.problems == []
    assert [a.title for a in result.articles] == ["Big"]


def test_a_folder_given_to_read_file_is_a_problem(tmp_path) -> None:
    """Unreadable paths are reported, never raised."""
    result = read_file(tmp_path)
    assert result.articles == []
    assert "cannot read" in result.problems[0].reason


def test_json_page_gives_all_its_records(write) -> None:
    """A JSON API page {"page","value":[...],"nextPage"} gives one article per record, in order."""
    records = [
        {"title": f"Story {n}", "webUrl": f"https://e.com/{n}", "heat": n} for n in range(1, 6)
    ]
    page = {"page": 3, "value": records, "nextPage": "/api/news/ai/page/4/index.json"}
    path = write("api/page/3/index.json", json.dumps(page, indent=2))
    result = read_file(path)
    assert result.problems == []
    assert [a.title for a in result.articles] == [f"Story {n}" for n in range(1, 6)]
    assert [a.heat for a in result.articles] == [1, 2, 3, 4, 5]
    assert all(a.source == str(path) for a in result.articles)


def test_empty_json_page_is_fine(write) -> None:
    """The last page of a topic can be empty: no records, no problem."""
    result = read_file(write("empty.json", '{"page": 9, "value": [], "nextPage": null}'))
    assert result.articles == []
    assert result.problems == []


def test_single_json_record(write) -> None:
    """A JSON file holding one record object gives that record."""
    path = write("one.json", json.dumps({"title": "Solo", "webUrl": "https://e.com/solo"}))
    result = read_file(path)
    assert result.problems == []
    assert [(a.title, a.web_url) for a in result.articles] == [("Solo", "https://e.com/solo")]


def test_json_list_of_records(write) -> None:
    """A bare JSON list of records is read like a page."""
    result = read_file(write("list.json", json.dumps([{"title": "A"}, {"title": "B"}])))
    assert [a.title for a in result.articles] == ["A", "B"]


def test_bad_record_in_a_page_names_its_position(write) -> None:
    """One broken record in a page is reported as `[record N]`; the others load."""
    page = {"value": [{"title": "A"}, "oops", {"title": "C", "heat": "hot"}]}
    path = write("p.json", json.dumps(page))
    result = read_file(path)
    assert [a.title for a in result.articles] == ["A", "C"]
    sources = sorted({p.source for p in result.problems})
    assert sources == [f"{path} [record 2]", f"{path} [record 3]"]
    assert any(p.reason.startswith("heat") for p in result.problems)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"value": [{"title": "A"},]}', "invalid JSON"),
        ("\n\n{ nope", "invalid JSON"),
        ('{"value": {"title": "A"}}', "'value' is not a list"),
        ("42", "neither a page nor a record"),
    ],
)
def test_unreadable_json_is_a_problem_with_a_reason(write, text: str, reason: str) -> None:
    """Broken JSON gives a one-line reason (with a line number when it is a syntax error)."""
    path = write("bad.json", text)
    result = read_file(path)
    assert result.articles == []
    (problem,) = result.problems
    assert problem.source == str(path)
    assert reason in problem.reason
    if reason == "invalid JSON":
        assert "(line " in problem.reason


def test_json_with_byte_order_mark(write) -> None:
    """JSON saved with a BOM still loads."""
    result = read_file(write("bom.json", "\ufeff" + json.dumps({"title": "BOM"})))
    assert [a.title for a in result.articles] == ["BOM"]


def test_empty_front_matter_reason_is_readable(write) -> None:
    """An empty `---/---` block is reported in words a user understands."""
    path = write("empty.md", "---\n---\nSome body.\n")
    result = read_file(path)
    assert result.articles == []
    (problem,) = result.problems
    assert problem.source == str(path)
    assert "NoneType" not in problem.reason


# --- merging copies and ordering -------------------------------------------------------------


def test_same_web_url_in_two_files_is_one_article_the_fuller_kept(tmp_path, write) -> None:
    """The site repeats stories; the list shows each once, from the most complete copy."""
    full_extra = (
        "excerpt: Full copy\nheat: 80\nquality: 70\nprovider:\n  name: P\n  domain: p.com\n"
        "topics:\n  - AI\n  - Robotics\n"
    )
    write("a/thin.md", record("Thin copy", url="https://e.com/story/", when="2021-03-02"))
    full = write(
        "b/full.md",
        record("Full copy", url="HTTPS://E.COM/story", when="2021-03-02", extra=full_extra),
    )
    write("c/other.md", record("Other story", url="https://e.com/other", when="2021-03-01"))
    collection = load_collection(tmp_path)
    assert [e.title for e in collection.entries] == ["Full copy", "Other story"]
    assert collection.entries[0].source == str(full)
    assert collection.problems == []


def test_fuller_copy_wins_whatever_the_file_order(tmp_path, write) -> None:
    """Which copy is kept does not depend on which file comes first."""
    extra = "excerpt: More\nheat: 5\ntopics:\n  - AI\n"
    write("z-full.md", record("Full", url="https://e.com/s", extra=extra))
    write("a-thin.md", record("Thin", url="https://e.com/s"))
    assert [e.title for e in load_collection(tmp_path).entries] == ["Full"]


def test_records_without_a_url_are_never_merged(tmp_path, write) -> None:
    """Two records with the same title but no webUrl are different records."""
    write("a.md", record("Same title"))
    write("b.md", record("Same title"))
    assert len(load_collection(tmp_path).entries) == 2


def test_collection_is_newest_first_and_undated_last(tmp_path, write) -> None:
    """The list opens on the latest news; records without a date go to the end."""
    write("1.md", record("Undated", url="https://e.com/u"))
    write("2.md", record("Old", url="https://e.com/o", when="2014-10-20T08:00:00Z"))
    write("3.md", record("Newest", url="https://e.com/n", when="2024-02-20T06:46:00Z"))
    write("4.md", record("Middle", url="https://e.com/m", when="2021-03-02T10:00:00+05:00"))
    write("5.md", record("Date only", url="https://e.com/d", when="2021-03-03"))
    titles = [e.title for e in load_collection(tmp_path).entries]
    assert titles == ["Newest", "Date only", "Middle", "Old", "Undated"]


def test_ordering_uses_the_instant_not_the_written_clock_time(tmp_path, write) -> None:
    """10:00+05:00 is earlier than 06:00Z the same day: offsets are honoured."""
    write(
        "a.md", record("Ten in Delhi-ish", url="https://e.com/a", when="2021-03-02T10:00:00+05:00")
    )
    write("b.md", record("Six UTC", url="https://e.com/b", when="2021-03-02T06:00:00Z"))
    assert [e.title for e in load_collection(tmp_path).entries] == ["Six UTC", "Ten in Delhi-ish"]


def _entry(title: str, key: str, published: datetime | None = None, completeness: int = 0):
    return Entry(
        key=key, title=title, source=f"{key}.md", published=published, completeness=completeness
    )


def test_merge_keeps_one_entry_per_key_the_most_complete() -> None:
    """collection.dedupe: one entry per story key, the fullest copy kept."""
    day = datetime(2021, 3, 2, tzinfo=UTC)
    merged = dedupe(
        [
            _entry("thin", "https://e.com/s", day, completeness=2),
            _entry("full", "https://e.com/s", day, completeness=9),
            _entry("mid", "https://e.com/s", day, completeness=5),
        ]
    ).values()
    assert [e.title for e in merged] == ["full"]


def test_loading_reports_problems_alongside_good_records(tmp_path, write) -> None:
    """A broken file does not stop the rest: good records load, the bad file is a problem."""
    write("good.md", record("Good", url="https://e.com/g"))
    bad = write("bad.md", "---\ntitle: [unclosed\n---\n")
    missing = str(tmp_path / "missing.md")
    collection = load_collection(tmp_path, missing)
    assert [e.title for e in collection.entries] == ["Good"]
    sources = {p.source for p in collection.problems}
    assert sources == {str(bad), missing}


def test_paths_are_not_changed_by_the_working_directory(tmp_path, write, monkeypatch) -> None:
    """Relative SOURCE arguments work from the current directory."""
    write("rel/a.md", record("Relative"))
    monkeypatch.chdir(tmp_path)
    paths, problems = expand(["rel"])
    assert problems == []
    assert [os.fspath(p) for p in paths] == [os.path.join("rel", "a.md")]
