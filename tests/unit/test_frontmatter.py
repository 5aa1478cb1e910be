"""Front matter: the `---` block of a Markdown record is found, loaded as plain data, or refused
with a one-line reason a person can act on."""

from __future__ import annotations

import re

import pytest
import yaml

from reader.parsing import ParseError
from reader.parsing.frontmatter import load_yaml, parse_front_matter, split_front_matter
from reader.sources.local import read_file

RECORD = '---\ntitle: "Robots learn to fold laundry"\nheat: 42\n---\n'


# --- splitting -----------------------------------------------------------------------------


def test_split_returns_front_matter_and_body() -> None:
    """The YAML between the fences is separated from the Markdown body that follows."""
    front, body = split_front_matter("---\ntitle: A\nheat: 3\n---\n# Heading\n\nText.\n")
    assert front == "title: A\nheat: 3\n"
    assert body == "# Heading\n\nText.\n"


def test_parse_returns_data_and_body() -> None:
    """Parsing yields a plain mapping and the body, untouched."""
    data, body = parse_front_matter("---\ntitle: A\ntopics:\n  - AI\n---\nThe body.\n")
    assert data == {"title": "A", "topics": ["AI"]}
    assert body == "The body.\n"


def test_crlf_line_endings() -> None:
    """Files saved on Windows (CRLF) read like any other."""
    data, body = parse_front_matter("---\r\ntitle: A\r\nheat: 3\r\n---\r\nBody line\r\n")
    assert data == {"title": "A", "heat": 3}
    assert body.rstrip("\r\n") == "Body line"


def test_byte_order_mark_is_ignored() -> None:
    """A UTF-8 BOM before the opening fence does not hide the front matter."""
    data, _ = parse_front_matter("\ufeff" + RECORD)
    assert data == {"title": "Robots learn to fold laundry", "heat": 42}


def test_bom_and_crlf_together() -> None:
    """BOM and CRLF together, as some Windows editors write them."""
    data, _ = parse_front_matter("\ufeff---\r\ntitle: A\r\n---\r\n")
    assert data == {"title": "A"}


def test_dots_close_the_front_matter() -> None:
    """YAML's document end marker `...` is accepted as the closing fence."""
    data, body = parse_front_matter("---\ntitle: A\n...\nBody\n")
    assert data == {"title": "A"}
    assert body == "Body\n"


def test_closing_fence_at_end_of_file_without_newline() -> None:
    """A file whose last line is the closing `---` (no final newline) is complete."""
    data, body = parse_front_matter("---\ntitle: A\n---")
    assert data == {"title": "A"}
    assert body == ""


def test_empty_front_matter() -> None:
    """`---` directly followed by `---` is an empty block: no data, body kept."""
    front, body = split_front_matter("---\n---\nJust a body.\n")
    assert front == ""
    assert body == "Just a body.\n"
    data, _ = parse_front_matter("---\n---\nJust a body.\n")
    assert data is None


def test_body_is_kept_verbatim_including_dashes() -> None:
    """Only the first closing fence ends the front matter; later `---` lines belong to the body."""
    text = "---\ntitle: A\n---\nFirst part\n\n---\n\nSecond part\n"
    data, body = parse_front_matter(text)
    assert data == {"title": "A"}
    assert body == "First part\n\n---\n\nSecond part\n"


def test_indented_dashes_inside_yaml_do_not_close() -> None:
    """A `---` inside an indented block scalar is YAML content, not the closing fence."""
    text = "---\nexcerpt: |\n  before\n  ---\n  after\n---\n"
    data, _ = parse_front_matter(text)
    assert data == {"excerpt": "before\n---\nafter\n"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty file"),
        ("   \n\n", "empty file"),
        ("title: A\n", "no front matter"),
        ("# Just Markdown\n\n---\n", "no front matter"),
        ("---\ntitle: A\n", "never closed"),
        ("---\ntitle: A\nheat: 3\n", "never closed"),
        ("---", "never closed"),
    ],
    ids=["empty", "blank", "no-fence", "markdown-only", "unclosed", "unclosed-2", "only-fence"],
)
def test_unusable_files_are_refused_with_a_reason(text: str, reason: str) -> None:
    """Empty, fence-less and unclosed files each get their own one-line reason."""
    with pytest.raises(ParseError, match=reason) as caught:
        split_front_matter(text)
    assert "\n" not in str(caught.value)


# --- YAML safety and errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "---\n!!python/object/apply:os.system ['touch {marker}']\n---\n",
        "---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n",
        "---\ntitle: !!python/object/new:subprocess.check_call [['touch', '{marker}']]\n---\n",
    ],
    ids=["document", "value", "subprocess"],
)
def test_python_tags_are_refused_and_never_run(tmp_path, template: str) -> None:
    """A record cannot run code: Python object tags are refused, and the command never runs."""
    marker = tmp_path / "pwned"
    text = template.format(marker=marker)
    with pytest.raises(ParseError, match="YAML refused") as caught:
        parse_front_matter(text)
    assert "python/object" in str(caught.value)
    assert not marker.exists()


def test_python_tag_in_a_file_is_a_problem_not_an_article(tmp_path, write) -> None:
    """Through the file reader, a hostile tag is a problem naming the file; nothing is created."""
    marker = tmp_path / "pwned"
    path = write(
        "evil.md", f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    )
    result = read_file(path)
    assert result.articles == []
    assert [problem.source for problem in result.problems] == [str(path)]
    assert "YAML refused" in result.problems[0].reason
    assert not marker.exists()


def test_plain_data_tags_still_work() -> None:
    """Standard YAML types (dates, ints, bools) are loaded normally by the safe loader."""
    data = load_yaml("when: 2020-11-18\nheat: 7\npublished: true\n")
    assert data["heat"] == 7
    assert data["published"] is True
    assert str(data["when"]) == "2020-11-18"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: ok\nexcerpt: fine\nbad: : x\n---\n", 4),
        ("---\ntitle: ok\nbad: : x\n---\n", 3),
        ("---\r\ntitle: ok\r\nexcerpt: fine\r\nbad: : x\r\n---\r\n", 4),
        ("\ufeff---\ntitle: ok\nexcerpt: fine\nbad: : x\n---\n", 4),
        ('---\ntitle: "unterminated\nheat: 3\n---\n', None),
    ],
    ids=["line-4", "line-3", "crlf", "bom", "unterminated-quote"],
)
def test_invalid_yaml_reports_the_file_line(text: str, line: int | None) -> None:
    """Invalid YAML says 'invalid YAML' and the line number in the file (fence = line 1)."""
    with pytest.raises(ParseError, match="invalid YAML") as caught:
        parse_front_matter(text)
    message = str(caught.value)
    found = re.search(r"\(line (\d+)\)", message)
    assert found, message
    if line is not None:
        assert int(found.group(1)) == line
    assert "\n" not in message


def test_invalid_yaml_in_a_file_is_reported_with_line(write) -> None:
    """`reader check` users see the file, 'invalid YAML' and the line to fix."""
    path = write("broken.md", "---\ntitle: ok\nexcerpt: fine\nbad: : x\n---\n")
    result = read_file(path)
    assert result.articles == []
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.source == str(path)
    assert problem.reason.startswith("invalid YAML")
    assert "(line 4)" in problem.reason


def test_deeply_nested_yaml_does_not_crash_the_reader(write) -> None:
    """Pathologically nested YAML gives the record or a one-line reason, never an exception."""
    path = write("deep.md", "---\ntitle: Deep\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    result = read_file(path)
    assert [a.title for a in result.articles] == ["Deep"] or result.problems
    assert all("\n" not in problem.reason for problem in result.problems)


@pytest.mark.parametrize(
    "text",
    [
        "heat: 84\nquality: 0\nwidth: 1_024\nheight: 0x1F\n",
        "zip: 0777\nlegacy: 012\nsexagesimal: 190:20:30\n",
        "when: 2020-11-18T16:51:00Z\nday: 2020-11-18\nnaive: 2020-11-18 16:51:00\n",
        "flag: yes\nother: off\nnull_value: ~\nempty:\nfloat: 1.5e3\n",
        "base: &b {name: Daily Breeze, domain: dailybreeze.com}\nprovider:\n  <<: *b\n  name: DB\n",
        "topics: &t [AI, AI]\nagain: *t\n",
        "quoted: '0777'\nstring: !!str 42\nnested: {a: [1, {b: c}]}\n",
        'title: "LAPD bars detectives\u00e2\u20ac\u2122 use"\n',
    ],
    ids=["ints", "yaml11-ints", "dates", "scalars", "merge-key", "aliases", "tags", "unicode"],
)
def test_yaml_values_are_what_the_safe_loader_gives(text: str) -> None:
    """Front matter values are exactly those of YAML's safe loader: no fast path may read
    numbers, dates or merged keys differently."""
    assert load_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader)
