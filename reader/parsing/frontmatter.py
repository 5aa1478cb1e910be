"""Markdown files with YAML front matter: split the `---` block from the body, load it safely."""

from __future__ import annotations

import re
from typing import Any

import yaml

from reader.parsing import ParseError

# libyaml's C loader is ~9x faster than the pure-Python one; both only build plain data.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_OPEN = re.compile(r"---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter, body). The front matter must open on the first line."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ParseError("empty file")
    opening = _OPEN.match(text)
    if not opening:
        if text.startswith("---"):
            raise ParseError("front matter never closed ('---' expected)")
        raise ParseError("no front matter: the file does not start with '---'")
    rest = text[opening.end() :]
    closing = _CLOSE.search(rest)
    if not closing:
        raise ParseError("front matter never closed ('---' expected)")
    front = rest[: closing.start()]
    body = rest[closing.end() :].lstrip("\r\n")
    return front, body


def load_yaml(text: str) -> Any:
    """Parse YAML into plain data (no tags, no objects); any failure becomes a one-line reason."""
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.constructor.ConstructorError as error:
        tag = getattr(error, "problem", "") or "unsupported YAML"
        raise ParseError(f"YAML refused: {tag}{_where(error)}") from None
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ParseError(f"invalid YAML: {problem}{_where(error)}") from None
    except RecursionError:
        raise ParseError("YAML nested too deeply") from None


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f" (line {mark.line + 2})" if mark is not None else ""


def parse_front_matter(text: str) -> tuple[Any, str]:
    """Front matter as data, and the Markdown body after it."""
    front, body = split_front_matter(text)
    return load_yaml(front), body
