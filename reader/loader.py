"""Loading a collection from SOURCE arguments: the one path both the CLI and the TUI take."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.collection import Collection, merge
from reader.sources.local import FileResult, expand, read_file


def iter_files(paths: list[Path]) -> Iterator[FileResult]:
    for path in paths:
        yield read_file(path)


def load(sources: list[str]) -> Collection:
    paths, problems = expand(sources)
    articles = []
    for result in iter_files(paths):
        articles += result.articles
        problems += result.problems
    return Collection(merge(articles), problems)
