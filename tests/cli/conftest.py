"""Shared fixtures for the CLI tests: real files under tmp_path, and the CLI run in-process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.cli import main


@pytest.fixture
def cache_home(tmp_path_factory) -> Path:
    """A private XDG cache dir, so tests never read or write the user's parse cache."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture
def run(cache_home: Path) -> Callable[..., Result]:
    """run("list", "--json", path) -> click Result (stdout and stderr kept apart), run in-process
    as a user would run `reader ...`, with the parse cache in a private directory."""
    runner = CliRunner()

    def _run(*args: str | Path) -> Result:
        return runner.invoke(
            main,
            [str(arg) for arg in args],
            prog_name="reader",
            env={"XDG_CACHE_HOME": str(cache_home)},
        )

    return _run
