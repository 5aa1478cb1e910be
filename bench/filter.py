"""Keystroke filter latency: the search bar refilters the whole collection on every key.

    python bench/filter.py                # 20k and 100k records
    python bench/filter.py --sizes 20000

Entries come from a generated collection through the real loader and parse cache (as the app
has them), then each query is typed one character at a time against a SearchIndex, timing
every keystroke's filter over the date-sorted list (what the app does). Target: ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from generate import generate

from reader.loader import load
from reader.query import QueryError, SearchIndex, parse_query, sort_entries
from reader.store.cache import ParseCache

QUERIES = ["robot learning data", 'topic:AI "machine learning"', "provider:a -chip heat:>100"]
TARGET_MS = 50.0


def keystrokes(index: SearchIndex, entries: tuple, text: str) -> list[float]:
    now = datetime.now(UTC)
    timings = []
    for end in range(1, len(text) + 1):
        try:
            query = parse_query(text[:end], now=now)
        except QueryError:
            continue  # the app keeps the last result: nothing to filter
        start = time.perf_counter()
        index.filter(query, set(), set(), entries)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def measure(size: int, work: Path) -> None:
    folder = work / f"records-{size}"
    if not (folder / ".complete").exists():
        generate(size, folder)
        (folder / ".complete").touch()
    entries = load([str(folder)], ParseCache(None)).entries
    start = time.perf_counter()
    index = SearchIndex(entries)
    built = time.perf_counter() - start
    ordered = tuple(sort_entries(entries, "date"))
    print(
        f"\n== {size:,} records (index built in {built * 1000:.0f} ms, once, on the first search)"
    )
    for text in QUERIES:
        timings = keystrokes(index, ordered, text)
        worst = max(timings)
        verdict = "ok" if worst <= TARGET_MS else "MISSED"
        print(
            f"  {text!r:34} keystrokes {len(timings):2}"
            f"  median {statistics.median(timings):6.1f} ms"
            f"  worst {worst:6.1f} ms  (target ≤ {TARGET_MS:g}: {verdict})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "reader-bench")
    args = parser.parse_args()
    for size in args.sizes:
        measure(size, args.work)


if __name__ == "__main__":
    main()
