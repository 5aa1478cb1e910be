"""Record text is data: markup is shown literally, and control characters, escape sequences and
bidi overrides never reach the terminal raw, in the TUI, `reader list` (plain and JSON) and
`reader check` (whose lines quote values and file names)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.ui.screens.problems import ProblemsScreen
from tests.robustness.conftest import has_raw_control, quoted
from tests.ui.helpers import loaded, make_app, screen_text

MARKUP = "[bold]Loud[/bold] [link=https://evil.example]here[/link] [@click=app.quit]bye[/]"

# name -> (payload, what the reader shows instead, if anything is to be seen)
PAYLOADS = {
    "csi": ("\x1b[2J\x1b[31mred", "\u241b[2J"),
    "osc8-hyperlink": ("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "\u241b]8;;"),
    "osc52-clipboard": ("\x1b]52;c;cm0gLXJmIH4=\x07", "\u241b]52;c;"),
    "bel": ("ding\x07dong", "ding\u2407dong"),
    "c1-csi": ("\x9b31mc1", "\ufffd31mc1"),
    "c1-osc": ("\x9d0;title\x9c", "\ufffd0;title"),
    "nul-del": ("a\x00b\x7fc", "a\u2400b\u2421c"),
    "bidi-override": ("abc\u202edcba\u202c", "abcdcba"),
    "bidi-isolate": ("\u2067rtl\u2069 \u2066ltr\u2069", "rtl ltr"),
}


def file_name(payload: str) -> str:
    """The payload as much as a file name can hold it (no '/', no NUL)."""
    return payload.replace("/", "_").replace("\x00", "_")


def hostile_record(payload: str) -> str:
    """A record carrying the payload in every text field a reader shows, and in the body."""
    q = quoted(f"T {payload} end")
    return (
        f"---\ntitle: {q}\nexcerpt: {q}\nwebUrl: {quoted('https://e.example/' + payload)}\n"
        f"publishedDateTime: 2026-11-26T00:00:00Z\ntype: {q}\ncategory: {q}\n"
        f"provider:\n  name: {q}\n  domain: {q}\ntopics: [{q}]\n"
        f"related:\n  - title: {q}\n    webUrl: https://r.example/x\n    excerpt: {q}\n"
        # The body is not YAML: the bytes are as written (but a NUL makes a file binary).
        f"---\nBody {payload.replace(chr(0), '')} body\n"
    )


# --- markup --------------------------------------------------------------------------------------


def markup_record() -> str:
    q = quoted(MARKUP)
    return (
        f"---\ntitle: {q}\nexcerpt: {q}\nwebUrl: https://e.example/m\n"
        f"provider: {{name: {q}}}\ntopics: [{q}]\n"
        f"related:\n  - title: {q}\n    webUrl: https://r.example/m\n---\nBody {MARKUP}\n"
    )


async def test_markup_in_record_text_is_shown_literally_in_the_tui(write, src) -> None:
    """Rich/Textual markup in any field (link and click actions too) is text, never styling
    or an action: it is on screen as written, and the app did not quit."""
    write("m.md", markup_record())
    app = make_app(src)
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert text.count("[bold]Loud[/bold]") >= 3  # row, detail title, excerpt, related …
        assert "[link=https://evil.example]here[/link]" in text
        assert "[@click=app.quit]bye[/]" in text
        await pilot.click("#detail")
        assert app.is_running


def test_markup_in_record_text_is_printed_literally_by_list(write, src, run) -> None:
    write("m.md", markup_record())
    result = run("list", src)
    assert result.exit_code == 0, result.output
    assert MARKUP in result.stdout
    data = json.loads(run("list", "--json", src).stdout)
    assert data["title"] == MARKUP


# --- control characters and escape sequences ----------------------------------------------------


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS.values(), ids=PAYLOADS.keys())
async def test_tui_never_shows_control_sequences(write, src, payload: str, shown: str) -> None:
    """Title, provider, topics, excerpt, links, body and related stories: escapes are made
    visible (␛, ␇, U+FFFD), bidi controls dropped; the problems screen shows file names the
    same way."""
    write("evil.md", hostile_record(payload))
    write(f"bad {file_name(payload)}.md", "---\ntitle: [unclosed\n---\n")
    app = make_app(src)
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert not has_raw_control(text), repr(text)
        assert shown in text
        await pilot.press("p")
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app)
        assert "bad " in text
        assert not has_raw_control(text), repr(text)


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS.values(), ids=PAYLOADS.keys())
def test_list_never_prints_control_sequences(write, src, run, payload: str, shown: str) -> None:
    """`reader list` (the table, and problems on stderr) shows them visibly escaped."""
    write("evil.md", hostile_record(payload))
    write(f"bad {file_name(payload)}.md", "---\ntitle: [unclosed\n---\n")
    result = run("list", src)
    assert result.exit_code == 0, result.output
    assert not has_raw_control(result.stdout), repr(result.stdout)
    assert not has_raw_control(result.stderr), repr(result.stderr)
    assert shown in result.stdout
    assert "bad " in result.stderr


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS.values(), ids=PAYLOADS.keys())
def test_list_json_never_prints_control_sequences(write, src, run, payload: str, shown) -> None:
    """JSON Lines carry no raw control either, not even in `source` (a file name with the
    payload): those are \\u escapes, so the value still names the real file."""
    write("evil.md", hostile_record(payload))
    named = write(f"named {file_name(payload)}.md", "---\ntitle: Named\n---\n")
    result = run("list", "--json", src)
    assert result.exit_code == 0, result.output
    assert not has_raw_control(result.stdout), repr(result.stdout)
    records = {data["title"]: data for data in map(json.loads, result.stdout.splitlines())}
    assert records["Named"]["source"] == str(named)
    assert Path(records["Named"]["source"]).is_file()
    (evil,) = (data for title, data in records.items() if title != "Named")
    assert shown in evil["title"]
    assert not has_raw_control(evil["content"])


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS.values(), ids=PAYLOADS.keys())
def test_check_never_prints_control_sequences(write, src, run, payload: str, shown) -> None:
    """`reader check` quotes values (a heat that is text) and names files: both escaped."""
    write("value.md", f"---\ntitle: Fine\nheat: {quoted(payload)}\n---\n")
    write(f"name {file_name(payload)}.md", "---\ntitle: [unclosed\n---\n")
    write("page.json", json.dumps({"value": [{"title": "J", "quality": payload}]}))
    result = run("check", src)
    assert result.exit_code == 1
    assert not has_raw_control(result.output), repr(result.output)
    lines = result.output.splitlines()
    assert lines[-1] == "2 records, 3 problems"
    assert any(line.startswith(f"{src}/name ") for line in lines)
    assert any("heat:" in line for line in lines)
    assert any("[record 1]: quality:" in line for line in lines)


def test_file_names_that_are_not_utf8_are_shown_escaped(write, src, run_child) -> None:
    """A name whose bytes are not UTF-8 cannot be printed or stored as it is: it is spelt with
    backslash escapes (and still read), never a crash."""
    write(b"latin1-\xe9t\xe9.md", "---\ntitle: Latin\nheat: warm\n---\n")
    write(b"ctl-\x1b[31m\x9b.md", "---\ntitle: Ctl\n---\n")
    checked = run_child("check", src)
    assert checked.returncode == 1, checked.output
    assert "latin1-\\xe9t\\xe9.md: heat:" in checked.stdout
    assert checked.stdout.splitlines()[-1] == "2 records, 1 problem"
    listed = run_child("list", "--json", src)
    assert listed.returncode == 0, listed.output
    assert not has_raw_control(listed.stdout)
    sources = sorted(json.loads(line)["source"] for line in listed.stdout.splitlines())
    assert sources[1].endswith("latin1-\\xe9t\\xe9.md")
    assert sources[0].endswith("ctl-\x1b[31m\\x9b.md")


async def test_the_header_never_shows_control_sequences_of_a_source_name(tmp_path) -> None:
    folder = tmp_path / "evil\x1b]52;c;cm0gLXJmIH4=\x07\u202edir"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: A\n---\n")
    app = make_app(folder)
    async with app.run_test(size=(160, 20), notifications=True) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        header = text.splitlines()[0]
        assert "evil" in header
        assert not has_raw_control(text), repr(text)  # the header and the detail's "From"
