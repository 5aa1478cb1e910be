"""Property tests of the parsing core: arbitrary text, YAML, JSON, values and bytes never raise
anything but ParseError (or QueryError), always give records or problems, and never give
display text holding control characters. The properties are in properties.py, shared with
bench/fuzz.py, which runs them for longer."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.robustness.properties import PROPERTIES


def _property_test(name: str):
    strategy, check = PROPERTIES[name]

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def test(value: Any) -> None:
        check(value)

    return test


@pytest.mark.parametrize("name", sorted(PROPERTIES))
def test_property(name: str) -> None:
    _property_test(name)()
