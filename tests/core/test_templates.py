"""Reply templates: variables, validation, and rendering that never leaks a placeholder."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdesk.core.templates import (
    KNOWN_VARIABLES,
    TemplateProblem,
    TemplateProblemCode,
    render_template,
    template_variables,
    validate_template,
)

FULL = {
    "author": "Camille",
    "brand": "Acme",
    "title": "Acme Cloud Desk review",
    "link": "https://example.com/review",
    "source": "Le Monde",
    "term": "acme",
}


def test_known_variables():
    assert KNOWN_VARIABLES == ("author", "brand", "title", "link", "source", "term")


# -- template_variables -------------------------------------------------------

def test_template_variables_in_order_once_normalised():
    body = "Hi {author}! {Brand} thanks you for {title} ({ link }) and {author} again, {foo}"
    assert template_variables(body) == ["author", "brand", "title", "link", "foo"]


def test_template_variables_ignores_escapes_and_malformed():
    assert template_variables("{{author}} {} {two words} {brand") == []
    assert template_variables("{{{author}}}") == ["author"]
    assert template_variables("") == []


# -- validate_template --------------------------------------------------------

def test_valid_templates_have_no_problems():
    for body in [
        "",
        "Merci {author} pour votre message sur {brand} !",
        "Literal braces: {{ and }} and {{author}}",
        "{ Author }, see {LINK}",
        "\u00c9t\u00e9 \U0001f600 {term}",
    ]:
        assert validate_template(body) == [], body


def test_unknown_variable_with_position():
    body = "Hi {author}, see {url} or {Foo_2}"
    problems = validate_template(body)
    assert problems == [
        TemplateProblem(TemplateProblemCode.UNKNOWN_VARIABLE, 17, 22, "url"),
        TemplateProblem(TemplateProblemCode.UNKNOWN_VARIABLE, 26, 33, "Foo_2"),
    ]
    for p in problems:
        assert body[p.position : p.end] == "{" + p.name + "}"


def test_unbalanced_braces():
    # Balanced but wrong: "{author, thanks }" is not a name, "{ and }" is an unknown one.
    body = "Hi {author, thanks } and { and }"
    codes = [p.code for p in validate_template(body)]
    assert codes == [TemplateProblemCode.INVALID_VARIABLE, TemplateProblemCode.UNKNOWN_VARIABLE]

    body = "Hi {author and {brand}"
    assert validate_template(body) == [TemplateProblem(TemplateProblemCode.UNCLOSED_BRACE, 3, 4)]

    body = "Hi author} and {brand}"
    assert validate_template(body) == [TemplateProblem(TemplateProblemCode.UNMATCHED_BRACE, 9, 10)]

    body = "end {"
    assert validate_template(body) == [TemplateProblem(TemplateProblemCode.UNCLOSED_BRACE, 4, 5)]

    body = "{{author}"  # escaped "{", then a lone "}"
    assert validate_template(body) == [TemplateProblem(TemplateProblemCode.UNMATCHED_BRACE, 8, 9)]


def test_empty_and_non_name_placeholders_are_invalid():
    problems = validate_template("{} {a b} {1x} {\u00e9t\u00e9}")
    assert [p.code for p in problems] == [TemplateProblemCode.INVALID_VARIABLE] * 4
    assert [p.name for p in problems] == ["", "a b", "1x", "\u00e9t\u00e9"]


def test_problems_are_frozen_and_codes_are_strings():
    p = validate_template("{x}")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.position = 3  # type: ignore[misc]
    assert p.code == "unknown_variable"


# -- render_template ----------------------------------------------------------

def test_render_with_all_values():
    body = "Hi {author}, thanks for mentioning {brand} in \u201c{title}\u201d on {source}: {link} #{term}"
    assert render_template(body, FULL) == (
        "Hi Camille, thanks for mentioning Acme in \u201cAcme Cloud Desk review\u201d on Le Monde: "
        "https://example.com/review #acme"
    )


def test_render_names_are_case_insensitive_both_ways():
    assert render_template("{AUTHOR} / { Brand }", {"Author": "Jo", "BRAND": "Acme"}) == "Jo / Acme"


def test_escaped_braces_are_literal():
    assert render_template("{{author}} is {author}; set {{}} and }}{{", FULL) == "{author} is Camille; set {} and }{"
    assert render_template("{{{author}}}", FULL) == "{Camille}"


def test_values_are_inserted_verbatim_never_expanded():
    values = dict(FULL, title="Why {link} and {{x}} matter", author="  Jo  ")
    assert render_template("{author}: {title}", values) == "Jo: Why {link} and {{x}} matter"


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Hi {author}, thanks for your message!", "Hi, thanks for your message!"),
        ("Hi {author}!", "Hi!"),
        ("Hello {author}.", "Hello."),
        ("Thanks {author} for the kind words.", "Thanks for the kind words."),
        ("{author}, thanks for the kind words.", "Thanks for the kind words."),
        ("{author} thanks for writing.", "Thanks for writing."),
        ("Bonjour {author} !", "Bonjour !"),
        ("Bonjour {author}\u00a0!", "Bonjour\u00a0!"),
        ("Merci {author}, \u00e0 bient\u00f4t", "Merci, \u00e0 bient\u00f4t"),
        ("Hey @{author} thanks", "Hey thanks"),
        ("Read it ({source}) now", "Read it now"),
        ("Read it [{source}].", "Read it."),
        ("Dear {author},\n\nThanks.", "Dear,\n\nThanks."),
        ("Dear {author}\nThanks.", "Dear\nThanks."),
        ("  {author}, hello", "  Hello"),
        ("Hi {author} {foo}, bye", "Hi, bye"),
        ("Hi {author}{brand}, bye", "Hi, bye"),
        ("{author}", ""),
        ("Hi {unknown} there", "Hi there"),
        ("Hi {} there {two words}.", "Hi there."),
        ("Price {approx", "Price approx"),
        ("a } b", "a b"),
        ("Vu sur \u00ab {title} \u00bb, merci", "Vu sur, merci"),
    ],
)
def test_render_missing_values_are_tidied(body, expected):
    assert render_template(body, {}) == expected


def test_none_and_blank_values_count_as_missing():
    values = dict(FULL, author=None, source="   ")
    assert render_template("Hi {author}, seen on {source}.", values) == "Hi, seen on."


def test_missing_values_leave_the_rest_untouched():
    body = "Hi {author},\n\nThanks   for   writing about {brand}.\n\n-- \nThe {brand} team"
    assert render_template(body, {"brand": "Acme"}) == (
        "Hi,\n\nThanks   for   writing about Acme.\n\n-- \nThe Acme team"
    )


def test_private_use_marker_in_input_is_harmless():
    assert render_template("a\ue000b {author}", {"author": "x\ue000y"}) == "ab xy"


# -- properties ---------------------------------------------------------------

_ESCAPE_RE = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}]|[^{}]+")

names = st.sampled_from(list(KNOWN_VARIABLES) + ["AUTHOR", " brand ", "foo", "x1", "", "a b", "url"])
pieces = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=12),
    names.map(lambda n: "{" + n + "}"),
    st.sampled_from(["{", "}", "{{", "}}", " ", ", ", "!", "\n", "@", "(", ")", "\u00ab ", " \u00bb"]),
)
bodies = st.lists(pieces, max_size=25).map("".join)
brace_free = st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=15)
value_maps = st.dictionaries(st.sampled_from(list(KNOWN_VARIABLES)), st.one_of(st.none(), brace_free), max_size=6)


def _escaped_braces(body: str) -> tuple[int, int]:
    """How many literal "{" and "}" the template asks for, by an independent tokenizer."""
    tokens = _ESCAPE_RE.findall(body)
    return tokens.count("{{"), tokens.count("}}")


@settings(max_examples=600, deadline=None)
@given(bodies, value_maps)
def test_render_never_leaves_a_brace_unless_escaped(body, values):
    out = render_template(body, values)
    opens, closes = _escaped_braces(body)
    assert out.count("{") == opens
    assert out.count("}") == closes
    assert "\ue000" not in out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",))), value_maps)
def test_text_without_braces_renders_unchanged(body, values):
    assert render_template(body, values) == body
    assert validate_template(body) == []


@settings(max_examples=300, deadline=None)
@given(bodies)
def test_templates_without_problems_render_every_known_variable(body):
    if validate_template(body):
        return
    out = render_template(body, FULL)
    for name in template_variables(body):
        assert FULL[name] in out


@settings(max_examples=300, deadline=None)
@given(bodies)
def test_problem_positions_point_at_braces(body):
    for p in validate_template(body):
        assert 0 <= p.position < p.end <= len(body)
        assert body[p.position] in "{}"
        if p.code in (TemplateProblemCode.UNKNOWN_VARIABLE, TemplateProblemCode.INVALID_VARIABLE):
            assert body[p.position : p.end] == "{" + p.name + "}"
