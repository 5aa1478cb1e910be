"""The quick front matter reader (`load_plain`) may decline any text (None: libyaml reads it), but
what it does return must be exactly what the record loader builds from the same text: the same
types all the way down, keys in the same order, datetimes in the same zone. It is checked against
libyaml on the real corpus, on a generated collection, on mutated records and on edge cases."""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from reader.parsing import ParseError, frontmatter
from reader.parsing.frontmatter import load_yaml, split_front_matter
from reader.parsing.plainyaml import MAX_DEPTH, load_plain
from tests.conftest import SHARED_CORPUS, needs_corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = SHARED_CORPUS.parent  # every collection of the shared corpus
NEWS_FOLDERS = ("_news", "_archive/_news")
GENERATED = 300
SEEDS = (1, 2, 3)
MUTANTS = 3000  # per seed

# Values that sit on the edges of the shape load_plain reads, or of YAML 1.1's typing.
TRICKY = [
    *("word", "two words", "0", "00", "007", "-1", "+1", "1_000", "0x1F", "0b101", "0o7"),
    *("1:20", "1.5", ".inf", ".NaN", "yes", "No", "ON", "off", "y", "n", "~", "null", "NULL"),
    *("Null", "2019-02-30", "2019-12-23", "2019-12-23 06:55:00", "2019-12-23T06:55:00+05:30"),
    *("2019-12-23T06:55:00.123456789Z", "2019-12-23t06:55:00z", "2019-1-2T3:04:05Z"),
    *("a: b", "a #b", "a#b", "C#", "[x]", "{x}", "x, y", "[]", "{}", "[ ]", "-x", "- x", "-"),
    *("?x", "? x", ":x", "x:", "x:y", "'q'", "'it''s'", "'a' b", '"esc \\" q"', '"\\u00e9"'),
    *('"\\x41"', '"\\ud83d"', '"\\U0001F600"', '"tab\\there"', '"a\\/b"', '"\\\\"', '"bad \\q"'),
    *('"\\0"', '"\\ "', '"open', "'open", '"a" "b"', '""', "''", "ünïcödé ✓", "emoji 😀"),
    *("&a x", "*a", "!!str x", "!!int 3", "|", ">", "%x", "@x", "`x", "=", "<<", "-0", "1e3"),
    *("123456789012345678901234567890", "1.0e+3", "12:30:45", "true", "True", "FALSE"),
    *("x \u0085 y", "\ufeffx", "\x07bell", "x   ", "https://a.b/c?d=e&f#g", "a: ", "#", "x #"),
    *("%", "0.", "._", "-.5"),
    # Escapes of characters libyaml treats apart, non-breaking and joining spaces, line breaks.
    *('"\\u0007"', '"\\u0085"', '"\\u2028"', '"\\ufeff"', '"\\uD800"', "a\xa0b", '"a\xa0b"'),
    *("a\u200db", '"\\u00"', "x\x85y", "x\u2028y", "a\tb", "a\rb", "--", "-1", "key:"),
    *("'a''b'", "'a'b'", '"a"b"', "2019-12-23T06:55:00Z", "2019-13-45T06:55:00Z", "2019-02-29"),
    *("1_0", "0x10", "1:30", "0o17", "+5", "1.0", "1e5", "Yes", "oN", "nULL"),
]
KEYS = ["title", "yes", "null", "on", "2019", "a-b", "a b", "_x", "X1", "<<", "'q'", '"k"']
KEYS += ["k" * 300, "y", "N", "~", "true"]
# Lines inserted before a line, at its indentation (their own leading spaces are added to it).
INSERTED = [
    [""],
    ["   "],
    ["# c"],
    ["  # c"],
    ["  cont"],
    ["- x"],
    ["-"],
    ["k:"],
    ["\tk: v"],
    ["k:", "\t- x"],
    ["k: [ ]"],
    ["k: []"],
    ["k: {}"],
    ["k: &a x"],
    ["k: *a"],
    ["k: !!str x"],
    ["k: |", "  a block"],
    ["k: >", "  a folded block"],
    ["k: a plain", "  scalar continued"],
    ['k: "a quoted', '  scalar continued"'],
    ["k:", "- x", "- y"],
    ["? complex key"],
    ["? complex key", ": v"],
    ["<<: *a"],
    ["base: &a", "  x: 1", "more:", "  <<: *a", "  y: 2"],
]
SUFFIXES = [" #c", "  ", " ", ":", " x", "\t"]
OPS = ("value",) * 3 + ("item", "indent", "insert", "insert", "duplicate", "delete", "key")
OPS += ("suffix", "spaced", "indentless", "document")


def difference(a: Any, b: Any, at: str = "root") -> str | None:
    """Where `a` and `b` first differ, None if they are the same: equal, with the same types
    throughout (True is not 1), keys in the same order and datetimes in the same zone."""
    if type(a) is not type(b):
        return f"{at}: {a!r} vs {b!r}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{at}: keys {list(a)} vs {list(b)}"
        inner = (difference(a[key], b[key], f"{at}.{key}") for key in a)
    elif isinstance(a, list):
        if len(a) != len(b):
            return f"{at}: {len(a)} items vs {len(b)}"
        inner = (difference(x, y, f"{at}[{i}]") for i, (x, y) in enumerate(zip(a, b, strict=True)))
    elif a != b or (
        isinstance(a, datetime) and (a.tzinfo, a.utcoffset()) != (b.tzinfo, b.utcoffset())
    ):
        return f"{at}: {a!r} vs {b!r}"
    else:
        return None
    return next((found for found in inner if found), None)


@pytest.fixture(autouse=True)
def _reference_is_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_yaml tries load_plain first: without it, load_yaml is the reference."""
    monkeypatch.setattr(frontmatter, "load_plain", lambda text: None)


def reference(text: str) -> tuple[Any, list[str]]:
    """What the record loader (libyaml) builds from `text`, and the notes it adds."""
    notes: list[str] = []
    return load_yaml(text, notes), notes


def disagreement(text: str) -> str | None:
    """What is wrong with load_plain's answer for `text`; None if it declined or is right."""
    fast = load_plain(text)
    if fast is None:
        return None
    try:
        slow, notes = reference(text)
    except ParseError as error:
        slow, notes = f"ParseError: {error}", []
    found = f"notes {notes}" if notes else difference(fast, slow)
    if found:
        return f"text: {text!r}\ndiffers at {found}\nload_plain: {fast!r}\nlibyaml: {slow!r}"
    return None


def is_news(path: Path) -> bool:
    """A news record of the corpus: the shape the quick reader is made for."""
    return any(path.parent == SHARED_CORPUS / folder for folder in NEWS_FOLDERS)


@pytest.fixture(scope="module")
def corpus_fronts() -> dict[Path, str]:
    """The front matter of every Markdown file of the shared corpus that has one."""
    fronts = {}
    for path in sorted(CORPUS.rglob("*.md")):
        try:
            fronts[path] = split_front_matter(path.read_text(encoding="utf-8"))[0]
        except ParseError:
            continue  # a README
    return fronts


@pytest.fixture(scope="module")
def generated_fronts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The front matter of a generated collection in the shape of the site's news records."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    paths = generate(GENERATED, tmp_path_factory.mktemp("generated"))
    return [split_front_matter(path.read_text(encoding="utf-8"))[0] for path in paths]


def test_reference_skips_the_quick_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons prove nothing if load_yaml still took the quick path."""
    asked: list[str] = []
    monkeypatch.setattr(frontmatter, "load_plain", lambda text: asked.append(text))
    assert reference("a: 1.5") == ({"a": 1.5}, [])
    assert asked == ["a: 1.5"]


# --- real and generated records ----------------------------------------------------------------


@needs_corpus()
def test_corpus_reads_as_libyaml_reads_it(corpus_fronts: dict[Path, str]) -> None:
    """Every record of the corpus (news, companies, events, learning) is read alike or declined."""
    assert len(corpus_fronts) > 300
    wrong = [
        f"{path}\n{why}" for path, front in corpus_fronts.items() if (why := disagreement(front))
    ]
    assert not wrong, "\n\n".join(wrong[:3])


@needs_corpus()
def test_news_records_take_the_quick_path(corpus_fronts: dict[Path, str]) -> None:
    """News records are what the quick reader is for: none of them is left to libyaml."""
    news = [path for path in corpus_fronts if is_news(path)]
    assert len(news) > 300
    declined = [path for path in news if load_plain(corpus_fronts[path]) is None]
    assert not declined, f"{len(declined)} news records declined, e.g. {declined[:3]}"


def test_generated_collection_takes_the_quick_path(generated_fronts: list[str]) -> None:
    """Generated records (the benchmark's collection) are all read quickly, and read right."""
    assert len(generated_fronts) == GENERATED
    declined = sum(load_plain(front) is None for front in generated_fronts)
    assert declined == 0
    wrong = [why for front in generated_fronts if (why := disagreement(front))]
    assert not wrong, "\n\n".join(wrong[:3])


# --- mutated records -----------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _edit(rng: random.Random, lines: list[str], j: int) -> None:
    """One random edit of the front matter `lines`, at or near line `j`."""
    line = lines[j]
    at = _indent(line)
    op = rng.choice(OPS)
    if op == "value" and ":" in line:
        lines[j] = line.partition(":")[0] + ": " + rng.choice(TRICKY)
    elif op == "item" and line.lstrip().startswith("- "):
        lines[j] = " " * at + "- " + rng.choice(TRICKY)
    elif op == "indent":
        lines[j] = " " * max(0, at + rng.choice([-2, -1, 1, 2])) + line.lstrip(" ")
    elif op == "insert":
        lines[j:j] = [" " * at + inserted for inserted in rng.choice(INSERTED)]
    elif op == "duplicate":
        lines.insert(j, line)
    elif op == "delete":
        del lines[j]
    elif op == "key" and ":" in line:
        lines[j] = " " * at + rng.choice(KEYS) + ":" + line.partition(":")[2]
    elif op == "suffix":
        lines[j] = line + rng.choice(SUFFIXES)
    elif op == "spaced":
        lines[j] = line.replace(": ", ":   ", 1)
    elif op == "indentless":  # `key:\n  - x` becomes `key:\n- x`, the list at its key's column
        starts = [
            i
            for i in range(1, len(lines))
            if lines[i].lstrip(" ").startswith("- ")
            and lines[i - 1].endswith(":")
            and _indent(lines[i]) > _indent(lines[i - 1])
        ]
        if starts:
            i = rng.choice(starts)
            column, shift = _indent(lines[i]), _indent(lines[i]) - _indent(lines[i - 1])
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) >= column):
                lines[i] = lines[i][shift:]
                i += 1
    elif op == "document":
        if rng.random() < 0.5:
            lines[:0] = rng.choice([["%YAML 1.1"], ["%YAML 1.1", "---"]])
        else:
            lines.insert(j, rng.choice(["---", "..."]))


def mutate(rng: random.Random, front: str) -> str:
    """A record's front matter after one to four random edits, now and then with CRLF ends."""
    lines = front.split("\n")
    for _ in range(rng.randint(1, 4)):
        if lines:
            _edit(rng, lines, rng.randrange(len(lines)))
    return ("\r\n" if rng.random() < 0.05 else "\n").join(lines)


@pytest.mark.parametrize("seed", SEEDS)
def test_mutated_records_read_as_libyaml_reads_them(
    seed: int, corpus_fronts: dict[Path, str], generated_fronts: list[str]
) -> None:
    """Records edited at random, towards what the quick reader must decline, are declined or
    read exactly as libyaml reads them; and enough are read for the comparison to matter."""
    rng = random.Random(seed)
    bases = [front for path, front in corpus_fronts.items() if is_news(path)] + generated_fronts
    mutants = [mutate(rng, rng.choice(bases)) for _ in range(MUTANTS)]
    wrong = [why for text in mutants if (why := disagreement(text))]
    assert not wrong, f"{len(wrong)} of {MUTANTS} mutants read wrong, e.g.:\n" + "\n\n".join(
        wrong[:3]
    )
    read = sum(load_plain(text) is not None for text in mutants)
    assert read > MUTANTS // 20, f"only {read} of {MUTANTS} mutants were read quickly"


# --- edge cases ----------------------------------------------------------------------------------

RELATED = """\
related:
  - title: "Robots fold laundry"
    url: https://news.example/robots?id=1&x=2#top
    provider:
      name: Example Wire
      domain: news.example
    quality: 54
  - title: 'Second: a story'
    provider:
      name: "Other"
heat: 7
"""
UTC_MOMENT = datetime(2019, 12, 23, 6, 55, tzinfo=UTC)


def nested(levels: int) -> str:
    """A mapping holding `levels` mappings, one in the other."""
    keys = "".join(f"{' ' * level}k{level}:\n" for level in range(levels))
    return keys + " " * levels + "leaf: 1\n"


def nested_value(levels: int) -> dict[str, Any]:
    """What `nested(levels)` reads as."""
    value: dict[str, Any] = {"leaf": 1}
    for level in reversed(range(levels)):
        value = {f"k{level}": value}
    return value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: []", {"a": []}),
        ("a: {}\nb: x", {"a": {}, "b": "x"}),
        ("a:\n- x\n- y\nb: 1", {"a": ["x", "y"], "b": 1}),
        ("a:\n  - x\n  - y\nb: 1", {"a": ["x", "y"], "b": 1}),
        ("a:\n- b: 1\n  c:\n  - x\n- y", {"a": [{"b": 1, "c": ["x"]}, "y"]}),
        ("a:\n  -   b: 1\n      c: 2", {"a": [{"b": 1, "c": 2}]}),
        (
            RELATED,
            {
                "related": [
                    {
                        "title": "Robots fold laundry",
                        "url": "https://news.example/robots?id=1&x=2#top",
                        "provider": {"name": "Example Wire", "domain": "news.example"},
                        "quality": 54,
                    },
                    {"title": "Second: a story", "provider": {"name": "Other"}},
                ],
                "heat": 7,
            },
        ),
        ("heat: -1", {"heat": -1}),
        ("heat: 0\nlast: -0", {"heat": 0, "last": 0}),
        ("heat: 123456789012345678", {"heat": 123456789012345678}),
        ("published: false\nshown: True", {"published": False, "shown": True}),
        ("x: yes\ny: Off\nz: oN", {"x": True, "y": False, "z": "oN"}),
        ("x: ~\ny: null\nz: nULL\nw:", {"x": None, "y": None, "z": "nULL", "w": None}),
        ("x: 1e5\ny: 0o17\nz: --", {"x": "1e5", "y": "0o17", "z": "--"}),
        ("when: 2019-12-23T06:55:00Z", {"when": UTC_MOMENT}),
        (
            "when: 2019-12-23T06:55:00+05:30",
            {
                "when": datetime(
                    2019, 12, 23, 6, 55, tzinfo=timezone(timedelta(hours=5, minutes=30))
                )
            },
        ),
        ("when: 2019-12-23 06:55:00", {"when": datetime(2019, 12, 23, 6, 55)}),
        ("day: 2019-12-23", {"day": date(2019, 12, 23)}),
        ("when: 2019-02-30T00:00:00Z", {"when": "2019-02-30T00:00:00Z"}),
        (
            "day: 2019-02-29\nbad: 2019-13-45T06:55:00Z",
            {"day": "2019-02-29", "bad": "2019-13-45T06:55:00Z"},
        ),
        ("t: 'it''s'\nu: \"say \\\"hi\\\"\"", {"t": "it's", "u": 'say "hi"'}),
        ('e: "caf\\u00e9 \\/ \\\\ \\t"', {"e": "café / \\ \t"}),
        ('c: "\\u0085\\u2028\\ufeff\\u0007"', {"c": "\x85\u2028\ufeff\x07"}),
        ('s: a\xa0b\nj: a\u200db\nq: "a\xa0b"', {"s": "a\xa0b", "j": "a\u200db", "q": "a\xa0b"}),
        (
            "url: https://a.b/c?d=e&f#g\ncs: C#\nm: x:y",
            {"url": "https://a.b/c?d=e&f#g", "cs": "C#", "m": "x:y"},
        ),
        ("b: 1\na: 2", {"b": 1, "a": 2}),
        ("\na: x\n\n  \n", {"a": "x"}),
        (nested(MAX_DEPTH), nested_value(MAX_DEPTH)),
    ],
    ids=[
        "empty-list",
        "empty-mapping",
        "indentless-list",
        "indented-list",
        "indentless-list-of-mappings",
        "item-key-after-spaces",
        "related",
        "negative-int",
        "zeros",
        "18-digits",
        "bools",
        "yaml-1.1-bools",
        "nulls",
        "look-like-numbers",
        "utc-timestamp",
        "offset-timestamp",
        "naive-timestamp",
        "date",
        "impossible-timestamp-stays-text",
        "impossible-dates-stay-text",
        "quotes",
        "escapes",
        "escaped-breaks-and-controls",
        "nbsp-and-joiner",
        "colons-and-hashes",
        "key-order",
        "blank-lines",
        "deepest",
    ],
)
def test_reads(text: str, expected: dict[str, Any]) -> None:
    """What the quick reader reads, it reads as libyaml does: types, zones, order and all."""
    assert difference(load_plain(text), expected) is None
    data, notes = reference(text)
    assert difference(data, expected) is None
    assert notes == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n  \n",
        "quality: 007",
        "x: 00",
        "x: 1.5",
        "x: 1.0",
        "x: 1_0",
        "x: 0x10",
        "x: 1:30",
        "x: +5",
        "x: 12345678901234567890",
        "a:\n  - b: 1\n    b: 2",
        "# c\na: 1",
        "a: 1 # c",
        "a:\n  # c\n  b: 1",
        "- a\n- b",
        "just text",
        " a: 1",
        "yes: 1",
        "null: x",
        "2019: x",
        "a b: 1",
        "a: b\tc",
        "a:\n\t- x",
        "a:\t1",
        "a: 1\r\nb: 2\r\n",
        "a: x\x85y",
        "a: x\u2028y",
        "a: \ufeffx",
        "a: x\x7fy",
        'a: "\\uD800"',
        'a: "\\u00"',
        'a: "\\x41"',
        'a: "\\U0001F600"',
        "a: 'a'b'",
        'a: "a"b"',
        "a: 1 ",
        "a:   1",
        "a: [ ]",
        "a: &x y\nb: *x",
        "a: !!str x",
        "a: |\n  x",
        "a: >\n  x",
        "a: b\n  c",
        'a: "b\n  c"',
        "? a\n: b",
        "b: &x\n  c: 1\nd:\n  <<: *x",
        "%YAML 1.1\n---\na: 1",
        "---\na: 1",
        "a: 1\n...",
        "a:\n- x\n-",
        "a:\n  - - x",
        "a: - x",
        "a: key:",
        nested(MAX_DEPTH + 1),
        nested(1500),
    ],
    ids=[
        "empty",
        "blank",
        "octal",
        "octal-zero",
        "float",
        "float-zero",
        "underscored-int",
        "hex",
        "sexagesimal",
        "plus-sign",
        "long-int",
        "duplicate-nested-key",
        "comment-line",
        "trailing-comment",
        "nested-comment",
        "root-list",
        "root-scalar",
        "indented-root",
        "bool-key",
        "null-key",
        "int-key",
        "spaced-key",
        "tab-in-value",
        "tab-indent",
        "tab-after-colon",
        "crlf",
        "nel",
        "line-separator",
        "bom",
        "delete-char",
        "lone-surrogate-escape",
        "short-escape",
        "x-escape",
        "long-escape",
        "bad-single-quotes",
        "bad-double-quotes",
        "trailing-space",
        "spaces-after-colon",
        "spaced-flow-list",
        "anchor-alias",
        "tag",
        "literal-block",
        "folded-block",
        "multi-line-plain",
        "multi-line-quoted",
        "complex-key",
        "merge-key",
        "directive",
        "document-start",
        "document-end",
        "empty-item",
        "list-in-list",
        "dash-value",
        "colon-value",
        "too-deep",
        "far-too-deep",
    ],
)
def test_declines(text: str) -> None:
    """Outside the plain shape (other types, YAML features, errors, odd characters), the quick
    reader leaves the text to libyaml instead of guessing."""
    assert load_plain(text) is None


def test_duplicate_keys_are_left_for_the_loader_to_note() -> None:
    """The loader notes a repeated key; the quick reader, which cannot, declines the text."""
    assert load_plain("a: 1\na: 2") is None
    data, notes = reference("a: 1\na: 2")
    assert data == {"a": 2}
    assert len(notes) == 1
    assert notes[0].startswith("duplicate key 'a'")


def test_empty_collections_are_new_objects() -> None:
    """Each `[]` and `{}` is a list or mapping of its own, as libyaml builds it: changing one
    changes no other, in the same text or read again."""
    text = "a: []\nb: []\nc: {}\nd:\n- []"
    first = load_plain(text)
    assert first is not None
    first["a"].append(1)
    first["c"]["k"] = 1
    first["d"][0].append(2)
    assert first == {"a": [1], "b": [], "c": {"k": 1}, "d": [[2]]}
    assert load_plain(text) == {"a": [], "b": [], "c": {}, "d": [[]]}
