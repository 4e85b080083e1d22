"""Plain text from HTML, for search indexing, matching and titles.

Stdlib only, regex based: it must be fast on every item of every refresh and it
must never raise, whatever markup a feed publishes.
"""

from __future__ import annotations

import html
import re

__all__ = ["html_to_text", "plain_title", "collapse_ws"]

# Content of these elements is never text a reader sees. The start is found by
# regex, the end by a separate search: one pass, linear even when nothing closes.
_HIDDEN_START_RE = re.compile(r"<(script|style|noscript|template)\b[^<>]*>|<!--", re.IGNORECASE)
_HIDDEN_END_RE = {
    name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
    for name in ("script", "style", "noscript", "template")
}
_BLOCK_RE = re.compile(
    r"</?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|thead|tbody|tfoot|caption"
    r"|blockquote|pre|section|article|aside|header|footer|nav|main|hr|figure|figcaption"
    r"|address|details|summary|form|fieldset|center)\b[^<>]*>",
    re.IGNORECASE,
)
# [^<>]* rather than [^>]*: an unclosed "<a" then stops at the next "<", which
# keeps the scan linear on hostile input.
_TAG_RE = re.compile(r"<[a-zA-Z/!?][^<>]*>")


def collapse_ws(s: str) -> str:
    """Every run of whitespace becomes one space; ends are stripped."""
    return " ".join(s.split())  # several times faster than a regex sub


def html_to_text(html_text: str) -> str:
    """Plain text of an HTML fragment (or of plain text): tags and scripts gone,
    entities decoded, block boundaries kept as single newlines, other whitespace
    collapsed to single spaces. Never raises."""
    try:
        return _html_to_text(html_text)
    except Exception:  # pragma: no cover - belt and braces: indexing must go on
        try:
            return collapse_ws(str(html_text))
        except Exception:
            return ""


def _drop_hidden(s: str) -> str:
    """Remove scripts, styles and comments; an unclosed one hides the rest, as in browsers."""
    parts = []
    pos = 0
    while True:
        m = _HIDDEN_START_RE.search(s, pos)
        if m is None:
            parts.append(s[pos:])
            break
        parts.append(s[pos : m.start()])
        parts.append(" ")
        name = m.group(1)
        if name is None:
            end = s.find("-->", m.end())
            if end < 0:
                break
            pos = end + 3
        else:
            e = _HIDDEN_END_RE[name.lower()].search(s, m.end())
            if e is None:
                break
            pos = e.end()
    return "".join(parts)


def _strip_markup(s: str, block_sep: str) -> str:
    """Tags gone (block ones become block_sep), entities decoded; spacing untidy."""
    if "<" in s:
        if _HIDDEN_START_RE.search(s):
            s = _drop_hidden(s)
        # Source whitespace is insignificant in HTML; only block tags break lines.
        s = " ".join(s.split())
        s = _BLOCK_RE.sub(block_sep, s)
        s = _TAG_RE.sub("", s)
    if "&" in s:
        s = html.unescape(s)
    return s


def _html_to_text(s: str) -> str:
    if not s:
        return ""
    if not isinstance(s, str):
        s = str(s)
    if "<" not in s and "&" not in s:
        return collapse_ws(s)
    # Block tags become NUL, a character that cannot come from the source (it is
    # replaced first) nor from an entity (html.unescape maps &#0; to U+FFFD).
    # Source whitespace, like whitespace from entities, is insignificant in HTML,
    # so each block is then collapsed with str.split, several times faster than
    # whitespace regexes.
    if "\x00" in s:
        s = s.replace("\x00", " ")
    if "<" in s:
        if _HIDDEN_START_RE.search(s):
            s = _drop_hidden(s)
        s = _BLOCK_RE.sub("\x00", s)
        s = _TAG_RE.sub("", s)
    if "&" in s:
        s = html.unescape(s)
    return "\n".join([line for line in (" ".join(part.split()) for part in s.split("\x00")) if line])


def plain_title(s: str) -> str:
    """One line of plain text from a title that may hold markup or entities."""
    try:
        if not s:
            return ""
        if not isinstance(s, str):
            s = str(s)
        if "<" not in s and "&" not in s:
            return collapse_ws(s)
        return collapse_ws(_strip_markup(s, " "))
    except Exception:  # pragma: no cover
        return ""
