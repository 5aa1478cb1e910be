"""Reading what the user sees, and building apps on known data with a fixed clock."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from reader.resources import SAMPLE_CONTENT
from reader.store.state import StateStore
from reader.ui.app import ReaderApp
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.detail import DetailPane

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


def make_app(*sources: str | Path, state: StateStore | None = None, **options: Any) -> ReaderApp:
    """`options` go to ReaderApp as they are (fulltext=, fetch_settings= …)."""
    return ReaderApp(
        [str(s) for s in sources] or [str(SAMPLE_CONTENT)],
        state=state,
        now=lambda: NOW,
        **options,
    )


def screen_text(app: ReaderApp) -> str:
    """Everything on the terminal now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def finished(app: ReaderApp) -> None:
    """Wait for the app's work to end: loading, opening links (the file watcher never ends)."""
    busy = [worker for worker in app.workers if worker.group != "watch"]
    if busy:  # an empty list would mean "all workers" to wait_for_complete
        await app.workers.wait_for_complete(busy)


async def loaded(pilot: Pilot) -> None:
    """Wait until the collection has loaded and the detail pane has followed the cursor."""
    await finished(pilot.app)
    await settled(pilot)


async def settled(pilot: Pilot, timeout: float = 5.0) -> None:
    """Wait until the detail pane shows the article under the cursor (it follows on a timer)."""
    main = pilot.app.main
    detail, articles = main.query_one(DetailPane), main.query_one(ArticleList)
    for _ in range(int(timeout / 0.02)):
        await pilot.pause()
        want = articles.entry
        if want is None or (detail.article is not None and detail.article.key == want.key):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the detail pane never followed the cursor")


def record(title: str, url: str, **fields: object) -> str:
    """A minimal record file in the site's format."""
    lines = ["---", f"title: {json.dumps(title)}", f"webUrl: {json.dumps(url)}"]
    lines += [f"{key}: {json.dumps(value)}" for key, value in fields.items()]
    return "\n".join([*lines, "---", ""])
