"""The normaliser: every field of a site record reaches the Article; wrong or odd values are
kept when they can be, and otherwise reported as a Problem naming the field, never a crash."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from reader.model import Article, Image, Provider
from reader.parsing.normalize import normalize, parse_datetime
from reader.sources.local import read_file

# A news record in the shape the site writes them (see the everyday-ai corpus).
FULL_RECORD = """\
---
category: news
title: "Robots learn to fold laundry"
excerpt: "A lab shows a two-armed robot folding towels &amp; shirts."
publishedDateTime: 2021-03-02T14:05:00Z
originalUrl: "https://news.example.com/2021/03/02/robots-fold/?src=rss"
webUrl: "https://news.example.com/2021/03/02/robots-fold/"
ampWebUrl: "https://news.example.com/2021/03/02/robots-fold/amp/"
cdnAmpWebUrl: "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/robots-fold/amp/"
type: article
quality: 74
heat: 84
published: true

provider:
  name: Example News
  domain: example.com

topics:
  - Robotics
  - AI

images:
  - url: "https://news.example.com/img/robot.jpg?w=1024&#038;h=446"
    width: 1024
    height: 446
    isCached: true

related:
  - title: "Laundry robots, a history"
    excerpt: "From 2010 to now."
    publishedDateTime: 2021-03-01T09:00:00Z
    webUrl: "https://other.example.org/laundry-robots/"
    type: article
    provider:
      name: Other Paper
      domain: other.example.org
    quality: 39
    images:
      - url: "https://other.example.org/img/l.jpg"
        width: 780
        height: 438

secured: "WsVmDAyX0yytq3/xTcHuHjBdCttR5wr3a817NY4/lEIdaNyf6l==;MNX6A7Bx/kemKxZZyMXZlg=="
---
The **body** of the article.
"""


def load_one(write, text: str, name: str = "record.md"):
    """Read one record file; return its single article and the list of problem reasons."""
    path = write(name, text)
    result = read_file(path)
    assert len(result.articles) == 1, result.problems
    assert all(problem.source == str(path) for problem in result.problems)
    return result.articles[0], [problem.reason for problem in result.problems]


def norm(raw: dict):
    """Normalise one raw mapping; the article must exist, and problems are returned as reasons."""
    article, problems = normalize(raw, "test.md")
    assert article is not None
    return article, [problem.reason for problem in problems]


# --- a full record ---------------------------------------------------------------------------


def test_every_field_of_a_full_record_is_mapped(write) -> None:
    """Nothing the site writes is lost: each field lands where the reader shows it."""
    article, problems = load_one(write, FULL_RECORD)
    assert problems == []
    assert article.title == "Robots learn to fold laundry"
    assert article.excerpt == "A lab shows a two-armed robot folding towels & shirts."
    assert article.published == datetime(2021, 3, 2, 14, 5, tzinfo=UTC)
    assert article.web_url == "https://news.example.com/2021/03/02/robots-fold/"
    assert article.original_url == "https://news.example.com/2021/03/02/robots-fold/?src=rss"
    assert article.amp_web_url == "https://news.example.com/2021/03/02/robots-fold/amp/"
    assert article.cdn_amp_web_url == (
        "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/robots-fold/amp/"
    )
    assert article.type == "article"
    assert article.category == "news"
    assert article.heat == 84
    assert article.quality == 74
    assert article.provider == Provider("Example News", "example.com")
    assert article.topics == ("Robotics", "AI")
    assert article.images == (
        Image("https://news.example.com/img/robot.jpg?w=1024&h=446", 1024, 446),
    )
    assert article.content == "The **body** of the article."

    (related,) = article.related
    assert related.title == "Laundry robots, a history"
    assert related.excerpt == "From 2010 to now."
    assert related.published == datetime(2021, 3, 1, 9, 0, tzinfo=UTC)
    assert related.web_url == "https://other.example.org/laundry-robots/"
    assert related.type == "article"
    assert related.provider == Provider("Other Paper", "other.example.org")
    assert related.quality == 39
    assert related.images == (Image("https://other.example.org/img/l.jpg", 780, 438),)


def test_full_record_as_json_matches_the_markdown_one(write) -> None:
    """The same record from the JSON API gives the same article as from a Markdown file."""
    md_article, _ = load_one(write, FULL_RECORD)
    raw = {
        "title": "Robots learn to fold laundry",
        "excerpt": "A lab shows a two-armed robot folding towels &amp; shirts.",
        "publishedDateTime": "2021-03-02T14:05:00Z",
        "originalUrl": "https://news.example.com/2021/03/02/robots-fold/?src=rss",
        "webUrl": "https://news.example.com/2021/03/02/robots-fold/",
        "ampWebUrl": "https://news.example.com/2021/03/02/robots-fold/amp/",
        "cdnAmpWebUrl": (
            "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/robots-fold/amp/"
        ),
        "type": "article",
        "category": "news",
        "quality": 74,
        "heat": 84,
        "provider": {"name": "Example News", "domain": "example.com"},
        "topics": ["Robotics", "AI"],
        "images": [
            {
                "url": "https://news.example.com/img/robot.jpg?w=1024&#038;h=446",
                "width": 1024,
                "height": 446,
            }
        ],
        "related": [],
        "content": "The **body** of the article.",
    }
    json_article, problems = load_one(write, json.dumps({"page": 1, "value": [raw]}), "p.json")
    assert problems == []
    # Everything but where it came from (source, key) and related (not in this JSON copy).
    shared = [
        f.name for f in dataclasses.fields(Article) if f.name not in ("source", "key", "related")
    ]
    for field in shared:
        assert getattr(json_article, field) == getattr(md_article, field), field


def test_categories_list_gives_the_category() -> None:
    """Records that carry `categories: [...]` instead of `category` still show one."""
    article, problems = norm({"title": "T", "categories": ["news", "other"]})
    assert article.category == "news"
    assert problems == []


def test_profile_record_is_shown_by_name_overview_website(write) -> None:
    """Company profiles (name/overview/website) read as title/excerpt/webUrl."""
    article, problems = load_one(
        write,
        '---\nname: "6sense"\noverview: "Account engagement platform."\ntype: "profile"\n'
        "heat: 0\n\nwebsite: https://www.6sense.com/\n\ntopics:\n  - AI\n---\n",
    )
    assert problems == []
    assert article.title == "6sense"
    assert article.excerpt == "Account engagement platform."
    assert article.web_url == "https://www.6sense.com/"
    assert article.type == "profile"
    assert article.heat == 0
    assert article.published is None


def test_conference_record_is_shown_by_name_and_start(write) -> None:
    """Conferences (name/startDateTime/website) read as title/published/webUrl."""
    article, problems = load_one(
        write,
        '---\nname: "NeurIPS 2019"\nexcerpt: "The 33rd annual conference."\ntype: conference\n'
        "startDateTime: 2019-12-08T08:00:00-08:00\nendDateTime: 2019-12-14T18:00:00-08:00\n"
        "location: Vancouver, BC, Canada\n\nwebsite: https://nips.cc/Conferences/2019\n---\n",
    )
    assert problems == []
    assert article.title == "NeurIPS 2019"
    assert article.published == datetime(2019, 12, 8, 16, 0, tzinfo=UTC)
    assert article.web_url == "https://nips.cc/Conferences/2019"
    assert article.type == "conference"


def test_minimal_record_has_empty_defaults() -> None:
    """A record with only a title loads; everything else is empty, not invented."""
    article, problems = norm({"title": "Only a title"})
    assert problems == []
    assert article.title == "Only a title"
    assert article.excerpt is article.published is article.web_url is article.provider is None
    assert article.topics == article.images == article.related == ()


def test_missing_title_is_reported_and_the_url_stands_in() -> None:
    """Without a title the record still lists (by its URL) and the problem names `title`."""
    article, problems = norm({"webUrl": "https://example.com/story"})
    assert article.title == "https://example.com/story"
    assert any(reason.startswith("title:") for reason in problems)


# --- mistyped fields -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ["a", "list"]),
        ("title", {"a": "mapping"}),
        ("excerpt", ["x"]),
        ("webUrl", 42),
        ("heat", "very hot"),
        ("heat", "nan"),
        ("heat", [1, 2]),
        ("quality", "good"),
        ("publishedDateTime", "yesterday"),
        ("publishedDateTime", "2021-13-45T99:00:00Z"),
        ("publishedDateTime", True),
        ("provider", ["a", "list"]),
        ("provider", 7),
        ("topics", 5),
        ("images", 3.5),
        ("related", "just a string"),
        ("related", 12),
    ],
)
def test_mistyped_field_keeps_the_record_and_names_the_field(field: str, value) -> None:
    """A wrong type in one field never loses the record; the problem says which field."""
    article, problems = norm({"title": "Kept", "webUrl": "https://e.com/x", field: value})
    if field != "title":
        assert article.title == "Kept"
    assert problems, f"no problem reported for {field}={value!r}"
    assert any(reason.startswith(field) for reason in problems), problems
    assert all("\n" not in reason for reason in problems)


def test_title_that_is_a_number_is_shown_and_reported() -> None:
    """`title: 2021` is shown as "2021" and reported, since it is probably a mistake."""
    article, problems = norm({"title": 2021})
    assert article.title == "2021"
    assert any(reason.startswith("title:") and "number" in reason for reason in problems)


def test_heat_as_numeric_text_is_read() -> None:
    """`heat: "84"` (quoted) is still 84: nothing to report."""
    article, problems = norm({"title": "T", "heat": "84", "quality": 39.0})
    assert (article.heat, article.quality) == (84, 39)
    assert problems == []


def test_lone_values_where_lists_belong_are_taken_as_one_item() -> None:
    """A bare string for topics and images and a single mapping for related are kept as one
    item, and each is named as a problem; a bare provider name is the provider's name."""
    article, problems = norm(
        {
            "title": "T",
            "topics": "AI",
            "provider": "Daily Breeze",
            "related": {"title": "Other", "webUrl": "https://o.example/"},
            "images": "https://e.com/a.jpg",
        }
    )
    assert sorted(p.split(":")[0] for p in problems) == ["images", "related", "topics"]
    assert all("taken as one item" in p for p in problems)
    assert article.topics == ("AI",)
    assert article.provider == Provider("Daily Breeze")
    assert [(r.title, r.web_url) for r in article.related] == [("Other", "https://o.example/")]
    assert article.images == (Image("https://e.com/a.jpg"),)


def test_bad_items_inside_lists_are_skipped_and_reported() -> None:
    """Odd topics and related entries are skipped one by one; the good ones stay."""
    article, problems = norm(
        {
            "title": "T",
            "topics": ["AI", 3, None, "Robotics"],
            "related": [{"excerpt": "no title, no url"}, "text", {"title": "Good"}],
        }
    )
    assert article.topics == ("AI", "Robotics")
    assert [r.title for r in article.related] == ["Good"]
    assert sum(reason.startswith("topics") for reason in problems) == 2
    assert any(reason.startswith("related[0]") for reason in problems)
    assert any(reason.startswith("related") and "text" in reason for reason in problems)


def test_nested_field_problems_name_the_path() -> None:
    """A bad value inside related/provider names where it is, e.g. `related[0].quality`."""
    _, problems = norm(
        {
            "title": "T",
            "provider": {"name": "P", "domain": ["x"]},
            "related": [{"title": "R", "quality": "high", "publishedDateTime": "soon"}],
        }
    )
    assert any(reason.startswith("provider.domain") for reason in problems)
    assert any(reason.startswith("related[0].quality") for reason in problems)
    assert any(reason.startswith("related[0].publishedDateTime") for reason in problems)


def test_non_mapping_record_is_a_problem_not_an_article() -> None:
    """A YAML list or scalar where a record belongs gives no article and says why."""
    article, problems = normalize(["a", "b"], "x.md")
    assert article is None
    assert problems[0].source == "x.md"
    assert "not a record" in problems[0].reason


@pytest.mark.parametrize(
    "value",
    [float("inf"), float("-inf"), float("nan"), "inf", "1e999"],
    ids=["inf", "-inf", "nan", "text-inf", "text-1e999"],
)
def test_infinite_or_nan_heat_is_a_problem_not_a_crash(value) -> None:
    """heat: .inf / .nan / "inf" is reported on `heat`, and the record still loads."""
    article, problems = norm({"title": "T", "heat": value})
    assert article.heat is None
    assert any(reason.startswith("heat") for reason in problems)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ("2020-11-18T16:51:00Z", datetime(2020, 11, 18, 16, 51, tzinfo=UTC)),
        ("2020-11-18T16:51:00+02:00", datetime(2020, 11, 18, 14, 51, tzinfo=UTC)),
        ("2020-11-18T16:51:00-08:00", datetime(2020, 11, 19, 0, 51, tzinfo=UTC)),
        ("2020-11-18 16:51:00", datetime(2020, 11, 18, 16, 51, tzinfo=UTC)),
        ("2020-11-18T16:51:00", datetime(2020, 11, 18, 16, 51, tzinfo=UTC)),
        ("2020-11-18", datetime(2020, 11, 18, tzinfo=UTC)),
        ('"2020-11-18T16:51:00Z"', datetime(2020, 11, 18, 16, 51, tzinfo=UTC)),
        ('"2020-11-18T16:51:00.123+05:30"', datetime(2020, 11, 18, 11, 21, 0, 123000, tzinfo=UTC)),
        ('"2020-11-18"', datetime(2020, 11, 18, tzinfo=UTC)),
    ],
    ids=[
        "Z",
        "plus-offset",
        "minus-offset",
        "naive-space",
        "naive-T",
        "date-only",
        "quoted-Z",
        "quoted-fraction",
        "quoted-date",
    ],
)
def test_dates_from_yaml_are_the_right_instant(write, yaml_value: str, expected: datetime) -> None:
    """Z, offsets, naive times (taken as UTC) and bare dates all give a timezone-aware instant."""
    article, problems = load_one(write, f"---\ntitle: T\npublishedDateTime: {yaml_value}\n---\n")
    assert problems == []
    assert article.published == expected
    assert article.published.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-20T06:46:00Z", datetime(2024, 2, 20, 6, 46, tzinfo=UTC)),
        ("2024-02-20T06:46:00+01:00", datetime(2024, 2, 20, 5, 46, tzinfo=UTC)),
        ("2024-02-20T06:46:00", datetime(2024, 2, 20, 6, 46, tzinfo=UTC)),
        ("2024-02-20", datetime(2024, 2, 20, tzinfo=UTC)),
        (" 2024-02-20T06:46:00Z ", datetime(2024, 2, 20, 6, 46, tzinfo=UTC)),
    ],
)
def test_dates_from_json_text(text: str, expected: datetime) -> None:
    """JSON dates are strings: the same forms give the same instants."""
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.utcoffset() is not None


def test_offset_is_kept_for_display() -> None:
    """The writer's offset is kept (same instant), so a local rendering can use it."""
    parsed = parse_datetime("2019-12-08T08:00:00-08:00")
    assert parsed.utcoffset() == timedelta(hours=-8)
    assert parsed == datetime(2019, 12, 8, 8, tzinfo=timezone(timedelta(hours=-8)))


@pytest.mark.parametrize("value", ["", "not a date", "18/11/2020", 20201118, [2020], None])
def test_unparseable_dates_give_none(value) -> None:
    """What is not a date is None (the normaliser then reports the field)."""
    assert parse_datetime(value) is None


# --- URLs ------------------------------------------------------------------------------------


def test_html_entity_in_image_url_is_decoded() -> None:
    """`&#038;` in image URLs (WordPress) becomes `&` so the image can be fetched."""
    article, _ = norm(
        {"title": "T", "images": [{"url": "https://e.com/i.jpg?w=1024&#038;h=446", "width": 1}]}
    )
    assert article.images[0].url == "https://e.com/i.jpg?w=1024&h=446"


def test_numeric_entities_in_link_urls_are_decoded() -> None:
    """Links the reader opens are decoded too (`&#038;`, `&#38;`)."""
    article, _ = norm({"title": "T", "webUrl": "https://e.com/a?x=1&#038;y=2&#38;z=3"})
    assert article.web_url == "https://e.com/a?x=1&y=2&z=3"


def test_bare_ampersands_in_urls_are_left_alone() -> None:
    """A query string's plain `&` (even `&copy=1`) is not mistaken for an entity."""
    article, _ = norm({"title": "T", "webUrl": "https://e.com/a?x=1&copy=2&y=3"})
    assert article.web_url == "https://e.com/a?x=1&copy=2&y=3"


def test_named_entities_in_link_urls_are_decoded() -> None:
    """`&amp;` in a link is decoded whether or not the URL has other oddities."""
    article, _ = norm(
        {
            "title": "T",
            "webUrl": "https://e.com/a?x=1&amp;y=2",
            "originalUrl": "https://e.com/a?x=1&amp;y=2&#038;z=3",
        }
    )
    assert article.original_url == "https://e.com/a?x=1&y=2&z=3"
    assert article.web_url == "https://e.com/a?x=1&y=2"


def test_spaces_in_urls_are_encoded() -> None:
    """A URL with spaces is opened as the encoded URL, trimmed."""
    article, _ = norm(
        {
            "title": "T",
            "webUrl": "  https://e.com/my story.html  ",
            "images": [{"url": "https://e.com/img/a photo.jpg"}],
        }
    )
    assert article.web_url == "https://e.com/my%20story.html"
    assert article.images[0].url == "https://e.com/img/a%20photo.jpg"


def test_control_characters_are_removed_from_urls() -> None:
    """A URL cannot smuggle terminal control sequences or bidi overrides."""
    article, _ = norm({"title": "T", "webUrl": "https://e.com/\x1b[31ma\u202eb\x07"})
    assert article.web_url == "https://e.com/[31mab"


# --- text repair and safety ------------------------------------------------------------------


def test_mojibake_title_is_repaired(write) -> None:
    """The corpus' 'detectivesâ€™' (UTF-8 read as cp1252) shows as 'detectives’'."""
    article, _ = load_one(write, '---\ntitle: "LAPD bars detectivesâ€™ use of Clearview AI"\n---\n')
    assert article.title == "LAPD bars detectives’ use of Clearview AI"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("LAPD bars detectivesâ€™ use", "LAPD bars detectives’ use"),
        ("CafÃ© culture", "Café culture"),
        ("â€œQuotedâ€\x9d", "“Quoted”"),
        ("Café culture", "Café culture"),  # correct Latin text is left alone
        ("naïve Bayes, São Paulo", "naïve Bayes, São Paulo"),
    ],
)
def test_mojibake_repair_leaves_correct_text_alone(raw: str, shown: str) -> None:
    """Only real mojibake is changed; genuine accented text is not 'repaired' into garbage."""
    article, _ = norm({"title": raw})
    assert article.title == shown


def test_entities_in_titles_are_decoded() -> None:
    """`AT&amp;T` shows as 'AT&T'."""
    article, _ = norm({"title": "AT&amp;T and &quot;AI&quot; &#8217;21", "excerpt": "a &lt; b"})
    assert article.title == 'AT&T and "AI" ’21'
    assert article.excerpt == "a < b"


def _invisible_or_control(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\u200d"]


@pytest.mark.parametrize(
    "title",
    [
        "Red \x1b[31malert\x1b[0m",
        "Clipboard \x1b]52;c;aGVsbG8=\x07 grab",
        "Bell\x07 and backspace\x08",
        "C1 CSI \x9b31m here",
        "Bidi \u202eevil\u202c and \u2066isolate\u2069",
        "Line\nbreak\r\nand\ttab",
    ],
)
def test_titles_never_carry_control_or_bidi_characters(title: str) -> None:
    """Hostile titles cannot drive the terminal or reorder text: controls are made visible
    (␛, ␇ …) or dropped; line breaks and tabs become spaces."""
    article, _ = norm({"title": title, "excerpt": title})
    for shown in (article.title, article.excerpt):
        assert _invisible_or_control(shown) == [], repr(shown)


def test_escape_is_made_visible_not_silently_dropped() -> None:
    """A user can see that something odd was in the title (␛ for ESC)."""
    article, _ = norm({"title": "Red \x1b[31malert"})
    assert article.title == "Red \u241b[31malert"


def test_bidi_overrides_are_dropped() -> None:
    """Bidi overrides (Trojan Source) are removed; the letters stay in stored order."""
    article, _ = norm({"title": "abc\u202edef\u202c ghi"})
    assert article.title == "abcdef ghi"


def test_body_keeps_its_lines_but_not_controls(write) -> None:
    """The Markdown body keeps newlines and tabs but loses escape sequences."""
    article, _ = load_one(write, "---\ntitle: T\n---\nline one\n\tindented\n\x1b[2Jcleared\n")
    assert article.content.splitlines() == ["line one", "\tindented", "\u241b[2Jcleared"]


def test_duplicate_topics_are_removed_in_order() -> None:
    """Topics repeated by the site (or after trimming) are listed once, first place kept."""
    article, problems = norm(
        {"title": "T", "topics": ["AI", "Machine Learning", "AI", " AI ", "Machine Learning"]}
    )
    assert article.topics == ("AI", "Machine Learning")
    assert problems == []


def test_whitespace_only_fields_count_as_missing() -> None:
    """A blank excerpt shows nothing rather than an empty line."""
    article, _ = norm({"title": "T", "excerpt": "   ", "type": ""})
    assert article.excerpt is None
    assert article.type is None
