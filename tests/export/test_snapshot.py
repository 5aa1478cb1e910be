"""The export dialog as it first shows (pytest-textual-snapshot; `--snapshot-update` to accept)."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.helpers import loaded, make_app, settled


async def _export_dialog(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("slash", *"robot", "enter")
    await settled(pilot)
    await pilot.press("e")
    await pilot.pause()


def test_export_dialog(snap_compare):
    assert snap_compare(make_app(), terminal_size=(140, 40), run_before=_export_dialog)
