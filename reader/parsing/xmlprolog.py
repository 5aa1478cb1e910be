"""What an XML document is, from its prolog: the root element, and the prolog made harmless.

The prolog (XML declaration, comments, processing instructions, DOCTYPE) is where entities are
declared, and entities are what makes XML dangerous: "billion laughs" and quadratic blow-ups
expand a few KB into gigabytes, and external entities read local files. A feed or an OPML file
needs none of it, so `strip_prolog` keeps only the XML declaration (it names the encoding) and
blanks the rest out (line breaks kept, so a parser's line and column numbers still point into
the file) before any parser sees the document. Works on bytes of any ASCII-compatible encoding,
which feeds and OPML files are in practice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.parsing import ParseError

BOM = b"\xef\xbb\xbf"  # UTF-8's, which a document may open with
_NAME = re.compile(rb"[A-Za-z_][-\w.:]*")
_SPACES = (b" ", b"\t", b"\r", b"\n")
# version, encoding and standalone, quoted: anything else in it is blanked out with the rest.
_DECLARATION = re.compile(rb"""<\?xml(?:\s+[a-z]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*\s*\?>""")
MAX_PROLOG = 64 * 1024  # a real one is a line or two; scanning further is not worth it
_BLANK = bytes(byte if byte in b"\r\n" else ord(" ") for byte in range(256))


@dataclass(slots=True, frozen=True)
class XmlDocument:
    root: str  # as written, with its prefix: "rss", "rdf:RDF", "feed", "opml"
    data: bytes  # the document with only the XML declaration and spaces before the root element

    @property
    def local_root(self) -> str:
        return self.root.rpartition(":")[2]


def strip_prolog(data: bytes) -> XmlDocument:
    """The root element's name and the document with any comments, processing instructions or
    DOCTYPE before it blanked out. ParseError if no element starts the document."""
    bom = data[: len(data) - len(data.removeprefix(BOM))]
    declaration = b""  # with the BOM before it
    position = len(bom)
    while True:
        while data[position : position + 1] in _SPACES:
            position += 1
        if position > MAX_PROLOG:
            raise ParseError(f"not XML that can be read: a prolog over {MAX_PROLOG // 1024} KiB")
        if position == len(bom) and (match := _DECLARATION.match(data, position)):
            declaration, position = data[: match.end()], match.end()
        elif data.startswith(b"<?", position):
            position = _after(data, b"?>", position)
        elif data.startswith(b"<!--", position):
            position = _after(data, b"-->", position)
        elif data.startswith(b"<!", position):
            position = _after_declaration(data, position)
        elif data.startswith(b"<", position) and (name := _NAME.match(data, position + 1)):
            kept = len(declaration) or len(bom)
            blanked = data[kept:position].translate(_BLANK)
            return XmlDocument(
                name.group().decode("ascii"), data[:kept] + blanked + data[position:]
            )
        else:
            raise ParseError("not XML: no root element")


def _after(data: bytes, end: bytes, start: int) -> int:
    found = data.find(end, start + 2)
    if found < 0:
        raise ParseError("not XML: the document ends inside its prolog")
    return found + len(end)


def _after_declaration(data: bytes, position: int) -> int:
    """The end of `<!DOCTYPE ...>`, internal subset included: brackets, quoted literals and
    comments in it may hold `>`."""
    depth = 0
    index = position + 2
    while index < len(data):
        char = data[index : index + 1]
        if char in (b'"', b"'"):
            index = data.find(char, index + 1)
            if index < 0:
                break
        elif data.startswith(b"<!--", index):
            index = _after(data, b"-->", index) - 1
        elif char == b"[":
            depth += 1
        elif char == b"]":
            depth -= 1
        elif char == b">" and depth <= 0:
            return index + 1
        index += 1
    raise ParseError("not XML: the document ends inside its DOCTYPE")
