"""The CLI fixtures of tests/cli, for `reader list --format` here."""

from __future__ import annotations

from tests.cli.conftest import cache_home, run

__all__ = ["cache_home", "run"]
