"""Properties of the parsing core under arbitrary input, shared by test_properties.py (a few
hundred examples each) and bench/fuzz.py (as many as you like).

Each property is a strategy and a check; the check raises AssertionError if it fails. What
must hold everywhere: no exception but ParseError (or QueryError) escapes, every input gives
records or reported problems, and no text meant for display holds a C0/C1 control (tab and, in
multi-line text, newline aside), a bidi control or a lone surrogate.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from reader.model import Article, Image, Provider, Related
from reader.parsing import ParseError
from reader.parsing.frontmatter import load_yaml, parse_front_matter, split_front_matter
from reader.parsing.jsonpages import parse_json_document
from reader.parsing.normalize import normalize
from reader.sources.local import read_file
from reader.text import clean_text, clean_url, escape_json, printable

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FIELDS = [
    *("title", "name", "excerpt", "overview", "publishedDateTime", "startDateTime", "webUrl"),
    *("website", "originalUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "category", "categories"),
    *("heat", "quality", "provider", "topics", "images", "related", "content", "url", "width"),
    *("height", "domain"),
]


def unsafe(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of `text` that must never reach a terminal."""
    allowed = "\t\n" if multiline else ""
    return [
        ch
        for ch in text
        if (unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed) or ch in BIDI
    ]


# --- strategies ----------------------------------------------------------------------------------

# Any code point, surrogates included, with the troublemakers made likely.
characters = st.one_of(
    st.characters(exclude_categories=()),
    st.sampled_from(list("\x00\x07\x1b\x7f\x85\x9b\x9c\x9d\r\n\t &#;'\"\\-[]{}:") + list(BIDI)),
    st.sampled_from(["\ud800", "\udfff", "\ufeff", "\u2028", "\u00e2", "\u20ac", "\u2122"]),
)
texts = st.text(characters, max_size=60)
entities = st.sampled_from(["&amp;", "&#038;", "&#27;", "&#x9b;", "&#x202e;", "&#0;", "&#xd800;"])
text_like = st.lists(st.one_of(texts, entities), max_size=4).map("".join)

# YAML made of the pieces that matter: fences, indentation, flow, anchors, tags, odd scalars.
YAML_TOKENS = [
    "---", "...", "\n", "\r\n", "  ", "\t", "- ", ": ", "? ", ", ", "[", "]", "{", "}", "#",
    "&a ", "*a", "&b ", "*b", "<<: ", "<<: *a", "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system", "!foo ", "!!int ", "!!float ", "!!bool ", "!!str ", "!!binary ",
    "!!timestamp ", "!!set ", "!!omap ", "!!map ", "!!seq ", "!<tag:x> ", "|\n  ", ">\n  ",
    "'", '"', "\\x1b", "\\u202e", "\\ud800", "title", "heat", "topics", "related", "provider",
    "publishedDateTime", "webUrl", "name", "=", "~", "null", "yes", "0x1F", "0777", "1_000",
    "190:20:30", ".inf", ".nan", "2021-02-30", "2021-01-01T10:00:00+99:00", "0000-01-01",
    "9" * 30, "javascript:alert(1)", "https://e.example/a b",
]  # fmt: skip
yaml_texts = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), texts), max_size=40).map("".join)
documents = st.one_of(
    texts,
    yaml_texts,
    yaml_texts.map(lambda front: f"---\n{front}\n---\n"),
    st.tuples(yaml_texts, texts).map(lambda parts: f"\ufeff---\r\n{parts[0]}\r\n---\r\n{parts[1]}"),
)

offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 10**400, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    text_like,
    st.sampled_from(["https://e.example/a", "javascript:alert(1)", "2021-03-02T10:00:00Z"]),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), offsets)),
    st.datetimes(min_value=datetime(9999, 12, 31), timezones=offsets),
    st.datetimes(max_value=datetime(1, 1, 2), timezones=offsets),
)
keys = st.one_of(st.sampled_from(FIELDS), texts, st.integers(), st.none(), st.booleans())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=8,
)
# Records: mostly the known fields, each of any type (and records nest in related, provider).
records = st.dictionaries(st.one_of(st.sampled_from(FIELDS), keys), values, max_size=6)
raw_records = st.one_of(records, values)

json_keys = st.one_of(st.sampled_from(FIELDS), texts)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text_like)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(json_keys, children, max_size=5)
    ),
    max_leaves=8,
)
json_records = st.dictionaries(json_keys, json_values, max_size=6)
json_documents = st.one_of(
    json_values,
    json_records,
    st.lists(json_records, max_size=3),
    st.builds(
        lambda value, next_page: {"page": 1, "value": value, "nextPage": next_page},
        st.lists(json_records, max_size=3),
        json_values,
    ),
).map(json.dumps)
file_bytes = st.one_of(
    st.binary(max_size=300),
    documents.map(lambda text: text.encode("utf-8", "surrogatepass")),
    json_documents.map(lambda text: text.encode("utf-8", "surrogatepass")),
)
files = st.tuples(file_bytes, st.sampled_from([".md", ".json", ".markdown"]))


# --- checks --------------------------------------------------------------------------------------


def article_texts(article: Article) -> Iterator[tuple[str, str]]:
    """(field, text) of everything an Article shows; `content` may hold lines."""
    yield from (
        ("title", article.title),
        ("excerpt", article.excerpt or ""),
        ("web_url", article.web_url or ""),
        ("original_url", article.original_url or ""),
        ("amp_web_url", article.amp_web_url or ""),
        ("cdn_amp_web_url", article.cdn_amp_web_url or ""),
        ("type", article.type or ""),
        ("category", article.category or ""),
    )
    yield from provider_texts(article.provider)
    yield from (("topic", topic) for topic in article.topics)
    yield from image_texts(article.images)
    for related in article.related:
        yield from related_texts(related)


def provider_texts(provider: Provider | None) -> Iterator[tuple[str, str]]:
    if provider:
        yield ("provider.name", provider.name)
        yield ("provider.domain", provider.domain or "")


def image_texts(images: tuple[Image, ...]) -> Iterator[tuple[str, str]]:
    yield from (("image.url", image.url) for image in images)


def related_texts(related: Related) -> Iterator[tuple[str, str]]:
    yield from (
        ("related.title", related.title),
        ("related.excerpt", related.excerpt or ""),
        ("related.web_url", related.web_url or ""),
        ("related.type", related.type or ""),
    )
    yield from provider_texts(related.provider)
    yield from image_texts(related.images)


def check_article(article: Article) -> None:
    for name, text in article_texts(article):
        assert not unsafe(text), (name, text)
    assert not unsafe(article.content or "", multiline=True), article.content
    for number in (article.heat, article.quality):
        assert number is None or -(2**63) <= number < 2**63
    if article.published:
        article.published.timestamp()  # an instant everything downstream can use
    json.dumps(article.title)


def check_reasons(reasons: list[str]) -> None:
    for reason in reasons:
        assert reason and "\n" not in reason, reason
        assert not unsafe(reason), reason


def check_split(text: str) -> None:
    try:
        front, body = split_front_matter(text)
    except ParseError as error:
        check_reasons([str(error)])
        return
    assert front in text and body in text


def check_parse(text: str) -> None:
    notes: list[str] = []
    try:
        parse_front_matter(text, notes)
    except ParseError as error:
        assert "\n" not in str(error), str(error)
    check_reasons(notes)


def check_load_yaml(text: str) -> None:
    try:
        load_yaml(text)
    except ParseError as error:
        assert "\n" not in str(error), str(error)


def check_normalize(raw: Any) -> None:
    for position, body in ((None, None), (0, None), (None, "Body \x1b[2J\u202e")):
        article, problems = normalize(raw, "file.md", position=position, body=body)
        assert article is not None or problems, raw
        if article is not None:
            check_article(article)
        check_reasons([problem.reason for problem in problems])


def check_json_document(text: str) -> None:
    try:
        document = parse_json_document(text)
    except ParseError:
        return
    for position, raw in enumerate(document.records):
        check_normalize_one(raw, position)


def check_normalize_one(raw: Any, position: int) -> None:
    article, problems = normalize(raw, "page.json", position=position)
    assert article is not None or problems
    if article is not None:
        check_article(article)


_FOLDER = tempfile.TemporaryDirectory(prefix="reader-fuzz-")  # removed at exit


def check_read_file(case: tuple[bytes, str]) -> None:
    data, suffix = case
    path = os.path.join(_FOLDER.name, f"record{suffix}")
    with open(path, "wb") as handle:
        handle.write(data)
    result = read_file(path)
    empty_page = suffix == ".json" and _is_empty_page(data)
    assert result.articles or result.problems or empty_page, data
    for article in result.articles:
        check_article(article)
    check_reasons([problem.reason for problem in result.problems])


def _is_empty_page(data: bytes) -> bool:
    try:
        document = json.loads(data)
    except ValueError:
        return False
    return document == [] or (isinstance(document, dict) and document.get("value") == [])


def check_text(text: str) -> None:
    assert not unsafe(printable(text)), printable(text)
    assert not unsafe(printable(text, multiline=True), multiline=True)
    assert "\n" not in printable(text)
    assert not unsafe(clean_text(text))
    assert not unsafe(clean_text(text, multiline=True), multiline=True)
    url = clean_url(text)
    assert not unsafe(url) and " " not in url, url
    escaped = escape_json(json.dumps(text, ensure_ascii=False))
    assert not unsafe(escaped)
    assert json.loads(escaped) == json.loads(json.dumps(text))  # the value, as ASCII JSON has it


PROPERTIES: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]] = {
    "split_front_matter": (documents, check_split),
    "parse_front_matter": (documents, check_parse),
    "load_yaml": (yaml_texts, check_load_yaml),
    "normalize": (raw_records, check_normalize),
    "json_documents": (json_documents, check_json_document),
    "read_file": (files, check_read_file),
    "text": (st.one_of(texts, text_like), check_text),
}

try:
    from reader.query import QueryError, parse_query
except ImportError:  # the query language is someone else's and may not exist yet
    pass
else:
    QUERY_TOKENS = [
        "topic:", "provider:", "type:", "category:", "since:", "until:", "heat:", "quality:",
        "is:", "-", '"', ">", ">=", "<", "<=", "=", "read", "unread", "starred", "2021-02-30",
        "9999-12-31", "0000-01-01", "3d", "99999999999y", "1e309", "nan", " ", "AI", "é", ":",
    ]  # fmt: skip
    queries = st.lists(st.one_of(st.sampled_from(QUERY_TOKENS), texts), max_size=12).map("".join)

    def check_query(text: str) -> None:
        with contextlib.suppress(QueryError):
            parse_query(text, now=datetime(2026, 11, 27, tzinfo=UTC))

    PROPERTIES["parse_query"] = (queries, check_query)
