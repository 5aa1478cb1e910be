"""The query language: what each term matches, how terms combine and negate, what a malformed
query says and where; and the search index that applies queries to a collection."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.model import Entry, Provider
from reader.query import QueryError, SearchIndex, parse_query

NOW = datetime(2021, 3, 10, 12, 0, tzinfo=UTC)


def entry(title: str, **fields) -> Entry:
    fields.setdefault("key", title)
    return Entry(title=title, source="test.md", **fields)


def titles(query: str, entries: Iterable[Entry], read=(), starred=()) -> list[str]:
    """The titles the query keeps, in the index's order."""
    index = SearchIndex(entries)
    found = index.filter(parse_query(query, now=NOW), set(read), set(starred))
    return [found_entry.title for found_entry in found]


def error(query: str) -> QueryError:
    with pytest.raises(QueryError) as raised:
        parse_query(query, now=NOW)
    return raised.value


# --- words and phrases ------------------------------------------------------------------------

STORIES = [
    entry(
        "Robots learn to fold laundry",
        excerpt="A lab shows a two-armed robot folding towels.",
        provider=Provider("Example News", "example.com"),
        topics=("Robotics", "AI"),
    ),
    entry(
        "Chip makers race to build AI accelerators",
        excerpt="Machine learning needs faster hardware.",
        provider=Provider("Reuters", "reuters.com"),
        topics=("AI Hardware", "Semiconductors"),
    ),
    entry(
        "Learning machine beats champion",
        excerpt="An old game falls to software.",
        provider=Provider("BBC News", "bbc.co.uk"),
        topics=("AI Ethics",),
    ),
]


@pytest.mark.parametrize("query", ["", "   ", "\t \n"])
def test_an_empty_or_blank_query_matches_everything_in_order(query: str) -> None:
    assert parse_query(query, now=NOW).is_empty
    assert titles(query, STORIES) == [story.title for story in STORIES]


def test_every_bare_word_must_occur() -> None:
    assert titles("learning", STORIES) == [STORIES[1].title, STORIES[2].title]
    assert titles("learning champion", STORIES) == [STORIES[2].title]
    assert titles("learning laundry", STORIES) == []


def test_a_word_is_a_case_insensitive_substring() -> None:
    assert titles("ROBOT", STORIES) == [STORIES[0].title]
    assert titles("accel", STORIES) == [STORIES[1].title]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("laundry", "Robots learn to fold laundry"),  # title
        ("towels", "Robots learn to fold laundry"),  # excerpt
        ("reuters", "Chip makers race to build AI accelerators"),  # provider name
        ("bbc.co.uk", "Learning machine beats champion"),  # provider domain
        ("semiconductors", "Chip makers race to build AI accelerators"),  # topic
    ],
)
def test_words_are_searched_in_title_excerpt_provider_and_topics(word: str, expected: str) -> None:
    assert titles(word, STORIES) == [expected]


def test_words_are_not_searched_in_type_category_or_key() -> None:
    stories = [entry("Plain", key="https://x.test/zebra", type="zebra", category="zebra")]
    assert titles("zebra", stories) == []


def test_a_quoted_phrase_is_one_substring() -> None:
    assert titles('"machine learning"', STORIES) == [STORIES[1].title]
    assert titles('"learning machine"', STORIES) == [STORIES[2].title]
    assert titles("machine learning", STORIES) == [STORIES[1].title, STORIES[2].title]


def test_a_phrase_does_not_span_two_fields() -> None:
    stories = [entry("Ends with machine", excerpt="learning starts the excerpt")]
    assert titles('"machine learning"', stories) == []
    assert titles("machine learning", stories) == ["Ends with machine"]


def test_a_phrase_ignores_how_the_record_spaces_its_words() -> None:
    stories = [entry("New  York\nTimes\tsays"), entry("New Yorker")]
    assert titles('"new york times"', stories) == ["New  York\nTimes\tsays"]


def test_spaces_inside_a_quoted_phrase_count_as_one() -> None:
    stories = [entry("New York Times"), entry("New Yorker")]
    assert titles('"new   york  times"', stories) == ["New York Times"]


def test_a_phrase_with_a_trailing_space_finds_a_whole_word() -> None:
    stories = [entry("AI beats humans"), entry("He said so"), entry("Trust in AI")]
    assert titles('" ai "', stories) == ["AI beats humans", "Trust in AI"]


def test_a_backslash_escapes_a_quote_or_a_backslash_inside_quotes() -> None:
    stories = [entry('The "big" one'), entry("The big one"), entry("C:\\path here")]
    assert titles(r'"the \"big\" one"', stories) == ['The "big" one']
    assert titles(r'"c:\\path"', stories) == ["C:\\path here"]
    assert titles(r'"c:\path"', stories) == ["C:\\path here"]  # other backslashes are literal


def test_a_quote_inside_a_word_is_a_literal_character() -> None:
    stories = [entry('A 12" screen'), entry("A 12 inch screen")]
    assert titles('12"', stories) == ['A 12" screen']


def test_typographic_quotes_and_dashes_match_their_ascii_forms() -> None:
    stories = [entry("Don’t panic — yet"), entry("Do panic")]
    assert titles("don't", stories) == ["Don’t panic — yet"]
    assert titles('"panic - yet"', stories) == ["Don’t panic — yet"]
    assert titles("don’t", stories) == ["Don’t panic — yet"]


def test_a_word_with_a_colon_but_no_field_name_is_a_word() -> None:
    stories = [entry("Launch at 12:30 today"), entry("Launch at 12 today")]
    assert titles("12:30", stories) == ["Launch at 12:30 today"]


def test_a_url_is_a_word_not_an_unknown_field() -> None:
    stories = [entry("Links", excerpt="Read https://example.com/paper first"), entry("None")]
    assert titles("https://example.com/paper", stories) == ["Links"]


# --- unicode ----------------------------------------------------------------------------------


def test_cjk_words_match_as_substrings() -> None:
    stories = [
        entry("人工知能が囲碁で勝つ", excerpt="研究者は驚いた"),
        entry("ロボットが洗濯物をたたむ"),
        entry("인공지능 뉴스"),
    ]
    assert titles("人工知能", stories) == ["人工知能が囲碁で勝つ"]
    assert titles("研究者", stories) == ["人工知能が囲碁で勝つ"]
    assert titles("ロボット 洗濯", stories) == ["ロボットが洗濯物をたたむ"]
    assert titles("인공지능", stories) == ["인공지능 뉴스"]
    assert titles("囲碁 洗濯", stories) == []


def test_japanese_voiced_marks_are_not_dropped_as_accents() -> None:
    stories = [entry("ガラス"), entry("カラス")]
    assert titles("ガラス", stories) == ["ガラス"]
    assert titles("ｶﾞﾗｽ", stories) == ["ガラス"]  # half-width katakana


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("CAFÉ", "Le café de Paris"),  # case of an accented letter
        ("cafe", "Le café de Paris"),  # accents ignored
        ("café", "Best cafe in town"),  # both ways
        ("arzte", "Ärzte warnen vor KI"),
        ("strasse", "Die Straße der KI"),  # ß folds to ss
        ("ａｉ", "AI wins"),  # full-width letters
        ("ελλαδα", "Η Ελλάδα και η ΤΝ"),
    ],
)
def test_matching_ignores_case_and_accents(query: str, title: str) -> None:
    stories = [entry(title), entry("Something else entirely")]
    assert titles(query, stories) == [title]


def test_decomposed_and_composed_accents_match() -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert titles(composed, [entry(f"Le {decomposed}")]) == [f"Le {decomposed}"]
    assert titles(decomposed, [entry(f"Le {composed}")]) == [f"Le {composed}"]


# --- fields -----------------------------------------------------------------------------------

TOPICAL = [
    entry("Plain AI", topics=("AI",)),
    entry("Ethics", topics=("AI Ethics",)),
    entry("Both", topics=("ai", "Robotics")),
    entry("Untagged"),
]


def test_topic_is_an_exact_case_insensitive_name() -> None:
    assert titles("topic:AI", TOPICAL) == ["Plain AI", "Both"]
    assert titles("topic:ai", TOPICAL) == ["Plain AI", "Both"]
    assert titles("topic:eth", TOPICAL) == []


def test_a_topic_with_spaces_is_quoted() -> None:
    assert titles('topic:"AI Ethics"', TOPICAL) == ["Ethics"]
    assert titles('topic:"ai  ethics"', TOPICAL) == ["Ethics"]
    assert titles("topic:Ethics", TOPICAL) == []


def test_a_quoted_topic_can_be_followed_by_more_terms() -> None:
    stories = [*TOPICAL, entry("Ethics of robots", topics=("AI Ethics",))]
    assert titles('topic:"AI Ethics" robots', stories) == ["Ethics of robots"]


def test_field_names_ignore_case() -> None:
    assert titles("TOPIC:ai", TOPICAL) == ["Plain AI", "Both"]
    assert titles("Topic:Robotics", TOPICAL) == ["Both"]


PROVIDED = [
    entry("One", provider=Provider("Reuters", "reuters.com")),
    entry("Two", provider=Provider("BBC News", "bbc.co.uk")),
    entry("Three", provider=Provider("Tech Blog")),
    entry("Four"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("provider:reuters", ["One"]),
        ("provider:REUT", ["One"]),
        ("provider:news", ["Two"]),
        ("provider:bbc.co", ["Two"]),  # the domain
        ('provider:"tech blog"', ["Three"]),
        ("provider:nowhere", []),
    ],
)
def test_provider_is_a_substring_of_its_name_or_domain(query: str, expected: list[str]) -> None:
    assert titles(query, PROVIDED) == expected


TYPED = [
    entry("Story", type="article", category="news"),
    entry("Clip", type="Video", category="News Roundup"),
    entry("Bare"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type:article", ["Story"]),
        ("type:VIDEO", ["Clip"]),
        ("type:art", []),  # exact, not a substring
        ("category:news", ["Story"]),
        ('category:"news roundup"', ["Clip"]),
        ("category:roundup", []),
    ],
)
def test_type_and_category_are_exact_and_case_insensitive(query: str, expected: list[str]) -> None:
    assert titles(query, TYPED) == expected


# --- numbers ----------------------------------------------------------------------------------

HEATED = [
    entry("Cold", heat=50, quality=10),
    entry("Warm", heat=100, quality=60),
    entry("Hot", heat=150, quality=90),
    entry("Unknown"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("heat:>100", ["Hot"]),
        ("heat:>=100", ["Warm", "Hot"]),
        ("heat:<100", ["Cold"]),
        ("heat:<=100", ["Cold", "Warm"]),
        ("heat:=100", ["Warm"]),
        ("heat:100", ["Warm"]),  # bare number means =
        ("heat:>-1", ["Cold", "Warm", "Hot"]),
        ("heat:>99.5", ["Warm", "Hot"]),
        ("quality:>=60", ["Warm", "Hot"]),
        ("quality:<60", ["Cold"]),
        ("quality:90", ["Hot"]),
    ],
)
def test_number_comparisons_never_match_a_missing_value(query: str, expected: list[str]) -> None:
    assert titles(query, HEATED) == expected


def test_number_ranges_combine() -> None:
    assert titles("heat:>=50 heat:<150", HEATED) == ["Cold", "Warm"]


# --- dates ------------------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


DAYS = [
    entry("Before", published=at("2021-03-03T23:59:59")),
    entry("Start", published=at("2021-03-04T00:00:00")),
    entry("End", published=at("2021-03-04T23:59:59")),
    entry("After", published=at("2021-03-05T00:00:00")),
    entry("Undated"),
]


def test_since_includes_the_whole_day() -> None:
    assert titles("since:2021-03-04", DAYS) == ["Start", "End", "After"]


def test_until_includes_the_whole_day() -> None:
    assert titles("until:2021-03-04", DAYS) == ["Before", "Start", "End"]


def test_since_and_until_the_same_day_is_that_day() -> None:
    assert titles("since:2021-03-04 until:2021-03-04", DAYS) == ["Start", "End"]
    assert titles("since:2021-3-4 until:2021-3-4", DAYS) == ["Start", "End"]


@pytest.fixture
def new_york_winter() -> Iterator[None]:
    """The local zone five hours behind UTC (a POSIX rule, so no tz database is needed)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "EST5"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("new_york_winter")
def test_dates_are_local_calendar_days() -> None:
    stories = [
        entry("Late on the 3rd there", published=at("2021-03-04T04:59:59")),
        entry("Early on the 4th there", published=at("2021-03-04T05:00:00")),
        entry("Late on the 4th there", published=at("2021-03-05T04:59:59")),
        entry("Early on the 5th there", published=at("2021-03-05T05:00:00")),
    ]
    assert titles("since:2021-03-04", stories) == [s.title for s in stories[1:]]
    assert titles("until:2021-03-04", stories) == [s.title for s in stories[:3]]


RECENT = [
    entry("Hours ago", published=NOW - timedelta(hours=3)),
    entry("Six days ago", published=NOW - timedelta(days=6, hours=23)),
    entry("Eight days ago", published=NOW - timedelta(days=7, hours=1)),
    entry("Twenty days ago", published=NOW - timedelta(days=20)),
    entry("Forty days ago", published=NOW - timedelta(days=40)),
    entry("Two years ago", published=NOW - timedelta(days=730)),
    entry("Undated"),
]
TITLES_RECENT = [story.title for story in RECENT]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("since:7d", ["Hours ago", "Six days ago"]),
        ("since:7D", ["Hours ago", "Six days ago"]),
        ("since:12h", ["Hours ago"]),
        ("since:2w", ["Hours ago", "Six days ago", "Eight days ago"]),
        ("since:1m", ["Hours ago", "Six days ago", "Eight days ago", "Twenty days ago"]),
        ("since:1y", [t for t in TITLES_RECENT if t not in ("Two years ago", "Undated")]),
        ("until:7d", ["Eight days ago", "Twenty days ago", "Forty days ago", "Two years ago"]),
        ("until:1y", ["Two years ago"]),
        ("since:1m until:7d", ["Eight days ago", "Twenty days ago"]),
    ],
)
def test_relative_dates_count_back_from_now(query: str, expected: list[str]) -> None:
    assert titles(query, RECENT) == expected


@pytest.mark.parametrize(
    ("query", "inside", "outside"),
    [
        ("since:1m", timedelta(days=29, hours=23), timedelta(days=30, hours=1)),
        ("since:1y", timedelta(days=364, hours=23), timedelta(days=365, hours=1)),
        ("since:3w", timedelta(days=20, hours=23), timedelta(days=21, hours=1)),
        ("since:36h", timedelta(hours=35), timedelta(hours=37)),
    ],
)
def test_a_month_is_30_days_and_a_year_365(
    query: str, inside: timedelta, outside: timedelta
) -> None:
    stories = [entry("Inside", published=NOW - inside), entry("Outside", published=NOW - outside)]
    assert titles(query, stories) == ["Inside"]


def test_a_relative_bound_is_inclusive() -> None:
    exactly = [entry("Exactly a week", published=NOW - timedelta(days=7))]
    assert titles("since:7d", exactly) == ["Exactly a week"]
    assert titles("until:7d", exactly) == ["Exactly a week"]


def test_undated_entries_never_match_a_date_bound() -> None:
    assert "Undated" not in titles("since:2000-01-01", DAYS)
    assert "Undated" not in titles("until:2100-01-01", DAYS)


# --- read and starred -------------------------------------------------------------------------

MARKED = [entry("A"), entry("B"), entry("C"), entry("D")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is:read", ["A", "B"]),
        ("is:unread", ["C", "D"]),
        ("is:starred", ["B", "C"]),
        ("is:unstarred", ["A", "D"]),
        ("IS:Read", ["A", "B"]),
        ("is:read is:starred", ["B"]),
        ("is:unread is:unstarred", ["D"]),
        ("-is:read", ["C", "D"]),
        ("-is:unread", ["A", "B"]),
        ("-is:starred", ["A", "D"]),
        ("-is:unstarred", ["B", "C"]),
    ],
)
def test_is_uses_the_read_and_starred_keys(query: str, expected: list[str]) -> None:
    assert titles(query, MARKED, read={"A", "B"}, starred={"B", "C"}) == expected


def test_is_sees_the_key_sets_of_each_call() -> None:
    index = SearchIndex(MARKED)
    unread = parse_query("is:unread", now=NOW)
    assert [e.title for e in index.filter(unread, set(), set())] == ["A", "B", "C", "D"]
    assert [e.title for e in index.filter(unread, {"A", "D"}, set())] == ["B", "C"]


# --- negation and combination -----------------------------------------------------------------


ROBOTS, CHIPS, GAME = (story.title for story in STORIES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("-laundry", [CHIPS, GAME]),
        ('-"machine learning"', [ROBOTS, GAME]),
        ("-topic:AI", [CHIPS, GAME]),
        ('-topic:"AI Ethics"', [ROBOTS, CHIPS]),
        ("-provider:news", [CHIPS]),
        ("-learning -robot", []),
        ("learning -champion", [CHIPS]),
    ],
)
def test_a_minus_negates_words_phrases_and_fields(query: str, expected: list[str]) -> None:
    assert titles(query, STORIES) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("-type:article", ["Clip", "Bare"]),
        ("-category:news", ["Clip", "Bare"]),
    ],
)
def test_negated_exact_fields_keep_entries_without_the_field(
    query: str, expected: list[str]
) -> None:
    assert titles(query, TYPED) == expected


def test_a_negated_comparison_is_the_plain_opposite_so_missing_values_match() -> None:
    assert titles("-heat:>100", HEATED) == ["Cold", "Warm", "Unknown"]
    assert titles("-quality:<=60", HEATED) == ["Hot", "Unknown"]
    assert titles("-since:2021-03-04", DAYS) == ["Before", "Undated"]
    assert titles("-until:2021-03-04", DAYS) == ["After", "Undated"]


def test_a_minus_inside_a_word_is_part_of_it() -> None:
    stories = [entry("Open-source model"), entry("Open model, source code")]
    assert titles("open-source", stories) == ["Open-source model"]
    assert titles("--source", [entry("a --source flag"), entry("source")]) == ["source"]


def test_terms_of_every_kind_combine_with_and() -> None:
    stories = [
        entry("Match", key="m", heat=120, topics=("AI",), published=NOW - timedelta(days=1)),
        entry("Too cold", key="c", heat=80, topics=("AI",), published=NOW - timedelta(days=1)),
        entry("Off topic", key="t", heat=120, topics=("Cars",), published=NOW - timedelta(days=1)),
        entry("Too old", key="o", heat=120, topics=("AI",), published=NOW - timedelta(days=30)),
        entry("Already read", key="r", heat=120, topics=("AI",), published=NOW),
        entry("Match but", key="b", heat=120, topics=("AI",), published=NOW),
    ]
    query = "topic:ai heat:>100 since:7d is:unread -but"
    assert titles(query, stories, read={"r"}) == ["Match"]


# --- errors -----------------------------------------------------------------------------------

KNOWN = "topic, provider, type, category, since, until, heat, quality, is"


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ('"abc', "unclosed quote", 0),
        ('ai "abc', "unclosed quote", 3),
        ('ai -"abc', "unclosed quote", 4),
        ('"abc\\"', "unclosed quote", 0),  # the escaped quote does not close it
        ('topic:"AI Ethics', "unclosed quote", 6),
        ("heat:abc", "heat needs a number, e.g. heat:>100", 5),
        ("heat:>", "heat needs a number, e.g. heat:>100", 5),
        ("ai heat:", "heat needs a number, e.g. heat:>100", 8),
        ("quality:>=high", "quality needs a number, e.g. quality:>=50", 8),
        ("foo:bar", f'unknown field "foo" (known: {KNOWN})', 0),
        ("ai -Foo:bar", f'unknown field "Foo" (known: {KNOWN})', 4),
        ("note:", f'unknown field "note" (known: {KNOWN})', 0),
        ("since:yesterday", 'since: not a date: "yesterday" (use YYYY-MM-DD or 7d, 2w)', 6),
        ("until:2021-02-30", 'until: not a date: "2021-02-30" (use YYYY-MM-DD or 7d, 2w)', 6),
        ("since:7x", 'since: not a date: "7x" (use YYYY-MM-DD or 7d, 2w)', 6),
        ("since:99999999999y", 'since: not a date: "99999999999y" (use YYYY-MM-DD or 7d, 2w)', 6),
        ("since:", "since needs a date, e.g. since:2021-03-04 or since:7d", 6),
        ("is:new", "is: expected read, unread, starred or unstarred", 3),
        ("topic:", 'topic needs a value, e.g. topic:"AI Ethics"', 6),
        ('topic:""', 'topic needs a value, e.g. topic:"AI Ethics"', 6),
        ("provider:", "provider needs a value, e.g. provider:reuters", 9),
        ("ai -", '"-" needs a term after it, e.g. -word', 3),
        ("- ai", '"-" needs a term after it, e.g. -word', 0),
        ('""', "empty quotes", 0),
        ('ai -"  "', "empty quotes", 3),
    ],
)
def test_a_malformed_query_says_what_and_where(query: str, message: str, position: int) -> None:
    problem = error(query)
    assert (problem.message, problem.position) == (message, position)


def test_a_query_error_is_a_value_error_that_reads_well() -> None:
    problem = error("heat:lots")
    assert isinstance(problem, ValueError)
    assert str(problem) == "heat needs a number, e.g. heat:>100 (at column 6)"


@given(st.text(alphabet=st.sampled_from(list('ab :"\\-<>=7dtopic heat since is 人é'))))
def test_any_text_either_parses_or_raises_a_query_error(text: str) -> None:
    try:
        query = parse_query(text, now=NOW)
    except QueryError as problem:
        assert 0 <= problem.position <= len(text)
    else:
        SearchIndex(STORIES).filter(query, set(), set())


def test_queries_with_the_same_terms_are_equal_whatever_the_spacing() -> None:
    assert parse_query("ai  robots ", now=NOW) == parse_query("ai robots", now=NOW)
    assert parse_query("ai robots", now=NOW) != parse_query("robots", now=NOW)
    assert parse_query("ai  robots ", now=NOW).text == "ai  robots "


# --- the index --------------------------------------------------------------------------------


def test_entries_can_stream_into_the_index() -> None:
    index = SearchIndex()
    query = parse_query("learning", now=NOW)
    assert index.filter(query, set(), set()) == []
    index.add(STORIES[:2])
    assert [e.title for e in index.filter(query, set(), set())] == [STORIES[1].title]
    index.add(iter(STORIES[2:]))
    assert len(index) == 3
    assert index.filter(query, set(), set()) == [STORIES[1], STORIES[2]]


def test_an_entry_with_a_known_key_replaces_the_old_one_in_place() -> None:
    index = SearchIndex([entry("First", key="a"), entry("Old title", key="b"), entry("Last")])
    newer = entry("New title", key="b", heat=300)
    index.add([newer])
    assert len(index) == 3
    assert [e.title for e in index.entries] == ["First", "New title", "Last"]
    assert index.filter(parse_query("old", now=NOW), set(), set()) == []
    assert index.filter(parse_query("title heat:>200", now=NOW), set(), set()) == [newer]


def test_given_entries_keep_their_order() -> None:
    index = SearchIndex(STORIES)
    backwards = STORIES[::-1]
    found = index.filter(parse_query("learning", now=NOW), set(), set(), backwards)
    assert found == [STORIES[2], STORIES[1]]


def test_given_entries_limit_the_result() -> None:
    index = SearchIndex(STORIES)
    found = index.filter(parse_query("learning", now=NOW), set(), set(), STORIES[:2])
    assert found == [STORIES[1]]
    assert index.filter(parse_query("", now=NOW), set(), set(), STORIES[:1]) == STORIES[:1]


def test_given_entries_the_index_does_not_hold_are_matched_too() -> None:
    index = SearchIndex(STORIES[:1])
    stray = entry("Stray robot", key="s")
    stale = entry("Robots learn to fold laundry", key=STORIES[0].key, excerpt="nothing else")
    twin = entry("Stray robot twin", key="s")
    given_entries = [stray, STORIES[0], STORIES[1], stale, twin]
    found = index.filter(parse_query("robot", now=NOW), set(), set(), given_entries)
    assert found == [stray, STORIES[0], stale, twin]
    towels = index.filter(parse_query("towels", now=NOW), set(), set(), given_entries)
    assert towels == [STORIES[0]]  # the stale copy is judged on its own excerpt


def test_filtering_a_large_shuffled_list_agrees_with_the_index_order() -> None:
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "robot", "chip"]
    many = [
        entry(" ".join(rng.choices(words, k=4)), key=str(i), heat=rng.choice([None, 10, 200]))
        for i in range(500)
    ]
    index = SearchIndex(many)
    query = parse_query("robot -chip heat:>50", now=NOW)
    expected = index.filter(query, set(), set())
    shuffled = many[:]
    rng.shuffle(shuffled)
    found = index.filter(query, set(), set(), shuffled)
    assert 0 < len(found) < len(many)
    assert found == [e for e in shuffled if e in expected]
    subset = shuffled[:40]
    assert index.filter(query, set(), set(), subset) == [e for e in subset if e in expected]


def _typed(text: str) -> list[str]:
    """Every prefix of `text`, as typed one character at a time, then backspaced away."""
    prefixes = [text[:end] for end in range(1, len(text) + 1)]
    return prefixes + prefixes[::-1]


def test_search_as_you_type_agrees_with_a_fresh_search_at_every_keystroke() -> None:
    rng = random.Random(3)
    words = ["robot", "robots", "robotic", "chip", "chips", "learning", "deep", "ai"]
    many = [
        entry(" ".join(rng.choices(words, k=3)), key=str(i), heat=rng.choice([None, 10, 200]))
        for i in range(300)
    ]
    index = SearchIndex(many)
    read = {str(i) for i in range(0, 300, 2)}
    backwards = tuple(many[::-1])
    edits = ["robot", "-robot", "-robots", "robots", "robot", "-robot chips", "chips -robot"]
    for text in [*_typed('robots -chips "deep learning" heat:>50 is:unread -robotic'), *edits]:
        try:
            query = parse_query(text, now=NOW)
        except QueryError:
            continue
        fresh = SearchIndex(many).filter(query, read, set())
        assert index.filter(query, read, set()) == fresh, text
        assert index.filter(query, read, set(), many[::-1]) == fresh[::-1], text
        assert index.filter(query, read, set(), backwards) == fresh[::-1], text


def test_a_search_after_adding_entries_sees_them() -> None:
    index = SearchIndex([entry("robot one")])
    assert len(index.filter(parse_query("robo", now=NOW), set(), set())) == 1
    index.add([entry("robot two")])
    found = index.filter(parse_query("robot", now=NOW), set(), set())
    assert [e.title for e in found] == ["robot one", "robot two"]


def test_a_narrower_search_sees_the_current_read_keys() -> None:
    index = SearchIndex([entry("robot one"), entry("robot two")])
    assert len(index.filter(parse_query("robo is:unread", now=NOW), set(), set())) == 2
    found = index.filter(parse_query("robot is:unread", now=NOW), {"robot one"}, set())
    assert [e.title for e in found] == ["robot two"]


def test_a_given_tuple_is_remapped_after_the_index_changes() -> None:
    old, other = entry("robot old", key="a"), entry("robot other", key="b")
    index = SearchIndex([old, other])
    shown = (other, old)
    query = parse_query("robot", now=NOW)
    assert index.filter(query, set(), set(), shown) == [other, old]
    newer = entry("chips now", key="a")
    index.add([newer])
    assert index.filter(query, set(), set(), shown) == [other, old]  # the old copy, judged alone
    assert index.filter(query, set(), set(), (other, newer)) == [other]
    assert index.filter(parse_query("chips", now=NOW), set(), set(), shown) == []
