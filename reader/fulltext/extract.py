"""Finding the article in a web page: trafilatura does the finding, markdown.py the writing.

trafilatura (and lxml under it) is imported on the first extraction, not with the app: it takes
a tenth of a second to import, and most sessions never open reader mode. Call this off the UI
thread: a large page takes a while.
"""

from __future__ import annotations

import codecs
from typing import Any

from reader.fulltext.document import NO_TEXT, Unreadable
from reader.fulltext.markdown import Rendered, render
from reader.text import printable

MIN_WORDS = 50  # fewer, and the "article" is a paywall teaser, a cookie wall or a JS stub


def extract_article(
    page: bytes, url: str, *, charset: str | None = None, title: str | None = None
) -> Rendered:
    """The main text of the HTML `page` fetched from `url`, as Markdown. `url` is where the
    page was in the end, after redirects: relative links resolve against it. `charset` is the
    Content-Type's, if it named one; without it, or when it names no text encoding, the page's
    own declaration or a guess is used. Raises Unreadable when the page holds no article to
    speak of."""
    import trafilatura
    from lxml import etree

    try:
        tree = trafilatura.load_html(_decoded(page, charset))
        if tree is None:
            raise Unreadable(NO_TEXT)
        _make_printable(tree)
        xml = trafilatura.extract(
            tree,
            url=None,  # it would resolve `../a` against the host alone; render() uses `url`
            output_format="xml",
            include_comments=False,
            include_formatting=True,
            include_links=True,
            include_images=True,
            include_tables=True,
        )
        if not xml:
            raise Unreadable(NO_TEXT)
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        main = etree.fromstring(xml.encode(), parser).find("main")
        rendered = render(main, url, title) if main is not None else None
    except Unreadable:
        raise
    except Exception as error:  # a parser's bug on a hostile page must cost that page only
        raise Unreadable(f"the page could not be read ({type(error).__name__}: {error})") from None
    if rendered is None or rendered.words < MIN_WORDS:
        raise Unreadable(NO_TEXT)
    return rendered


def _make_printable(tree: Any) -> None:
    """Control characters in the page's text made visible (reader.text), in place: left raw,
    they would reach the terminal, and the XML that trafilatura writes cannot hold them."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions: dropped by the extraction
        if element.text and not element.text.isprintable():
            element.text = printable(element.text, multiline=True)
        if element.tail and not element.tail.isprintable():
            element.tail = printable(element.tail, multiline=True)


def _decoded(page: bytes, charset: str | None) -> bytes | str:
    """The page as text in `charset`, if that is a text encoding that can decode it; else the
    bytes as they are, for trafilatura to find the encoding (the page's own declaration, or a
    guess). A server may name anything: `hex` and `rot13` are codecs, but not of text, `idna`
    cannot replace what it cannot decode, and a name may not even be a valid one."""
    if not charset:
        return page
    try:
        if not codecs.lookup(charset)._is_text_encoding:
            return page
        return page.decode(charset, errors="replace")
    except (LookupError, ValueError):  # UnicodeError is a ValueError
        return page
