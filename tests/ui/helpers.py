"""Reading what the user sees, and building apps on known data with a fixed clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot

from reader.resources import SAMPLE_CONTENT
from reader.ui.app import ReaderApp

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


def make_app(*sources: str | Path) -> ReaderApp:
    return ReaderApp([str(s) for s in sources] or [str(SAMPLE_CONTENT)], now=lambda: NOW)


def screen_text(app: ReaderApp) -> str:
    """Everything on the terminal now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def loaded(pilot: Pilot) -> None:
    """Wait until the collection has loaded and the detail pane has followed the cursor."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


def record(title: str, url: str, **fields: object) -> str:
    """A minimal record file in the site's format."""
    lines = ["---", f"title: {json.dumps(title)}", f"webUrl: {json.dumps(url)}"]
    lines += [f"{key}: {json.dumps(value)}" for key, value in fields.items()]
    return "\n".join(lines + ["---", ""])
