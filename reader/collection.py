"""A collection: the records of all sources merged into one list, one entry per story."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.model import Entry, Problem


@dataclass(slots=True)
class Collection:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # remote sources that gave nothing


def dedupe(entries: Iterable[Entry], best: dict[str, Entry] | None = None) -> dict[str, Entry]:
    """One entry per story (same key), keeping the most complete copy."""
    best = {} if best is None else best
    for entry in entries:
        kept = best.get(entry.key)
        if kept is None or _fuller(entry, kept):
            best[entry.key] = entry
    return best


def _fuller(entry: Entry, kept: Entry) -> bool:
    """More complete wins; between equals the first file by path, so any load order agrees."""
    if entry.completeness != kept.completeness:
        return entry.completeness > kept.completeness
    return (entry.source, entry.position) < (kept.source, kept.position)
