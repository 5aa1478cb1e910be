"""Markdown files with YAML front matter: split the `---` block from the body, load it safely."""

from __future__ import annotations

import re
from typing import Any

import yaml

from reader.parsing import ParseError
from reader.parsing.plainyaml import RESOLVERS, load_plain
from reader.text import printable

# libyaml's C loader is ~9x faster than the pure-Python one; both only build plain data.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FRONT_MATTER = 512 * 1024  # characters; a record's is a few KB, and YAML costs ~200x in memory
# Nesting levels handed to libyaml's composer, which recurses in C (~300 bytes of stack a level;
# a thread may have only 1 MiB). Python's recursion limit stops the loader before this anyway.
MAX_DEPTH = 2000
MAX_MERGED = 10_000  # keys a mapping may get from merge keys ('<<'), which copy, not share

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
# What a value's constructor may raise on text its tag cannot hold (`!!int abc`, a 30 February,
# an offset of +99:00, an int of more digits than Python reads).
_BAD_VALUE = (ArithmeticError, AttributeError, LookupError, TypeError, ValueError)


class RecordLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, for front matter the quick reader (plainyaml) declines, with a quicker
    path for plain mappings, lists and strings. Anything else (other tags, merge keys,
    timestamps) goes to SafeConstructor as usual, so the result is the same and unknown tags
    are still refused. Cuts libyaml's time by about a quarter.

    Unlike SafeConstructor it never raises on a scalar its tag cannot hold (the text is kept, for
    the normaliser to report), and it notes duplicate keys in `notes` (the last one is used)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.notes: list[tuple[int, str]] = []  # (line, note), found inner mappings first

    def construct_document(self, node: yaml.Node) -> Any:
        built: dict[int, Any] = {}  # by node: an alias is one shared object, as in SafeConstructor

        def build(node: yaml.Node) -> Any:
            tag, value = node.tag, node.value
            if value.__class__ is str:  # a scalar: an explicit tag can be on any kind of node
                if tag == _STR:
                    return value
                if tag == _INT and value.isdigit() and value[0] != "0":
                    try:  # a leading 0 is octal in YAML 1.1: those go the slow way
                        return int(value)
                    except ValueError:  # more digits than int() reads, or a digit like '²'
                        return value
                if tag == _NULL:
                    return None
            elif id(node) in built:
                return built[id(node)]
            elif tag == _MAP and node.id == "mapping":
                mapping: dict[Any, Any] = {}
                built[id(node)] = mapping
                for key_node, value_node in value:
                    if key_node.tag == _MERGE:
                        del built[id(node)]
                        return self.construct_object(node, deep=True)
                    key = build(key_node)
                    try:
                        mapping[key] = build(value_node)
                    except TypeError:
                        raise ParseError(
                            f"invalid YAML: a mapping key is a list or mapping{_line(key_node)}"
                        ) from None
                if len(mapping) < len(value):  # costs nothing unless a key was repeated
                    self._note_duplicates(node, [build(key_node) for key_node, _ in value])
                return mapping
            elif tag == _SEQ and node.id == "sequence":
                sequence: list[Any] = []
                built[id(node)] = sequence
                sequence.extend(build(item) for item in value)
                return sequence
            try:
                return self.construct_object(node, deep=True)
            except _BAD_VALUE:
                if isinstance(node, yaml.ScalarNode):
                    self.recursive_objects.pop(node, None)  # left there by the failure
                    return value
                raise ParseError(f"invalid YAML: unreadable {tag} value{_line(node)}") from None

        return build(node)

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of an untagged node, as BaseResolver finds it, minus the path resolvers (this
        loader has none) and the list it builds for each of a record's ~120 nodes."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def _note_duplicates(self, node: yaml.MappingNode, keys: list[Any]) -> None:
        seen: set[Any] = set()
        for key, (key_node, _) in zip(keys, node.value, strict=True):
            if key in seen:
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else key_node.id
                note = f"duplicate key '{printable(name[:40])}'{_line(key_node)}"
                self.notes.append((key_node.start_mark.line, f"{note}; the last one is used"))
            seen.add(key)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge keys copy the merged mappings: nested merges of aliases (a billion laughs of
        `<<: [*a, *a, …]`) would grow nine-fold a level, so past MAX_MERGED keys it stops."""
        super().flatten_mapping(node)
        if len(node.value) > MAX_MERGED:
            raise yaml.constructor.ConstructorError(
                None, None, f"merge keys ('<<') make over {MAX_MERGED:,} keys", node.start_mark
            )


assert not RecordLoader.yaml_path_resolvers and None not in RecordLoader.yaml_implicit_resolvers
assert RecordLoader.yaml_implicit_resolvers is RESOLVERS  # the quick reader types as this does

# YAML 1.1's "value" type ('=') has no constructor in the safe loader; a lone '=' is text.
RecordLoader.add_constructor(
    "tag:yaml.org,2002:value", yaml.constructor.SafeConstructor.construct_yaml_str
)


_OPEN = re.compile(r"---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter, body). The front matter must open on the first line."""
    text = text.removeprefix("\ufeff")
    opening = _OPEN.match(text)
    if not opening:
        if not text.strip():
            raise ParseError("empty file")
        if text.startswith("---"):
            raise ParseError("front matter never closed ('---' expected)")
        raise ParseError("no front matter: the file does not start with '---'")
    start = opening.end()
    closing = _close(text, start)
    if closing is None:
        raise ParseError("front matter never closed ('---' expected)")
    front = text[start : closing.start()]
    body = text[closing.end() :].lstrip("\r\n")
    return front, body


def _close(text: str, start: int) -> re.Match[str] | None:
    """The first closing '---' or '...' line. Found with str.find, as a regex scan of every
    line is a noticeable part of parsing 20k files."""
    found = None
    for marker in ("\n---", "\n..."):
        at = text.find(marker, start - 1)  # start - 1: the newline ending the opening line
        while at != -1 and (found is None or at < found.start()):
            line = _CLOSE.match(text, at + 1)
            if line:
                found = line
                break
            at = text.find(marker, at + 1)
    return found


def load_yaml(text: str, notes: list[str] | None = None) -> Any:
    """Parse YAML into plain data (no tags, no objects); any failure becomes a one-line reason.
    Things worth reporting that did not stop it (duplicate keys) are added to `notes`."""
    data = load_plain(text)
    if data is not None:
        return data
    try:
        _check_depth(text)
        loader = RecordLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as error:
        tag = getattr(error, "problem", "") or "unsupported YAML"
        raise ParseError(f"YAML refused: {tag}{_where(error)}") from None
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ParseError(f"invalid YAML: {problem}{_where(error)}") from None
    except RecursionError:
        raise ParseError("YAML nested too deeply") from None
    except UnicodeEncodeError:  # only text decoded from bytes is sure to be encodable
        raise ParseError("invalid YAML: a lone surrogate is not a character") from None
    if notes is not None:
        notes += [note for _, note in sorted(loader.notes)]
    return data


def _check_depth(text: str) -> None:
    """Refuse YAML nested deeper than MAX_DEPTH before libyaml builds it: ~50k levels ("[[[[…",
    a byte each) overflow the C stack and kill the process, where Python would raise.

    Each level takes a '[', '{', '-', '?' or a new line, so counting those (a few microseconds)
    spares ordinary records the event scan, which costs a third of a load."""
    if len(text) < MAX_DEPTH:
        return
    count = text.count
    if count("\n") + count("[") + count("{") + count("-") + count("?") < MAX_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError("YAML nested too deeply")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f" (line {mark.line + 2})" if mark is not None else ""


def _line(node: yaml.Node) -> str:
    """The file line of a node (the front matter starts on line 2)."""
    return f" (line {node.start_mark.line + 2})"


def parse_front_matter(text: str, notes: list[str] | None = None) -> tuple[Any, str]:
    """Front matter as data, and the Markdown body after it."""
    front, body = split_front_matter(text)
    if len(front) > MAX_FRONT_MATTER:
        raise ParseError(f"front matter larger than {MAX_FRONT_MATTER // 1024} KiB, not read")
    return load_yaml(front, notes), body
