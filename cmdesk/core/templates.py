"""Reply templates: ``Hi {author}, thanks for your post about {brand}!``

Syntax (a small subset of Python's ``str.format``): ``{name}`` is a variable,
``{{`` and ``}}`` are literal braces. Names are case-insensitive and may carry
spaces inside the braces (``{ Author }`` is ``{author}``).

Rendering never leaves a raw ``{...}`` in a reply:

- a known variable with a value is replaced by it (stripped; inserted verbatim,
  never expanded again, so a title that contains braces keeps them);
- a known variable with no value (missing, ``None`` or blank), an unknown
  variable and a malformed one (``{}``, ``{two words}``) are removed, then the
  text around the hole is tidied: ``"Hi {author}, thanks"`` gives ``"Hi, thanks"``,
  ``"Thanks {author} for"`` gives ``"Thanks for"``, ``"{author}, merci"`` at the
  start of a line gives ``"Merci"``, ``"Bonjour {author} !"`` gives
  ``"Bonjour !"``, a ``@`` or ``#`` glued to the hole goes, and so do brackets
  or guillemets left empty (``"({source})"``);
- a lone ``{`` or ``}`` (unclosed or unmatched) is dropped the same way; the
  text after it is kept (``"Price {approx"`` gives ``"Price approx"``).

``validate_template`` reports each of these cases with its position, so the
UI can refuse or flag a template when it is saved.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "KNOWN_VARIABLES",
    "TemplateProblem",
    "TemplateProblemCode",
    "render_template",
    "template_variables",
    "validate_template",
]

KNOWN_VARIABLES: tuple[str, ...] = ("author", "brand", "title", "link", "source", "term")
_KNOWN = frozenset(KNOWN_VARIABLES)


class TemplateProblemCode(str, enum.Enum):
    """What is wrong at one place of a template; the UI words it."""

    UNKNOWN_VARIABLE = "unknown_variable"  # {foo}: a name that is not in KNOWN_VARIABLES
    INVALID_VARIABLE = "invalid_variable"  # {} or {two words}: not a name at all
    UNCLOSED_BRACE = "unclosed_brace"  # { with no } after it (write {{ for a brace)
    UNMATCHED_BRACE = "unmatched_brace"  # } with no { before it (write }} for a brace)


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """One problem: ``body[position:end]`` is the offending text."""

    code: TemplateProblemCode
    position: int
    end: int
    name: str = ""  # the text between the braces, for variable problems


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "text", "var", "lone_open", "lone_close"
    start: int
    end: int
    text: str  # literal text, or what is between the braces


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACE_RE = re.compile(r"[{}]")
_HOLE = "\ue000"  # private-use: marks where a variable was removed, until tidied
_HSPACE = " \t\u00a0\u202f"
_CLOSING_PUNCT = ",.;:!?\u2026)]\u00bb\u201d"
_PAIRS = {"(": ")", "[": "]", "\u00ab": "\u00bb", "\u201c": "\u201d"}


def _tokens(body: str) -> Iterator[_Token]:
    i, n = 0, len(body)
    text_start = 0
    while True:
        m = _BRACE_RE.search(body, i)
        if m is None:
            break
        j = m.start()
        if body.startswith("{{", j) or body.startswith("}}", j):
            yield _Token("text", text_start, j + 1, body[text_start:j] + body[j])
            i = text_start = j + 2
            continue
        if j > text_start:
            yield _Token("text", text_start, j, body[text_start:j])
        if body[j] == "}":
            yield _Token("lone_close", j, j + 1, "}")
            i = text_start = j + 1
            continue
        k = _BRACE_RE.search(body, j + 1)
        if k is None or body[k.start()] == "{":
            yield _Token("lone_open", j, j + 1, "{")
            i = text_start = j + 1
            continue
        yield _Token("var", j, k.start() + 1, body[j + 1 : k.start()])
        i = text_start = k.start() + 1
    if text_start < n:
        yield _Token("text", text_start, n, body[text_start:])


def _var_name(content: str) -> str | None:
    """The normalised variable name, or None when it is not a name."""
    name = content.strip()
    return name.lower() if _NAME_RE.fullmatch(name) else None


def template_variables(body: str) -> list[str]:
    """Variable names used by the template, lower-cased, once each, in order.

    Unknown names are listed too (``validate_template`` flags them); malformed
    placeholders are not.
    """
    seen: dict[str, None] = {}
    for tok in _tokens(body):
        if tok.kind == "var":
            name = _var_name(tok.text)
            if name is not None:
                seen.setdefault(name, None)
    return list(seen)


def validate_template(body: str) -> list[TemplateProblem]:
    """Every problem of the template, in order of position; empty when it is fine."""
    problems: list[TemplateProblem] = []
    for tok in _tokens(body):
        if tok.kind == "var":
            name = _var_name(tok.text)
            if name is None:
                problems.append(TemplateProblem(TemplateProblemCode.INVALID_VARIABLE, tok.start, tok.end, tok.text))
            elif name not in _KNOWN:
                problems.append(TemplateProblem(TemplateProblemCode.UNKNOWN_VARIABLE, tok.start, tok.end, tok.text))
        elif tok.kind == "lone_open":
            problems.append(TemplateProblem(TemplateProblemCode.UNCLOSED_BRACE, tok.start, tok.end))
        elif tok.kind == "lone_close":
            problems.append(TemplateProblem(TemplateProblemCode.UNMATCHED_BRACE, tok.start, tok.end))
    return problems


def render_template(body: str, values: Mapping[str, str | None]) -> str:
    """The reply text: variables replaced, missing ones removed and the text tidied.

    ``values`` maps variable names (any case) to text; ``None`` or blank means
    missing. The result holds a brace only where the template escaped it
    (``{{``/``}}``) or a value contained one.
    """
    lookup: dict[str, str] = {}
    for key, value in values.items():
        if value is not None:
            value = str(value).replace(_HOLE, "").strip()
            if value:
                lookup[str(key).strip().lower()] = value
    body = body.replace(_HOLE, "")
    out: list[str] = []
    holes = False
    for tok in _tokens(body):
        if tok.kind == "text":
            out.append(tok.text)
        elif tok.kind == "var":
            name = _var_name(tok.text)
            value = lookup.get(name) if name in _KNOWN else None
            if value is None:
                out.append(_HOLE)
                holes = True
            else:
                out.append(value)
        else:  # a lone brace: dropped, the text around it stays
            out.append(_HOLE)
            holes = True
    text = "".join(out)
    return _tidy_holes(text) if holes else text


def _tidy_holes(s: str) -> str:
    while True:
        i = s.rfind(_HOLE)
        if i < 0:
            return s
        s = _tidy_one(s[:i], s[i + 1 :])


def _tidy_one(left: str, right: str) -> str:
    """Join the text on both sides of a removed variable, without the debris."""
    # A handle or hashtag sign glued to the missing value: "Hi @{author}".
    if left.endswith(("@", "#")) and (len(left) == 1 or left[-2] in _HSPACE + "\n(["):
        left = left[:-1]
    while True:
        lcore = left.rstrip(_HSPACE)
        rcore = right.lstrip(_HSPACE)
        lws = left[len(lcore) :]
        rws = right[: len(right) - len(rcore)]
        # Brackets left empty: "({source})", "« {title} »", "\"{title}\"".
        if lcore and rcore and (
            _PAIRS.get(lcore[-1]) == rcore[0] or (lcore[-1] == rcore[0] == '"' and not lws and not rws)
        ):
            left, right = lcore[:-1], rcore[1:]
            continue
        break
    line_start = lcore == "" or lcore.endswith("\n")
    line_end = rcore == "" or rcore.startswith(("\n", "\r"))
    if line_start:
        # "{author}, thanks" -> "Thanks"; indentation is kept.
        if rcore[:1] in (",", ";", ":"):
            rcore = rcore[1:].lstrip(_HSPACE)
        if rcore[:1].islower():
            rcore = rcore[0].upper() + rcore[1:]
        return left + rcore
    if line_end:
        return lcore + rcore
    if rcore[0] in _CLOSING_PUNCT:
        # "Hi {author}, thanks" -> "Hi, thanks"; "Bonjour {author} !" keeps its space.
        return lcore + (rws if lws and rws else "") + rcore
    if lws and rws:
        return lcore + lws + rcore
    return left + right
