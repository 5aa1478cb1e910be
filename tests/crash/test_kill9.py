"""SIGKILL writers of the reading state at random moments: no reported mark may be lost."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from crash_state import run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


@pytest.mark.parametrize("writers", [1, 2])
def test_marks_survive_sigkill(tmp_path: Path, writers: int) -> None:
    """Five rounds on one file; each checks quick_check, no notice, every returned call's keys
    present and an in-flight call landed whole or not at all (see crash_state.verify)."""
    totals = run(rounds=5, writers=writers, max_delay=0.2, seed=writers, folder=tmp_path)
    assert totals.rounds == 5
    assert totals.kills == 5 * writers
    assert totals.calls > 0
