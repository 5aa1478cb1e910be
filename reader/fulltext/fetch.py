"""Fetching an article's page for reader mode, with the remote sources' client and rules.

The same client as loading a collection (size cap, redirect limit, User-Agent), but limits for
a person waiting for one page (READER_SETTINGS: one retry, shorter timeouts) and no HTTP cache:
what is kept is the extracted text (store.py), not pages of up to 20 MiB.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from email.message import Message

from reader.fulltext.document import Fulltext, Unreadable
from reader.fulltext.extract import extract_article
from reader.links import refusal
from reader.sources.httpcache import HttpCache
from reader.sources.remote import Fetched, FetchError, RemoteClient, RemoteSettings

ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# Loading a collection runs in the background and may take its time (RemoteSettings' defaults:
# 3 retries, 15 s of silence, 60 s an attempt); here someone is looking at a loading indicator,
# and `o` opens the page in the browser: better to say soon that it failed, and why.
READER_SETTINGS = RemoteSettings(read_timeout=10.0, total_timeout=30.0, retries=1)


async def fetch_article(
    url: str,
    *,
    now: Callable[[], datetime],
    title: str | None = None,
    settings: RemoteSettings | None = None,
) -> Fulltext:
    """The page at `url`, fetched and reduced to its article (extraction runs in a thread, so
    the event loop stays free); the text's `url` is the page's, after redirects. `settings`
    default to READER_SETTINGS. Raises Unreadable with the reason a person can act on."""
    reason = refusal(url)
    if reason is not None:
        raise Unreadable(f"this address is not fetched: {reason}")
    settings = settings or READER_SETTINGS
    async with RemoteClient(settings, cache=HttpCache(None), accept=ACCEPT_HTML) as client:
        try:
            fetched = await client.fetch(url)
        except FetchError as error:
            raise Unreadable(str(error)) from None
    page = fetched.final_url
    rendered = await asyncio.to_thread(
        extract_article, fetched.body, page, charset=_html_charset(fetched), title=title
    )
    return Fulltext(page, rendered.markdown, rendered.links, now())


def _html_charset(fetched: Fetched) -> str | None:
    """The charset the Content-Type names, if any; Unreadable unless the response is a web page.
    Without a Content-Type, a body that starts like markup is taken for one."""
    if not fetched.content_type:
        if fetched.body.lstrip()[:1] == b"<":
            return None
        raise Unreadable("not a web page (no content type): there is no article text to read")
    header = Message()
    header["Content-Type"] = fetched.content_type
    media_type = header.get_content_type()
    if media_type not in _HTML_TYPES:
        raise Unreadable(f"not a web page ({media_type}): there is no article text to read")
    charset = header.get_param("charset")
    return charset if isinstance(charset, str) else None
