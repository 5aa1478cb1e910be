"""Pinned pictures of the screens (pytest-textual-snapshot); `--snapshot-update` to accept."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.helpers import loaded, make_app, settled

SIZE = (140, 40)


async def _second_article(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("j")
    await settled(pilot)


async def _help(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("question_mark")
    await settled(pilot)


def test_main_screen(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_second_article)


def test_main_screen_light_theme(snap_compare):
    app = make_app()
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=SIZE, run_before=_second_article)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_help)


async def _query_bar_with_error(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("slash", *"topic:Robotics heat:>")
    await pilot.pause(0.2)


async def _facets(pilot: Pilot) -> None:
    await loaded(pilot)
    await pilot.press("slash", *"robot", "enter", "t")
    await settled(pilot)


def test_query_bar(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_query_bar_with_error)


def test_facets(snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_facets)
