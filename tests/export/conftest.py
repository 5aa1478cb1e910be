"""The CLI fixtures of tests/cli, for `reader list --format` here; and local zones far from UTC."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from tests.cli.conftest import cache_home, run

__all__ = ["cache_home", "far_zone", "run", "west_of_utc"]

# POSIX zones (no tz database needed): five hours west of UTC, nine hours east.
WEST = "XST+5"
EAST = "XJT-9"


def _in_zone(zone: str) -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def west_of_utc() -> Iterator[None]:
    """A local zone where the first hours of year 1 have no local time (year 0 is none)."""
    yield from _in_zone(WEST)


@pytest.fixture(params=[WEST, EAST], ids=["west of UTC", "east of UTC"])
def far_zone(request: pytest.FixtureRequest) -> Iterator[None]:
    """West, where year 1 begins before any local time; east, where year 9999 ends after."""
    yield from _in_zone(request.param)
