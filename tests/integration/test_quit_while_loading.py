"""Quitting a real `reader` process (in a pseudo-terminal) while a slow server is still
answering: the user gets their shell back at once, not when the fetch ends."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from tests.integration.conftest import REPO, Reply, Server, page

HOLD = 8.0  # the longest the slow server holds its answer back
QUIT_WITHIN = 2.5  # seconds from `q` to the process's exit


@pytest.fixture
def terminal() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal (controller, terminal side) whose output is drained as it comes."""
    controller, side = os.openpty()
    stop = threading.Event()

    def drain() -> None:
        while not stop.is_set():
            try:
                if not os.read(controller, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    yield controller, side
    stop.set()
    os.close(side)
    os.close(controller)


def test_q_quits_at_once_while_a_url_is_still_loading(server: Server, terminal) -> None:
    body = json.dumps(page(1, None, "Slow", day=26)).encode()
    asked, answer = threading.Event(), threading.Event()

    def slow(request) -> Reply:
        asked.set()
        answer.wait(HOLD)
        return Reply(200, body, {"Content-Type": "application/json"})

    server.routes["/api/news/slow/index.json"] = slow
    controller, side = terminal
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", server.url("/api/news/slow/index.json")],
        stdin=side,
        stdout=side,
        stderr=side,
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    try:
        assert asked.wait(15), "the app never asked for the page"
        time.sleep(0.3)  # the first frame is up and keys are read
        os.write(controller, b"q")
        quit_at = time.monotonic()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(QUIT_WITHIN)
        took = time.monotonic() - quit_at
        still_running = process.poll() is None
        answer.set()
        process.wait(HOLD)  # now it ends (for the cleanup, and to see how it ended)
        assert not still_running, f"`q` left the process running (at least {took:.1f} s)"
        assert process.returncode == 0
    finally:
        answer.set()
        if process.poll() is None:
            process.kill()
            process.wait(5)
