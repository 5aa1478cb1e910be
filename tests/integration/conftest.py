"""End-to-end fixtures: the real CLI (in-process and as a process), real record files, and the
real HTTP server of the remote tests on 127.0.0.1.

Every test already has its own XDG cache, data and config folders (tests/conftest.py), so the
parse cache, the HTTP cache and the default sources file are the test's own.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reader.cli import main
from tests.remote.conftest import Reply, Server
from tests.ui.helpers import record

__all__ = ["Reply", "Server", "page", "record", "serve_collection"]

REPO = Path(__file__).resolve().parents[2]


@dataclass(slots=True, frozen=True)
class Ran:
    """What a user sees of one `reader ...` run."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    @property
    def records(self) -> list[dict[str, Any]]:
        """The stdout of `reader list --json`, one record per line."""
        return [json.loads(line) for line in self.lines]

    @property
    def titles(self) -> list[str]:
        return [data["title"] for data in self.records]


@pytest.fixture
def cli() -> Callable[..., Ran]:
    """cli("list", "--json", source): `reader ...` run in-process (click's runner), in the
    test's environment (its XDG folders)."""
    runner = CliRunner()

    def run(*args: str | Path) -> Ran:
        result = runner.invoke(main, [str(arg) for arg in args], prog_name="reader")
        gc.collect()  # as the process's exit would: the run's parse cache is closed
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a crash is a failure of its own, with its traceback
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def reader_process() -> Callable[..., Ran]:
    """reader_process("list", source): `python -m reader ...` as a separate process, as a user
    runs it (a real exit code, a real stderr), bounded in time."""

    def run(*args: str | Path, timeout: float = 20) -> Ran:
        done = subprocess.run(
            [sys.executable, "-m", "reader", *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=os.environ.copy(),
            cwd=REPO,
            check=False,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


def page(number: int, next_page: int | None, *titles: str, day: int = 1) -> dict[str, Any]:
    """A JSON page in the site's shape, one small record per title (newer first)."""
    records = [
        {
            "title": title,
            "webUrl": f"https://news.example/{title.lower().replace(' ', '-')}",
            "publishedDateTime": f"2026-11-{day:02d}T{12 - i:02d}:00:00Z",
            "provider": {"name": "Remote Wire", "domain": "remotewire.example"},
        }
        for i, title in enumerate(titles)
    ]
    return {"page": number, "value": records, "nextPage": next_page}


def serve_collection(
    server: Server, topic: str, *pages: dict[str, Any], etags: bool = False
) -> str:
    """Serve pages 1..n of `topic` at the site's paths (with an ETag of each page's body, and
    304 for a matching If-None-Match, if `etags`); the URL of page 1."""
    for data in pages:
        number = data["page"]
        path = f"{topic}/index.json" if number == 1 else f"{topic}/page/{number}/index.json"
        body = json.dumps(data).encode()
        headers = {"Content-Type": "application/json"}
        if etags:
            headers["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        server.static(path, body, headers)
    return server.url(f"{topic}/index.json")
