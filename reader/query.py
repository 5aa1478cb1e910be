"""The query language of the search bar and `reader list --filter`, and the list's sort orders.

A query is terms joined by AND: bare words and "quoted phrases" (searched in title, excerpt,
provider and topics), `field:value` terms, and any of them negated with a leading `-`.
Matching ignores case and accents ("cafe" finds "Café"), so what a reader types finds what they
mean whatever the record's spelling. Parsing is separate from matching so the UI can parse on
every keystroke, show a `QueryError` inline and keep the last good result.

`SearchIndex` keeps one folded haystack per entry, built once, so filtering 20k entries is a
handful of C-speed substring tests per entry rather than re-reading and re-folding the records;
a query that narrows the previous one (the next keystroke) only searches what that one kept.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from reader.model import Entry

FIELDS = ("topic", "provider", "type", "category", "since", "until", "heat", "quality", "is")
SORT_KEYS = ("date", "heat", "quality", "title", "provider")

# Combining accents of Latin, Greek and Cyrillic text: dropped so "é" matches "e". Marks that
# carry meaning in other scripts (Japanese dakuten, Indic vowel signs) are left alone.
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SPACES = re.compile(r"\s+")
_FIELD = re.compile(r"([A-Za-z]+):")
_NUMBER = re.compile(r"(>=|<=|>|<|=)?\s*(-?\d+(?:\.\d+)?)")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_AGO = re.compile(r"(\d+)([hdwmy])", re.IGNORECASE)
_UNIT_HOURS = {"h": 1, "d": 24, "w": 7 * 24, "m": 30 * 24, "y": 365 * 24}
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
}
_IS = {"read": ("read", False), "unread": ("read", True)}
_IS |= {"starred": ("starred", False), "unstarred": ("starred", True)}
# Also keeps most haystacks one byte per character: a single "’" would make a string two.
# Pairs for str.replace, which is ~25x faster here than str.translate with a mapping.
_TYPOGRAPHY = (
    *((quote, "'") for quote in "\u2018\u2019\u201a\u201b\u2032"),
    *((quote, '"') for quote in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"),
    *((dash, "-") for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"),
)
_MISSING = math.nan  # compares false with everything: "no value never matches" comes for free
_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")


def fold(text: str) -> str:
    """Text as searching compares it: case and accents dropped, compatibility forms unified
    (full-width "ＡＩ" is "ai"), typographic quotes and dashes made ASCII ("don't" finds
    "don’t"), so query and record agree however either was typed."""
    if text.isascii():
        return text.lower()
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    for typographic, plain in _TYPOGRAPHY:
        if typographic in text:
            text = text.replace(typographic, plain)
    return unicodedata.normalize("NFC", text.casefold())


class QueryError(ValueError):
    """A query that cannot be understood: `message` is short enough to show inline in the search
    bar, and `position` (0-based, into the query text) is where the problem starts."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} (at column {self.position + 1})"


@dataclass(frozen=True, slots=True)
class Term:
    """One condition of a query, already resolved to what matching compares.

    `field` is "text" (word or phrase), "topic", "provider", "type", "category", "published"
    (since/until as a POSIX timestamp), "heat", "quality", "read" or "starred". `is:unread` is
    stored as a negated "read" term, so the key sets are the only state matching needs.
    """

    field: str
    value: str | float = ""
    op: str = "="
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: terms, all of which must hold. Two queries with the same terms are equal
    whatever their text ("ai" and "ai "), so the UI can skip re-filtering on a no-op keystroke."""

    terms: tuple[Term, ...] = ()
    text: str = field(default="", compare=False)

    @property
    def is_empty(self) -> bool:
        """Matches everything: no term at all (an empty or blank search)."""
        return not self.terms


def parse_query(text: str, *, now: datetime) -> Query:
    """Parse a query; `now` anchors relative dates (`since:7d`), so results are reproducible.

    Raises `QueryError` naming the problem and where it is. An empty or blank text is the
    query that matches everything.
    """
    terms: list[Term] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = text[i] == "-"
        if negated:
            i += 1
            if i == n or text[i].isspace():
                raise QueryError('"-" needs a term after it, e.g. -word', start)
        if text[i] == '"':
            phrase, i = _quoted(text, i)
            if not phrase.strip():
                raise QueryError("empty quotes", start)
            terms.append(Term("text", _SPACES.sub(" ", fold(phrase)), negated=negated))
            continue
        end = i
        while end < n and not text[end].isspace():
            end += 1
        word = text[i:end]
        named = _FIELD.match(word)
        if named is None or word[named.end() :].startswith("//"):  # `12:30`, `https://…`
            terms.append(Term("text", fold(word), negated=negated))
            i = end
            continue
        name = named.group(1).lower()
        if name not in FIELDS:
            raise QueryError(f'unknown field "{named.group(1)}" (known: {", ".join(FIELDS)})', i)
        value_at = i + named.end()
        if value_at < n and text[value_at] == '"':
            value, end = _quoted(text, value_at)
        else:
            value = text[value_at:end]
        terms.append(_field_term(name, value, negated, value_at, now))
        i = end
    return Query(tuple(terms), text)


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The string opened by the quote at `start` and the index after its closing quote.
    Inside, `\\"` is a quote and `\\\\` a backslash; any other backslash is itself."""
    chars: list[str] = []
    i, n = start + 1, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            return "".join(chars), i + 1
        if char == "\\" and i + 1 < n and text[i + 1] in '"\\':
            i += 1
            char = text[i]
        chars.append(char)
        i += 1
    raise QueryError("unclosed quote", start)


def _field_term(name: str, value: str, negated: bool, at: int, now: datetime) -> Term:
    if name in ("heat", "quality"):
        number = _NUMBER.fullmatch(value.strip())
        if number is None:
            example = "heat:>100" if name == "heat" else "quality:>=50"
            raise QueryError(f"{name} needs a number, e.g. {example}", at)
        return Term(name, float(number.group(2)), number.group(1) or "=", negated)
    if name in ("since", "until"):
        if not value.strip():
            raise QueryError(f"{name} needs a date, e.g. {name}:2021-03-04 or {name}:7d", at)
        return _date_term(name, value.strip(), negated, at, now)
    if name == "is":
        flag = _IS.get(value.strip().lower())
        if flag is None:
            raise QueryError("is: expected read, unread, starred or unstarred", at)
        return Term(flag[0], negated=flag[1] != negated)
    folded = _SPACES.sub(" ", fold(value)).strip()
    if not folded:
        raise QueryError(f"{name} needs a value, e.g. {name}:{_EXAMPLES[name]}", at)
    return Term(name, folded, negated=negated)


_EXAMPLES = {"topic": '"AI Ethics"', "provider": "reuters", "type": "article", "category": "news"}


def _date_term(name: str, value: str, negated: bool, at: int, now: datetime) -> Term:
    """since/until as a bound on the publication timestamp. A date is a local calendar day and
    both bounds include it whole; a relative age (7d) is a moment: now minus that age."""
    try:
        if day := _DATE.fullmatch(value):
            midnight = datetime(int(day[1]), int(day[2]), int(day[3]))  # naive = local time
            if name == "since":
                return Term("published", midnight.timestamp(), ">=", negated)
            return Term("published", (midnight + timedelta(days=1)).timestamp(), "<", negated)
        if age := _AGO.fullmatch(value):
            hours = int(age[1]) * _UNIT_HOURS[age[2].lower()]
            moment = (now - timedelta(hours=hours)).timestamp()
            return Term("published", moment, ">=" if name == "since" else "<=", negated)
    except (ValueError, OverflowError, OSError):
        pass
    raise QueryError(f'{name}: not a date: "{value}" (use YYYY-MM-DD or 7d, 2w)', at)


# Cheapest and most selective terms first: each one only looks at what the previous kept.
_RANK = {"topic": 0, "type": 0, "category": 0, "provider": 1, "text": 2, "heat": 3}
_RANK |= {"quality": 3, "published": 3, "read": 4, "starred": 4}


def _order(term: Term) -> tuple[int, int]:
    longest_first = -len(term.value) if isinstance(term.value, str) else 0
    return (_RANK[term.field] + 10 * term.negated, longest_first)


class SearchIndex:
    """What filtering needs of each entry, folded once: one haystack (title, excerpt, provider
    name and domain, topics, each padded with spaces and split by NULs so `"ai "` finds the word
    and no phrase spans two fields), topics, type, category, numbers and date.

    Columns (one list per attribute) rather than row objects: each term is one list
    comprehension over the rows the previous terms kept. Filtering remembers its last result
    (and the rows of the last tuple it was given) to make the next keystroke cheap; call `add`
    and `filter` from one thread (the UI's), as nothing here takes a lock.
    """

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._slot: dict[str, int] = {}
        self._slot_by_id: dict[int, int] = {}  # id() of each indexed Entry object
        self._entries: list[Entry] = []
        self._keys: list[str] = []
        self._hay: list[str] = []
        self._topics: list[frozenset[str]] = []
        self._provider: list[str] = []
        self._type: list[str] = []
        self._category: list[str] = []
        self._published: list[float] = []
        self._heat: list[float] = []
        self._quality: list[float] = []
        self._version = 0  # bumped by every add, so a remembered result is known to be current
        self._last: tuple[int, tuple[Term, ...], Sequence[int]] | None = None
        self._given: tuple[int, tuple[Entry, ...], list[int | None]] | None = None
        self.add(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> list[Entry]:
        """The indexed entries, in the order they were first added."""
        return self._entries[:]

    def add(self, entries: Iterable[Entry]) -> None:
        """Index entries as they stream in; an entry whose key is indexed replaces the old one
        in its place (a fuller copy of the same story)."""
        self._version += 1
        for entry in entries:
            slot = self._slot.get(entry.key)
            if slot is None:
                self._slot[entry.key] = len(self._entries)
                self._append(entry)
                continue
            for column, value in zip(self._columns(), _row(entry), strict=True):
                column[slot] = value
            del self._slot_by_id[id(self._entries[slot])]
            self._entries[slot] = entry
            self._slot_by_id[id(entry)] = slot

    def _append(self, entry: Entry) -> None:
        self._slot_by_id[id(entry)] = len(self._entries)
        for column, value in zip(self._columns(), _row(entry), strict=True):
            column.append(value)
        self._entries.append(entry)

    def _columns(self) -> tuple[list, ...]:
        return (
            self._keys,
            self._hay,
            self._topics,
            self._provider,
            self._type,
            self._category,
            self._published,
            self._heat,
            self._quality,
        )

    def filter(
        self,
        query: Query,
        read: AbstractSet[str],
        starred: AbstractSet[str],
        entries: Sequence[Entry] | None = None,
    ) -> list[Entry]:
        """The entries matching every term, in the order given (default: the index's own).

        Given entries that are not indexed (or whose indexed copy is another object) are
        matched on their own, so the result is right whatever the caller passes.
        """
        if entries is None:
            if query.is_empty:
                return self._entries[:]
            rows = self._match_all(query, read, starred)
            return [self._entries[i] for i in rows]
        if not isinstance(entries, Sequence):
            entries = list(entries)  # read twice below
        if query.is_empty:
            return list(entries)
        slots = self._slots_of(entries)
        if None in slots:
            return self._filter_with_strays(query, read, starred, entries, slots)
        # Reading the columns in index order walks memory in order, which beats following the
        # caller's (say, sorted by heat) order even when that means scanning every row.
        if 4 * len(slots) >= len(self._entries):
            kept = set(self._match_all(query, read, starred))
        else:
            candidates = sorted(set(slots))  # type: ignore[type-var]
            kept = set(self._match(query.terms, candidates, read, starred))
        return list(itertools.compress(entries, map(kept.__contains__, slots)))

    def _slots_of(self, entries: Sequence[Entry]) -> list[int | None]:
        """The index row of each given entry (None: not indexed), by object identity, since a
        stale copy of an indexed story is not what the index holds. Remembered for a tuple,
        which cannot change, so passing the same tuple on every keystroke maps it once."""
        given = self._given
        if given is not None and given[1] is entries and given[0] == self._version:
            return given[2]
        slots = list(map(self._slot_by_id.get, map(id, entries)))
        if type(entries) is tuple:
            self._given = (self._version, entries, slots)
        return slots

    def _filter_with_strays(
        self,
        query: Query,
        read: AbstractSet[str],
        starred: AbstractSet[str],
        entries: Sequence[Entry],
        slots: list[int | None],
    ) -> list[Entry]:
        """Given entries the index does not hold are indexed on the side (keys unmerged, so
        two copies of a story are both judged) and matched with the rest."""
        strays = SearchIndex()
        known: list[Entry] = []
        for entry, slot in zip(entries, slots, strict=True):
            if slot is None:
                strays._append(entry)
            else:
                known.append(entry)
        kept = set(map(id, self.filter(query, read, starred, known)))
        kept.update(map(id, strays.filter(query, read, starred)))
        return [entry for entry in entries if id(entry) in kept]

    def _match_all(
        self, query: Query, read: AbstractSet[str], starred: AbstractSet[str]
    ) -> Sequence[int]:
        """The matching rows of the whole index. Most keystrokes only narrow the query
        ("robo" to "robot", or one more word), so the previous result is remembered and, when
        the new query can only keep a subset of it, searched instead of every row. The read
        and starred sets change between calls, so `is:` terms are applied afresh each time."""
        marks = tuple(term for term in query.terms if term.field in ("read", "starred"))
        others = tuple(term for term in query.terms if term.field not in ("read", "starred"))
        rows: Sequence[int] = range(len(self._entries))
        last = self._last
        if last is not None and last[0] == self._version and _narrows(others, last[1]):
            rows = last[2]
        rows = self._match(others, rows, read, starred)
        self._last = (self._version, others, rows)
        return self._match(marks, rows, read, starred)

    def _match(
        self,
        terms: Iterable[Term],
        rows: Sequence[int],
        read: AbstractSet[str],
        starred: AbstractSet[str],
    ) -> Sequence[int]:
        kept = rows
        for term in sorted(terms, key=_order):
            if not kept:
                break
            kept = self._apply(term, kept, read, starred)
        return kept

    def _apply(
        self, term: Term, rows: Sequence[int], read: AbstractSet[str], starred: AbstractSet[str]
    ) -> list[int]:
        value = term.value
        if term.field == "text":  # the common case, written out for speed
            hay = self._hay
            if term.negated:
                return [i for i in rows if value not in hay[i]]
            return [i for i in rows if value in hay[i]]
        match term.field:
            case "topic":
                topics = self._topics
                found = [i for i in rows if value in topics[i]]
            case "provider":
                provider = self._provider
                found = [i for i in rows if value in provider[i]]
            case "type" | "category":
                column = self._type if term.field == "type" else self._category
                found = [i for i in rows if column[i] == value]
            case "read" | "starred":
                keys, marked = self._keys, read if term.field == "read" else starred
                found = [i for i in rows if keys[i] in marked]
            case _:  # heat, quality, published: NaN (no value) fails every comparison
                numbers = {"heat": self._heat, "quality": self._quality}.get(term.field)
                numbers = self._published if numbers is None else numbers
                compare = _COMPARE[term.op]
                found = [i for i in rows if compare(numbers[i], value)]
        if not term.negated:
            return found
        matched = set(found)
        return [i for i in rows if i not in matched]


def _narrows(terms: tuple[Term, ...], previous: tuple[Term, ...]) -> bool:
    """Whether every entry matching `terms` also matches `previous`: each earlier term is
    implied by a new one (the same term; a word extended, "robo" by "robot"; a negated word
    shortened, -"robots" by -"robot")."""
    return all(any(_implies(term, old) for term in terms) for old in previous)


def _implies(term: Term, old: Term) -> bool:
    if term == old:
        return True
    if term.field != "text" or old.field != "text" or term.negated != old.negated:
        return False
    if term.negated:
        return term.value in old.value  # type: ignore[operator]
    return old.value in term.value  # type: ignore[operator]


def _row(entry: Entry) -> tuple[object, ...]:
    """One entry's column values, in the order of `SearchIndex._columns`."""
    provider = entry.provider
    name = provider.name if provider and provider.name else ""
    domain = provider.domain if provider and provider.domain else ""
    fields = " \x00 ".join((entry.title, entry.excerpt or "", name, domain, *entry.topics))
    return (
        entry.key,
        " " + " ".join(fold(fields).split()) + " ",  # one fold per entry, not one per field
        _topic_set(entry.topics),
        _label(f"{name}\x00{domain}"),
        _label(entry.type) if entry.type else "",
        _label(entry.category) if entry.category else "",
        entry.published.timestamp() if entry.published else _MISSING,
        _MISSING if entry.heat is None else float(entry.heat),
        _MISSING if entry.quality is None else float(entry.quality),
    )


@functools.lru_cache(maxsize=4096)
def _topic_set(topics: tuple[str, ...]) -> frozenset[str]:
    """Folded topics; cached, as a collection has few distinct topic lists and each entry
    sharing one set saves both the folding and the memory."""
    return frozenset(_words(topic) for topic in topics)


def _words(text: str) -> str:
    """Folded, with runs of whitespace (line breaks, double spaces) made one space."""
    return " ".join(fold(text).split())


# Providers, types and categories repeat across thousands of entries: one string for each.
_label = functools.lru_cache(maxsize=8192)(_words)


def sort_entries(entries: Iterable[Entry], key: str, *, reverse: bool = False) -> list[Entry]:
    """Entries in one of the `SORT_KEYS` orders: date newest first, heat and quality highest
    first, title and provider A to Z (ignoring case, accents and leading punctuation).

    `reverse` flips the order of the entries that have a value; those without one stay last
    either way, since "no date" is never what a reader is looking for. Ties fall back to date
    (newest first), then title, then the given order, so every sort is deterministic.
    """
    if key not in SORT_KEYS:
        raise ValueError(f'unknown sort key "{key}" (known: {", ".join(SORT_KEYS)})')
    # Sorting positions by parallel lists of floats and strings, not rows of tuples: 100k live
    # tuples would set off the garbage collector, which then walks every object in memory.
    entries = list(entries)
    ages = [-entry.published.timestamp() if entry.published else math.inf for entry in entries]
    if key == "date":  # the age itself: ascending age is newest first
        values: list[Any] = [None if age == math.inf else age for age in ages]
    else:
        values = list(map(_SORT_VALUES[key], entries))
    has_value = list(map(operator.is_not, values, itertools.repeat(None)))
    present = list(itertools.compress(range(len(entries)), has_value))
    missing = list(itertools.compress(range(len(entries)), map(operator.not_, has_value)))
    present.sort(key=ages.__getitem__)  # stable sorts: date order survives among equal values
    if key != "date" or reverse:  # by date, the values are the ages: sorted already
        present.sort(key=values.__getitem__, reverse=(key in _DESCENDING) != reverse)
    missing.sort(key=ages.__getitem__)
    order = present + missing
    _by_title_within_ties(order, values, ages, entries)
    return [entries[i] for i in order]


_DESCENDING = ("heat", "quality")


def _by_title_within_ties(
    order: list[int], values: list[Any], ages: list[float], entries: list[Entry]
) -> None:
    """Runs of the same value and date put in title order, in place. Titles are folded only for
    ties, which are rare, so sorting 100k entries by date does not fold 100k titles."""
    ordered_values = [values[i] for i in order]
    ordered_ages = [ages[i] for i in order]
    same = map(
        operator.and_,
        map(operator.eq, ordered_values, ordered_values[1:]),
        map(operator.eq, ordered_ages, ordered_ages[1:]),
    )
    end = 0
    for start in itertools.compress(itertools.count(), same):  # first of two equal neighbours
        if start < end:
            continue  # inside a run already sorted
        end = start + 2
        while (
            end < len(order)
            and ordered_values[end] == ordered_values[start]
            and ordered_ages[end] == ordered_ages[start]
        ):
            end += 1
        order[start:end] = sorted(order[start:end], key=lambda i: _title_key(entries[i]))


def _sortable_text(text: str) -> str:
    """Folded, leading quotes and punctuation skipped (unless that is all there is), so
    '"Quoted" headline' sorts under Q and "Éclair" among the E's."""
    folded = fold(text).strip()
    return _LEADING_PUNCTUATION.sub("", folded) or folded


_sortable_name = functools.lru_cache(maxsize=4096)(_sortable_text)  # few providers, many rows


def _title_key(entry: Entry) -> str:
    return _sortable_text(entry.title)


def _title_value(entry: Entry) -> str | None:
    return _sortable_text(entry.title) if entry.title.strip() else None


def _provider_value(entry: Entry) -> str | None:
    name = entry.provider.name if entry.provider else ""
    return _sortable_name(name) if name and name.strip() else None


_SORT_VALUES: dict[str, Callable[[Entry], object]] = {
    "heat": operator.attrgetter("heat"),
    "quality": operator.attrgetter("quality"),
    "title": _title_value,
    "provider": _provider_value,
}
