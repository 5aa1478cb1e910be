"""Loading a collection from SOURCE arguments: the one path both the CLI and the TUI take.

Unchanged files come from the parse cache at once; the rest are parsed in a process pool (YAML
parsing is CPU-bound) and stream in, chunk by chunk, so the list fills while parsing goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from pathlib import Path

import platformdirs

from reader.collection import Collection, merge
from reader.model import Entry, Problem
from reader.sources.local import expand, read_file
from reader.store.cache import FileRows, ParseCache, entry_from_row, to_rows

POOL_THRESHOLD = 400  # fewer files than this parse faster here than a pool starts
CHUNK = 128  # files per task: small enough to stream, large enough to amortise the hand-off


@dataclass(slots=True)
class Batch:
    """Entries and problems that became known, and how far loading has got (files)."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    done: int = 0
    total: int = 0


def cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("reader")) / "parse-cache.sqlite3"


def open_cache(*, enabled: bool = True) -> ParseCache:
    return ParseCache(cache_path() if enabled else None)


def stream(sources: list[str], cache: ParseCache, *, workers: int | None = None) -> Iterator[Batch]:
    """The collection as it loads: cached files first, then parsed files a chunk at a time."""
    paths, problems = expand(sources)
    fresh, stale = cache.split(paths)
    entries, cached_problems = cache.cached(fresh)
    if cache.notice:
        problems.append(Problem(str(cache.path), cache.notice))
    done, total = len(fresh), len(paths)
    yield Batch(entries, problems + cached_problems, done, total)
    for parsed in _parse(stale, workers):
        cache.store(parsed)
        done += len(parsed)
        yield Batch(
            [entry_from_row(row) for item in parsed for row in item.rows],
            [problem for item in parsed for problem in item.problems],
            done,
            total,
        )


def load(sources: list[str], cache: ParseCache) -> Collection:
    """The whole collection at once (for the CLI)."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for batch in stream(sources, cache):
        entries += batch.entries
        problems += batch.problems
    return Collection(merge(entries), problems)


def prepare_workers() -> None:
    """Start multiprocessing's resource tracker now, while stderr is a real file: it hands
    stderr's descriptor to its child, and a running Textual app has replaced stderr."""
    resource_tracker.ensure_running()


def _parse(stale: list[tuple[Path, int, int]], workers: int | None) -> Iterator[list[FileRows]]:
    chunks = [stale[i : i + CHUNK] for i in range(0, len(stale), CHUNK)]
    if len(stale) < POOL_THRESHOLD:
        yield from map(parse_chunk, chunks)
        return
    # forkserver: workers start from a clean process, not a fork of one running UI threads.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(workers or os.cpu_count() or 2, mp_context=context) as pool:
        for future in as_completed([pool.submit(parse_chunk, chunk) for chunk in chunks]):
            yield future.result()


def parse_chunk(chunk: list[tuple[Path, int, int]]) -> list[FileRows]:
    """Parse files into cache rows (runs in a worker process)."""
    gc.disable()  # parsing builds many short-lived containers and no cycles
    try:
        return [to_rows(read_file(path), size, mtime) for path, size, mtime in chunk]
    finally:
        gc.enable()
