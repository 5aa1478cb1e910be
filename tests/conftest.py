"""Test-wide isolation: every test gets its own cache, data and config folders, UTC as the local
zone, and a `$BROWSER` that records what would have been opened instead of opening it."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from pathlib import Path

import pytest

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "everyday-ai"

RECORDER = """#!{python}
import json, os, sys
with open(os.environ["READER_TEST_BROWSER_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


@pytest.fixture(scope="session", autouse=True)
def _browser_recorder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point $BROWSER at a script that logs its arguments (webbrowser reads it once)."""
    script = tmp_path_factory.mktemp("browser") / "record-browser"
    script.write_text(RECORDER.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    os.environ["BROWSER"] = str(script)
    os.environ["TZ"] = "UTC"
    time.tzset()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        folder = tmp_path / "xdg" / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("READER_TEST_BROWSER_LOG", str(tmp_path / "browser.log"))


@pytest.fixture
def opened(tmp_path: Path):
    """What the recorder browser was asked to open, as lists of arguments."""

    def read() -> list[list[str]]:
        log = tmp_path / "browser.log"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    return read


@pytest.fixture
def write(tmp_path: Path):
    """write("a/b.md", text_or_bytes) -> Path: a real file under tmp_path (parents created)."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # newline="" writes the text exactly as given (CRLF stays CRLF).
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return _write


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test servers are local: a proxy from the environment must not stand in between."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 (tests/remote/conftest.py says what it serves)."""
    from tests.remote.conftest import Server

    running = Server()
    yield running
    running.stop()


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not SHARED_CORPUS.is_dir(), reason=f"the shared corpus is not at {SHARED_CORPUS}"
    )
