"""Making text from records safe and right to show.

Record text is written by strangers: it must never reach the terminal as control sequences, and
it is never parsed as markup (the UI builds `rich.text.Text` objects, not markup strings).
"""

from __future__ import annotations

import html
import re

# Bidi embeddings, overrides and isolates can reorder what the reader sees ("Trojan Source").
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Lone surrogates (from JSON "\\ud800" escapes or undecodable file names) cannot be written
# to a UTF-8 terminal or database at all: they become U+FFFD like C1 controls.
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")
_UNSAFE_INLINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")
# What json.dumps(ensure_ascii=False) leaves raw that a terminal would act on or choke on.
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI}{_SURROGATES}]")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
# Bytes of UTF-8 text once decoded as cp1252: "â€™" for "’", "Ã©" for "é".
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u02dc\u2013-\u2122]")
# What CommonMark, GitHub's Markdown (GFM) and the dollar-maths extension read as markup
# anywhere in a line; and the colon of "://" before an address holding one (markdown-it's
# linkify): see escape_markdown.
_MARKDOWN_SPECIAL = r"[\\`*_~\[\]!<>&|#$]"
_MARKDOWN_INLINE = re.compile(f"({_MARKDOWN_SPECIAL}|:(?=//\\S*{_MARKDOWN_SPECIAL}))")
# ... and only at the start of a line (after any indentation): bullets, thematic breaks and
# setext underlines (- + =), ordered list items ("1." "1)"). A line starts after "\n" or "\r".
_MARKDOWN_LINE_START = re.compile(r"(?:\A|(?<=[\n\r]))([ \t]*)([-+=]|\d+[.)])")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _BIDI:
        return ""
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def printable(text: str, *, multiline: bool = False) -> str:
    """Control characters shown as visible symbols, bidi controls dropped; tabs and (if multiline)
    newlines kept. Line breaks in single-line text become spaces first."""
    if multiline:
        return _UNSAFE.sub(_visible, text.replace("\r\n", "\n"))
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _UNSAFE_INLINE.sub(_visible, text)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was once decoded as cp1252, as some site records carry it.

    Only applied when the result decodes cleanly, so genuine Latin-1 text stays as it is.
    """
    if not _MOJIBAKE.search(text):
        return text
    raw = bytearray()
    for char in text:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return text
            raw.append(ord(char))  # cp1252 leaves 0x81, 0x8d, 0x8f, 0x90, 0x9d undefined
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Field text as a reader should see it: mojibake repaired, HTML entities decoded, made safe."""
    if text.isprintable() and "&" not in text and (text.isascii() or not _MOJIBAKE.search(text)):
        return text.strip()  # the common case, kept cheap: 20k records hold ~500k strings
    text = repair_mojibake(text)
    if "&" in text:
        text = _decode_entities(text)
    return printable(text, multiline=multiline).strip()


def _decode_entities(text: str) -> str:
    """`&#038;` and `&amp;` decoded; a bare `&copy=1` in a query string left alone."""
    return _ENTITY.sub(lambda match: html.unescape(match.group()), text)


def clean_url(url: str) -> str:
    """A URL as it should be opened: entities decoded (`&#038;`), spaces encoded, controls gone."""
    if url.isascii() and url.isprintable() and " " not in url and not _ENTITY.search(url):
        return url.strip()
    url = _decode_entities(url.strip())
    url = _UNSAFE_INLINE.sub("", url)
    return url.replace(" ", "%20")


def is_web_url(url: str) -> bool:
    """Whether `url` is an http(s) address (by its scheme alone: links.refusal says more)."""
    return url.lower().startswith(("http://", "https://"))


def escape_json(text: str) -> str:
    """JSON text with DEL, C1 controls, bidi controls and lone surrogates written as `\\u`
    escapes: json.dumps escapes only C0 controls, and the JSON is printed as it is."""
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that a renderer shows exactly as typed: the one escaper of
    record text put into Markdown (feed bodies in the detail pane, articles in the reader
    view, the export's reading list).

    A backslash goes before (CommonMark allows one before any ASCII punctuation):
    - anywhere in a line: `\\` escapes, `` ` `` code, `*` `_` emphasis, `~` strikethrough
      (GFM) and fences, `[` `]` links, link definitions and footnotes, `!` images (even if
      the caller writes a link right after the text), `<` `>` HTML, autolinks and quotes,
      `&` entities, `|` table cells (GFM), `#` headings and their closing marks, `$` maths
      (renderers with dollar maths: GitHub, Obsidian, mdit-py-plugins); and the colon of a
      "://" whose address holds one of those: markdown-it's linkify (Textual's "gfm-like"
      parser, in the detail pane) takes a URL from the raw text, and would show (and link)
      "https://a.example/x\\_y". A URL without them stays as it is, and a link there;
    - at the start of a line, after any indentation (escape_markdown_line_starts): the `-`
      `+` `=` of bullets, thematic breaks and setext underlines, and the `.` or `)` after
      an ordered list item's number ("1984. A year" stays a sentence). Elsewhere these mean
      nothing: "2024-01-01" and "3.5" stay as they are.

    Left to the caller: control characters (make the text `printable` first) and white
    space. A paragraph starting with four spaces or a tab is an indented code block, which
    shows the backslashes; a line ending in two spaces ends in a line break (every caller
    collapses white space first). A bare "www." address a renderer links keeps its text.
    """
    return escape_markdown_line_starts(_MARKDOWN_INLINE.sub(r"\\\1", text))


def escape_markdown_line_starts(markdown: str) -> str:
    """Markdown whose lines cannot start a list, a thematic break or a setext heading: the
    line-start half of escape_markdown, for Markdown put together from escaped runs of text
    and markup (a run "1" then a run ". A year" would otherwise make an ordered list). Safe
    on text escape_markdown escaped already: an escaped line start is never escaped again."""
    return _MARKDOWN_LINE_START.sub(lambda match: _escape_last(match[1], match[2]), markdown)


def _escape_last(indent: str, marker: str) -> str:
    return f"{indent}{marker[:-1]}\\{marker[-1]}"
