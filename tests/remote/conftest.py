"""A real HTTP server on 127.0.0.1 for the remote tests, and fast, bounded client settings.

Routes map a path to a handler `(Request) -> Reply`; the server logs every request (path,
headers, status, body bytes answered) as it arrives, so tests can assert on what went over the
wire.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from reader.model import Article
from reader.sources.httpcache import HttpCache
from reader.sources.local import FileResult
from reader.sources.remote import Progress, RemoteClient, RemoteSettings, fetch_collection

FAST = RemoteSettings(
    connect_timeout=1.0,
    read_timeout=0.3,
    total_timeout=3.0,
    retries=3,
    backoff=0.01,
    max_retry_after=2.0,
    max_bytes=1 * 2**20,
)


@dataclass(slots=True, frozen=True)
class Request:
    path: str
    headers: dict[str, str]


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False  # no Content-Length: the client must find the end (and the size)
    hang: bool = False  # never answer (until the server stops)
    delay: float = 0.0  # before answering
    pause: float = 0.0  # between chunks (with chunked)
    cut: int | None = None  # send this many body bytes of the declared length, then hang up


Handler = Callable[[Request], Reply]


@dataclass(slots=True, frozen=True)
class Seen:
    path: str
    headers: dict[str, str]
    status: int
    body: int  # bytes of body in the answer


class Server:
    """The test server: `routes[path] = handler`, `url(path)`, `log`, `stop()`."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[Seen] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._http.daemon_threads = True
        self.port = self._http.server_address[1]
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.01,), daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [seen.path for seen in self.log]

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()  # releases hanging handlers
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(5)

    # Route helpers ---------------------------------------------------------------------------

    def json(self, path: str, data: Any, **headers: str) -> None:
        self.static(
            path, json.dumps(data).encode(), {"Content-Type": "application/json", **headers}
        )

    def static(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        """A fixed body that honours If-None-Match against its ETag, as a static host does."""
        headers = headers or {}

        def handle(request: Request) -> Reply:
            etag = headers.get("ETag")
            if etag and request.headers.get("if-none-match") == etag:
                return Reply(304, headers={"ETag": etag})
            return Reply(200, body, headers)

        self.routes[path] = handle

    def sequence(self, path: str, *replies: Reply) -> None:
        """Answers in turn; the last one repeats."""
        pending = list(replies)

        def handle(request: Request) -> Reply:
            return pending.pop(0) if len(pending) > 1 else pending[0]

        self.routes[path] = handle

    # Serving ---------------------------------------------------------------------------------

    def _enter(self, seen: Seen) -> None:
        with self._lock:
            self.log.append(seen)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


def _handler_class(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handle(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so the client's pool is used

        def do_GET(self) -> None:
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
            handler = server.routes.get(self.path)
            reply = handler(request) if handler else Reply(404, b"not found")
            body = 0 if reply.hang or reply.status == 304 else len(reply.body[: reply.cut])
            server._enter(Seen(request.path, request.headers, reply.status, body))
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):  # the client hung up first
                self.close_connection = True
            finally:
                server._leave()

        def _send(self, reply: Reply) -> None:
            if reply.hang:
                server.stopping.wait(10)
                self.close_connection = True
                return
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.status == 304:
                self.end_headers()
                return
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(reply.body), 1024):
                    chunk = reply.body[start : start + 1024]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                    time.sleep(reply.pause)
                self.wfile.write(b"0\r\n\r\n")
            elif reply.cut is not None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body[: reply.cut])
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handle


@pytest.fixture
def http_cache(tmp_path: Path) -> HttpCache:
    return HttpCache(tmp_path / "http")


@pytest.fixture
def client_for(http_cache: HttpCache) -> Callable[..., RemoteClient]:
    """client_for(**overrides): a RemoteClient with the fast settings and the test's cache."""

    def make(**overrides: Any) -> RemoteClient:
        return RemoteClient(replace(FAST, **overrides), cache=http_cache)

    return make


@dataclass(slots=True)
class Loaded:
    """What a user gets from some sources: the pages, their records, their problems."""

    pages: list[FileResult]
    progress: list[Progress]

    @property
    def articles(self) -> list[Article]:
        return [article for page in self.pages for article in page.articles]

    @property
    def titles(self) -> list[str]:
        return [article.title for article in self.articles]

    @property
    def problems(self) -> list[str]:
        return [str(problem) for page in self.pages for problem in page.problems]


async def load(client: RemoteClient, *urls: str) -> Loaded:
    """fetch_collection as the loader calls it, with the progress reports kept."""
    progress: list[Progress] = []
    async with client:
        pages = await fetch_collection(list(urls), client=client, on_progress=progress.append)
    return Loaded(pages, progress)
