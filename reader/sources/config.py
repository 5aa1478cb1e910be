"""The sources file: the collections a person reads, by name, in TOML.

    [[source]]
    name = "AI ethics"
    url = "https://everyday-cc.github.io/ai/api/news/ai-ethics/index.json"

    [[source]]
    name = "My archive"
    path = "~/news/_news"

A file that is not TOML is an error (naming the file and line): nothing in it can be trusted.
A single entry that is wrong is a problem, and the other entries still load.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from reader.model import Problem
from reader.text import is_web_url

_KEYS = frozenset({"name", "url", "path"})
_TABLE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*source[ \t]*\]\]", re.MULTILINE)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_CONTROL = re.compile("[\x00-\x1f\x7f]")  # what a TOML string cannot hold unescaped


@dataclass(slots=True, frozen=True)
class SourceEntry:
    """A named source; `location` is a URL or a path (`~` expanded, relative to the file)."""

    name: str
    location: str


class SourcesFileError(Exception):
    """The sources file cannot be read at all; the message names the file and, if known, line."""


def is_url(source: str) -> bool:
    """Whether a SOURCE names a remote source rather than a file (cheap: imports no HTTP)."""
    return is_web_url(source.strip())


def default_sources_path() -> Path:
    return Path(platformdirs.user_config_dir("reader")) / "sources.toml"


def load_sources_file(path: Path | None = None) -> tuple[list[SourceEntry], list[Problem]]:
    """The entries of a sources file and what is wrong with single ones.

    With no `path`, the default file is read, and its absence means no sources; a path given
    explicitly must exist. Raises SourcesFileError for a file that is missing or not TOML.
    """
    explicit = path is not None
    path = path if path is not None else default_sources_path()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        if explicit:
            raise SourcesFileError(f"{path}: no such file") from None
        return [], []
    except OSError as error:
        raise SourcesFileError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise SourcesFileError(f"{path}: not UTF-8 text (at byte {error.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourcesFileError(f"{path}: {_toml_reason(str(error))}") from None
    return _entries(data, path, text)


def _toml_reason(message: str) -> str:
    """tomllib's "Invalid value (at line 3, column 7)" as "line 3, column 7: invalid value"."""
    match = _TOML_POSITION.search(message)
    if match is None:
        return message
    reason = message[: match.start()]
    return f"line {match[1]}, column {match[2]}: {reason[:1].lower()}{reason[1:]}"


def _entries(
    data: dict[str, Any], path: Path, text: str
) -> tuple[list[SourceEntry], list[Problem]]:
    problems = [
        Problem(str(path), f"unknown key {key!r} (sources are [[source]] tables)")
        for key in data
        if key != "source"
    ]
    tables = data.get("source", [])
    if not isinstance(tables, list):
        problems.append(Problem(str(path), "'source' must be a list of [[source]] tables"))
        return [], problems
    lines = [text.count("\n", 0, match.start()) + 1 for match in _TABLE_HEADER.finditer(text)]
    entries = []
    for index, table in enumerate(tables):
        where = f"line {lines[index]}" if len(lines) == len(tables) else f"source {index + 1}"
        entry, reasons = _entry(table, path.parent)
        problems += [Problem(str(path), f"{where}: {reason}") for reason in reasons]
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _entry(table: Any, folder: Path) -> tuple[SourceEntry | None, list[str]]:
    """One [[source]] table; None (and the reasons) if it does not name a source."""
    if not isinstance(table, dict):
        return None, ["a source must be a table with a url or a path"]
    reasons = [
        f"unknown key {key!r} (expected name, url or path)" for key in table if key not in _KEYS
    ]
    url, where, name = table.get("url"), table.get("path"), table.get("name")
    for key, value in (("name", name), ("url", url), ("path", where)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            return None, [*reasons, f"{key} must be non-empty text"]
    if (url is None) == (where is None):
        return None, [*reasons, "a source needs either a url or a path (one of them)"]
    if url is not None and not is_url(url):
        return None, [*reasons, f"url must start with http:// or https://: {url!r}"]
    location = url.strip() if url is not None else str(folder / Path(where).expanduser())
    return SourceEntry((name or location).strip(), location), reasons


def append_sources(path: Path, entries: list[SourceEntry]) -> None:
    """Add a [[source]] table for each entry at the end of the sources file, creating it if
    missing. Every byte already in the file stays as it was: comments, order, spacing."""
    try:
        existing = path.read_bytes()
    except FileNotFoundError:
        existing = b""
    newline = "\r\n" if b"\r\n" in existing else "\n"
    tables = [
        f"[[source]]\nname = {_toml_string(entry.name)}\nurl = {_toml_string(entry.location)}\n"
        for entry in entries
    ]
    text = "\n".join(tables)
    if existing:
        text = ("\n" if existing.endswith(b"\n") else "\n\n") + text
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(text.replace("\n", newline))


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _TOML_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", escaped) + '"'
