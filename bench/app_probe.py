"""Drive the real app headless on one collection and print timings as JSON (used by run.py).

Run in a fresh process so that start-up (interpreter, imports, cache) is part of the figures:
`python bench/app_probe.py START_EPOCH SOURCE [--steps N]`. The first frame is the first screen
update with rows in the list, taken where a terminal would be written to; the full index, the
first screen update after the load has ended.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time


async def probe(start: float, source: str, steps: int) -> dict[str, float]:
    from reader.loader import open_cache
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.detail import DetailPane

    app = ReaderApp([source], cache=open_cache())
    figures: dict[str, float] = {}
    # The two frames measured: the first with rows in the list, and the first drawn after the
    # load ended (the whole list, no progress bar). Waited on, not polled: polling would take
    # CPU from the app it measures; after them, frames are no longer looked at.
    first_frame, full_frame = asyncio.Event(), asyncio.Event()
    drawn: list[float] = []
    load_ended = False
    display, finish = app._display, app._loaded

    def record(screen, renderable) -> None:
        if renderable is not None and not full_frame.is_set():
            if not first_frame.is_set() and screen.query(ArticleList).first().entries:
                drawn.append(time.time())
                first_frame.set()
            if first_frame.is_set() and load_ended:  # (the first frame, if loading ended first)
                drawn[1:] = [time.time()]
                full_frame.set()
        display(screen, renderable)

    def loaded_then(load: int) -> None:
        nonlocal load_ended
        finish(load)
        load_ended = True

    app._display = record  # where a terminal would be written to: the frame is out
    app._loaded = loaded_then
    async with app.run_test(size=(160, 50)) as pilot:
        articles = app.main.query_one(ArticleList)
        await first_frame.wait()
        await full_frame.wait()
        figures["first_frame_s"], figures["full_index_s"] = (moment - start for moment in drawn)
        await pilot.pause()
        figures["rows"] = len(articles.entries)

        detail = app.main.query_one(DetailPane)
        figures["held_key_cpu_ms"] = await held_key(app, steps)
        cpu = time.process_time()
        for _ in range(20):
            await pilot.press("j")
        figures["single_step_with_detail_cpu_ms"] = (time.process_time() - cpu) / 20 * 1000
        wall = time.perf_counter()
        await pilot.press("j")
        target = articles.entry
        while detail.article is None or detail.article.key != target.key:
            await asyncio.sleep(0.001)
        figures["detail_follows_ms"] = (time.perf_counter() - wall) * 1000
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


async def held_key(app, steps: int) -> float:
    """CPU per cursor step while `j` is held down (keyboard repeat, 30 a second), including
    the detail pane catching up once at the end."""
    from textual import events

    cpu = time.process_time()
    for _ in range(steps):
        app.post_message(events.Key("j", "j"))
        await asyncio.sleep(1 / 30)
    await asyncio.sleep(0.3)
    return (time.process_time() - cpu) / steps * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("start", type=float)
    parser.add_argument("source")
    parser.add_argument("--steps", type=int, default=90)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(probe(args.start, args.source, args.steps))))


if __name__ == "__main__":
    main()
