"""The HTTP cache: the last body fetched from each URL, with its validators.

It lets a reload ask "changed since?" (If-None-Match / If-Modified-Since) and take a 304 as
"use what you have", and lets the reader start without a network from the last copy. One file
per URL (a JSON header line, then the body), written to a temporary file and renamed into
place, so a reader never sees half an entry; an entry that does not check out is dropped and
fetched again. The cache is disposable: failing to write it never fails a fetch.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

_FORMAT = 1


@dataclass(slots=True, frozen=True)
class CachedResponse:
    """What the cache knows about one URL."""

    url: str
    body: bytes
    fetched_at: datetime  # when the body was last fetched or confirmed unchanged (304)
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    def validators(self) -> dict[str, str]:
        """Request headers that make the server answer 304 if the body has not changed."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def default_http_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("reader")) / "http"


class HttpCache:
    """Cached responses in `folder`; `folder=None` keeps nothing (every fetch is a full one)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _file(self, url: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()}.entry"

    def get(self, url: str) -> CachedResponse | None:
        """The stored response for `url`; None if there is none or it is damaged (then removed)."""
        path = self._file(url)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        entry = _decode(data, url)
        if entry is None:
            with contextlib.suppress(OSError):
                path.unlink()
        return entry

    def put(self, entry: CachedResponse) -> None:
        path = self._file(entry.url)
        if path is None:
            return
        header = {
            "format": _FORMAT,
            "url": entry.url,
            "fetched_at": entry.fetched_at.timestamp(),
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "content_type": entry.content_type,
            "length": len(entry.body),
        }
        data = json.dumps(header).encode() + b"\n" + entry.body
        with contextlib.suppress(OSError):  # a full disk costs the next reload a transfer only
            _write_atomically(path, data)


def _decode(data: bytes, url: str) -> CachedResponse | None:
    line, newline, body = data.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(line)
        if (
            header["format"] != _FORMAT
            or header["url"] != url  # a hash collision, or a file that is not ours
            or header["length"] != len(body)  # cut short
        ):
            return None
        return CachedResponse(
            url=url,
            body=body,
            fetched_at=datetime.fromtimestamp(header["fetched_at"], UTC),
            etag=_text_or_none(header["etag"]),
            last_modified=_text_or_none(header["last_modified"]),
            content_type=_text_or_none(header["content_type"]),
        )
    except (ValueError, KeyError, TypeError, OverflowError, OSError):
        return None


def _text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"expected text, got {type(value).__name__}")


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
