"""An extracted article (trafilatura's XML tree) written as Markdown for the reader view.

Every word comes from a stranger's web page, so text is made printable (reader.text) and
escaped: a "# title", "<b>" or "[x](y)" inside a paragraph shows as typed, never as markup.
Links become numbered references, `text [3]`, listed under "Links" at the end in the order
they first appear; only links that may be opened (http and https) get a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from reader.links import refusal
from reader.text import clean_url, escape_markdown, escape_markdown_line_starts, printable

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_HARD_BREAK = "\\\n"
_BLOCKS = frozenset({"p", "head", "list", "quote", "table", "graphic", "div", "main"})
_MIN_ALT_WORDS = 3  # shorter alt texts ("photo", "logo") say nothing worth a line


@dataclass(slots=True, frozen=True)
class Rendered:
    markdown: str
    links: tuple[str, ...]
    words: int  # in the article itself, not counting the list of links


def render(main: Any, base_url: str, title: str | None = None) -> Rendered:
    """Markdown for the `<main>` element of trafilatura's XML output. A heading that repeats
    the article's `title` is left out: the reader view shows the title already."""
    writer = _Writer(base_url, _plain(title or ""))
    blocks = writer.flow(main)
    words = sum(len(_plain(block).split()) for block in blocks)
    if writer.links:
        blocks.append("## Links")
        blocks.append("\n".join(f"{n}. {escape(url)}" for n, url in enumerate(writer.links, 1)))
    return Rendered("\n\n".join(blocks) + "\n", tuple(writer.links), words)


def escape(text: str) -> str:
    """A run of text that Markdown shows exactly as it is: reader.text's escape_markdown, the
    escaper of all record text (`_block_text` sees to lines that runs and markup start)."""
    return escape_markdown(text)


@dataclass(slots=True)
class _Writer:
    base_url: str
    title: str  # as `_plain` gives it, to recognise a heading that repeats it
    links: list[str] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    # Blocks: paragraphs, headings, lists, quotes, code, tables, images

    def flow(self, container: Any) -> list[str]:
        """The blocks of an element with mixed content: runs of text and inline elements
        become paragraphs, block elements their own blocks."""
        blocks: list[str] = []
        run: list[str] = [_text(container.text)]
        for child in container:
            if _is_block(child):
                blocks += _paragraph(run)
                blocks += self.block(child)
                run = [_text(child.tail)]
            else:
                run += [self.inline(child), _text(child.tail)]
        blocks += _paragraph(run)
        return blocks

    def block(self, element: Any) -> list[str]:
        tag = element.tag
        if tag == "head":
            return self.heading(element)
        if tag == "list":
            return [self.items(element)] if len(element) else []
        if tag == "quote":
            quoted = self.quote(element)
            return [quoted] if quoted else []
        if tag == "code":
            return [_fenced("".join(element.itertext()))]
        if tag == "table":
            return self.table(element)
        if tag == "graphic":
            alt = _single_line(printable(element.get("alt") or ""))
            if len(alt.split()) < _MIN_ALT_WORDS or _plain(alt) == self.title:
                return []
            return [f"*Image: {escape(alt)}*"]
        return self.flow(element)  # p, div and anything unforeseen

    def heading(self, element: Any) -> list[str]:
        text = _single_line(self.inline_content(element))
        if not text or _plain("".join(element.itertext())) == self.title:
            return []
        level = min(max(_heading_level(element.get("rend")), 2), 4)  # the view shows the title
        return ["#" * level + " " + _block_text(text)]

    def items(self, element: Any) -> str:
        ordered = element.get("rend") == "ol"
        lines = []
        items = [item for item in element if item.tag == "item"] or list(element)
        for number, item in enumerate(items, 1):
            marker = f"{number}." if ordered else "-"
            content = "\n".join(self.flow(item)).splitlines() or [""]
            indent = " " * (len(marker) + 1)
            lines.append(f"{marker} {content[0]}".rstrip())
            lines += [indent + line if line else "" for line in content[1:]]
        return "\n".join(lines)

    def quote(self, element: Any) -> str:
        inner = "\n\n".join(self.flow(element))
        return "\n".join(f"> {line}" if line else ">" for line in inner.splitlines())

    def table(self, element: Any) -> list[str]:
        rows = [
            [_single_line(" ".join(self.flow(cell))) for cell in row]
            for row in element.iter("row")
            if len(row)
        ]
        if not rows:
            return []
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = [_table_row(rows[0]), _table_row(["---"] * width)]
        lines += [_table_row(row) for row in rows[1:]]
        return ["\n".join(lines)]

    # Inline: emphasis, code, links, line breaks

    def inline_content(self, element: Any) -> str:
        parts = [_text(element.text)]
        for child in element:
            parts += [self.inline(child), _text(child.tail)]
        return "".join(parts)

    def inline(self, element: Any) -> str:
        tag = element.tag
        if tag == "lb":
            return _HARD_BREAK
        if tag == "graphic":
            return ""  # icons and spacers, mostly; images worth a line are blocks
        if tag == "code" or (tag == "hi" and element.get("rend") == "#t"):
            return _code_span("".join(element.itertext()))
        content = self.inline_content(element)
        if tag == "hi":
            marker = {"#b": "**", "#i": "*"}.get(element.get("rend") or "")
            return _wrap(content, marker) if marker else content
        if tag == "ref":
            number = self.number(element.get("target")) if content.strip() else None
            if number is None:
                return content
            return f"{content.rstrip()} \\[{number}\\]{content[len(content.rstrip()) :]}"
        return content

    def number(self, target: str | None) -> int | None:
        """The reference number of a link target; None for what must not be opened."""
        if not target:
            return None
        try:
            url = clean_url(urljoin(self.base_url, target.strip()))
        except ValueError:  # "http://[oops/": no URL at all
            return None
        if refusal(url) is not None:
            return None
        if url not in self._numbers:
            self.links.append(url)
            self._numbers[url] = len(self.links)
        return self._numbers[url]


def _is_block(element: Any) -> bool:
    if element.tag == "code":  # trafilatura writes code blocks and inline code alike
        return "\n" in "".join(element.itertext()) or element.find(".//lb") is not None
    return element.tag in _BLOCKS


def _text(text: str | None) -> str:
    return escape(_SPACES.sub(" ", printable(text))) if text else ""


def _paragraph(run: Iterable[str]) -> list[str]:
    text = "".join(run)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split(_HARD_BREAK)]
    lines = [line for line in lines if line]
    return [_block_text(_HARD_BREAK.join(lines))] if lines else []


def _block_text(text: str) -> str:
    """Text that starts a line, made to read as text: "1984. A year" is no ordered list, even
    when "1984" and ". A year" are runs of their own."""
    return escape_markdown_line_starts(text)


def _single_line(text: str) -> str:
    return _SPACES.sub(" ", text.replace(_HARD_BREAK, " ")).strip()


def _wrap(content: str, marker: str) -> str:
    """`**bold**`, with surrounding spaces kept outside the markers (or they do not apply)."""
    core = content.strip()
    if not core or core.endswith("\\"):  # an escaped marker would swallow the closing one
        return content
    start = len(content) - len(content.lstrip())
    return f"{content[:start]}{marker}{core}{marker}{content[start + len(core) :]}"


def _code_span(code: str) -> str:
    code = _SPACES.sub(" ", printable(code)).strip()
    if not code:
        return ""
    fence = "`" * (_longest_run(code, "`") + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{pad}{code}{pad}{fence}"


def _fenced(code: str) -> str:
    code = printable(code, multiline=True).strip("\n")
    fence = "`" * max(3, _longest_run(code, "`") + 1)
    return f"{fence}\n{code}\n{fence}"


def _longest_run(text: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)


def _table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _heading_level(rend: str | None) -> int:
    if rend and len(rend) == 2 and rend[0] == "h" and rend[1].isdigit():
        return int(rend[1])
    return 2


def _plain(text: str) -> str:
    """Text reduced to its words, to compare a heading with the title."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
