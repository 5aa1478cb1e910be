"""HTML from feeds as text a reader can show: tags dropped, entities decoded, scripts skipped.

Feed titles, summaries and content are HTML written by strangers. Nothing of it is kept as
markup: the excerpt is one line of plain text, and the body (shown by the detail pane's
Markdown view) is plain paragraphs with every character Markdown would act on escaped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reader.text import escape_markdown, printable

# Tags whose content is never text a reader should see.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "title", "iframe"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_BREAK = "\n\n"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br" or tag in _BLOCKS:
            self.parts.append(_BREAK + "• " if tag == "li" else _BREAK)
        elif tag == "td" or tag == "th":
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:  # <script/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(markup: str, *, multiline: bool = False) -> str:
    """The text of an HTML fragment: one line, or (multiline) paragraphs split by blank lines.
    Control characters come out as visible symbols, as for any record text."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = "".join(collector.parts)
    if not multiline:
        return printable(" ".join(text.split()))
    paragraphs = (" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(text))
    return printable(
        _BREAK.join(paragraph for paragraph in paragraphs if paragraph), multiline=True
    )


def plain_to_markdown(text: str) -> str:
    """Plain text that a Markdown renderer shows exactly as it is: no emphasis, links, HTML,
    headings, lists, quotes or maths made of the text's own characters (reader.text's
    escape_markdown, the escaper of all record text)."""
    return escape_markdown(text)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word where there is one, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"
