"""A quick reader for the plain block YAML that records are written in.

Records are block mappings of `key: value` lines, lists of `- ` items and one-line scalars.
libyaml is fast at scanning, but PyYAML builds the result in Python, node by node; reading
that shape line by line here costs about a quarter as much (60 µs a record against 210),
and parsing is most of a cold start.

Anything outside that shape (comments, anchors, tags, flow collections, multi-line or block
scalars, escapes beyond the common ones, floats, odd integers, repeated keys, tabs, CR) is
left to libyaml: `load_plain` returns None and the caller parses the text the usual way. What
it does return is exactly what the record loader would build from the same text (tests
compare the two on the corpus, on generated collections and on mutated records).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import yaml

MAX_DEPTH = 32  # nested collections; records use 4
MAX_REMEMBERED = 4096  # plain scalars and keys remembered (records repeat the same few)
MAX_REMEMBERED_LENGTH = 64


class _Unsure(Exception):
    """The text is outside the shape read here: libyaml reads it."""


# Characters libyaml refuses or reads as line breaks (NEL, LS, PS), plus tab, CR and BOM,
# which this reader does not handle. Only looked for where str.isprintable() is unsure.
_NOT_HERE = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,200}")
_DOUBLE = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|(.))")
_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", " ": " "}
_UTC_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_NOT_PLAIN_START = frozenset("?:,[]{}#&*!|>'\"%@` -")

# The implicit resolvers that type plain scalars: the record loader's (frontmatter asserts it).
RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_STR = "tag:yaml.org,2002:str"
_TAG_INT = "tag:yaml.org,2002:int"
_TAG_BOOL = "tag:yaml.org,2002:bool"
_TAG_NULL = "tag:yaml.org,2002:null"
_TAG_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# What the timestamp constructor raises on a date that does not exist (the loader keeps the text).
_BAD_VALUE = (ArithmeticError, LookupError, TypeError, ValueError)


def _reads_escaped_slash() -> bool:
    """libyaml reads `\\/` as `/` since 0.2.2 (2018); an older one refuses it, and so must this."""
    try:
        return yaml.load('"\\/"', Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == "/"
    except yaml.YAMLError:
        return False


if _reads_escaped_slash():
    _ESCAPED["/"] = "/"

_KEYS: set[str] = set()  # keys known to be plain strings
_PLAIN: dict[str, Any] = {}  # plain scalar -> value (immutable: str, int, bool, None, datetime)


def load_plain(text: str) -> dict[str, Any] | None:
    """The front matter `text` as data if it is plain block YAML, else None."""
    try:
        return _read(text) or None
    except _Unsure:
        return None


def _read(text: str) -> dict[str, Any]:
    """One pass over the lines, with the open collections on a stack: a loop rather than a
    function a collection, as this runs for every line of every record."""
    root: dict[str, Any] = {}
    stack: list[tuple[int, Any, bool]] = [(0, root, False)]  # (column, collection, is a list)
    column, top, is_list = stack[-1]
    pending: str | None = None  # a key whose value is on the lines below it
    pending_at = 0
    for line in text.split("\n"):
        content = line.lstrip(" ")
        if not content:
            continue
        at = len(line) - len(content)
        item = content[:2] == "- "
        if pending is not None:
            if at > pending_at or (at == pending_at and item):  # a list may start at its key
                new: Any = [] if item else {}
                top[pending] = new
                if len(stack) > MAX_DEPTH:
                    raise _Unsure
                stack.append((at, new, item))
                column, top, is_list = at, new, item
            else:
                top[pending] = None
            pending = None
        while at < column:  # the line closes the collections deeper than it
            stack.pop()
            column, top, is_list = stack[-1]
        if at > column:
            raise _Unsure  # a continued scalar, or an error
        if is_list:
            if not item:  # the end of a list that started at its key's column
                stack.pop()
                column, top, is_list = stack[-1]
                if is_list or column != at:
                    raise _Unsure
            else:
                rest = content[2:].lstrip(" ")
                if not rest or rest[:2] == "- ":
                    raise _Unsure
                first_key, colon, _ = rest.partition(": ")
                if not colon and rest[-1] == ":":
                    first_key, colon = rest[:-1], ":"
                if not (colon and _is_key(first_key)):
                    top.append(_scalar(rest))
                    continue
                new = {}  # the item's first key starts its mapping
                top.append(new)
                if len(stack) > MAX_DEPTH:
                    raise _Unsure
                at += len(content) - len(rest)
                stack.append((at, new, False))
                column, top, is_list = at, new, False
                content = rest
        key, colon, value = content.partition(": ")
        if not colon:
            if content[-1] != ":":
                raise _Unsure
            key = content[:-1]
        if not _is_key(key) or key in top:
            raise _Unsure  # repeated keys are reported by the usual path
        if value:
            if (  # the common case inline: a quoted string with no escapes
                value[0] == '"'
                and value[-1] == '"'
                and value.count('"') == 2
                and "\\" not in value
                and value.isprintable()
            ):
                top[key] = value[1:-1]
            else:
                top[key] = _scalar(value)
        else:
            pending, pending_at = key, at
    if pending is not None:
        top[pending] = None
    return root


def _is_key(key: str) -> bool:
    """Whether `key` is a plain key YAML reads as a string (`yes:` and `null:` are not)."""
    if key in _KEYS:
        return True
    if not _KEY.fullmatch(key) or _resolve(key) != _STR:
        return False
    if len(_KEYS) >= MAX_REMEMBERED:
        _KEYS.clear()
    _KEYS.add(key)
    return True


def _scalar(text: str) -> Any:
    """A one-line scalar, as the record loader builds it."""
    first = text[0]
    if first == '"':
        if text[-1] == '"' and text.count('"') == 2 and "\\" not in text:
            value = text[1:-1]
        else:
            double = _DOUBLE.fullmatch(text)
            if double is None:
                raise _Unsure
            value = _ESCAPE.sub(_unescape, double[1])
            text = double[1]  # what must be printable: the escapes may make anything
        _check_printable(text)
        return value
    if first == "'":
        single = _SINGLE.fullmatch(text)
        if single is None:
            raise _Unsure
        _check_printable(text)
        return single[1].replace("''", "'")
    if text == "[]":
        return []
    if text == "{}":
        return {}
    try:
        return _PLAIN[text]
    except KeyError:
        pass
    value = _plain(text)
    if len(text) <= MAX_REMEMBERED_LENGTH:  # the words records repeat, not their dates
        if len(_PLAIN) >= MAX_REMEMBERED:
            _PLAIN.clear()
        _PLAIN[text] = value
    return value


def _plain(text: str) -> Any:
    """A plain (unquoted) scalar, typed as YAML 1.1 types it."""
    if (
        (text[0] in _NOT_PLAIN_START and (text[0] != "-" or text == "-" or text[1] == " "))
        or ": " in text
        or " #" in text
        or text[-1] in ": "
    ):
        raise _Unsure
    _check_printable(text)
    tag = _resolve(text)
    if tag == _STR:
        return text
    if tag == _TAG_INT and _INT.fullmatch(text):
        return int(text)
    if tag == _TAG_BOOL:
        return _BOOLS[text.lower()]
    if tag == _TAG_NULL:
        return None
    if tag == _TAG_TIMESTAMP:
        try:
            if _UTC_SECONDS.fullmatch(text):  # what records hold, read 20x quicker
                return datetime.fromisoformat(text)
            return _CONSTRUCTOR.construct_yaml_timestamp(yaml.ScalarNode(tag, text))
        except _BAD_VALUE:
            return text
    raise _Unsure


def _check_printable(text: str) -> None:
    """Refuse what libyaml refuses (controls, lone surrogates, …) and what is left to it (tabs,
    CR, line separators, BOM). isprintable() is quick, and stricter than needed (NBSP)."""
    if not text.isprintable() and _NOT_HERE.search(text):
        raise _Unsure


def _resolve(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar."""
    for tag, pattern in RESOLVERS.get(text[0], ()):
        if pattern.match(text):
            return tag
    return _STR


def _unescape(escape: re.Match[str]) -> str:
    code, char = escape.groups()
    if code is not None:
        point = int(code, 16)
        if 0xD800 <= point < 0xE000:
            raise _Unsure
        return chr(point)
    try:
        return _ESCAPED[char]
    except KeyError:
        raise _Unsure from None
