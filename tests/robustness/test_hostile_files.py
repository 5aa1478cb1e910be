"""Broken and hostile files: each is loaded sensibly or reported with its path and a one-line
reason; none runs code, hangs, exhausts memory, crashes the interpreter or loses the others.

Cases that could hang or kill the process run `reader` in a child with a timeout."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from reader.parsing.frontmatter import MAX_FRONT_MATTER
from reader.sources.local import MAX_FILE_BYTES
from tests.robustness.conftest import has_raw_control
from tests.ui.helpers import loaded, make_app, screen_text

GOOD = "---\ntitle: Good one\nwebUrl: https://e.example/good\n---\nBody.\n"


def problem_lines(output: str, path: Path) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{path}: ")]


def check_one(run, src: Path, path: Path) -> tuple[list[str], list[dict]]:
    """`reader check` and `reader list --json` on a folder holding `path` and a good record:
    (check's lines about `path`, the records listed). Asserts what holds for every case: no
    crash, one line per problem, the good record always there."""
    checked = run("check", src)
    assert checked.exception is None or isinstance(checked.exception, SystemExit), repr(
        checked.exception
    )
    listed = run("list", "--json", src)
    assert listed.exit_code == 0, listed.output
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert "Good one" in [record["title"] for record in records]
    assert not has_raw_control(checked.output)
    return problem_lines(checked.output, path), records


# --- YAML: code, tags ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
        "!custom 'touch {marker}'",
    ],
    ids=["apply", "check_call", "new", "name", "module", "verbatim", "local-tag"],
)
def test_yaml_tags_are_refused_and_never_executed(tmp_path, write, src, run, tagged) -> None:
    """A Python or unknown tag is a reported problem; the command in it never runs."""
    marker = tmp_path / "pwned"
    path = write("evil.md", f"---\ntitle: {tagged.format(marker=marker)}\n---\n")
    write("good.md", GOOD)
    lines, records = check_one(run, src, path)
    assert len(lines) == 1 and "YAML refused" in lines[0], lines
    assert [r["title"] for r in records] == ["Good one"]
    assert not marker.exists()


# --- YAML: bombs and depth (child process) -----------------------------------------------------


def alias_bomb(field: str, depth: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, depth + 1)]
    return "---\ntitle: Laughs\n" + "\n".join(lines) + f"\n{field}: *l{depth}\n---\n"


def merge_bomb(depth: int = 9) -> str:
    """Merge keys copy: nine merges of nine merges of … is 9**depth keys."""
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: {i}" for i in range(9)) + "}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 9)}]}}" for i in range(1, depth)]
    return "---\ntitle: Merges\n" + "\n".join(lines) + f"\nprovider: *m{depth - 1}\n---\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (alias_bomb("heat"), ": heat: expected a number"),
        (alias_bomb("title"), ": title: expected text"),
        (alias_bomb("topics"), ": topics: skipped"),
        (alias_bomb("related"), ": related: skipped"),
        (merge_bomb(), None),  # PyYAML >= 6.0.4 merges repeated keys once: it may just load
    ],
    ids=["heat", "title", "topics", "related", "merge-keys"],
)
def test_alias_bombs_are_quick(write, src, run_child, text: str, expected: str | None) -> None:
    """A ~1 KB billion-laughs file is read or reported in well under the timeout, within a
    2 GiB address space: aliases are shared, never expanded."""
    path = write("bomb.md", text)
    write("good.md", GOOD)
    checked = run_child("check", src)
    lines = checked.stdout.splitlines()
    if expected is None:
        assert checked.returncode in (0, 1), checked.output
        assert all(": YAML refused: merge keys" in line for line in lines[:-1]), lines
    else:
        assert checked.returncode == 1, checked.output
        assert any(line.startswith(str(path)) and expected in line for line in lines)
    listed = run_child("list", "--json", src)
    assert "Good one" in listed.stdout


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("flow.md", "---\ntitle: Deep\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\n"),
        ("map.md", "---\ntitle: Deep\nx: " + "{a: " * 60_000 + "1" + "}" * 60_000 + "\n---\n"),
        ("dash.md", "---\ntitle: Deep\nx:\n" + "- " * 100_000 + "a\n---\n"),
        ("keys.md", "---\ntitle: Deep\nx: " + "? " * 60_000 + "a\n---\n"),
        ("page.json", "[" * 100_000 + "]" * 100_000),
        ("record.json", '{"title": ' * 100_000 + "1" + "}" * 100_000),
    ],
    ids=["yaml-flow", "yaml-flow-map", "yaml-block-dash", "yaml-keys", "json-list", "json-map"],
)
def test_deep_nesting_is_reported_not_a_crash(write, src, run_child, name, text) -> None:
    """100k levels of nesting (which overflow libyaml's C stack) are a one-line problem."""
    path = write(name, text)
    write("good.md", GOOD)
    checked = run_child("check", src)
    assert checked.returncode == 1, checked.output
    (line,) = [line for line in checked.stdout.splitlines() if line.startswith(str(path))]
    assert "nested too deeply" in line or "invalid" in line, line


# --- YAML: shapes and syntax ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\n- a\n- b\n---\n", "not a record: expected a mapping, got a list"),
        ("---\njust text\n---\n", "not a record: expected a mapping, got text"),
        ("---\n42\n---\n", "not a record: expected a mapping, got a number"),
        ("---\n~\n---\n", "not a record: expected a mapping, got nothing"),
        ("---\n---\nA body only.\n", "not a record: expected a mapping, got nothing"),
    ],
    ids=["list", "scalar", "number", "null", "empty-front-matter"],
)
def test_front_matter_that_is_not_a_mapping_is_reported(write, src, run, text, reason) -> None:
    path = write("odd.md", text)
    write("good.md", GOOD)
    lines, records = check_one(run, src, path)
    assert lines == [f"{path}: {reason}"]
    assert len(records) == 1


def test_duplicate_keys_keep_the_last_and_are_reported(write, src, run) -> None:
    """PyYAML keeps the last value silently; the reader keeps it too, and says so."""
    path = write(
        "dup.md",
        "---\ntitle: First\nheat: 1\ntitle: Second\nprovider:\n  name: A\n  name: B\n---\n",
    )
    write("good.md", GOOD)
    lines, records = check_one(run, src, path)
    assert lines == [
        f"{path}: duplicate key 'title' (line 4); the last one is used",
        f"{path}: duplicate key 'name' (line 7); the last one is used",
    ]
    (dup,) = [r for r in records if r["title"] != "Good one"]
    assert (dup["title"], dup["heat"], dup["provider"]["name"]) == ("Second", 1, "B")


@pytest.mark.parametrize(
    ("text", "title", "content"),
    [
        ("\ufeff---\ntitle: Bom\n---\nBody\n", "Bom", "Body"),
        (
            "---\r\ntitle: Crlf\r\nexcerpt: x\r\n---\r\nLine 1\r\nLine 2\r\n",
            "Crlf",
            "Line 1\nLine 2",
        ),
        ("\ufeff---\r\ntitle: Both\r\n---\r\n", "Both", None),
        ("---\ntitle:\tTab after the colon\n---\n", "Tab after the colon", None),
        ("--- \t\ntitle: Spaces after the fence\n--- \n", "Spaces after the fence", None),
        ("---\ntitle: Dots close it\n...\nBody\n", "Dots close it", "Body"),
        ("---\ntitle: =\n---\n", "=", None),
    ],
    ids=["bom", "crlf", "bom-crlf", "tab-value", "fence-spaces", "dots", "yaml-value-type"],
)
def test_encoding_quirks_load_sensibly(write, src, run, text, title, content) -> None:
    path = write("quirk.md", text)
    write("good.md", GOOD)
    lines, records = check_one(run, src, path)
    assert lines == []
    (record,) = [r for r in records if r["title"] != "Good one"]
    assert (record["title"], record["content"]) == (title, content)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "empty file"),
        (b"---\ntitle: Never closed\n", "front matter never closed"),
        (b"---", "front matter never closed"),
        (b"# Just Markdown\n", "no front matter"),
        (b"---\ntitle: x\n\tindented: by a tab\n---\n", "invalid YAML: found a tab character"),
        (b"---\ntitle: [unclosed\n---\n", "invalid YAML"),
        (b'---\ntitle: "bad \\ud800 escape"\n---\n', "invalid YAML"),
        (b"---\ntitle: ok\nother: --- x\n--- y\n---\n", "invalid YAML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"---\ntitle: caf\xe9\n---\n", "not UTF-8 text (byte 0xe9 at offset 14)"),
        (b"\xff\xfe-\x00-\x00-\x00", "binary file"),  # UTF-16
    ],
    ids=[
        "empty",
        "blank",
        "unclosed",
        "only-fence",
        "no-fence",
        "tab-indent",
        "bad-yaml",
        "bad-escape",
        "two-documents",
        "binary",
        "latin1",
        "utf16",
    ],
)
def test_unreadable_files_are_one_line_reasons(write, src, run, content, reason) -> None:
    path = write("bad.md", content)
    write("good.md", GOOD)
    lines, _ = check_one(run, src, path)
    assert len(lines) == 1 and reason in lines[0], lines


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("!!int abc", "heat: expected a number, got text 'abc'"),
        ("!!float x", "heat: expected a number, got text 'x'"),
        ("!!bool maybe", "heat: expected a number, got text 'maybe'"),
        ("!!int ''", "heat: expected a number, got text ''"),
        ("9" * 5000, "heat: not a finite number: inf"),
        ("0x" + "f" * 5000, "heat: out of range"),
        ("1" + ":1" * 3000, "heat: out of range"),
        ("99999999999999999999", "heat: out of range"),
        (".inf", "heat: not a finite number: inf"),
    ],
    ids=[
        "int-tag",
        "float-tag",
        "bool-tag",
        "empty-int",
        "5000-digits",
        "hex",
        "base-60",
        "i64",
        "inf",
    ],
)
def test_values_a_tag_cannot_hold_are_field_problems(write, src, run, value, reason) -> None:
    """`!!int abc` and numbers too large for anything are the field's problem, not the file's:
    the record loads without them."""
    path = write("v.md", f"---\ntitle: Valued\nheat: {value}\n---\n")
    write("good.md", GOOD)
    lines, records = check_one(run, src, path)
    assert len(lines) == 1 and lines[0].startswith(f"{path}: {reason}"), lines
    assert [r["heat"] for r in records if r["title"] == "Valued"] == [None]


def test_an_alias_of_an_unreadable_value_is_the_same_text(write, src, run) -> None:
    """The value SafeConstructor failed on once is not then "an unconstructable recursive
    node" when an alias names it again."""
    path = write("a.md", "---\ntitle: Aliased\nheat: &x !!int abc\nquality: *x\n---\n")
    write("good.md", GOOD)
    lines, _ = check_one(run, src, path)
    assert lines == [
        f"{path}: heat: expected a number, got text 'abc'",
        f"{path}: quality: expected a number, got text 'abc'",
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2021-02-30",
        "2021-13-45T10:00:00Z",
        "0000-01-01",
        "2021-01-01T10:00:00+99:00",
        "!!timestamp garbage",
        "yesterday",
        "9999-12-31T23:59:59-01:00",
    ],
    ids=["30-feb", "month-13", "year-0", "offset-99h", "timestamp-tag", "word", "past-9999"],
)
def test_impossible_dates_are_field_problems(write, src, run, value: str) -> None:
    """A date YAML recognises but cannot build used to abort the whole file."""
    path = write("d.md", f"---\ntitle: Dated\npublishedDateTime: {value}\n---\n")
    write("good.md", GOOD)
    lines, records = check_one(run, src, path)
    assert len(lines) == 1 and lines[0].startswith(f"{path}: publishedDateTime: not a date")
    assert [r["publishedDateTime"] for r in records if r["title"] == "Dated"] == [None]


# --- sizes and special files ---------------------------------------------------------------------


def test_files_above_the_size_cap_are_reported_not_read(tmp_path, src, run_child) -> None:
    """A 64 GiB (sparse) file is refused from its first 8 MiB: quick, and no memory used."""
    path = src / "huge.md"
    with open(path, "wb") as handle:
        try:
            handle.truncate(64 * 2**30)
        except OSError:
            pytest.skip("this filesystem cannot make a sparse file")
    (src / "good.md").write_text(GOOD)
    checked = run_child("check", src)
    assert f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB, not read" in checked.stdout


def test_huge_front_matter_is_reported_not_parsed(write, src, run_child) -> None:
    """Under the file cap, YAML still costs ~200 bytes of memory per byte: a front matter over
    MAX_FRONT_MATTER is refused before parsing."""
    path = write("big.md", "---\ntitle: Big\nx: [" + "a," * MAX_FRONT_MATTER + "a]\n---\n")
    write("good.md", GOOD)
    checked = run_child("check", src)
    assert f"{path}: front matter larger than {MAX_FRONT_MATTER // 1024} KiB" in checked.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_record_does_not_hang(src, run_child) -> None:
    """open() on a FIFO waits for a writer for ever; it is reported as not a regular file."""
    os.mkfifo(src / "pipe.md")
    (src / "good.md").write_text(GOOD)
    checked = run_child("check", src)
    assert f"{src / 'pipe.md'}: cannot read: not a regular file" in checked.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs symbolic links")
def test_symlink_loops_do_not_hang_a_recursive_glob(src, run_child) -> None:
    """glob.glob's `**` follows links: three links to '.' made it run for ever."""
    (src / "good.md").write_text(GOOD)
    for name in ("l1", "l2", "l3"):
        (src / name).symlink_to(".")
    for source in (src, f"{src}/**/*.md", f"{src}/**"):
        listed = run_child("list", "--json", source)
        assert [json.loads(line)["title"] for line in listed.stdout.splitlines()] == ["Good one"]


# --- fields --------------------------------------------------------------------------------------


FIELD_CASES = [
    # (yaml lines, check reasons (prefixes), expected JSON values)
    ("title: 2021", ["title: expected text, got a number"], {"title": "2021"}),
    ("title: ~", ["title: missing"], {"title": "https://e.example/f"}),
    ("title: [a, b]", ["title: expected text, got a list", "title: missing"], {}),
    ("excerpt: {a: 1}", ["excerpt: expected text, got a mapping"], {"excerpt": None}),
    ("topics: AI", ["topics: expected a list, got text"], {"topics": ["AI"]}),
    ("topics: 5", ["topics: expected a list, got a number"], {"topics": []}),
    ("topics: [AI, 3, {a: 1}, AI]", ["topics: skipped", "topics: skipped"], {"topics": ["AI"]}),
    ("provider: BBC", [], {"provider": {"name": "BBC", "domain": None}}),
    ("provider: 7", ["provider: expected a mapping, got a number"], {"provider": None}),
    ("provider: {name: [x], domain: d.example}", ["provider.name: expected text"], {}),
    (
        "related: {title: R, webUrl: 'https://r.example/'}",
        ["related: expected a list, got a mapping"],
        {"related": 1},
    ),
    ("related: 12", ["related: expected a list, got a number"], {"related": 0}),
    ("related: [text, {excerpt: e}]", ["related: skipped text", "related[1]: no title"], {}),
    ("publishedDateTime: soon", ["publishedDateTime: not a date: 'soon'"], {}),
    ("publishedDateTime: 20201118", ["publishedDateTime: not a date"], {}),
    ("heat: warm", ["heat: expected a number, got text 'warm'"], {"heat": None}),
    ("heat: '84'", [], {"heat": 84}),
    ("heat: true", ["heat: expected a number, got a boolean"], {"heat": None}),
    ("quality: [1]", ["quality: expected a number, got a list"], {"quality": None}),
    ("webUrl: 42", ["webUrl: expected a URL, got a number"], {"webUrl": None}),
    ("images: 3.5", ["images: expected a list, got a number"], {"images": []}),
    (
        "images: [{url: 5}, {url: 'https://i.example/a.png', width: wide}]",
        ["images.url", "images.width"],
        {},
    ),
    ("content: {a: 1}", [], {"content": "Body."}),  # a file's body is its content
    (
        "type: 1.5\ncategory: 2021-01-01",
        ["type: expected text", "category: expected text"],
        {"type": "1.5", "category": "2021-01-01"},
    ),
]


@pytest.mark.parametrize(
    ("lines", "reasons", "values"), FIELD_CASES, ids=[c[0] for c in FIELD_CASES]
)
def test_a_field_of_the_wrong_type_is_named_and_the_record_kept(
    write, src, run, lines, reasons, values
) -> None:
    """Missing, null or mistyped: the record loads with what makes sense and `reader check`
    names the field. (A lone string where a list belongs, or a mapping for `related`, is
    taken as a list of one: that is what the writer meant.)"""
    title = "" if lines.startswith("title") else "title: Fielded\n"
    url = "" if lines.startswith("webUrl") else "webUrl: https://e.example/f\n"
    path = write("f.md", f"---\n{title}{url}{lines}\n---\nBody.\n")
    write("good.md", GOOD)
    found, records = check_one(run, src, path)
    assert len(found) == len(reasons), found
    for line, reason in zip(sorted(found), sorted(reasons), strict=True):
        assert line.startswith(f"{path}: {reason}"), (line, reason)
    (record,) = [r for r in records if r["title"] != "Good one"]
    for key, value in values.items():
        got = len(record[key]) if key == "related" else record[key]
        assert got == value, (key, record[key])


def test_every_field_null_still_gives_a_record(write, src, run) -> None:
    keys = ["title", "excerpt", "publishedDateTime", "webUrl", "originalUrl", "ampWebUrl",
            "cdnAmpWebUrl", "type", "category", "heat", "quality", "provider", "topics",
            "images", "related", "content"]  # fmt: skip
    path = write("nulls.md", "---\n" + "".join(f"{key}: null\n" for key in keys) + "---\n")
    write("good.md", GOOD)
    lines, records = check_one(run, src, path)
    assert lines == [f"{path}: title: missing"]
    assert "(untitled)" in [r["title"] for r in records]


# --- JSON pages: the same normaliser -------------------------------------------------------------


def test_json_page_records_go_through_the_same_rules(write, src, run) -> None:
    """Mistyped fields, non-records and hostile text in a page are reported per record;
    nextPage of any shape is left for the remote layer and does not stop the page."""
    page = {
        "page": "one",
        "nextPage": {"not": "a number"},
        "value": [
            {"title": 7, "heat": "warm", "topics": "AI", "webUrl": "https://e.example/1"},
            "not a record",
            None,
            {"title": "\x1b]52;c;cHduZWQ=\x07Clip", "publishedDateTime": "2021-02-30"},
            {"title": "Lone \ud800 surrogate", "quality": "Infinity"},
        ],
    }
    path = write("page.json", json.dumps(page))
    write("good.md", GOOD)
    checked = run("check", src)
    assert not has_raw_control(checked.output)
    lines = [line for line in checked.output.splitlines() if line.startswith(str(path))]
    expected = [
        "[record 1]: title: expected text, got a number",
        "[record 1]: heat: expected a number",
        "[record 1]: topics: expected a list, got text",
        "[record 2]: not a record: expected a mapping, got text",
        "[record 3]: not a record: expected a mapping, got nothing",
        "[record 4]: publishedDateTime: not a date",
        "[record 5]: quality: not a finite number: inf",
    ]
    assert len(lines) == len(expected), lines
    for line, reason in zip(lines, expected, strict=True):
        assert line.startswith(f"{path} {reason}"), (line, reason)
    listed = run("list", "--json", src)
    assert not has_raw_control(listed.stdout)
    titles = sorted(json.loads(line)["title"] for line in listed.stdout.splitlines())
    assert titles == ["7", "Good one", "Lone \ufffd surrogate", "\u241b]52;c;cHduZWQ=\u2407Clip"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"title": "x", "heat": ' + "9" * 5000 + "}", "invalid JSON: a number too long to read"),
        ("42", "JSON is neither a page nor a record (int)"),
        ('{"value": null}', "JSON page: 'value' is not a list"),
        ('{"title": "x",}', "invalid JSON"),
        ("", "invalid JSON"),
    ],
    ids=["5000-digits", "scalar", "value-null", "trailing-comma", "empty"],
)
def test_unreadable_json_is_a_one_line_reason(write, src, run, text: str, reason: str) -> None:
    path = write("bad.json", text)
    write("good.md", GOOD)
    lines, _ = check_one(run, src, path)
    assert len(lines) == 1 and reason in lines[0], lines


# --- all of it at once, in the app ---------------------------------------------------------------


async def test_the_app_loads_a_folder_of_hostile_files(tmp_path, write, src) -> None:
    """The TUI loads the good record beside every kind of hostile file at once, counts the
    problems in one notification and lists them, one line each, without raw controls."""
    marker = tmp_path / "pwned"
    hostile = {
        "tag.md": f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n",
        "laughs.md": alias_bomb("heat"),
        "deep.md": "---\ntitle: Deep\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\n",
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "list.md": "---\n- a\n---\n",
        "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00",
        "latin1.md": b"---\ntitle: caf\xe9\n---\n",
        "empty.md": "",
        "unclosed.md": "---\ntitle: x\n",
        "dup.md": "---\ntitle: A\ntitle: B\n---\n",
        "date.md": "---\ntitle: Dated\npublishedDateTime: 2021-02-30\n---\n",
        "\x1b]52;c;cHduZWQ=\x07.md": "---\ntitle: [\n---\n",
    }
    for name, content in hostile.items():
        write(name, content)
    write("good.md", GOOD)
    app = make_app(src)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Good one" in text
        assert f"{len(hostile)} problems while loading" in text.replace("\n", " ")
        await pilot.press("p")
        text = screen_text(app)
        assert not has_raw_control(text)
        assert "\u241b]52;c;" in text
        assert app.is_running
    assert not marker.exists()
