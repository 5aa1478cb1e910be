"""Sorting the list: each key's natural direction, missing values always last, reverse flipping
only what has a value, and ties broken the same way whatever order the entries came in."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest

from reader.model import Entry, Provider
from reader.query import SORT_KEYS, sort_entries

NOW = datetime(2021, 3, 10, 12, 0, tzinfo=UTC)


def entry(title: str, **fields) -> Entry:
    fields.setdefault("key", title)
    return Entry(title=title, source="test.md", **fields)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def titles(entries: list[Entry], key: str, *, reverse: bool = False) -> list[str]:
    return [e.title for e in sort_entries(entries, key, reverse=reverse)]


DATED = [
    entry("Middle", published=days_ago(2)),
    entry("Undated b"),
    entry("Newest", published=days_ago(0)),
    entry("Undated a"),
    entry("Oldest", published=days_ago(9)),
]


def test_date_is_newest_first_with_undated_last_by_title() -> None:
    assert titles(DATED, "date") == ["Newest", "Middle", "Oldest", "Undated a", "Undated b"]


def test_reversed_date_is_oldest_first_and_undated_stay_last() -> None:
    expected = ["Oldest", "Middle", "Newest", "Undated a", "Undated b"]
    assert titles(DATED, "date", reverse=True) == expected


def test_date_compares_moments_across_time_zones() -> None:
    tokyo = datetime(2021, 3, 10, 20, 0, tzinfo=UTC).astimezone(timezone(timedelta(hours=9)))
    stories = [
        entry("Tokyo 20:00 UTC", published=tokyo),
        entry("UTC 21:00", published=datetime(2021, 3, 10, 21, 0, tzinfo=UTC)),
    ]
    assert titles(stories, "date") == ["UTC 21:00", "Tokyo 20:00 UTC"]


@pytest.mark.parametrize("key", ["heat", "quality"])
def test_numbers_are_highest_first_with_missing_last(key: str) -> None:
    stories = [
        entry("Low", **{key: 5}),
        entry("None"),
        entry("High", **{key: 90}),
        entry("Zero", **{key: 0}),
    ]
    assert titles(stories, key) == ["High", "Low", "Zero", "None"]
    assert titles(stories, key, reverse=True) == ["Zero", "Low", "High", "None"]


def test_equal_numbers_fall_back_to_newest_first_then_title() -> None:
    stories = [
        entry("Old", heat=50, published=days_ago(5)),
        entry("B same moment", heat=50, published=days_ago(1)),
        entry("Hot", heat=99, published=days_ago(30)),
        entry("A same moment", heat=50, published=days_ago(1)),
        entry("Undated", heat=50),
    ]
    expected_ties = ["A same moment", "B same moment", "Old", "Undated"]
    assert titles(stories, "heat") == ["Hot", *expected_ties]
    # reverse flips the heat order, not the tie-break
    assert titles(stories, "heat", reverse=True) == [*expected_ties, "Hot"]


def test_missing_numbers_are_ordered_newest_first_then_title() -> None:
    stories = [
        entry("b", published=days_ago(1)),
        entry("Hot", heat=1),
        entry("c", published=days_ago(0)),
        entry("a", published=days_ago(1)),
    ]
    assert titles(stories, "heat") == ["Hot", "c", "a", "b"]
    assert titles(stories, "heat", reverse=True) == ["Hot", "c", "a", "b"]


TITLED = [
    entry("banana"),
    entry("Éclair"),
    entry("apple"),
    entry("“Quoted” headline"),
    entry("Cherry"),
    entry(""),
    entry("Date"),
    entry("Fig"),
]


def test_title_is_a_to_z_ignoring_case_accents_and_leading_quotes() -> None:
    expected = ["apple", "banana", "Cherry", "Date", "Éclair", "Fig", "“Quoted” headline", ""]
    assert titles(TITLED, "title") == expected


def test_reversed_title_is_z_to_a_with_empty_titles_last() -> None:
    expected = ["“Quoted” headline", "Fig", "Éclair", "Date", "Cherry", "banana", "apple", ""]
    assert titles(TITLED, "title", reverse=True) == expected


def test_same_titles_fall_back_to_newest_first() -> None:
    stories = [
        entry("Same", key="old", published=days_ago(3)),
        entry("same", key="new", published=days_ago(1)),
        entry("Other"),
    ]
    assert [e.key for e in sort_entries(stories, "title")] == ["Other", "new", "old"]


def test_a_title_of_only_punctuation_still_sorts() -> None:
    stories = [entry("b"), entry("?!"), entry("a")]
    assert titles(stories, "title") == ["?!", "a", "b"]


PROVIDED = [
    entry("From Zeta", provider=Provider("zeta wire")),
    entry("Nobody"),
    entry("From Alpha", provider=Provider("Alpha News", "alpha.example")),
    entry("Blank name", provider=Provider("  ")),
    entry("From Ümlaut", provider=Provider("Ümlaut Post")),
    entry("Also Alpha", provider=Provider("alpha news"), published=days_ago(1)),
]


def test_provider_is_a_to_z_with_no_provider_last() -> None:
    expected = ["Also Alpha", "From Alpha", "From Ümlaut", "From Zeta", "Blank name", "Nobody"]
    assert titles(PROVIDED, "provider") == expected


def test_reversed_provider_is_z_to_a_with_no_provider_still_last() -> None:
    expected = ["From Zeta", "From Ümlaut", "Also Alpha", "From Alpha", "Blank name", "Nobody"]
    assert titles(PROVIDED, "provider", reverse=True) == expected


MIXED = [
    entry("Alpha", heat=10, quality=5, published=days_ago(1), provider=Provider("P")),
    entry("Beta", heat=10, quality=5, published=days_ago(1), provider=Provider("P")),
    entry("Gamma", heat=10, quality=5, published=days_ago(1), provider=Provider("P")),
    entry("Delta", heat=10, quality=5, provider=Provider("P")),
    entry("Epsilon"),
    entry("Zeta", heat=20, published=days_ago(2)),
]


@pytest.mark.parametrize("key", SORT_KEYS)
@pytest.mark.parametrize("reverse", [False, True])
def test_every_order_of_input_sorts_the_same(key: str, reverse: bool) -> None:
    expected = sort_entries(MIXED, key, reverse=reverse)
    for permutation in itertools.permutations(MIXED):
        assert sort_entries(permutation, key, reverse=reverse) == expected


def test_sorting_returns_a_new_list_and_leaves_the_input_alone() -> None:
    stories = list(DATED)
    result = sort_entries(stories, "date")
    assert stories == DATED
    assert result is not stories
    assert sort_entries(iter(DATED), "date") == result
    assert sort_entries([], "title") == []


def test_an_unknown_sort_key_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r'unknown sort key "size" \(known: date, heat, quality'):
        sort_entries(DATED, "size")
