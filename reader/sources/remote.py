"""Remote sources: JSON pages, records and feeds served over HTTP(S).

A load uses one `httpx.AsyncClient` (pooled connections) and at most `per_host` requests per
host at a time. Failures that may pass (no connection, timeouts, 5xx, 429) are retried a few
times with exponential backoff, honouring Retry-After; whatever still fails becomes a `Problem`
naming the URL and the reason, and the rest of the collection loads. Every response is kept in
the HTTP cache: a reload asks only "changed?", and without a network the last copy is shown,
with a notice saying how old it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import queue
import re
import reprlib
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from reader import __version__
from reader.model import Problem
from reader.parsing import ParseError
from reader.parsing.jsonpages import parse_json_document
from reader.sources.httpcache import CachedResponse, HttpCache, default_http_cache_dir
from reader.sources.local import FileResult, document_kind, records_from_bytes
from reader.timefmt import ago

USER_AGENT = f"reader/{__version__} (+terminal news reader)"
_ACCEPT = (
    "application/json, application/feed+json, application/rss+xml, application/atom+xml, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/markdown;q=0.9, */*;q=0.5"
)
_PAGED_PATH = re.compile(r"^(?P<head>.*/)page/(?P<number>\d+)/index\.json$")


@dataclass(slots=True, frozen=True)
class RemoteSettings:
    """Limits of remote loading; the defaults suit a person waiting at a terminal."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0  # longest silence while waiting for data
    total_timeout: float = 60.0  # one attempt, first byte to last: a trickle cannot stall a load
    retries: int = 3
    backoff: float = 0.5  # the first retry waits this long, each later one twice as long
    max_retry_after: float = 30.0
    max_bytes: int = 20 * 2**20
    max_redirects: int = 5
    max_pages: int = 50
    per_host: int = 4


@dataclass(slots=True, frozen=True)
class Fetched:
    """A body to read; `stale_because` says why an old copy stands in for a fresh one.

    `url` is the URL asked for (the HTTP cache's key); `final_url` is where the body came from
    after redirects, which relative links in it resolve against. It is `url` when nothing
    redirected, and for an old copy from the cache (the cache does not keep it)."""

    url: str
    body: bytes
    content_type: str | None
    fetched_at: datetime
    stale_because: str | None = None
    final_url: str = ""

    def __post_init__(self) -> None:
        if not self.final_url:
            object.__setattr__(self, "final_url", self.url)

    def notice(self, now: datetime) -> str:
        return f"{self.stale_because}: showing the copy fetched {ago(self.fetched_at, now)}"


@dataclass(slots=True, frozen=True)
class Progress:
    """One page read: the SOURCE URL it belongs to, how far that source has got, and the page
    itself (records and problems), so a caller can show it at once."""

    source: str
    pages: int
    records: int
    page: FileResult = field(compare=False)


ProgressCallback = Callable[[Progress], object]


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason the user sees."""


class TransientError(FetchError):
    """A failure that may pass: worth retrying, and worth showing the cached copy for."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class UnreachableError(TransientError):
    """No connection to the server at all: most likely the network is down."""


class PaginationError(ValueError):
    """A `nextPage` that cannot or must not be followed."""


class RemoteClient:
    """The HTTP side of one load: the connection pool, per-host limits, retries and the cache.

    Use as `async with RemoteClient(settings) as client`; `cache=None` means the user's HTTP
    cache folder, `HttpCache(None)` no cache at all. `accept` is what to ask servers for
    (collections by default; reader mode asks for web pages).
    """

    def __init__(
        self,
        settings: RemoteSettings | None = None,
        *,
        cache: HttpCache | None = None,
        accept: str = _ACCEPT,
    ) -> None:
        self.settings = settings or RemoteSettings()
        self.cache = cache if cache is not None else HttpCache(default_http_cache_dir())
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(
                self.settings.read_timeout, connect=self.settings.connect_timeout, pool=None
            ),
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            headers={"User-Agent": USER_AGENT, "Accept": accept},
        )
        self._slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.settings.per_host)
        )
        self._unreachable: dict[str, UnreachableError] = {}  # hosts not to try again this load

    async def __aenter__(self) -> RemoteClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._http.aclose()

    async def fetch(self, url: str) -> Fetched:
        """The body at `url`: fresh, confirmed unchanged (304), or, when fetching failed for a
        reason that may pass, the last copy fetched. Raises FetchError with the reason."""
        cached = self.cache.get(url)
        host = urlsplit(url).netloc.lower()
        attempt = 0
        while True:
            if host in self._unreachable:  # retrying each page of a host that is down takes ages
                return _fall_back(url, cached, self._unreachable[host], "host not tried again")
            attempt += 1
            try:
                async with self._slots[host]:
                    return await self._attempt(url, cached)
            except TransientError as error:
                if attempt > self.settings.retries:
                    if isinstance(error, UnreachableError):
                        self._unreachable[host] = error
                    return _fall_back(url, cached, error, f"after {_count(attempt, 'attempt')}")
                await asyncio.sleep(self._delay(attempt, error.retry_after))

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.settings.max_retry_after)
        return self.settings.backoff * 2 ** (attempt - 1)

    async def _attempt(self, url: str, cached: CachedResponse | None) -> Fetched:
        """One request, its failure translated into the reason a person can act on."""
        settings = self.settings
        try:
            async with asyncio.timeout(settings.total_timeout):
                return await self._get(url, cached)
        except TimeoutError:
            raise TransientError(
                f"timed out: no complete answer within {settings.total_timeout:g} s"
            ) from None
        except httpx.TooManyRedirects:
            raise FetchError(f"too many redirects (more than {settings.max_redirects})") from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise UnreachableError(f"cannot connect: {_describe(error)}") from None
        except httpx.TimeoutException:
            raise TransientError(
                f"timed out: nothing received for {settings.read_timeout:g} s"
            ) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise FetchError(f"not a URL that can be fetched: {_describe(error)}") from None
        except httpx.TransportError as error:
            raise TransientError(f"connection failed: {_describe(error)}") from None
        except httpx.DecodingError as error:
            raise FetchError(f"cannot decode the response: {_describe(error)}") from None

    async def _get(self, url: str, cached: CachedResponse | None) -> Fetched:
        headers = cached.validators() if cached else {}
        async with self._http.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == httpx.codes.NOT_MODIFIED and cached is not None:
                return self._confirmed(cached, response)
            if status == httpx.codes.TOO_MANY_REQUESTS or status >= 500:
                wait = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))
                raise TransientError(_status(status), retry_after=wait)
            if not response.is_success:
                raise FetchError(_status(status))
            body = await self._read(response)
        entry = CachedResponse(
            url=url,
            body=body,
            fetched_at=datetime.now(UTC),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
        )
        self.cache.put(entry)
        return Fetched(url, body, entry.content_type, entry.fetched_at, final_url=str(response.url))

    def _confirmed(self, cached: CachedResponse, response: httpx.Response) -> Fetched:
        """A 304: the cached body is current; remember when that was last confirmed."""
        headers = response.headers
        entry = CachedResponse(
            url=cached.url,
            body=cached.body,
            fetched_at=datetime.now(UTC),
            etag=headers.get("ETag", cached.etag),
            last_modified=headers.get("Last-Modified", cached.last_modified),
            content_type=cached.content_type,
        )
        self.cache.put(entry)
        return Fetched(
            entry.url,
            entry.body,
            entry.content_type,
            entry.fetched_at,
            final_url=str(response.url),
        )

    async def _read(self, response: httpx.Response) -> bytes:
        """The body, read no further than the size cap (a wrong or missing Content-Length too)."""
        limit = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"response larger than {_size(limit)}")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(f"response larger than {_size(limit)}")
            chunks.append(chunk)
        return b"".join(chunks)


def _fall_back(url: str, cached: CachedResponse | None, error: TransientError, how: str) -> Fetched:
    if cached is None:
        raise FetchError(f"{error} ({how})")
    why = "offline" if isinstance(error, UnreachableError) else str(error)
    return Fetched(url, cached.body, cached.content_type, cached.fetched_at, stale_because=why)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date); None if unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


async def fetch_collection(
    urls: list[str], *, client: RemoteClient, on_progress: ProgressCallback | None = None
) -> list[FileResult]:
    """Every page of every URL, source by source in the order given, each page a FileResult
    whose path is its URL. A source's failures are problems in its pages; this never raises."""
    async with asyncio.TaskGroup() as group:
        walks = [group.create_task(_walk(url, client, on_progress)) for url in dict.fromkeys(urls)]
    return [page for walk in walks for page in walk.result()]


async def _walk(
    source: str, client: RemoteClient, on_progress: ProgressCallback | None
) -> list[FileResult]:
    """One source, page after page, until there is no next page or a reason to stop."""
    pages: list[FileResult] = []
    seen: set[int] = set()
    records = 0
    noticed = False
    url: str | None = source
    while url is not None:
        page = FileResult(url)
        url, fetched = await _read_page(page, client, seen, len(pages) + 1)
        if fetched is not None and fetched.stale_because and not noticed:
            page.problems.insert(0, Problem(source, fetched.notice(datetime.now(UTC))))
            noticed = True  # one notice per source, not one per page
        pages.append(page)
        records += len(page.articles)
        if on_progress is not None:
            on_progress(Progress(source, len(pages), records, page))
    return pages


async def _read_page(
    page: FileResult, client: RemoteClient, seen: set[int], number: int
) -> tuple[str | None, Fetched | None]:
    """Fetch and parse one page into `page`; returns the next page's URL, if one is to be read."""
    try:
        fetched = await client.fetch(page.path)
    except FetchError as error:
        page.problems.append(Problem(page.path, str(error)))
        return None, None
    kind = document_kind(urlsplit(fetched.url).path, fetched.body, fetched.content_type)
    try:
        records_from_bytes(fetched.body, page.path, page, kind=kind)
        if kind != "json":
            return None, fetched
        # records_from_bytes keeps the page's nextPage to itself, so the text is parsed again.
        next_page = parse_json_document(fetched.body.decode()).next_page
        return _follow(page.path, next_page, seen, number, client.settings.max_pages), fetched
    except (ParseError, PaginationError) as error:
        page.problems.append(Problem(page.path, str(error)))
        return None, fetched


def _follow(url: str, next_page: Any, seen: set[int], pages: int, max_pages: int) -> str | None:
    """The URL of page `next_page` after `url`; PaginationError if it must not be followed."""
    if next_page is None:
        return None
    if type(next_page) is not int or next_page < 1:
        raise PaginationError(f"nextPage {reprlib.repr(next_page)} is not a positive integer")
    current = page_number(url)
    seen.add(current)
    if next_page in seen:
        raise PaginationError(f"nextPage loop: page {current} points back to page {next_page}")
    if pages >= max_pages:
        raise PaginationError(f"stopped after {max_pages} pages (the page limit)")
    return next_page_url(url, next_page)


def page_number(url: str) -> int:
    """The page a URL names: N for `.../page/N/index.json`, else 1 (`<topic>/index.json`)."""
    match = _PAGED_PATH.match(urlsplit(url).path)
    return int(match["number"]) if match else 1


def next_page_url(url: str, number: int) -> str:
    """`.../page/<N>/index.json` with N replaced, or `<topic>/index.json` with `page/N/` added."""
    parts = urlsplit(url)
    if match := _PAGED_PATH.match(parts.path):
        path = f"{match['head']}page/{number}/index.json"
    elif parts.path.endswith("/index.json"):
        path = f"{parts.path.removesuffix('index.json')}page/{number}/index.json"
    else:
        raise PaginationError(
            f"cannot follow nextPage {number}: the URL does not end in /index.json"
        )
    return parts._replace(path=path).geturl()


def fetch_sources(
    urls: list[str],
    *,
    settings: RemoteSettings | None = None,
    cache: HttpCache | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[FileResult]:
    """`fetch_collection` for a caller without an event loop (the CLI, a worker thread)."""

    async def run() -> list[FileResult]:
        async with RemoteClient(settings, cache=cache) as client:
            return await fetch_collection(urls, client=client, on_progress=on_progress)

    return asyncio.run(run())


@dataclass(slots=True, frozen=True)
class _Finished:
    error: BaseException | None = None


def iter_pages(
    urls: list[str],
    *,
    settings: RemoteSettings | None = None,
    cache: HttpCache | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[Progress]:
    """Pages as they arrive, for a synchronous caller that streams (the loader's thread).

    The fetching runs on an event loop in a thread of its own; closing the generator early
    cancels it, and returns once it has stopped. `cancelled` is asked four times a second
    while waiting, so a quitting app does not wait for a slow server.
    """
    handoff: queue.SimpleQueue[Progress | _Finished] = queue.SimpleQueue()
    loop = asyncio.new_event_loop()

    async def run() -> None:
        async with RemoteClient(settings, cache=cache) as client:
            await fetch_collection(urls, client=client, on_progress=handoff.put)

    task = loop.create_task(run())

    def drive() -> None:
        try:
            loop.run_until_complete(task)
            handoff.put(_Finished())
        except BaseException as error:  # handed over to the consumer, which raises it
            handoff.put(_Finished(error))
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    thread = threading.Thread(target=drive, name="reader-remote", daemon=True)
    thread.start()
    try:
        while True:
            try:
                item = handoff.get(timeout=0.25)
            except queue.Empty:
                if cancelled():
                    return
                continue
            if isinstance(item, _Finished):
                break
            yield item
        if item.error is not None:
            raise item.error
    finally:
        with contextlib.suppress(RuntimeError):  # the loop has already closed
            loop.call_soon_threadsafe(task.cancel)
        thread.join()


def _status(code: int) -> str:
    return f"HTTP {code} {httpx.codes.get_reason_phrase(code)}".rstrip()


def _describe(error: Exception) -> str:
    return str(error) or type(error).__name__


def _size(count: int) -> str:
    for unit, size in (("MiB", 2**20), ("KiB", 2**10)):
        if count >= size:
            return f"{count / size:g} {unit}"
    return f"{count} bytes"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"
