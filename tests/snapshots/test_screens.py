"""Pinned pictures of the screens (pytest-textual-snapshot); `--snapshot-update` to accept."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.helpers import loaded, make_app

SIZE = (140, 40)


async def _second_article(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("j")
    await pilot.pause(0.2)


async def _help(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("question_mark")
    await pilot.pause(0.2)


def test_main_screen(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_second_article)


def test_main_screen_light_theme(snap_compare):
    app = make_app()
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE, run_before=_second_article)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_help)
