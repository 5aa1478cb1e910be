"""Feeds are hostile input: entity bombs stay small and quick, external entities read nothing,
feedparser never opens or fetches anything by itself, and feed text never reaches the
terminal as markup or control sequences."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

LAUGHS = "\n".join(
    f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
)  # lol9 is 10^9 "lol"s
BOMBS = {
    "billion laughs": (
        f'<!DOCTYPE rss [\n <!ENTITY lol0 "lol">\n{LAUGHS}\n]>\n',
        "&lol9;",
    ),
    "billion laughs on one line": (
        f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS.replace(chr(10), "")}]>',
        "&lol9;",
    ),
    # One big entity used many times: 20 KB x 20,000 = 400 MB, past expat's laughs check.
    "quadratic blow-up": (
        f'<!DOCTYPE rss [\n<!ENTITY a "{"x" * 20_000}">\n]>\n',
        "&a;" * 20_000,
    ),
    # feedparser's lenient parser finds entity declarations with regular expressions, which
    # see through comments: this one would expand when the strict parser gives up.
    "entity in a comment": (
        f'<!--\n<!DOCTYPE rss>\n<!ENTITY a "{"x" * 5_000}">\n-->\n',
        "&a;" * 20_000,
    ),
    "']>' in a literal": (
        f'<!DOCTYPE rss [\n<!ENTITY q "]>">\n<!ENTITY a "{"x" * 5_000}">\n]>\n',
        "&a;" * 20_000,
    ),
    "DOCTYPE inside the XML declaration": (
        f'<?xml version="1.0"\n<!DOCTYPE rss>\n<!ENTITY a "{"x" * 5_000}">\n?>\n',
        "&a;" * 20_000,
    ),
}


def rss(prolog: str, title: str) -> str:
    declaration = "" if prolog.startswith("<?xml") else '<?xml version="1.0"?>\n'
    return (
        f'{declaration}{prolog}<rss version="2.0"><channel><title>Bomb</title>'
        f"<item><title>{title}</title><link>https://bomb.example/1</link></item>"
        "<item><title>Fine</title><link>https://bomb.example/2</link></item>"
        "</channel></rss>\n"
    )


@pytest.mark.parametrize("bomb", BOMBS, ids=list(BOMBS))
def test_entity_bombs_are_defused_quickly(read, tmp_path: Path, bomb: str) -> None:
    prolog, title = BOMBS[bomb]
    path = tmp_path / "bomb.rss"
    path.write_text(rss(prolog, title))

    started = time.monotonic()
    loaded = read(path)

    assert time.monotonic() - started < 2
    for article in loaded.articles:
        assert len(article.title) < 100_000, "an entity was expanded"
        assert "lollol" not in article.title and "xxxxxxxx" not in article.title
    assert "Fine" in loaded.titles or any(path.name in problem for problem in loaded.problems)


def test_external_entities_read_no_file(read, tmp_path: Path, server) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    body = rss(
        f'<!DOCTYPE rss [\n <!ENTITY xxe SYSTEM "file://{secret}">\n'
        f' <!ENTITY % remote SYSTEM "{server.url("/evil.dtd")}">\n %remote;\n]>\n',
        "leak: &xxe;",
    )
    path = tmp_path / "xxe.rss"
    path.write_text(body)
    server.static("/xxe.rss", body.encode(), {})

    loaded = read(path, server.url("/xxe.rss"))

    assert "TOP-SECRET-TOKEN" not in repr(loaded.articles) + repr(loaded.problems)
    assert "/evil.dtd" not in server.paths()  # not fetched
    assert server.paths() == ["/xxe.rss"]


def test_feedparser_is_never_handed_a_name_to_open(
    read, server, tmp_path: Path, monkeypatch
) -> None:
    """feedparser.parse(bytes) first tries the bytes as a file name: this body would read the
    file `>` in a folder `<?xml version="1.0"?><rss`. It is given a stream, and reads the body."""
    body = b'<?xml version="1.0"?><rss/>'
    planted = tmp_path / '<?xml version="1.0"?><rss'
    planted.mkdir()
    (planted / ">").write_text(rss("", "Planted by someone else"))
    monkeypatch.chdir(tmp_path)
    server.static("/tiny.rss", body, {"Content-Type": "application/rss+xml"})

    loaded = read(server.url("/tiny.rss"))

    assert loaded.articles == [] and loaded.problems == []


HOSTILE = (
    '<?xml version="1.0"?><rss version="2.0"><channel>'
    "<title>Evil [b]Feed[/b] \x1b[31m</title><link>https://evil.example/</link><item>"
    "<title>&lt;b&gt;[bold red]Pwned[/]&lt;/b&gt; \x1b]52;c;ZWNobw==\x07 end</title>"
    "<link>https://evil.example/1</link>"
    '<description>&lt;script&gt;alert(1)&lt;/script&gt;&lt;p onclick="x"&gt;Hi \x1b[2J '
    "&amp;lt;tag&amp;gt; [link](javascript:alert(1))&lt;/p&gt;</description>"
    "<content:encoded xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
    "&lt;p&gt;# Not a heading *not bold* [not a link](javascript:x)&lt;/p&gt;"
    "</content:encoded></item></channel></rss>"
)


def test_feed_text_is_plain_text_never_markup_or_control_sequences(cli, tmp_path: Path) -> None:
    path = tmp_path / "hostile.rss"
    path.write_text(HOSTILE)

    ran = cli("list", path, "--json")

    assert "\x1b" not in ran.stdout and "\x07" not in ran.stdout
    [line] = ran.stdout.splitlines()
    assert '"title": "[bold red]Pwned[/] ␛]52;c;ZWNobw==␇ end"' in line
    assert '"excerpt": "Hi ␛[2J <tag> [link](javascript:alert(1))"' in line  # no script
    assert '"name": "Evil [b]Feed[/b] ␛[31m"' in line
    # The body is shown as Markdown: every character Markdown would act on is escaped.
    [record] = [json.loads(line) for line in ran.stdout.splitlines()]
    assert record["content"] == r"\# Not a heading \*not bold\* \[not a link\](javascript:x)"
