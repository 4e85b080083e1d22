"""Plain text from HTML: correct enough for search, fast, and never raising."""

from __future__ import annotations

import time

import pytest

from cmdesk.core.text import collapse_ws, html_to_text, plain_title


@pytest.mark.parametrize(
    "html, text",
    [
        ("", ""),
        ("plain   text\n here ", "plain text here"),
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("x<script>alert('no')</script>y", "x y"),
        ("<style type='text/css'>p { color: red }</style>Visible", "Visible"),
        ("<SCRIPT>var a = '<p>';</SCRIPT>after", "after"),
        ("a<!-- hidden <b>comment</b> -->b", "a b"),
        (
            "Fish &amp; chips &lt;3 &eacute;t&eacute; &#8217; &#x2014;",
            "Fish & chips <3 \u00e9t\u00e9 \u2019 \u2014",
        ),
        ("non&nbsp;breaking&nbsp;&nbsp;space", "non breaking space"),
        ("<p>\n  Source\n   whitespace  </p>\n\n<p>next</p>", "Source whitespace\nnext"),
        ("<div><div><p>deep</p></div></div>", "deep"),
        ("no markup & no entity", "no markup & no entity"),
        ("<img src=x alt=y>caption", "caption"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_attribute_with_gt_is_tolerated():
    # Not exact HTML parsing, but no crash and the visible word survives.
    assert "link" in html_to_text('<a title="a > b" href="/">link</a>')


@pytest.mark.parametrize(
    "title, text",
    [
        ("  Simple   title ", "Simple title"),
        ("<b>Slack</b>\n Stock &amp; co", "Slack Stock & co"),
        ("Line<br>break", "Line break"),
        ("AT&amp;T &#8211; news", "AT&T \u2013 news"),
        ("", ""),
    ],
)
def test_plain_title(title, text):
    assert plain_title(title) == text


def test_collapse_ws():
    assert collapse_ws(" a \t b\n\u00a0c ") == "a b c"


@pytest.mark.parametrize(
    "hostile",
    [
        "<" * 100_000,
        "<a" * 50_000,
        "<script>" * 20_000,
        "<!--" * 30_000,
        '<a title="' * 30_000,
        "&" * 100_000,
        "&#99999999999;&#x110000;&#0;",
        "\x00\ud800 odd \udfff",
    ],
)
def test_never_raises_and_stays_fast(hostile):
    start = time.perf_counter()
    assert isinstance(html_to_text(hostile), str)
    assert isinstance(plain_title(hostile), str)
    assert time.perf_counter() - start < 2


def test_non_string_input_does_not_raise():
    assert html_to_text(None) == ""  # type: ignore[arg-type]
    assert html_to_text(42) == "42"  # type: ignore[arg-type]
    assert plain_title(None) == ""  # type: ignore[arg-type]


def test_speed_on_a_typical_article():
    article = (
        "<div class='post'><h2>Title</h2><p>Some <a href='https://x.example/'>linked</a> text "
        "with <em>emphasis</em> &amp; entities&hellip;</p><script>track()</script>"
        "<ul><li>one</li><li>two</li></ul></div>\n"
    ) * 200  # ~50 KB
    start = time.perf_counter()
    for _ in range(20):
        html_to_text(article)
    per_call = (time.perf_counter() - start) / 20
    assert per_call < 0.05
