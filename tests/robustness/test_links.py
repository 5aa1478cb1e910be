"""Only http(s) links reach the browser, each as one argument and never through a shell.

$BROWSER is the recorder of tests/conftest.py: `opened()` lists the argument lists it got."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import links
from reader.text import clean_url
from tests.robustness.conftest import quoted
from tests.ui.helpers import finished, loaded, make_app, screen_text

REFUSED = {
    "javascript": ("javascript:alert(1)", "'javascript:' links are not opened"),
    "javascript-case": ("JavaScript:alert(document.cookie)", "'javascript:' links are not"),
    "javascript-space": ("  javascript:alert(1)", "'javascript:' links are not opened"),
    "javascript-tab": ("java\tscript:alert(1)", "'javascript:' links are not opened"),
    "javascript-entity": ("&#106;avascript:alert(1)", "'javascript:' links are not opened"),
    "file": ("file:///etc/passwd", "'file:' links are not opened"),
    "data": ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "'data:' links"),
    "vbscript": ("vbscript:msgbox(1)", "'vbscript:' links are not opened"),
    "ftp": ("ftp://e.example/x", "'ftp:' links are not opened"),
    "mailto": ("mailto:someone@e.example", "'mailto:' links are not opened"),
    "about": ("about:blank", "'about:' links are not opened"),
    "scheme-relative": ("//evil.example/x", "links without http(s) are not opened"),
    "no-host": ("https:evil.example", "the URL has no host"),
    "bad-ipv6": ("http://[::1/x", "not a valid URL"),
}

SHELL = {
    "semicolon": "https://e.example/a;touch {marker}",
    "subshell": "https://e.example/$(touch {marker})",
    "backticks": "https://e.example/`touch {marker}`",
    "pipe": "https://e.example/a|touch {marker}",
    "and": "https://e.example/a&&touch {marker}&",
    "quotes": "https://e.example/a'\"$(touch {marker})\"'",
    "redirect": "https://e.example/a>{marker}",
    "newline": "https://e.example/a\ntouch {marker}",
    "dash": "https://e.example/--new-window;touch {marker}",
}


def record(url: str, *, related: str | None = None, original: str | None = None) -> str:
    lines = ["---", "title: Linked", f"webUrl: {quoted(url)}"]
    if original:
        lines.append(f"originalUrl: {quoted(original)}")
    if related:
        lines += ["related:", "  - title: Elsewhere", f"    webUrl: {quoted(related)}"]
    return "\n".join([*lines, "---", ""])


async def settle(pilot) -> None:
    """Wait for the browser worker (not the file watcher, which never ends)."""
    await finished(pilot.app)
    await pilot.pause(0.1)


@pytest.mark.parametrize(("url", "reason"), REFUSED.values(), ids=REFUSED.keys())
async def test_only_http_and_https_are_opened(tmp_path: Path, opened, url, reason) -> None:
    """`o` on a record whose link is not http(s): refused with the reason, nothing started."""
    (tmp_path / "a.md").write_text(record(url))
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened() == []
        text = screen_text(app)
        assert "Not opened" in text
        assert reason in text.replace("\n", " ")


async def test_related_and_picked_links_are_refused_too(tmp_path: Path, opened) -> None:
    """A related story (Enter) and the link picker (O) go through the same check."""
    (tmp_path / "a.md").write_text(
        record("https://e.example/ok", related="javascript:alert(1)", original="file:///etc/x")
    )
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert opened() == []
        assert "'javascript:' links are not opened" in screen_text(app)
        await pilot.press("shift+tab", "O", "down", "enter")
        await settle(pilot)
        assert opened() == []
        assert "'file:' links are not opened" in screen_text(app)


@pytest.mark.parametrize("template", SHELL.values(), ids=SHELL.keys())
async def test_shell_metacharacters_reach_the_browser_as_one_argument(
    tmp_path: Path, opened, template: str
) -> None:
    """The URL is one argv entry of the browser command, never a shell line: nothing in it
    runs, and the browser gets exactly the (cleaned) URL."""
    marker = tmp_path / "pwned"
    url = template.format(marker=marker)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.md").write_text(record(url))
    app = make_app(tmp_path / "src")
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await settle(pilot)
    assert opened() == [[clean_url(url)]]
    assert not marker.exists()


@pytest.mark.parametrize("template", [t for t in SHELL.values() if "\n" not in t])
def test_open_in_browser_passes_one_argument(tmp_path: Path, opened, template: str) -> None:
    marker = tmp_path / "pwned"
    url = template.format(marker=marker).replace(" ", "%20")
    assert links.open_in_browser(url)
    assert opened() == [[url]]
    assert not marker.exists()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://e.example/a b",
        "https://e.example/a\nb",
        "https://e.example/\x1b]52;c;eA==\x07",
        "https://e.example/\u202ecod.exe",
    ],
    ids=["javascript", "space", "newline", "escape", "bidi"],
)
def test_open_in_browser_refuses_what_refusal_refuses(opened, url: str) -> None:
    """Callers other than the app (which cleans record URLs) get the same guarantee."""
    assert links.refusal(url) is not None
    with pytest.raises(ValueError, match="refusing"):
        links.open_in_browser(url)
    assert opened() == []
