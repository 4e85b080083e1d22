"""Watch-term queries: parsing, exact matching, highlighting and FTS5 pre-filters.

Grammar (precedence NOT > AND > OR)::

    acme                      a word
    "acme corp"               a phrase (also “acme corp” and « acme corp »)
    acme corp                 implicit AND (an uppercase AND is accepted too)
    acme OR zentrix           OR is an uppercase keyword; a lowercase "or" is a word
    -jobs  -"offre d'emploi"  exclusion of a word, a phrase, a group or a filter
    -(jobs OR stage)          (an uppercase NOT means the same as "-")
    (acme OR zentrix) avis    parentheses
    lang:fr  lang:fr,en       the item's language (ISO 639-1; "fr-CA" counts as "fr")
    site:example.com          the host of the item's URL or of its source URL is
                              example.com or one of its subdomains
    title:acme title:"a b"    the word or phrase must be in the title

Every alternative of an OR, and the query as a whole, must contain a word or
phrase that is not excluded: `-jobs`, `lang:fr` or `acme OR lang:fr` would
match (almost) every item and are syntax errors. So is a trailing `*`
(there are no wildcards: list the forms with OR), a word with no letter or
digit, and an unknown `name:value` filter (`https://...` is a word).

How text is read (the same rules for the query and the items):

* Normalisation: NFKD, combining marks dropped, casefold, then œ→oe, æ→ae
  (casefold already gives ß→ss), character by character. "Ecole", "école"
  and "ÉCOLE" are one word, so are "cœur"/"coeur" and "Straße"/"strasse".
  Letters without a Unicode decomposition keep their identity (ø, ł, đ:
  "Lodz" does not match "Łódź").
* Words are runs of letters and digits; an underscore *between* two of them
  joins them into one word (`acme_support`, `#acme_fr`), so `acme` does not
  match "@acme_support" (while "_Acme_" is the word acme). Every other
  character separates words, so `acme` matches "Acme!", "(Acme)", "«Acme»",
  "Acme's", "l'Acme", "d’Acme", "qu'Acme" (ASCII ' and typographic ’ alike:
  the elided article becomes a word of its own; "jusqu’à" is jusqu + a),
  and never "acmeville", "macme" or "acmes". Side effects, documented rather
  than guessed around: `hui` matches "aujourd'hui", `reilly` "O'Reilly", and
  symbols are not searchable (`C#` and `C++` are the word c).
* Hashtags and handles: "#acme" and "@acme" in a text contain the word acme,
  so the query `acme` matches them; the query `#acme` matches only the
  hashtag and `@acme` only the handle (neither matches plain "acme"). A # or
  @ right after a letter is not a sigil ("C#acme", "team@acme.com").
* Domains and hyphens: "." and "-" separate words like any punctuation, so
  `acme` matches "acme.com", "www.acme.com" and "Acme-Bot", and `commerce`
  matches "e-commerce". A query word with inner punctuation (`acme.com`,
  `e-commerce`, `l'acme`) matches its words in a row *written together*:
  any punctuation, no space between them. `acme.com` matches "ACME.COM",
  "https://www.acme.com/fr" and "contact@acme.com", not "Acme. Com" nor
  "notacme.com"; `e-commerce` matches "E-Commerce" and "e–commerce", not
  "e commerce" (the phrase `"e commerce"` matches both).
* Phrases match consecutive words; punctuation between them is ignored
  ("acme corp" matches "Acme, Corp" and "ACME-CORP"), except that words the
  phrase writes together must be written together. Elided articles count as
  words: `"aime acme"` does not match "j'aime l'Acme"; `"aime l'acme"` does.
  Words do not run from the title into the text.
* An item whose language is unknown matches no `lang:` filter (so it passes
  every `-lang:` exclusion). `site:` compares hosts case-insensitively,
  ignoring a trailing dot, IDNs as punycode; `site:acme.com` matches
  "blog.acme.com" but not "notacme.com" nor "acme.com.evil.net".

`spans()` gives every occurrence of every word or phrase that is not under an
exclusion, as offsets in the original strings (a decomposed accent after a
word is included; a query word `#acme` includes its #), whether or not the
whole query matches; occurrences may overlap.

FTS pre-filter: `fts_prefilter()` keeps the words and phrases with their
AND/OR structure and drops exclusions and filters, so it finds at least every
item the query matches. It targets an FTS5 table tokenised with
`unicode61 remove_diacritics 2` over the raw title and text. unicode61 folds
case and Latin diacritics like this module, and the ligatures œ, æ, ß are
spelled both ways in the expression; but it keeps apart what NFKD folds
beyond that: compatibility characters (full-width letters, styled "𝗮𝗰𝗺𝗲"
letters, ﬁ/ĳ ligatures, superscripts, circled letters) and accents outside
Latin (Greek tonos, Cyrillic ё). For words written that way the pre-filter
can miss what the live matcher finds. An FTS table fed with
`normalise_text()` of each field has no such gap.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

__all__ = [
    "MatchDoc",
    "Query",
    "QuerySyntaxError",
    "TermMatcher",
    "normalise_text",
    "parse_query",
    "tokenize",
]


# --------------------------------------------------------------------------- text


def _fold(s: str) -> str:
    t = unicodedata.normalize("NFKD", s).casefold()
    t = unicodedata.normalize("NFKD", t)  # casefold can yield precomposed letters (Greek)
    t = "".join(c for c in t if unicodedata.category(c)[0] != "M")
    return t.replace("œ", "oe").replace("æ", "ae")


@functools.lru_cache(maxsize=16384)
def _char_info(c: str) -> tuple[str, str]:
    """(normalised form of one character, its word form: the same with
    whitespace turned into "\\n" and every other character that is not a
    letter, a digit or "_" into a space)."""
    r = c.lower() if c.isascii() else _fold(c)
    for _ in range(3):  # fold to a fixed point, so replacing character by character is safe
        nxt = "".join(x.lower() if x.isascii() else _fold(x) for x in r)
        if nxt == r:
            break
        r = nxt
    return r, "".join(x if (x.isalnum() or x == "_") else "\n" if x.isspace() else " " for x in r)


def _normalise_char(c: str) -> str:
    return _char_info(c)[0]


_ASCII_BYTES = bytes(range(128))
# The word form of ASCII: letters lowercased, digits and "_" kept, whitespace
# becomes "\n" and every other character a space ("\n" keeps apart words
# written together from words with a space between them); bytes >= 128
# (UTF-8 sequences) are left alone.
_WORD_BYTES = bytes(
    (c | 0x20) if 65 <= c <= 90
    else c if (c >= 128 or chr(c).isalnum() or c == 95)
    else 10 if chr(c).isspace()
    else 32
    for c in range(256)
)
_WORD_STR = {c: _WORD_BYTES[c] for c in range(128) if _WORD_BYTES[c] != c}


def _words(s: str) -> tuple[str, list[str]]:
    """(word string, words) of a text.

    The word string is the normalised text with whitespace turned into "\\n"
    and every other character that is not part of a word into a space: same
    length, so offsets in one are offsets in the other, and the words are
    its `split()`. Each distinct
    non-ASCII character is folded once (cached) and replaced with str.replace;
    ASCII goes through C-level translate: several times faster than regular
    expressions over the text.
    """
    if s.isascii():
        w = s.translate(_WORD_STR)
    else:
        b = s.encode("utf-8", "surrogatepass")
        others = set(b.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
        w = b.translate(_WORD_BYTES).decode("utf-8", "surrogatepass")
        for c in others:
            r = _char_info(c)[1]
            if r != c:
                w = w.replace(c, r)
    if "_" in w:
        w = _clean_underscores(w)
    return w, w.split()


def _clean_underscores(w: str) -> str:
    """Underscores join words only between letters or digits; others become spaces."""
    out: list[str] = []
    last = 0
    size = len(w)
    i = w.find("_")
    while i >= 0:
        j = i
        while j < size and w[j] == "_":
            j += 1
        if i == 0 or w[i - 1] in " \n" or j == size or w[j] in " \n":
            out.append(w[last:i])
            out.append(" " * (j - i))
            last = j
        i = w.find("_", j)
    out.append(w[last:])
    return "".join(out)


def normalise_text(s: str) -> str:
    """Case- and accent-folded text: NFKD, combining marks dropped, casefold,
    œ→oe, æ→ae (ß→ss through casefold). Character by character, so offsets can
    be mapped back; this is the text the matcher and `tokenize()` read."""
    if s.isascii():
        return s.lower()
    b = s.encode("utf-8", "surrogatepass")
    others = set(b.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
    n = b.lower().decode("utf-8", "surrogatepass")
    for c in others:
        r = _char_info(c)[0]
        if r != c:
            n = n.replace(c, r)
    return n


def tokenize(s: str) -> list[str]:
    """The normalised words of a text, in order (hashtag and handle sigils dropped)."""
    return _words(s)[1]


# The characters that fold to "#" and "@" (checked by a test over all of Unicode).
_SIGIL_FORMS = {"#": ("#", "\ufe5f", "\uff03"), "@": ("@", "\ufe6b", "\uff20")}


def _ends_in_word(s: str) -> bool:
    """Whether the normalised form of s ends with a letter, a digit or "_"."""
    for c in reversed(s):
        wf = _char_info(c)[1]
        if wf:
            return wf[-1] not in " \n"
    return False


def _sigil_words(original: str) -> set[tuple[str, str]]:
    """("#", word) and ("@", word) for every hashtag and handle of a text.

    A sigil counts when it is not preceded by a word character and a word
    starts right after it (the rule `_is_sigil` applies to normalised text),
    read from the original so that only the word after each sigil is folded.
    """
    out: set[tuple[str, str]] = set()
    for sigil, forms in _SIGIL_FORMS.items():
        for form in forms:
            if form not in original:
                continue
            pieces = original.split(form)
            for k in range(1, len(pieces)):
                cur = pieces[k]
                if not cur or cur[0].isspace() or _ends_in_word(pieces[k - 1]):
                    continue
                word = _leading_word(cur.split(None, 1)[0])
                if word:
                    out.add((sigil, word))
    return out


@functools.lru_cache(maxsize=65536)
def _leading_word(chunk: str) -> str:
    """The word that starts at the first character of a chunk, or ""."""
    w = _words(chunk)[0]
    return w.split(None, 1)[0] if w and w[0] not in " \n" else ""


# --------------------------------------------------------------------------- hot path
# Matching many queries reads each document once, without offsets, in C as
# far as possible: encode to UTF-8, one translate for the word form of ASCII
# (UTF-8 sequences, all bytes >= 128, are left alone), one bytes.replace per
# distinct non-ASCII character, split, and a set intersection with the words
# the queries look up. Regular expressions or per-character Python would be
# several times slower.


@functools.lru_cache(maxsize=16384)
def _char_bytes(c: str) -> tuple[bytes, bytes] | None:
    """(UTF-8 of a character, UTF-8 of its word form), or None when they are the same."""
    r = _char_info(c)[1]
    if r == c:
        return None
    return c.encode("utf-8", "surrogatepass"), r.encode("utf-8", "surrogatepass")


def _word_bytes(s: str) -> bytes:
    """The word string of a text (see `_words`) as UTF-8, without offsets."""
    if s.isascii():
        b = s.encode("ascii").translate(_WORD_BYTES)
    else:
        b = s.encode("utf-8", "surrogatepass")
        others = set(b.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
        b = b.translate(_WORD_BYTES)
        for c in others:
            rb = _char_bytes(c)
            if rb is not None:
                b = b.replace(*rb)
    if b"_" in b:
        b = _clean_underscores(b.decode("latin-1")).encode("latin-1")
    return b


class _Vocabulary:
    """Every word some queries look up, as str and as UTF-8."""

    __slots__ = ("words", "utf8", "from_utf8")

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        self.from_utf8 = {w.encode("utf-8", "surrogatepass"): w for w in self.words}
        self.utf8 = frozenset(self.from_utf8)

    def found_in(self, title: bytes, text: bytes) -> set[str] | frozenset[str]:
        """The vocabulary words of two word strings."""
        found = self.utf8.intersection(text.split())
        if title:
            found = found.union(self.utf8.intersection(title.split()))
        if not found:
            return _NO_WORDS
        back = self.from_utf8
        return {back[t] for t in found}


_NO_WORDS: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- errors


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed; `position` is a 0-based offset in the query text."""

    def __init__(self, message: str, position: int, expected: str):
        super().__init__(message)
        self.position = position
        self.expected = expected


def _error(position: int, expected: str, message: str | None = None) -> QuerySyntaxError:
    return QuerySyntaxError(message or f"position {position}: expected {expected}", position, expected)


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class MatchDoc:
    """What a query is matched against: an item's plain-text title and text,
    its language (ISO 639-1, region ignored) and the URLs whose hosts `site:`
    checks (the item's own and its feed's or site's)."""

    title: str
    text: str
    lang: str | None = None
    url: str | None = None
    source_url: str | None = None


class _Field:
    """One field of a document on the hot path: its word string as UTF-8,
    the set of its words and its hashtags and handles, made on demand."""

    __slots__ = ("original", "_b", "_set", "_sigils")

    def __init__(self, original: str, b: bytes | None = None):
        self.original = original
        self._b = b
        self._set: set[bytes] | None = None
        self._sigils: set[tuple[str, str]] | None = None

    @property
    def b(self) -> bytes:
        if self._b is None:
            self._b = _word_bytes(self.original) if self.original else b""
        return self._b

    @property
    def set(self) -> set[bytes]:
        if self._set is None:
            self._set = set(self.b.split())
        return self._set

    def sigils(self) -> set[tuple[str, str]]:
        if self._sigils is None:
            self._sigils = _sigil_words(self.original)
        return self._sigils


class _OffsetField:
    """A field read with offsets: for spans and for phrases with a hashtag or
    handle inside (the normalised text and the word string, same offsets)."""

    __slots__ = ("original", "_norm", "_w")

    def __init__(self, original: str):
        self.original = original
        self._norm: str | None = None
        self._w: str | None = None

    @property
    def norm(self) -> str:
        if self._norm is None:
            self._norm = normalise_text(self.original)
        return self._norm

    @property
    def w(self) -> str:
        if self._w is None:
            self._w = _words(self.original)[0]
        return self._w


def _is_sigil(norm: str, start: int, sigil: str) -> bool:
    """Whether the word starting at `start` carries `sigil` (same rule as _sigil_words)."""
    if start < 1 or norm[start - 1] != sigil:
        return False
    if start < 2:
        return True
    c = norm[start - 2]
    return not (c.isalnum() or c == "_")


def _lang_code(lang: str | None) -> str | None:
    if not lang:
        return None
    return lang.strip().replace("_", "-").split("-", 1)[0].lower() or None


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


@functools.lru_cache(maxsize=4096)  # feed and site URLs repeat
def _host(url: str | None) -> str | None:
    """The host of a URL, lowercased (what urlsplit().hostname gives, faster)."""
    if not url:
        return None
    u = url.strip()
    i = u.find("://")
    if i > 0 and _SCHEME_RE.fullmatch(u, 0, i):
        start = i + 3
    elif u.startswith("//"):
        start = 2
    else:
        return None
    end = len(u)
    for stop in "/?#\\":
        k = u.find(stop, start, end)
        if k >= 0:
            end = k
    netloc = u[start:end].rpartition("@")[2]
    if netloc.startswith("["):  # IPv6 literal
        host = netloc[1:].partition("]")[0]
    else:
        host = netloc.partition(":")[0]
    return _canonical_host(host) if host else None


def _canonical_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host


class _View:
    """A document read once for every query that looks at it.

    Up front: the vocabulary words it holds (`all`; most documents hold none
    of the rare words queries are indexed by, so no query is evaluated).
    Per-field structures are made when a title-only, phrase or hashtag term
    needs them.
    """

    __slots__ = ("all", "_doc", "title", "text", "_lang", "_hosts")

    def __init__(self, doc: MatchDoc, vocabulary: _Vocabulary):
        title, text = doc.title, doc.text
        tb = _word_bytes(title) if title else b""
        xb = _word_bytes(text) if text else b""
        self.all = vocabulary.found_in(tb, xb)
        self._doc = doc
        self.title = _Field(title, tb)
        self.text = _Field(text, xb)
        self._lang: str | None | bool = False
        self._hosts: tuple[str, ...] | None = None

    @property
    def lang(self) -> str | None:
        if self._lang is False:
            self._lang = _lang_code(self._doc.lang)
        return self._lang  # type: ignore[return-value]

    def hosts(self) -> tuple[str, ...]:
        if self._hosts is None:
            self._hosts = tuple(h for h in (_host(self._doc.url), _host(self._doc.source_url)) if h)
        return self._hosts


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True, slots=True)
class _Part:
    token: str  # normalised word
    sigil: str  # "", "#" or "@"
    attached: bool  # must be written against the previous part
    token_b: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "token_b", self.token.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class _Term:
    """A word or a phrase: a sequence of parts that must appear in a row."""

    parts: tuple[_Part, ...]
    surface: str  # as the user wrote it (phrases without their quotes)
    title_only: bool
    pos: int
    # Derived: the words in a row as a pattern over a word string (spaces
    # only where the query writes words together, any separator elsewhere),
    # as str for offsets and as UTF-8 for the hot path; whether a hashtag or
    # handle inside a phrase needs offsets.
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    pattern_b: re.Pattern[bytes] = field(init=False, repr=False, compare=False)
    sigil_inside: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        body = ""
        for k, p in enumerate(self.parts):
            if k:
                body += " +" if p.attached else "[ \n]+"
            body += re.escape(p.token)
        # No lookbehind for the start of the first word: a pattern that starts
        # with a literal lets the regex engine skip ahead to it (see _starts).
        pattern = f"{body}(?![^ \n])"
        object.__setattr__(self, "pattern", re.compile(pattern))
        object.__setattr__(self, "pattern_b", re.compile(pattern.encode("utf-8", "surrogatepass")))
        object.__setattr__(self, "sigil_inside", len(self.parts) > 1 and any(p.sigil for p in self.parts))

    def eval(self, v: _View) -> bool:
        parts = self.parts
        a = v.all
        for p in parts:
            if p.token not in a:
                return False
        if len(parts) == 1 and not parts[0].sigil:
            return not self.title_only or parts[0].token_b in v.title.set
        if self.sigil_inside:
            fields = [v._doc.title] if self.title_only else [v._doc.title, v._doc.text]
            return any(next(_occurrences(self, _OffsetField(f)), None) is not None for f in fields)
        if self._in(v.title):
            return True
        return not self.title_only and self._in(v.text)

    def _in(self, f: _Field) -> bool:
        parts = self.parts
        if len(parts) == 1:
            return (parts[0].sigil, parts[0].token) in f.sigils()
        return next(_starts(self.pattern_b, f.b), None) is not None

    def requires_positive(self) -> bool:
        return True


def _starts(pattern: re.Pattern, w: str | bytes) -> Iterator[re.Match]:
    """Every match of the pattern that starts at the start of a word of a
    word string (str or UTF-8)."""
    seps = " \n" if isinstance(w, str) else b" \n"
    pos = 0
    while (m := pattern.search(w, pos)) is not None:
        start = m.start()
        if start == 0 or w[start - 1 : start] in seps:
            yield m
        pos = start + 1


def _occurrences(term: _Term, f: _OffsetField) -> Iterator[tuple[int, int]]:
    """(start, end) in the normalised field of every place the term's words
    appear in a row, written together where it asks, with its sigils."""
    w = f.w
    parts = term.parts
    need_sigils = any(p.sigil for p in parts)
    norm = f.norm if need_sigils else ""
    for m in _starts(term.pattern, w):
        if need_sigils:
            pos = m.start()
            ok = True
            for p in parts:
                while w[pos] in " \n":
                    pos += 1
                if p.sigil and not _is_sigil(norm, pos, p.sigil):
                    ok = False
                    break
                pos += len(p.token)
            if not ok:
                continue
        yield m.span()


@dataclass(frozen=True, slots=True)
class _Lang:
    codes: frozenset[str]
    pos: int

    def eval(self, v: _View) -> bool:
        return v.lang in self.codes

    def requires_positive(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class _Site:
    domain: str
    pos: int

    def eval(self, v: _View) -> bool:
        d = self.domain
        tail = "." + d
        return any(h == d or h.endswith(tail) for h in v.hosts())

    def requires_positive(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class _Not:
    child: "_Node"
    pos: int

    def eval(self, v: _View) -> bool:
        return not self.child.eval(v)

    def requires_positive(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class _And:
    children: tuple["_Node", ...]
    pos: int

    def eval(self, v: _View) -> bool:
        for c in self.children:
            if not c.eval(v):
                return False
        return True

    def requires_positive(self) -> bool:
        return any(c.requires_positive() for c in self.children)


@dataclass(frozen=True, slots=True)
class _Or:
    children: tuple["_Node", ...]
    pos: int

    def eval(self, v: _View) -> bool:
        for c in self.children:
            if c.eval(v):
                return True
        return False

    def requires_positive(self) -> bool:
        return all(c.requires_positive() for c in self.children)


_Node = _Term | _Lang | _Site | _Not | _And | _Or


# --------------------------------------------------------------------------- lexer

_FILTERS = ("lang", "site", "title")
_KNOWN_FILTERS = ", ".join(f + ":" for f in _FILTERS)
_QUOTES = {'"': '"”', "“": '”"', "«": "»"}
_WORD_STOP = frozenset('()"')
_FILTER_RE = re.compile(r"([A-Za-z]+):(?!//)")

ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
    ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo
    lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps
    pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn
    to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
)


@dataclass(frozen=True, slots=True)
class _Lexeme:
    kind: str  # WORD PHRASE FILTER LPAREN RPAREN OR AND NOT
    pos: int
    text: str = ""  # WORD/PHRASE: content; FILTER: the filter name
    value: str = ""  # FILTER: value text
    value_pos: int = 0
    value_kind: str = ""  # FILTER: "WORD" or "PHRASE"


_FILTER_VALUE = {"lang": "a language code", "site": "a domain name", "title": "a word or phrase"}


def _unknown_filter(name: str, pos: int) -> QuerySyntaxError:
    return _error(pos, _KNOWN_FILTERS, f"unknown filter '{name}:' at position {pos} (known: {_KNOWN_FILTERS})")


def _read_phrase(text: str, pos: int) -> tuple[str, int]:
    """(content, index after the closing quote) of the phrase opening at pos."""
    closers = _QUOTES[text[pos]]
    for i in range(pos + 1, len(text)):
        if text[i] in closers:
            return text[pos + 1 : i], i + 1
    raise _error(pos, "a closing quote", f"unterminated phrase starting at position {pos}")


def _lex(text: str) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            out.append(_Lexeme("LPAREN", i))
            i += 1
        elif c == ")":
            out.append(_Lexeme("RPAREN", i))
            i += 1
        elif c in _QUOTES:
            content, i2 = _read_phrase(text, i)
            out.append(_Lexeme("PHRASE", i, content))
            i = i2
        elif c == "-":
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] in ")-":
                raise _error(i + 1, "a word or phrase", f"position {i + 1}: expected a word or phrase after '-'")
            out.append(_Lexeme("NOT", i))
            i += 1
        else:
            m = _FILTER_RE.match(text, i)
            if m and m.end() < n and text[m.end()] in _QUOTES:  # name:"a phrase"
                name = m.group(1).lower()
                if name not in _FILTERS:
                    raise _unknown_filter(m.group(1), i)
                content, i2 = _read_phrase(text, m.end())
                out.append(_Lexeme("FILTER", i, name, content, m.end(), "PHRASE"))
                i = i2
                continue
            j = i
            while j < n and not text[j].isspace() and text[j] not in _WORD_STOP:
                j += 1
            word = text[i:j]
            if word in ("OR", "AND", "NOT"):
                out.append(_Lexeme(word, i))
                i = j
                continue
            m = _FILTER_RE.match(word)
            if m:
                name = m.group(1).lower()
                value = word[m.end() :]
                vpos = i + m.end()
                if name in _FILTERS:
                    if not value:
                        what = _FILTER_VALUE[name]
                        raise _error(vpos, what, f"position {vpos}: expected {what} after '{name}:'")
                    out.append(_Lexeme("FILTER", i, name, value, vpos, "WORD"))
                    i = j
                    continue
                if value:  # "acme:" alone is a word
                    raise _unknown_filter(m.group(1), i)
            out.append(_Lexeme("WORD", i, word))
            i = j
    return out


# --------------------------------------------------------------------------- parser


def _parts_of(s: str) -> tuple[_Part, ...]:
    """The words of a query word or phrase, with their sigils and whether each
    is written against the previous one (no whitespace in between)."""
    norm = normalise_text(s)
    w = _words(s)[0]
    parts = []
    prev_end = -1
    for m in re.finditer(r"[^ \n]+", w):
        a, b = m.span()
        sigil = "#" if _is_sigil(norm, a, "#") else "@" if _is_sigil(norm, a, "@") else ""
        parts.append(_Part(m.group(), sigil, prev_end >= 0 and "\n" not in w[prev_end:a]))
        prev_end = b
    return tuple(parts)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.lex = _lex(text)
        self.i = 0

    def peek(self) -> _Lexeme | None:
        return self.lex[self.i] if self.i < len(self.lex) else None

    def here(self) -> int:
        lx = self.peek()
        return lx.pos if lx else len(self.text)

    def parse(self) -> _Node:
        if not self.lex:
            raise _error(0, "a word or phrase", "position 0: empty query")
        node = self.parse_or()
        lx = self.peek()
        if lx is not None:  # only a ')' can stop parse_or early
            raise _error(lx.pos, "a word, a phrase or the end of the query",
                         f"position {lx.pos}: unexpected ')' without a matching '('")
        return node

    def parse_or(self) -> _Node:
        start = self.here()
        items = [self.parse_and()]
        while (lx := self.peek()) is not None and lx.kind == "OR":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "RPAREN", "AND"):
                p = self.here()
                raise _error(p, "a word or phrase", f"position {p}: expected a word or phrase after 'OR'")
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else _Or(tuple(items), start)

    def parse_and(self) -> _Node:
        lx = self.peek()
        if lx is not None and lx.kind in ("OR", "AND"):
            raise _error(lx.pos, "a word or phrase", f"position {lx.pos}: expected a word or phrase before '{lx.kind}'")
        start = self.here()
        items = [self.parse_unary()]
        while (lx := self.peek()) is not None and lx.kind not in ("OR", "RPAREN"):
            if lx.kind == "AND":
                self.i += 1
                nxt = self.peek()
                if nxt is None or nxt.kind in ("OR", "RPAREN", "AND"):
                    p = self.here()
                    raise _error(p, "a word or phrase", f"position {p}: expected a word or phrase after 'AND'")
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else _And(tuple(items), start)

    def parse_unary(self) -> _Node:
        lx = self.peek()
        if lx is not None and lx.kind == "NOT":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind not in ("WORD", "PHRASE", "FILTER", "LPAREN"):
                p = self.here()
                op = "-" if self.text[lx.pos] == "-" else "NOT"
                raise _error(p, "a word or phrase", f"position {p}: expected a word or phrase after '{op}'")
            return _Not(self.parse_primary(), lx.pos)
        return self.parse_primary()

    def parse_primary(self) -> _Node:
        lx = self.peek()
        if lx is None:
            p = len(self.text)
            raise _error(p, "a word or phrase", f"position {p}: expected a word or phrase")
        if lx.kind == "LPAREN":
            self.i += 1
            nxt = self.peek()
            if nxt is not None and nxt.kind == "RPAREN":
                raise _error(nxt.pos, "a word or phrase", f"position {nxt.pos}: empty parentheses")
            if nxt is None:
                p = len(self.text)
                raise _error(p, "')'", f"position {p}: expected ')' to close '(' opened at position {lx.pos}")
            node = self.parse_or()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                p = self.here()
                raise _error(p, "')'", f"position {p}: expected ')' to close '(' opened at position {lx.pos}")
            self.i += 1
            return node
        if lx.kind == "RPAREN":
            raise _error(lx.pos, "a word or phrase",
                         f"position {lx.pos}: unexpected ')' without a matching '('")
        self.i += 1
        if lx.kind == "WORD":
            return self.term(lx.text, lx.pos, False, phrase=False)
        if lx.kind == "PHRASE":
            return self.term(lx.text, lx.pos, False, phrase=True)
        if lx.kind == "FILTER":
            return self.filter(lx)
        raise _error(lx.pos, "a word or phrase", f"position {lx.pos}: expected a word or phrase")  # pragma: no cover

    def term(self, s: str, pos: int, title_only: bool, phrase: bool) -> _Term:
        if not phrase and s.endswith("*") and tokenize(s):
            p = pos + len(s) - 1
            raise _error(p, "a whole word",
                         f"position {p}: '*' wildcards are not supported; list the forms with OR")
        parts = _parts_of(s)
        if not parts:
            if phrase:
                raise _error(pos, "a word inside the quotes", f"position {pos}: empty phrase")
            raise _error(pos, "a word with letters or digits",
                         f"position {pos}: '{s}' has no letters or digits to match")
        return _Term(parts, " ".join(s.split()), title_only, pos)

    def filter(self, lx: _Lexeme) -> _Node:
        if lx.text == "title":
            return self.term(lx.value, lx.value_pos, True, phrase=lx.value_kind == "PHRASE")
        if lx.value_kind == "PHRASE":
            what = "a language code" if lx.text == "lang" else "a domain name"
            raise _error(lx.value_pos, what, f"position {lx.value_pos}: expected {what} after '{lx.text}:', not a phrase")
        if lx.text == "lang":
            codes = []
            p = lx.value_pos
            for code in lx.value.split(","):
                c = code.strip().lower()
                if not c:
                    raise _error(p, "a language code", f"position {p}: expected a language code (like fr or en)")
                if c not in ISO_639_1:
                    raise _error(p, "a two-letter language code (ISO 639-1)",
                                 f"position {p}: unknown language code '{code}' (expected ISO 639-1, like fr or en)")
                codes.append(c)
                p += len(code) + 1
            return _Lang(frozenset(codes), lx.pos)
        # site:
        value = lx.value
        if value.startswith("*."):  # "*.acme.com": subdomains are included anyway
            value = value[2:]
        host = value
        if "/" in value or ":" in value:
            try:
                host = urlsplit(value if "//" in value else "//" + value).hostname or ""
            except ValueError:
                host = ""
        host = _canonical_host(host)
        if not host or not re.fullmatch(r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?", host) or ".." in host:
            raise _error(lx.value_pos, "a domain name",
                         f"position {lx.value_pos}: expected a domain name after 'site:' (like example.com)")
        return _Site(host, lx.pos)


def _check_positive(node: _Node) -> None:
    """Every way to satisfy the query must need a word or phrase."""
    if isinstance(node, _Or):
        for c in node.children:
            if not c.requires_positive():
                raise _error(
                    c.pos, "a word or phrase that is not excluded",
                    f"position {c.pos}: expected a word or phrase that is not excluded in this OR alternative"
                    " (exclusions and filters alone would match almost every item)",
                )
            _check_positive(c)
    elif isinstance(node, _And):
        if not node.requires_positive():
            raise _error(
                node.pos, "a word or phrase that is not excluded",
                f"position {node.pos}: expected a word or phrase that is not excluded"
                " (exclusions and filters alone would match almost every item)",
            )
        for c in node.children:
            if isinstance(c, (_Or, _And)):
                _check_positive(c)
    elif not node.requires_positive():
        raise _error(
            node.pos, "a word or phrase that is not excluded",
            f"position {node.pos}: expected a word or phrase that is not excluded"
            " (exclusions and filters alone would match almost every item)",
        )


def parse_query(text: str) -> "Query":
    """Parse a watch-term query; raises QuerySyntaxError with the position and what was expected."""
    if not isinstance(text, str):
        raise TypeError("query must be a str")
    root = _Parser(text).parse()
    _check_positive(root)
    return Query(text, root)


# --------------------------------------------------------------------------- FTS5

# Latin ligatures unicode61 keeps as they are while normalise_text spells them out.
_LIGATURES = {"oe": "œ", "ae": "æ", "ss": "ß"}
_MAX_VARIANTS = 32


def _fts_quote(s: str) -> str:
    return '"' + s.replace("\x00", " ").replace('"', '""') + '"'


def _spellings(token: str) -> list[str] | None:
    """Every spelling whose normalisation is `token` as far as unicode61 tells
    them apart (oe/œ, ae/æ, ss/ß), or None when there are too many."""
    n = len(token)
    # Expand left to right; each digraph may be the ligature or the two letters.
    pending = [("", 0)]
    done: list[str] = []
    while pending:
        prefix, i = pending.pop()
        if i >= n:
            done.append(prefix)
            if len(done) > _MAX_VARIANTS:
                return None
            continue
        pending.append((prefix + token[i], i + 1))
        lig = _LIGATURES.get(token[i : i + 2])
        if lig:
            pending.append((prefix + lig, i + 2))
    return sorted(set(done))


def _fts_token_expr(token: str) -> str:
    sp = _spellings(token)
    if sp is not None:
        return " OR ".join(_fts_quote(s) for s in sp)
    # Too many spellings: a prefix query up to the first digraph is still a superset.
    j = min(k for k in range(len(token) - 1) if token[k : k + 2] in _LIGATURES)
    if j > 0:
        return _fts_quote(token[:j]) + "*"
    d = token[:2]
    return " OR ".join(_fts_quote(s) + "*" for s in (d, _LIGATURES[d]))


def _has_token_char(s: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in s)


def _fts_term(t: _Term) -> str:
    words = [w for p in t.parts for w in p.token.split("_")]
    alts: list[str] = []
    if len(words) == 1:
        alts.extend(_fts_token_expr(words[0]).split(" OR "))
    else:
        spell = [_spellings(w) for w in words]
        count = 1
        for s in spell:
            count = count * len(s) if s is not None else _MAX_VARIANTS + 1
        if count <= _MAX_VARIANTS:
            phrases = [""]
            for s in spell:
                assert s is not None
                phrases = [f"{p} {w}".strip() for p in phrases for w in s]
            alts.extend(_fts_quote(p) for p in phrases)
        else:  # an AND of the words is a looser but still complete pre-filter
            return " AND ".join(f"({_fts_token_expr(w)})" for w in words)
    # The words as typed: unicode61 splits some scripts where NFKD folds them
    # (marks in Indic scripts), so the user's own spelling is worth a try too.
    if not t.surface.isascii() and _has_token_char(t.surface):
        surface = _fts_quote(t.surface)
        if surface.lower() not in alts:
            alts.append(surface)
    return " OR ".join(dict.fromkeys(alts))


def _fts(node: _Node) -> str | None:
    if isinstance(node, _Term):
        return _fts_term(node)
    if isinstance(node, (_Lang, _Site, _Not)):
        return None
    subs = [_fts(c) for c in node.children]  # type: ignore[union-attr]
    if isinstance(node, _Or):
        assert all(s is not None for s in subs)  # guaranteed by _check_positive
        parts = [s for s in subs if s is not None]
        return " OR ".join(_paren(s) for s in parts)
    parts = [s for s in subs if s is not None]
    return " AND ".join(_paren(s) for s in parts)


def _paren(expr: str) -> str:
    return f"({expr})" if (" OR " in expr or " AND " in expr) else expr


# --------------------------------------------------------------------------- evaluation


def _simple_token(node: _Node) -> str | None:
    """The word when the node is a plain one-word term over both fields."""
    if isinstance(node, _Term) and not node.title_only and len(node.parts) == 1 and not node.parts[0].sigil:
        return node.parts[0].token
    return None


def _simple_any(node: _Node) -> frozenset[str] | None:
    """The words when the node is a plain word or an OR of plain words."""
    tok = _simple_token(node)
    if tok is not None:
        return frozenset([tok])
    if isinstance(node, _Or):
        toks = [_simple_token(c) for c in node.children]
        if all(t is not None for t in toks):
            return frozenset(toks)  # type: ignore[arg-type]
    return None


def _compile(node: _Node) -> Callable[[_View], bool]:
    """A closure evaluating the node: plain words become set operations on
    the document's words, the rest calls the nodes' eval, cheapest first."""
    if isinstance(node, _Term):
        tok = _simple_token(node)
        if tok is not None:
            return lambda v: tok in v.all
        return node.eval
    if isinstance(node, _Lang):
        codes = node.codes
        return lambda v: v.lang in codes
    if isinstance(node, _Site):
        return node.eval
    if isinstance(node, _Not):
        anyof = _simple_any(node.child)
        if anyof is not None:
            return lambda v: anyof.isdisjoint(v.all)
        inner = _compile(node.child)
        return lambda v: not inner(v)
    if isinstance(node, _And):
        required: set[str] = set()
        excluded: set[str] = set()
        rest: list[tuple[int, Callable[[_View], bool]]] = []
        for c in node.children:
            tok = _simple_token(c)
            if tok is not None:
                required.add(tok)
                continue
            if isinstance(c, _Not):
                anyof = _simple_any(c.child)
                if anyof is not None:
                    excluded |= anyof
                    continue
            cost = 1 if isinstance(c, (_Term, _Lang)) else 2 if isinstance(c, (_And, _Or, _Not)) else 3
            rest.append((cost, _compile(c)))
        req = frozenset(required)
        exc = frozenset(excluded)
        fns = tuple(f for _c, f in sorted(rest, key=lambda cf: cf[0]))

        def and_(v: _View) -> bool:
            a = v.all
            if not req <= a or not exc.isdisjoint(a):
                return False
            for f in fns:
                if not f(v):
                    return False
            return True

        return and_
    assert isinstance(node, _Or)
    anyof_set: set[str] = set()
    others: list[Callable[[_View], bool]] = []
    for c in node.children:
        tok = _simple_token(c)
        if tok is not None:
            anyof_set.add(tok)
        else:
            others.append(_compile(c))
    any_tokens = frozenset(anyof_set)
    other_fns = tuple(others)

    def or_(v: _View) -> bool:
        if not any_tokens.isdisjoint(v.all):
            return True
        for f in other_fns:
            if f(v):
                return True
        return False

    return or_


# --------------------------------------------------------------------------- Query


def _vocabulary(node: _Node) -> Iterator[str]:
    """Every word the node looks up (positive or excluded)."""
    if isinstance(node, _Term):
        for p in node.parts:
            yield p.token
    elif isinstance(node, _Not):
        yield from _vocabulary(node.child)
    elif isinstance(node, (_And, _Or)):
        for c in node.children:
            yield from _vocabulary(c)


def _walk_positive(node: _Node) -> Iterable[_Term]:
    if isinstance(node, _Term):
        yield node
    elif isinstance(node, (_And, _Or)):
        for c in node.children:
            yield from _walk_positive(c)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query; build it with `parse_query()`. Immutable and thread-safe."""

    text: str
    _root: _Node = field(repr=False)
    _fn: Callable[[_View], bool] = field(init=False, repr=False, compare=False)
    _vocabulary: _Vocabulary = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fn", _compile(self._root))
        object.__setattr__(self, "_vocabulary", _Vocabulary(_vocabulary(self._root)))

    def matches(self, doc: MatchDoc) -> bool:
        """Whether the document satisfies the query."""
        return self._fn(_View(doc, self._vocabulary))

    def positive_terms(self) -> tuple[str, ...]:
        """Words and phrases not under an exclusion, as written (phrases
        without quotes, `title:` dropped, sigils kept), first occurrence order."""
        seen: dict[str, None] = {}
        for t in _walk_positive(self._root):
            seen.setdefault(t.surface, None)
        return tuple(seen)

    def search_alternatives(self, limit: int = 8) -> list[list[str]]:
        """What a search engine should look for to find what the query
        matches: the query's positive words and phrases (as written, sigils
        kept, `title:` dropped) as alternatives, each a list of words all
        required, exclusions and filters left out. `(a OR b) c` gives
        [[a, c], [b, c]]. Past `limit` alternatives, each positive word or
        phrase becomes an alternative of its own (a broader search)."""
        alts = _dnf(self._root, limit)
        if alts is None:
            alts = [[t] for t in self.positive_terms()][:limit]
        return alts

    def spans(self, doc: MatchDoc) -> list[tuple[str, int, int]]:
        """Every occurrence of every positive word or phrase as (field, start,
        end) offsets in the original `doc.title` / `doc.text` ("title" or
        "text"), sorted; occurrences may overlap. A word with a sigil in the
        query (`#acme`) spans its sigil too."""
        terms = list(_walk_positive(self._root))
        out: set[tuple[str, int, int]] = set()
        for name, original in (("title", doc.title), ("text", doc.text)):
            if not original:
                continue
            todo = [t for t in terms if name == "title" or not t.title_only]
            if not todo:
                continue
            norm, to_orig, orig_end = _normalise_with_map(original)
            f = _OffsetField(original)
            f._norm = norm
            for t in todo:
                for ns, ne in _occurrences(t, f):
                    if t.parts[0].sigil:
                        ns -= 1
                    out.add((name, to_orig(ns), orig_end(ne - 1)))
        return sorted(out, key=lambda s: (s[0] != "title", s[1], s[2]))

    def fts_prefilter(self) -> str:
        """An FTS5 MATCH expression finding at least every item the query
        matches (see the module docstring for the table it expects)."""
        expr = _fts(self._root)
        assert expr  # a valid query always has a positive word or phrase
        return expr


def _dnf(node: _Node, limit: int) -> list[list[str]] | None:
    """Positive words and phrases of a node as OR-of-ANDs; [] for a node with
    none (filters, exclusions); None when there would be more than `limit`."""
    if isinstance(node, _Term):
        return [[node.surface]]
    if isinstance(node, _Or):
        out: list[list[str]] = []
        for c in node.children:
            sub = _dnf(c, limit)
            if sub is None:
                return None
            out += [a for a in sub if a not in out]
        return out if len(out) <= limit else None
    if isinstance(node, _And):
        acc: list[list[str]] = [[]]
        for c in node.children:
            sub = _dnf(c, limit)
            if sub is None:
                return None
            if not sub:
                continue
            acc = [a + [w for w in b if w not in a] for a in acc for b in sub]
            if len(acc) > limit:
                return None
        return [a for a in acc if a]
    return []


def _normalise_with_map(s: str) -> tuple[str, Callable[[int], int], Callable[[int], int]]:
    """(normalised text, norm index → original start, norm index → original end)."""
    if s.isascii():
        return s.lower(), (lambda k: k), (lambda k: k + 1)
    pieces: list[str] = []
    index: list[int] = []
    for i, c in enumerate(s):
        m = _normalise_char(c)
        if m:
            pieces.append(m)
            index.extend([i] * len(m))
    norm = "".join(pieces)
    n = len(s)

    def start(k: int) -> int:
        return index[k]

    def end(k: int) -> int:
        e = index[k] + 1
        while e < n and not _normalise_char(s[e]):  # keep trailing combining marks
            e += 1
        return e

    return norm, start, end


# --------------------------------------------------------------------------- TermMatcher

# Frequent French and English words: a term is indexed by another of its words
# when it has one, so that most items never trigger its evaluation.
_COMMON = frozenset(
    """a an and are as at be but by for from has have he her his i if in is it its me my no not of on
    or our so that the their them they this to was we were what when which who will with you your
    au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur mais me mes ne
    nous on ou par pas plus pour qu que qui sa se ses son sur ta te tes ton tu un une vos vous y
    c d j l m n s t jusqu lorsqu puisqu www com fr org net http https""".split()
)


def _cost(token: str) -> int:
    return (1000 if token in _COMMON else 0) + max(0, 12 - len(token))


def _triggers(node: _Node) -> frozenset[str] | None:
    """Words of which at least one is in every document the node matches."""
    if isinstance(node, _Term):
        return frozenset([min((p.token for p in node.parts), key=_cost)])
    if isinstance(node, _Or):
        out: set[str] = set()
        for c in node.children:
            t = _triggers(c)
            if t is None:
                return None
            out |= t
        return frozenset(out)
    if isinstance(node, _And):
        best: frozenset[str] | None = None
        for c in node.children:
            t = _triggers(c)
            if t is not None and (best is None or sum(map(_cost, t)) < sum(map(_cost, best))):
                best = t
        return best
    return None


class TermMatcher:
    """Matches documents against many queries at once; immutable, thread-safe.

    Each document is read once (see "hot path" above) into the set of the
    words any of the queries looks up. Each query is indexed by the rarest
    word it cannot match without (one word per OR branch), so only the
    queries whose trigger word is in the document are evaluated, and then
    plain words are set lookups; phrases, hashtags, title and site filters
    build what they need on first use.
    """

    def __init__(self, terms: Sequence[tuple[int, Query]]):
        self._queries: list[tuple[int, Query]] = list(terms)
        index: dict[str, list[int]] = {}
        for n, (_id, q) in enumerate(self._queries):
            trig = _triggers(q._root)
            if trig is None:  # pragma: no cover - parse_query rejects such queries
                raise ValueError(f"query {q.text!r} has no positive word")
            for tok in trig:
                index.setdefault(tok, []).append(n)
        self._index = index
        self._keys = frozenset(index)
        self._fns = [(tid, q._fn) for tid, q in self._queries]
        self._vocabulary = _Vocabulary(w for _tid, q in self._queries for w in q._vocabulary.words)

    def match(self, doc: MatchDoc) -> list[int]:
        """Ids of the terms the document matches, in the order the terms were given."""
        view = _View(doc, self._vocabulary)
        hits = view.all & self._keys
        if not hits:
            return []
        index = self._index
        if len(hits) == 1:
            cands = index[next(iter(hits))]
        else:
            cands = sorted({n for tok in hits for n in index[tok]})
        fns = self._fns
        return [fns[n][0] for n in cands if fns[n][1](view)]
