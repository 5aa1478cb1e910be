"""A pinned picture of reader mode (pytest-textual-snapshot); `--snapshot-update` to accept."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.reader_mode.conftest import arrived, open_reader, reader_app


async def _reading(pilot: Pilot) -> None:
    await open_reader(pilot)
    await arrived(pilot)


def test_reader_view(snap_compare, collection: Path):
    assert snap_compare(reader_app(collection), terminal_size=(120, 40), run_before=_reading)
