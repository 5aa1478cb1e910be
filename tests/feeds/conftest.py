"""Feeds written for these tests in the shape of real ones (tests/feeds/files), served by the
real HTTP server of the remote tests on 127.0.0.1, and the ways a user gets at them: the
loader (as the app loads), and the `reader` command run in-process."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import main
from reader.loader import load
from reader.model import Article
from reader.store.cache import ParseCache
from tests.remote.conftest import Server

FILES = Path(__file__).parent / "files"
CONTENT_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".rdf": "application/rdf+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
}


def feed_bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


def serve_feed(server: Server, name: str, path: str | None = None, **headers: str) -> str:
    """Serve tests/feeds/files/NAME (with its Content-Type and an ETag); returns its URL."""
    path = path or f"/{name}"
    content_type = CONTENT_TYPES[Path(name).suffix]
    server.static(path, feed_bytes(name), {"Content-Type": content_type, **headers})
    return server.url(path)


@dataclass(slots=True)
class Loaded:
    """What the app shows of some sources: its rows' full records (newest first, one per
    story) and the problems."""

    articles: list[Article]
    problems: list[str]

    @property
    def titles(self) -> list[str]:
        return [article.title for article in self.articles]

    def titled(self, title: str) -> Article:
        [article] = [article for article in self.articles if article.title == title]
        return article


@pytest.fixture
def parse_cache(tmp_path: Path):
    cache = ParseCache(tmp_path / "parse-cache.sqlite3")
    yield cache
    cache.close()


@pytest.fixture
def read(parse_cache: ParseCache) -> Callable[..., Loaded]:
    """read(*sources): the collection as the app loads it (parse cache, HTTP cache, dedupe)."""

    def run(*sources: str | Path) -> Loaded:
        collection = load([str(source) for source in sources], parse_cache)
        articles = [parse_cache.article(entry) for entry in collection.entries]
        assert None not in articles
        return Loaded(articles, [str(problem) for problem in collection.problems])  # type: ignore[arg-type]

    return run


@dataclass(slots=True, frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli() -> Callable[..., Ran]:
    """cli("list", url): `reader ...` in-process, in the test's own XDG folders."""
    runner = CliRunner()

    def run(*args: str | Path, stdin: str | None = None) -> Ran:
        result = runner.invoke(main, [str(arg) for arg in args], prog_name="reader", input=stdin)
        gc.collect()  # as the process's exit would: the run's parse cache is closed
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run
