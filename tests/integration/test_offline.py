"""The HTTP cache through the CLI: an unchanged page is revalidated (304, no body), and with
the server gone the last copy is printed with a notice."""

from __future__ import annotations

import time

from tests.integration.conftest import page, serve_collection

TOPIC = "/api/news/offline"
PAGES = (page(1, 2, "First page story", day=9), page(2, None, "Second page story", day=8))


def test_a_second_fetch_of_unchanged_pages_is_a_304(server, cli) -> None:
    url = serve_collection(server, TOPIC, *PAGES, etags=True)

    first = cli("list", url, "--json")
    second = cli("list", url, "--json")

    assert first.code == second.code == 0
    assert second.stdout == first.stdout
    assert second.titles == ["First page story", "Second page story"]
    assert [(seen.path, seen.status) for seen in server.log] == [
        (f"{TOPIC}/index.json", 200),
        (f"{TOPIC}/page/2/index.json", 200),
        (f"{TOPIC}/index.json", 304),
        (f"{TOPIC}/page/2/index.json", 304),
    ]
    first_etags = [seen.headers.get("if-none-match") for seen in server.log[:2]]
    sent_etags = [seen.headers.get("if-none-match") for seen in server.log[2:]]
    assert first_etags == [None, None]
    assert all(sent_etags) and len(set(sent_etags)) == 2
    assert [seen.body for seen in server.log[2:]] == [0, 0]


def test_offline_the_last_copy_is_printed_with_a_notice(server, cli) -> None:
    url = serve_collection(server, TOPIC, *PAGES, etags=True)
    online = cli("list", url, "--json")
    assert online.code == 0 and online.stderr == ""
    server.stop()

    started = time.monotonic()
    offline = cli("list", url, "--json")
    took = time.monotonic() - started

    assert offline.stdout == online.stdout
    assert offline.titles == ["First page story", "Second page story"]
    notices = offline.stderr.splitlines()
    assert len(notices) == 1, offline.stderr  # one notice per source, not one per page
    assert notices[0].startswith(f"{url}: offline: showing the copy fetched")
    assert offline.code == 0  # every record is there: nothing failed
    assert took < 10  # retries are bounded; the second page does not retry again
