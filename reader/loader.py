"""Loading a collection from SOURCE arguments: the one path both the CLI and the TUI take.

Unchanged files come from the parse cache at once; the rest are parsed in a process pool (YAML
parsing is CPU-bound) and stream in, chunk by chunk, so the list fills while parsing goes on.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from pathlib import Path

import platformdirs

from reader.collection import Collection, dedupe
from reader.model import Entry, Problem
from reader.query import sort_entries
from reader.sources.config import is_url
from reader.sources.local import expand, read_file
from reader.store.cache import FileRows, ParseCache, entry_from_row, to_rows

POOL_THRESHOLD = 400  # fewer files than this parse faster here than a pool starts
CHUNK = 128  # files per task: small enough to stream, large enough to amortise the hand-off
FIRST_CHUNK = 48  # parsed in this process before the pool starts, for a quick first screen


@dataclass(slots=True)
class Batch:
    """Entries and problems that became known, and how far loading has got: local files done
    of total, and for remote sources a line saying where fetching is."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    done: int = 0
    total: int = 0
    status: str | None = None
    failed: list[str] = field(default_factory=list)  # URLs that yielded nothing


def cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("reader")) / "parse-cache.sqlite3"


def open_cache(*, enabled: bool = True) -> ParseCache:
    return ParseCache(cache_path() if enabled else None)


def stream(
    sources: list[str],
    cache: ParseCache,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    newest_first: bool = False,
) -> Iterator[Batch]:
    """The collection as it loads: cached files first, then parsed files a chunk at a time,
    then remote sources page by page.

    `newest_first` parses the last file names first, for a list filling in on screen: the site
    and Jekyll name records by date (YYYY-MM-DD-slug.md), so the first rows shown are the top
    of the list, and stay there as older stories fill in below."""
    urls = [source for source in sources if is_url(source)]
    paths, problems = expand([source for source in sources if not is_url(source)])
    fresh, stale = cache.split(paths)
    entries, cached_problems = cache.cached(fresh)
    if cache.notice:
        problems.append(Problem(str(cache.path), cache.notice))
    done, total = len(fresh), len(paths)
    yield Batch(entries, problems + cached_problems, done, total)
    for parsed in _parse(stale[::-1] if newest_first else stale):
        cache.store(parsed)
        done += len(parsed)
        yield Batch(
            [entry_from_row(row) for item in parsed for row in item.rows],
            [problem for item in parsed for problem in item.problems],
            done,
            total,
        )
    if urls:
        yield from _fetch(urls, cache, done, total, cancelled)


class StreamAhead:
    """`stream`, started at once in a thread of its own, so the cached part is read while the
    app is still starting. Take its batches once; `close` stops the loading."""

    def __init__(self, sources: list[str], cache: ParseCache) -> None:
        self._results: queue.SimpleQueue[Batch | BaseException | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        threading.Thread(
            target=self._produce, args=(sources, cache), name="reader-load", daemon=True
        ).start()

    def _produce(self, sources: list[str], cache: ParseCache) -> None:
        stopped = self._stop.is_set
        try:
            batches = stream(sources, cache, cancelled=stopped, newest_first=True)
            with contextlib.closing(batches):
                for batch in batches:
                    self._results.put(batch)
                    if stopped():
                        break
        except BaseException as error:  # raised where the batches are taken
            self._results.put(error)
        self._results.put(None)

    def batches(self, cancelled: Callable[[], bool]) -> Iterator[Batch]:
        """The batches as they come; ends early (and stops the loading) once `cancelled`."""
        try:
            while True:
                try:
                    item = self._results.get(timeout=0.1)
                except queue.Empty:
                    if cancelled():
                        return
                    continue
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            self.close()

    def close(self) -> None:
        self._stop.set()


def _fetch(
    urls: list[str],
    cache: ParseCache,
    done: int,
    total: int,
    cancelled: Callable[[], bool],
) -> Iterator[Batch]:
    """Remote pages into the cache (so the detail pane reads them like files) and the list."""
    from reader.sources.remote import iter_pages  # httpx is only imported when needed

    for progress in iter_pages(urls, cancelled=cancelled):
        page = to_rows(progress.page)  # a remote page: no size or mtime (-1)
        cache.store([page])
        yield Batch(
            [entry_from_row(row) for row in page.rows],
            page.problems,
            done,
            total,
            status=f"{progress.source}: {progress.pages} pages, {progress.records:,} records",
            failed=[] if page.rows or not page.problems else [progress.page.path],
        )


def load(sources: list[str], cache: ParseCache) -> Collection:
    """The whole collection at once (for the CLI)."""
    collection = Collection()
    for batch in stream(sources, cache):
        collection.entries += batch.entries
        collection.problems += batch.problems
        collection.failed += batch.failed
    collection.entries = sort_entries(dedupe(collection.entries).values(), "date")
    return collection


def prepare_workers() -> None:
    """Start multiprocessing's resource tracker now, while stderr is a real file: it hands
    stderr's descriptor to its child, and a running Textual app has replaced stderr."""
    resource_tracker.ensure_running()


def _parse(stale: list[str]) -> Iterator[list[FileRows]]:
    if len(stale) < POOL_THRESHOLD:
        yield from map(parse_chunk, (stale[i : i + CHUNK] for i in range(0, len(stale), CHUNK)))
        return
    first, rest = stale[:FIRST_CHUNK], stale[FIRST_CHUNK:]
    yield parse_chunk(first)  # here and now: starting the workers takes a tenth of a second
    # forkserver: workers start from a clean process, not a fork of one running UI threads.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    pool = ProcessPoolExecutor(os.cpu_count() or 2, mp_context=context)
    try:
        futures = [
            pool.submit(parse_chunk, rest[i : i + CHUNK]) for i in range(0, len(rest), CHUNK)
        ]
        finished = as_completed(futures)
        del futures  # as_completed lets go of each future it yields: results are not kept
        for future in finished:
            yield future.result()
    finally:  # also when the consumer stops early (a reload): drop the queued work
        pool.shutdown(wait=False, cancel_futures=True)


def parse_chunk(chunk: list[str]) -> list[FileRows]:
    """Parse files into cache rows (runs in a worker process)."""
    gc.disable()  # parsing builds many short-lived containers and no cycles
    try:
        return [to_rows(read_file(path)) for path in chunk]
    finally:
        gc.enable()
