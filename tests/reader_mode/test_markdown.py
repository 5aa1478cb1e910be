"""The Markdown writer on the shapes trafilatura's XML takes: nesting, code, tables, breaks."""

from __future__ import annotations

from lxml import etree

from reader.fulltext.markdown import render

BASE = "https://news.example/2026/story"


def markdown(body: str, title: str = "") -> str:
    main = etree.fromstring(f"<main>{body}</main>")
    return render(main, BASE, title).markdown


def test_nested_lists_are_indented_under_their_item():
    text = markdown(
        '<list rend="ol"><item>one<list rend="ul"><item>inner</item></list></item>'
        "<item>two</item></list>"
    )
    assert text == "1. one\n   - inner\n2. two\n"


def test_code_blocks_are_fenced_longer_than_any_backticks_inside():
    text = markdown("<code>a = 1\nb = ```x```</code><p>Use <code>a`b</code> here.</p>")
    assert text == "````\na = 1\nb = ```x```\n````\n\nUse ``a`b`` here.\n"


def test_tables_become_rows_of_cells_padded_to_the_widest():
    text = markdown(
        '<table><row><cell role="head">Year</cell><cell role="head">Riders</cell></row>'
        "<row><cell>2025</cell><cell>1|2</cell><cell>extra</cell></row></table>"
    )
    assert text == "| Year | Riders |  |\n| --- | --- | --- |\n| 2025 | 1\\|2 | extra |\n"


def test_emphasis_keeps_its_spaces_outside_and_empty_emphasis_goes():
    text = markdown('<p>a<hi rend="#b"> bold </hi>b<hi rend="#i"> </hi>c</p>')
    assert text == "a **bold** b c\n"


def test_line_breaks_are_hard_breaks_and_each_line_is_escaped():
    text = markdown("<p>first<lb/>- second<lb/>3. third</p>")
    assert text == "first\\\n\\- second\\\n3\\. third\n"


def test_a_quote_holds_its_paragraphs_and_lists():
    text = markdown('<quote><p>said</p><list rend="ul"><item>this</item></list></quote>')
    assert text == "> said\n>\n> - this\n"


def test_headings_start_at_level_two_and_one_repeating_the_title_goes():
    text = markdown(
        '<head rend="h1">The Story!</head><head rend="h1">Part one</head>'
        '<head rend="h5">Deep</head><p>text</p>',
        title="the story",
    )
    assert text == "## Part one\n\n#### Deep\n\ntext\n"


def test_links_repeat_their_number_and_empty_ones_are_dropped():
    rendered = render(
        etree.fromstring(
            '<main><p><ref target="/a">one</ref>, <ref target="https://news.example/a">again'
            '</ref>, <ref target="/b"> </ref>and <ref target="data:text/html,x">data</ref>'
            "</p></main>"
        ),
        BASE,
    )
    assert rendered.links == ("https://news.example/a",)
    assert rendered.markdown.startswith("one \\[1\\], again \\[1\\], and data\n")


def test_a_link_that_is_no_valid_url_keeps_its_text_without_a_number():
    main = etree.fromstring(
        '<main><p>See <ref target="http://[oops/">the bad one</ref> and '
        '<ref target="/ok">the good one</ref>.</p></main>'
    )
    rendered = render(main, BASE)
    assert rendered.markdown.startswith("See the bad one and the good one \\[1\\].\n")
    assert rendered.links == ("https://news.example/ok",)
