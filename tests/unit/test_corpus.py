"""The real site data (everyday-cc/ai corpus): every record file loads, and `reader list --json`
gives back what the files say, field by field, checked against the YAML read independently."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import yaml
from click.testing import CliRunner

from reader.cli import main
from reader.parsing.frontmatter import parse_front_matter
from reader.sources.local import read_file
from reader.text import clean_text

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus" / "everyday-ai"
if not CORPUS.is_dir():
    pytest.skip(f"corpus not found at {CORPUS}", allow_module_level=True)

FOLDERS = ("_news", "_archive", "_companies", "_events", "_learning", "api")
RECORD_FILES = sorted(
    path
    for folder in FOLDERS
    for path in (CORPUS / folder).rglob("*")
    if path.suffix in (".md", ".json") and path.is_file()
)
NEWS_FILES = sorted((CORPUS / "_news").glob("*.md"))

# A field-level note reads "field: reason" ("heat: …", "related[0].quality: …"); anything else
# (invalid YAML, not UTF-8, never closed, not a record …) means the file itself failed.
_FIELD_NOTE = re.compile(r"^[A-Za-z_][\w.\[\]]*: ")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def _rel(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def raw_front_matter(path: Path) -> dict:
    """The record as the plain YAML library reads it, with no code of ours involved."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].strip() == "---", path
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "..."))
    return yaml.load("\n".join(lines[1:end]), Loader=yaml.CSafeLoader)


def url_key(url: str) -> str:
    """A story's identity, worked out independently: scheme/host case, final '/', fragment."""
    parts = urlsplit(url.strip())
    host = (parts.netloc or "").lower()
    for default in (":80", ":443"):
        host = host.removesuffix(default)
    return urlunsplit((parts.scheme.lower(), host, parts.path.rstrip("/"), parts.query, ""))


def expected_url(url: str | None) -> str | None:
    if url is None:
        return None
    url = _ENTITY.sub(lambda match: html.unescape(match.group()), url.strip())
    return url.replace(" ", "%20") or None


def expected_text(value) -> str | None:
    if value is None:
        return None
    return clean_text(str(value)) or None


def as_utc(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)  # a bare date


def reader_list_json(tmp_path_factory, *sources: Path) -> list[dict]:
    """Run `reader list --json` in-process (with a private cache dir); return parsed lines."""
    cache = tmp_path_factory.mktemp("cache")
    result = CliRunner().invoke(
        main, ["list", "--json", *map(str, sources)], env={"XDG_CACHE_HOME": str(cache)}
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- every file loads --------------------------------------------------------------------------


def test_corpus_has_the_expected_files() -> None:
    """The corpus is complete (330 record files), so the checks below cover it all."""
    assert len(NEWS_FILES) == 204
    assert len(RECORD_FILES) == 330


@pytest.mark.parametrize("path", RECORD_FILES, ids=_rel)
def test_every_corpus_file_loads(path: Path) -> None:
    """Each real record file gives at least one article and no file-level problem."""
    result = read_file(path)
    file_level = [p for p in result.problems if not _FIELD_NOTE.match(p.reason)]
    assert file_level == []
    assert result.articles, [str(p) for p in result.problems]
    assert all(article.title and article.title != "(untitled)" for article in result.articles)


@pytest.mark.parametrize("path", [p for p in RECORD_FILES if p.suffix == ".md"], ids=_rel)
def test_front_matter_reads_as_the_yaml_library_reads_it(path: Path) -> None:
    """Our front matter reader gives exactly the data plain CSafeLoader gives (no drift)."""
    data, body = parse_front_matter(path.read_text(encoding="utf-8"))
    assert data == raw_front_matter(path)
    assert body.strip() == ""  # the README: no article has a body


# --- reader list --json is faithful ----------------------------------------------------------


@pytest.fixture(scope="module")
def news_output(tmp_path_factory) -> dict[str, dict]:
    """`reader list --json _news`, indexed by the file each line came from."""
    lines = reader_list_json(tmp_path_factory, CORPUS / "_news")
    by_source = {}
    for line in lines:
        assert line["source"] not in by_source, "one file gave two lines"
        by_source[line["source"]] = line
    return by_source


def test_list_json_has_one_line_per_news_story(news_output) -> None:
    """Every _news file is listed (no story is silently lost)."""
    keys = {url_key(raw_front_matter(p)["webUrl"]) for p in NEWS_FILES}
    assert len(news_output) == len(keys)
    listed = {url_key(line["webUrl"]) for line in news_output.values()}
    assert listed == keys


@pytest.mark.parametrize("path", NEWS_FILES, ids=_rel)
def test_list_json_reproduces_each_news_record(news_output, path: Path) -> None:
    """Title (mojibake repaired), excerpt, links, date, heat, quality, provider, topics and
    related stories in `reader list --json` match the file."""
    raw = raw_front_matter(path)
    line = news_output.get(str(path))
    if line is None:  # another copy of the same story won the merge
        winners = {url_key(out["webUrl"]) for out in news_output.values() if out["webUrl"]}
        assert url_key(raw["webUrl"]) in winners
        return

    assert line["title"] == expected_text(raw["title"])
    assert line["excerpt"] == expected_text(raw.get("excerpt"))
    assert line["webUrl"] == expected_url(raw.get("webUrl"))
    assert line["originalUrl"] == expected_url(raw.get("originalUrl"))
    assert line["ampWebUrl"] == expected_url(raw.get("ampWebUrl"))
    assert line["cdnAmpWebUrl"] == expected_url(raw.get("cdnAmpWebUrl"))
    assert as_utc(line["publishedDateTime"]) == as_utc(raw.get("publishedDateTime"))
    assert line["type"] == raw.get("type")
    assert line["category"] == raw.get("category")
    assert line["heat"] == raw.get("heat")
    assert line["quality"] == raw.get("quality")

    provider = raw.get("provider")
    if provider:
        assert line["provider"] == {
            "name": expected_text(provider.get("name")),
            "domain": expected_text(provider.get("domain")),
        }
    else:
        assert line["provider"] is None

    topics = [expected_text(t) for t in raw.get("topics") or []]
    assert line["topics"] == list(dict.fromkeys(t for t in topics if t))

    assert [image["url"] for image in line["images"]] == [
        expected_url(image["url"]) for image in raw.get("images") or []
    ]
    assert [(r["title"], r["webUrl"]) for r in line["related"]] == [
        (expected_text(r["title"]), expected_url(r.get("webUrl"))) for r in raw.get("related") or []
    ]
    for out, src in zip(line["related"], raw.get("related") or [], strict=True):
        assert as_utc(out["publishedDateTime"]) == as_utc(src.get("publishedDateTime"))


def test_mojibake_title_of_the_founding_record_is_repaired(news_output) -> None:
    """The record the project started from shows "detectives’", not "detectivesâ€™"."""
    path = (
        CORPUS
        / "_news"
        / ("2020-11-18-lapd-bars-detectives-use-of-clearview-ai-facial-recognition-system.md")
    )
    line = news_output[str(path)]
    assert line["title"] == "LAPD bars detectives’ use of Clearview AI facial recognition system"
    assert line["publishedDateTime"] is not None
    assert as_utc(line["publishedDateTime"]) == datetime(2020, 11, 18, 16, 51, tzinfo=UTC)
    assert line["provider"] == {"name": "Daily Breeze", "domain": "dailybreeze.com"}
    assert [r["title"] for r in line["related"]] == [
        "LAPD Bans Facial Recognition, Citing Privacy Concerns"
    ]


# --- the whole corpus at once: duplicates collapse ---------------------------------------------


def _all_raw_records() -> list[dict]:
    records = []
    for path in RECORD_FILES:
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            records += data["value"] if isinstance(data, dict) and "value" in data else [data]
        else:
            records.append(raw_front_matter(path))
    return records


def test_whole_corpus_lists_each_story_once(tmp_path_factory) -> None:
    """Across _news, _archive, the API pages and the rest, a story repeated in several files is
    one line, and every story appears; records without a URL (some videos) each stay."""
    lines = reader_list_json(tmp_path_factory, *(CORPUS / folder for folder in FOLDERS))
    raw = _all_raw_records()
    urls = [r.get("webUrl") or r.get("website") for r in raw]
    keys = {url_key(url) for url in urls if url}
    without_url = sum(url is None for url in urls)
    assert len(keys) + without_url < len(raw), "the corpus is known to hold duplicate stories"
    listed = [url_key(line["webUrl"]) for line in lines if line["webUrl"]]
    assert len(listed) == len(set(listed)), "a story is listed twice"
    assert set(listed) == keys
    assert len(lines) == len(keys) + without_url


def test_whole_corpus_is_newest_first(tmp_path_factory) -> None:
    """`reader list` on the corpus is in date order, newest first, undated at the end."""
    lines = reader_list_json(tmp_path_factory, *(CORPUS / folder for folder in FOLDERS))
    dates = [as_utc(line["publishedDateTime"]) for line in lines]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated  # all dated lines come before undated ones
