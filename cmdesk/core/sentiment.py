"""Explainable lexicon-and-rules sentiment for French and English mentions.

Stdlib only. The word lists are plain files (``resources/lexicons``): one
``<lang>.tsv`` per language (``word<TAB>weight``, multi-word expressions
allowed) and ``modifiers.tsv`` (negators, intensifiers, dampeners, contrast
words, irony markers, emoji, and the words of the irony and complaint-question
rules). Core functions take the folder or the text as
parameters; they never look for files themselves.

How a text is scored:

1. Tokens. URLs and @handles are dropped, ``#tag`` counts as ``tag``. French
   elision is split (``l'appli`` -> ``l'`` ``appli``, ``n'est`` -> ``n'``
   ``est``), English ``n't`` too (``don't`` -> ``do`` ``n't``). Each word is
   matched to the lexicon's spelling ignoring case, then ignoring accents
   (``decu`` finds ``déçu``; a 0-weight entry keeps a real word such as
   ``baisse`` from being read as ``baissé``), then with stretched letters
   shortened (``merciii``). The longest known expression wins
   (``pas terrible`` is one unit, not a negated ``terrible``).
2. Words. A sentiment word's weight is multiplied by the intensifiers or
   dampeners just before it (``très``, ``a bit``) or after it (``du tout``,
   ``af``), by 1.3 in CAPITALS, and by the factor of a negator whose scope
   covers it: the next three words, not past punctuation or ``but``, and
   past determiners a negative word just beyond them (``never had a single
   outage``); a negated good word is worth at least -1.2: ``doesn't work``.
   A negator that is itself a complaint (``still no``, ``toujours pas``)
   loses its own weight when it negates a bad word (``still no issues``).
   French ``ne ... pas/plus/jamais`` also negates the words between ``ne`` and
   ``pas``; a bare ``pas`` with nothing to negate after it negates the word
   just before it (``j'aime pas``). A negated negative word turns into a
   weaker positive (x 2/3: ``pas déçu`` is mild praise).
3. Sentences. After ``but``/``mais`` counts x1.5, before it x0.5; a question
   is damped (x0.3), but one opening like a complaint (``why``, ``est-ce
   normal que``, ``on fait comment``: ``question`` modifiers) adds its own
   negative weight (x1.5 with ``??``). Irony turns praise into blame (x
   -0.75): an irony marker (🙃, 🙄) flips the positive words of the text;
   thanks *for* a bad thing (``thanks X for cancelling my train``) flips
   the thanks; a short stock compliment (only praise, intensifiers and
   ``stock`` words: ``Great job guys``, ``Sympa.``, ``merci bien``) right
   after a sentence that only blames is flipped; a one-word ``retort``
   sentence after a complaint (``Sure.``, ``Right.``) adds its weight and
   flips the praise of the text. Each ``!`` (up to four) adds 0.3 in the
   direction of the total.
4. ``score = total / sqrt(total² + 15)`` in [-1, 1]; the label is
   ``neutral`` when ``|score| < NEUTRAL_THRESHOLD``.

Every contribution is a :class:`SentimentCue` with a reason code from
:data:`REASONS`; their weights add up to the total. A modifier's cue follows
the cue of the word it changed and carries the change it made, so
:func:`explain` can say "'déçu' −2.0 negated by 'pas' → +1.0". Irony cues
(reason ``negated``, text the marker, ``Thanks … for``, the stock compliment
or the retort) come before the word cues; a complaint question adds a
``question`` cue named after its opening words (``why``).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "SentimentCue",
    "SentimentResult",
    "SentimentLexicon",
    "LexiconError",
    "analyse",
    "explain",
    "tokenize",
    "NEUTRAL_THRESHOLD",
    "REASONS",
    "LABELS",
]

REASONS = (
    "lexicon",
    "negated",
    "intensified",
    "dampened",
    "emoji",
    "exclamation",
    "but_clause",
    "question",
)
LABELS = ("positive", "neutral", "negative")

# Chosen on tests/data/sentiment_fr_en.tsv (benchmarks/sentiment.py prints
# accuracy for several thresholds).
NEUTRAL_THRESHOLD = 0.25
NORMALISATION_ALPHA = 15.0  # as in VADER: x / sqrt(x² + alpha)

NEGATION_SCOPE = 3  # words after a negator that it reaches
NEGATED_NEGATIVE_FACTOR = 2 / 3  # "not bad" is milder praise than "good"
NEGATED_POSITIVE_MIN = 1.2  # ... but "doesn't work" is a complaint, however mild "works" is
DEFAULT_NEGATION = -0.75
CAPS_FACTOR = 1.3
STRETCH_FACTOR = 1.15  # "soooo good", "nuuul"
BEFORE_CONTRAST_FACTOR = 0.5
QUESTION_FACTOR = 0.3  # "worth it?" asks, it does not praise
EXCITED_QUESTION_FACTOR = 0.75  # "??", "?!": exasperation more than inquiry
EXCLAMATION_STEP = 0.3
EXCLAMATION_MAX = 4
MAX_CHAIN = 3  # modifiers stacked before one word ("not very very good")
IRONY_FACTOR = -0.75  # praise read as irony ("Great job guys" after a complaint)
COMPLAINT_QUESTION_EXCITED = 1.5  # "Why??" is angrier than "Why?"
STOCK_PRAISE_MAX_WORDS = 4  # "Great job guys, really": a stock phrase, not a review
GRATITUDE_REACH = 4  # words between "thanks" and "for"
GRATITUDE_OBJECT_REACH = 3  # words between "for" and the bad thing it thanks for

# French grammar, not vocabulary: "ne"/"n'" announces a negation that "pas",
# "plus", "jamais", ... confirms a few words later; subjects like "personne"
# and "rien" negate through a "ne" that follows them ("personne ne répond").
_FR_NE = ("ne", "n'")
_FR_NE_LOOKAHEAD = 5
_FR_NEGATIVE_SUBJECTS = frozenset({"personne", "rien", "aucun", "aucune"})
# "can't recommend them enough": the negation is praise
_LITOTES_ENOUGH = frozenset({"enough"})
# Words a negation reaches past to a negative word: "never had a single outage"
_DETERMINERS = frozenset(
    "a an the any my our your their his her its this that these those single "
    "le la les l' un une des de d' du mon ma mes ton ta tes son sa ses notre nos "
    "votre vos leur leurs ce cet cette ces seul seule moindre".split()
)
# What a "thanks"/"merci" is for: "thanks X for cancelling my train"
_GRATITUDE_OBJECT = frozenset({"for", "pour", "de", "d'"})
# Not stock compliments: a concession ("The app crashed. Still love it.",
# "Pricey. Worth it.") or a considered verdict ("Highly recommend.")
_SINCERE = frozenset(
    "still toujours anyway though even malgré worth vaut valait recommend recommended "
    "recommande conseille".split()
)

_WEIGHT_LIMIT = 4.0
_END = ""  # trie key marking a complete entry (no word is empty)
_MODIFIER_KINDS = (
    "negator",
    "negator_ne",
    "intensifier",
    "dampener",
    "contrast",
    "irony",
    "emoji",
    "gratitude",
    "retort",
    "question",
    "stock",
)


class LexiconError(ValueError):
    """A lexicon file has a line that cannot be read."""


@dataclass(frozen=True)
class SentimentCue:
    """One contribution to a score: the text that caused it, the weight it
    added (its sign is its direction) and a reason code from :data:`REASONS`."""

    text: str
    weight: float
    reason: str


@dataclass(frozen=True)
class SentimentResult:
    """``score`` in [-1, 1], ``label`` positive/neutral/negative, and the cues."""

    score: float
    label: str
    cues: tuple[SentimentCue, ...] = ()

    @property
    def total(self) -> float:
        """Sum of the cue weights, before normalisation."""
        return sum(c.weight for c in self.cues)


NEUTRAL = SentimentResult(0.0, "neutral", ())

# ---------------------------------------------------------------------------
# Text normalisation and tokens

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


@lru_cache(maxsize=65536)
def lower_key(word: str) -> str:
    """Exact matching key: lower case, straight apostrophes, accents kept."""
    return unicodedata.normalize("NFC", word.translate(_APOSTROPHES).casefold())


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Loose matching key: lower case, no accents, no ligatures."""
    s = lower_key(word).translate(_LIGATURES)
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_EMOJI_CLASS = (
    "\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f"
    "\u2b00-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
# Words starting with a letter come first: they are most of any text, and the
# alternatives after them need lookbehinds. ("xD" is caught after the match.)
_TOKEN_RE = re.compile(
    r"""
      (?P<word>[^\W\d_](?:\w|['’\-](?=[^\W_]))*)
    | (?P<rating>(?<![\w/.,])\d{1,3}(?:[.,]\d)?\s?/\s?(?:5|10|20|100)(?![\w/])
          |(?<![\w.,])[0-5](?:[.,]5)?\s?(?:stars?|étoiles?)(?!\w))
    | (?P<number>\d(?:\w|['’\-](?=[^\W_]))*)
    | (?P<stop>[.!?…]+|\n)
    | (?P<emoticon>(?<![\w:;=<>^\-])
          (?:>:\(|</3|<3|:'\(|[:;=][\-o]?[)(\]\[DPp/|]|\^_?\^|-_-)
          (?![\w)(\]\[/|]))
    | (?P<clause>[,;:()\[\]]|\s[\-–—]\s|[–—])
    | (?P<emoji>["""
    + _EMOJI_CLASS
    + r"""](?:[\ufe0f\u20e3\U0001f3fb-\U0001f3ff]|\u200d["""
    + _EMOJI_CLASS
    + r"""])*)
    """,
    re.VERBOSE,
)
_XD_RE = re.compile(r"[xX]D+")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_HANDLE_RE = re.compile(r"(?<![\w@])@\w+")
_ELISION_RE = re.compile(
    r"^(l|d|j|m|t|s|c|n|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=[^\W\d_])(.+)$", re.IGNORECASE
)
_NT_RE = re.compile(r"^(.+?)(n't)$", re.IGNORECASE)
_EN_CLITIC_RE = re.compile(r"^(.+?)'(s|re|ve|ll|d|m)$", re.IGNORECASE)
_STRETCH_RE = re.compile(r"([^\W\d_])\1{2,}")
_EMOJI_NOISE_RE = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
_RATING_RE = re.compile(r"(\d{1,3}(?:[.,]\d)?)\s?(?:/\s?(\d+)|(stars?|étoiles?))")

WORD, EMOJI, RATING, STOP, CLAUSE = "word", "emoji", "rating", "stop", "clause"


class Token(NamedTuple):
    """A token as the analyser sees it; ``key`` is :func:`lower_key` for words."""

    surface: str
    key: str
    kind: str  # WORD, EMOJI (emoji and emoticons), RATING, STOP, CLAUSE


def emoji_key(s: str) -> str:
    """Emoji matching key: no variation selectors, no skin tones."""
    return _EMOJI_NOISE_RE.sub("", s).casefold()


def _split_word(word: str) -> list[str]:
    if word.lower() == "n't":
        return [word]
    m = _ELISION_RE.match(word)
    if m:
        return [m.group(1) + "'", *_split_word(m.group(2))]
    m = _NT_RE.match(word)
    if m:
        return [m.group(1), "n't"]
    m = _EN_CLITIC_RE.match(word)
    if m and len(m.group(1)) > 1:
        return [m.group(1)]
    return [word]


def tokenize(text: str) -> list[Token]:
    """Tokens of a text: words (elision split), emoji and emoticons, ratings
    ("8/10", "5 stars"), sentence stops and clause breaks."""
    # The cheap "in" tests skip whole passes over most texts.
    if "’" in text or "‘" in text or "`" in text or "´" in text or "ʼ" in text:
        text = text.translate(_APOSTROPHES)
    if "://" in text or "www." in text or "WWW." in text or "@" in text:
        text = _URL_RE.sub(" ", text)
        text = _HANDLE_RE.sub(" ", text)
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        s = m.group()
        if kind == "word" and _XD_RE.fullmatch(s):
            append(Token(s, emoji_key(s), EMOJI))
        elif kind == "number":
            append(Token(s, lower_key(s), WORD))
        elif kind == "word":
            if "'" not in s:
                append(Token(s, lower_key(s), WORD))
            else:
                for part in _split_word(s):
                    append(Token(part, lower_key(part), WORD))
        elif kind in ("emoji", "emoticon"):
            append(Token(s, emoji_key(s), EMOJI))
        elif kind == "rating":
            append(Token(s, s, RATING))
        elif kind == "stop":
            append(Token(s, s, STOP))
        else:
            append(Token(s.strip(), s.strip(), CLAUSE))
    return tokens


def _key_tuple(text: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(text) if t.kind == WORD)


# ---------------------------------------------------------------------------
# Lexicon


@dataclass
class _Unit:
    """What a word or expression can do; several roles may coexist ("super"
    is a word and an intensifier, "grave" a word and an after-intensifier)."""

    weight: float | None = None
    negator: float | None = None
    needs_ne: bool = False  # French "plus", "personne": negators only after "ne"
    fr_negator: bool = False  # confirms a French "ne"
    pre: float | None = None  # intensifier/dampener factor on the next word
    post: float | None = None  # ... on the previous word
    contrast: float | None = None
    is_ne: bool = False
    gratitude: float | None = None  # "thanks": x factor when it thanks for a bad thing
    retort: float | None = None  # "Sure." alone after a complaint: its weight
    question: float | None = None  # "why ...?": a complaint question, its weight
    stock: bool = False  # "guys", "job": words of a stock phrase ("great job guys")


@dataclass(frozen=True)
class _Table:
    units: dict  # tuple of lexicon spellings -> _Unit
    trie: dict  # word -> {word -> ...}; the key _END holds the entry's key tuple
    vocab: frozenset  # every word appearing in an entry, as spelled there
    canon: dict  # fold(word) -> the lexicon's spelling
    emoji: dict  # emoji key -> weight
    irony: dict  # emoji or word key -> factor applied to positive words


class SentimentLexicon:
    """Word weights per language plus modifiers; build with :meth:`load` or
    :meth:`from_text`. Immutable once built and safe to share between threads
    (the per-language tables are built on first use, under a lock)."""

    def __init__(
        self,
        words: Mapping[str, Mapping[str, float]],
        modifiers: Iterable[tuple[str, str, str, float, str]] = (),
    ):
        self._words = {lang.lower(): dict(entries) for lang, entries in words.items()}
        self._modifiers = tuple(modifiers)
        self._tables: dict[frozenset, _Table] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: Path) -> SentimentLexicon:
        """Read every ``<lang>.tsv`` of a folder, and its ``modifiers.tsv``."""
        directory = Path(directory)
        lexicons: dict[str, str] = {}
        modifiers = ""
        for path in sorted(directory.glob("*.tsv")):
            text = path.read_text(encoding="utf-8")
            if path.stem == "modifiers":
                modifiers = text
            else:
                lexicons[path.stem] = text
        if not lexicons:
            raise LexiconError(f"no <lang>.tsv lexicon in {directory}")
        return cls.from_text(lexicons, modifiers)

    @classmethod
    def from_text(cls, lexicons: Mapping[str, str], modifiers: str = "") -> SentimentLexicon:
        """Build from file contents: ``{"en": "good\\t2\\n...", "fr": ...}``
        and the text of a modifiers file. Raises :class:`LexiconError`."""
        words = {lang: _parse_words(text, f"{lang}.tsv") for lang, text in lexicons.items()}
        return cls(words, _parse_modifiers(modifiers))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._words))

    def weight(self, expression: str, lang: str | None = None) -> float | None:
        """Weight of a word or expression as the analyser matches it, or None."""
        table = self._table(self.languages_for(lang))
        keys = tuple(_canonical(table, t.key)[0] for t in tokenize(expression) if t.kind == WORD)
        unit = table.units.get(keys)
        return None if unit is None else unit.weight

    def languages_for(self, lang: str | None) -> frozenset:
        """The lexicons used for ``lang``: its own, or all of them."""
        code = (lang or "").strip().lower()[:2]
        if code in self._words:
            return frozenset({code})
        return frozenset(self._words)

    def _table(self, langs: frozenset) -> _Table:
        table = self._tables.get(langs)
        if table is None:
            with self._lock:
                table = self._tables.get(langs)
                if table is None:
                    table = self._build(langs)
                    self._tables[langs] = table
        return table

    def _build(self, langs: frozenset) -> _Table:
        units: dict[tuple[str, ...], _Unit] = {}
        # In several languages at once, an entry whose sign differs between
        # them is ambiguous and left out; otherwise the milder weight wins.
        merged: dict[tuple[str, ...], float] = {}
        dropped: set[tuple[str, ...]] = set()
        for lang in sorted(langs):
            for expr, w in self._words.get(lang, {}).items():
                key = _key_tuple(expr)
                if not key or key in dropped:
                    continue
                old = merged.get(key)
                if old is None:
                    merged[key] = w
                elif old * w < 0:
                    del merged[key]
                    dropped.add(key)
                elif abs(w) < abs(old):
                    merged[key] = w
        for key, w in merged.items():
            units.setdefault(key, _Unit()).weight = w
        emoji: dict[str, float] = {}
        irony: dict[str, float] = {}
        for kind, lang, text, factor, position in self._modifiers:
            if lang != "*" and lang not in langs:
                continue
            if kind == "emoji":
                emoji[emoji_key(text)] = factor
                continue
            if kind == "irony":
                toks = tokenize(text)
                if toks:
                    irony[toks[0].key] = factor
                continue
            key = _key_tuple(text)
            if not key:
                continue
            unit = units.setdefault(key, _Unit())
            if kind in ("negator", "negator_ne"):
                unit.negator = factor
                unit.needs_ne = unit.needs_ne or kind == "negator_ne"
                unit.fr_negator = unit.fr_negator or lang == "fr"
            elif kind in ("intensifier", "dampener"):
                if position == "after":
                    unit.post = factor
                else:
                    unit.pre = factor
            elif kind == "contrast":
                unit.contrast = factor
            elif kind == "gratitude":
                unit.gratitude = factor
            elif kind == "retort":
                unit.retort = factor
            elif kind == "question":
                unit.question = factor
            elif kind == "stock":
                unit.stock = True
        if "fr" in langs:
            for ne in _FR_NE:
                units.setdefault((ne,), _Unit()).is_ne = True
        trie: dict = {}
        for key in units:
            node = trie
            for word in key:
                node = node.setdefault(word, {})
            node[_END] = key
        vocab = frozenset(k for key in units for k in key)
        canon: dict[str, str] = {}
        # Unaccented spellings first: a word typed without accents is more
        # often a lexicon word missing its accents than the reverse.
        for word in sorted(vocab, key=lambda w: (not w.isascii(), w)):
            canon.setdefault(fold(word), word)
        return _Table(units, trie, vocab, canon, emoji, irony)


def _parse_words(text: str, source: str) -> dict[str, float]:
    words: dict[str, float] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise LexiconError(f"{source}:{n}: expected 'word<TAB>weight', got {line!r}")
        try:
            w = float(parts[1])
        except ValueError:
            raise LexiconError(f"{source}:{n}: weight {parts[1]!r} is not a number") from None
        if not -_WEIGHT_LIMIT <= w <= _WEIGHT_LIMIT:  # also rejects NaN
            raise LexiconError(f"{source}:{n}: weight {w} outside [-4, 4]")
        words[parts[0].strip()] = w
    return words


def _parse_modifiers(text: str) -> list[tuple[str, str, str, float, str]]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) not in (4, 5):
            raise LexiconError(
                f"modifiers.tsv:{n}: expected 'kind<TAB>lang<TAB>text<TAB>factor[<TAB>position]'"
            )
        kind, lang, text_, factor = parts[:4]
        position = parts[4] if len(parts) == 5 else "before"
        if kind not in _MODIFIER_KINDS:
            raise LexiconError(f"modifiers.tsv:{n}: unknown kind {kind!r}")
        if position not in ("before", "after"):
            raise LexiconError(f"modifiers.tsv:{n}: position must be 'before' or 'after'")
        try:
            value = float(factor)
        except ValueError:
            raise LexiconError(f"modifiers.tsv:{n}: factor {factor!r} is not a number") from None
        if not -_WEIGHT_LIMIT <= value <= _WEIGHT_LIMIT:
            raise LexiconError(f"modifiers.tsv:{n}: factor {value} outside [-4, 4]")
        rows.append((kind, lang.lower(), text_, value, position))
    return rows


# ---------------------------------------------------------------------------
# Analysis


@dataclass(slots=True)
class _Span:
    """A unit of the text: one token or a matched expression."""

    surface: str
    kind: str
    key: tuple  # lexicon spellings for words, (token key,) otherwise
    unit: _Unit | None = None
    caps: bool = False
    stretched: bool = False


def _is_caps(surface: str) -> bool:
    return len(surface) >= 3 and surface.isupper()


def _canonical(table: _Table, key: str) -> tuple[str, bool]:
    """The lexicon's spelling of a word, and whether stretched letters were
    shortened to find it; unknown words come back as they are."""
    if key in table.vocab:
        return key, False
    folded = fold(key)
    found = table.canon.get(folded)
    if found is not None:
        return found, False
    if _STRETCH_RE.search(folded):
        for repl in (r"\1\1", r"\1"):
            found = table.canon.get(_STRETCH_RE.sub(repl, folded))
            if found is not None:
                return found, True
    return key, False


def _spans(tokens: list[Token], table: _Table) -> list[_Span]:
    """Group tokens into units, the longest known expression first."""
    vocab = table.vocab
    words: list[Token] = []
    keys: list[str] = []
    stretched: list[bool] = []
    for t in tokens:
        if t.kind != WORD:
            words.append(t)
            keys.append(t.key)
            stretched.append(False)
            continue
        if t.key in vocab:
            words.append(t)
            keys.append(t.key)
            stretched.append(False)
            continue
        k, st = _canonical(table, t.key)
        if k not in vocab and "-" in t.key:
            # A hyphenated word unknown as a whole is read part by part.
            for p in t.surface.split("-"):
                if p:
                    words.append(Token(p, lower_key(p), WORD))
                    pk, pst = _canonical(table, lower_key(p))
                    keys.append(pk)
                    stretched.append(pst)
            continue
        words.append(t)
        keys.append(k)
        stretched.append(st)
    n = len(words)
    spans: list[_Span] = []
    units = table.units
    trie = table.trie
    i = 0
    while i < n:
        t = words[i]
        if t.kind != WORD:
            spans.append(_Span(t.surface, t.kind, (t.key,)))
            i += 1
            continue
        matched = None
        node = trie.get(keys[i])
        j = i
        while node is not None:
            matched = node.get(_END, matched)
            j += 1
            if j >= n or words[j].kind != WORD:
                break
            node = node.get(keys[j])
        if matched is None:
            spans.append(_Span(t.surface, WORD, (keys[i],), None, _is_caps(t.surface), stretched[i]))
            i += 1
            continue
        m = len(matched)
        if m == 1:
            spans.append(_Span(t.surface, WORD, matched, units[matched], _is_caps(t.surface), stretched[i]))
            i += 1
            continue
        part = words[i : i + m]
        spans.append(
            _Span(
                " ".join(p.surface for p in part),
                WORD,
                matched,
                units[matched],
                all(_is_caps(p.surface) for p in part),
                any(stretched[i : i + m]),
            )
        )
        i += m
    return spans


def _rating_weight(surface: str) -> float | None:
    """Weight of a rating ("8/10", "2 stars"): none -> -3, half -> 0, full -> +3."""
    m = _RATING_RE.match(surface)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    scale = float(m.group(2)) if m.group(2) else 5.0
    if scale <= 0 or value > scale:
        return None
    return round((value / scale - 0.5) * 6, 2)


def analyse(text: str, lang: str | None, lexicon: SentimentLexicon) -> SentimentResult:
    """Sentiment of a mention's text. ``lang`` is an ISO 639-1 code; None or a
    language without a lexicon uses all the lexicons. Never raises on odd text."""
    if not isinstance(text, str) or not text.strip():
        return NEUTRAL
    table = lexicon._table(lexicon.languages_for(lang if isinstance(lang, str) else None))
    try:
        return _Analysis(_spans(tokenize(text), table), table, text).run()
    except Exception:  # pragma: no cover - belt and braces: a mention must be stored
        return NEUTRAL


class _Analysis:
    """One text's analysis, step by step (see the module docstring)."""

    def __init__(self, spans: list[_Span], table: _Table, text: str):
        self.spans = spans
        self.table = table
        self.text = text
        self.n = len(spans)
        self.weights = [self._weight_of(s) for s in spans]
        # Shouting everything emphasises nothing: capitals only count when
        # most words are not in capitals.
        long_words = caps = 0
        for s in spans:
            if s.kind == WORD and len(s.surface) >= 3:
                long_words += 1
                caps += s.caps
        self.shouting = caps >= 2 and caps * 5 >= long_words * 4

    def _weight_of(self, s: _Span) -> float | None:
        if s.kind == WORD:
            return s.unit.weight if s.unit is not None else None
        if s.kind == EMOJI:
            return self.table.emoji.get(s.key[0])
        if s.kind == RATING:
            return _rating_weight(s.surface)
        return None

    def _is_break(self, i: int) -> bool:
        s = self.spans[i]
        return s.kind in (STOP, CLAUSE) or (s.unit is not None and s.unit.contrast is not None)

    def _is_sentiment(self, i: int) -> bool:
        return bool(self.weights[i]) and self.spans[i].kind in (WORD, RATING)

    def run(self) -> SentimentResult:
        self._resolve_modifiers()
        self._resolve_negation()
        word_cues, values = self._word_contributions()
        sentences = self._sentences()
        # Irony cues come first: they concern the text, not one word's chain.
        cues = self._irony(values)
        cues += self._sarcasm(values, sentences)
        cues += word_cues
        cues += self._sentence_rules(values, sentences)
        total = sum(c.weight for c in cues)
        bangs = min(EXCLAMATION_MAX, self.text.count("!"))
        if bangs and abs(total) > 1e-9:
            delta = math.copysign(EXCLAMATION_STEP * bangs, total)
            cues.append(SentimentCue("!" * bangs, delta, "exclamation"))
            total += delta
        score = total / math.sqrt(total * total + NORMALISATION_ALPHA)
        score = max(-1.0, min(1.0, round(score, 4)))
        if score >= NEUTRAL_THRESHOLD:
            label = "positive"
        elif score <= -NEUTRAL_THRESHOLD:
            label = "negative"
        else:
            label = "neutral"
        return SentimentResult(
            score, label, tuple(SentimentCue(c.text, round(c.weight, 3), c.reason) for c in cues)
        )

    # -- intensifiers and dampeners ---------------------------------------

    def _resolve_modifiers(self) -> None:
        """Attach modifiers to the sentiment words they touch. A unit that is
        both a word and a modifier ("super", "grave") modifies when it touches
        a sentiment word and counts as a word otherwise."""
        spans, n = self.spans, self.n
        pre: dict[int, list[int]] = {}
        post: dict[int, list[int]] = {}
        for i in range(n):
            if not self._is_sentiment(i):
                continue
            chain = []
            j = i - 1
            while j >= 0 and len(chain) < MAX_CHAIN:
                u = spans[j].unit
                if spans[j].kind != WORD or u is None:
                    break
                if u.pre is not None:
                    chain.append(j)
                elif u.negator is None and not u.is_ne:
                    break  # negators may sit inside a chain: "really not good"
                j -= 1
            if chain:
                pre[i] = chain[::-1]
            after = []
            j = i + 1
            while j < n and len(after) < 2:
                u = spans[j].unit
                if spans[j].kind != WORD or u is None or u.post is None:
                    break
                after.append(j)
                j += 1
            if after:
                post[i] = after
        used = {j for chain in (*pre.values(), *post.values()) for j in chain}
        # Two weighted words in a row ("super bien"): the first one modifies.
        self.pre = {i: c for i, c in pre.items() if i not in used}
        self.post = {i: c for i, c in post.items() if i not in used}
        self.used = {j for chain in (*self.pre.values(), *self.post.values()) for j in chain}

    # -- negation ----------------------------------------------------------

    def _resolve_negation(self) -> None:
        spans, n = self.spans, self.n
        negated_by: dict[int, int] = {}  # span index -> negator span index
        confirmed: set[int] = set()  # negators confirmed by a "ne" before them
        subjects: set[int] = set()  # "personne ne ...": handled through "ne"
        for i in range(n):
            u = spans[i].unit
            if u is None or not u.is_ne:
                continue
            confirm = None
            for j in range(i + 1, min(n, i + 1 + _FR_NE_LOOKAHEAD)):
                if self._is_break(j):
                    break
                uj = spans[j].unit
                if uj is not None and uj.fr_negator and j not in self.used:
                    confirm = j
                    break
            if confirm is not None:
                confirmed.add(confirm)
                for k in range(i + 1, confirm):
                    negated_by.setdefault(k, confirm)
            elif i > 0 and spans[i - 1].kind == WORD and fold(spans[i - 1].key[-1]) in _FR_NEGATIVE_SUBJECTS:
                subjects.add(i - 1)
                for k in self._scope(i):
                    negated_by[k] = i - 1
        for i in range(n):
            u = spans[i].unit
            if u is None or u.negator is None or i in self.used or i in subjects:
                continue
            if u.needs_ne and i not in confirmed:
                continue
            scope = self._scope(i)
            hits = [k for k in scope if self._is_sentiment(k) and k not in self.used]
            if hits and self._litotes(hits[0]):
                continue
            for k in scope:
                negated_by[k] = i
            if (
                not hits
                and spans[i].key == ("pas",)
                and i not in confirmed
                and i > 0
                and self._is_sentiment(i - 1)
                and (i - 1) not in negated_by
            ):
                negated_by[i - 1] = i  # spoken French: "j'aime pas", "ça marche pas"
        self.negated_by = negated_by
        # A negator that is also a complaint ("still no", "toujours pas") is
        # no complaint when what it negates is bad: "still no issues".
        for k, j in negated_by.items():
            if (self.weights[j] or 0) < 0 and (self.weights[k] or 0) < 0 and k not in self.used:
                self.weights[j] = None

    def _scope(self, i: int) -> list[int]:
        """Indices of the words a negator at ``i`` reaches: the next three
        words; past determiners, also a negative word just beyond them
        ("never had a single outage" is praise)."""
        scope = []
        plain = counted = 0
        k = i + 1
        while k < self.n and not self._is_break(k):
            s = self.spans[k]
            if s.kind == WORD:
                if plain < NEGATION_SCOPE:
                    scope.append(k)
                    plain += 1
                elif counted < NEGATION_SCOPE and (self.weights[k] or 0) < 0:
                    scope.append(k)
                if s.key[-1] not in _DETERMINERS:
                    counted += 1
                if plain >= NEGATION_SCOPE and counted >= NEGATION_SCOPE:
                    break
            k += 1
        return scope

    def _litotes(self, hit: int) -> bool:
        """Litotes: "can't recommend them enough" praises ("not good enough",
        with nothing between the word and "enough", stays a negation)."""
        k = hit + 2
        while k < self.n and not self._is_break(k):
            s = self.spans[k]
            if s.kind == WORD and s.key[-1] in _LITOTES_ENOUGH:
                return True
            k += 1
        return False

    # -- words -------------------------------------------------------------

    def _word_contributions(self) -> tuple[list[SentimentCue], dict[int, tuple[float, bool]]]:
        """Cues of every sentiment word and emoji, and each one's value (and
        whether it is a lexicon word rather than an emoji) by span index."""
        spans = self.spans
        cues: list[SentimentCue] = []
        values: dict[int, tuple[float, bool]] = {}
        for i in range(self.n):
            s = spans[i]
            w = self.weights[i]
            if not w or i in self.used:
                continue
            if s.kind == EMOJI:
                cues.append(SentimentCue(s.surface, w, "emoji"))
                values[i] = (w, False)
                continue
            if s.kind not in (WORD, RATING):
                continue
            cues.append(SentimentCue(s.surface, w, "lexicon"))
            v = w
            for j in (*self.pre.get(i, ()), *self.post.get(i, ())):
                u = spans[j].unit
                factor = u.pre if j < i else u.post
                nv = v * factor
                cues.append(
                    SentimentCue(spans[j].surface, nv - v, "intensified" if factor >= 1 else "dampened")
                )
                v = nv
            emphasis = (CAPS_FACTOR if s.caps and not self.shouting else 1.0) * (
                STRETCH_FACTOR if s.stretched else 1.0
            )
            if emphasis != 1.0:
                nv = v * emphasis
                cues.append(SentimentCue(s.surface, nv - v, "intensified"))
                v = nv
            if i in self.negated_by:
                j = self.negated_by[i]
                u = spans[j].unit
                factor = u.negator if u is not None and u.negator is not None else DEFAULT_NEGATION
                nv = v * factor * (NEGATED_NEGATIVE_FACTOR if w < 0 else 1.0)
                if w > 0 and factor < 0:
                    # "ne marche pas", "no answer": a missing good is a complaint
                    nv = min(nv, -NEGATED_POSITIVE_MIN)
                cues.append(SentimentCue(spans[j].surface, nv - v, "negated"))
                v = nv
            values[i] = (v, True)
        return cues, values

    def _irony(self, values: dict[int, tuple[float, bool]]) -> list[SentimentCue]:
        """An irony marker ("🙃") turns the praise of the text into blame."""
        marker = None
        for s in self.spans:
            if s.kind in (EMOJI, WORD) and s.key[-1] in self.table.irony:
                marker = s
        if marker is None:
            return []
        factor = self.table.irony[marker.key[-1]]
        delta = 0.0
        for i, (v, is_word) in values.items():
            if is_word and v > 0:
                values[i] = (v * factor, True)
                delta += v * factor - v
        return [SentimentCue(marker.surface, delta, "negated")] if delta else []

    def _sentences(self) -> list[tuple[int, int, str]]:
        """Sentences as [start, end) span indices and their terminator."""
        sentences: list[tuple[int, int, str]] = []
        start = 0
        for i, s in enumerate(self.spans):
            if s.kind == STOP:
                sentences.append((start, i, s.surface))
                start = i + 1
        if start < self.n:
            sentences.append((start, self.n, ""))
        return sentences

    def _sarcasm(
        self, values: dict[int, tuple[float, bool]], sentences: list[tuple[int, int, str]]
    ) -> list[SentimentCue]:
        """Praise that context shows to be ironic, read as blame:

        - thanks *for* a bad thing ("thanks X for cancelling my train");
        - a stock compliment ("Great job guys", "Sympa.", "merci bien") right
          after a complaint: a short clause made only of praise, intensifiers
          and stock words (a sentence with its own subject, "the new one is
          great", is not one);
        - a one-word retort ("Sure.", "Right.") after a complaint: it adds its
          weight and turns the praise of the text into blame.
        """
        if not values:  # nothing to flip, no complaint to follow
            return []
        cues = self._ironic_thanks(values)
        cues += self._stock_praise(values, sentences)
        cues += self._retorts(values, sentences)
        return cues

    def _flip(self, values: dict[int, tuple[float, bool]], indices: Iterable[int]) -> float:
        delta = 0.0
        for i in indices:
            v, is_word = values[i]
            if v > 0:
                values[i] = (v * IRONY_FACTOR, is_word)
                delta += v * IRONY_FACTOR - v
        return delta

    def _ironic_thanks(self, values: dict[int, tuple[float, bool]]) -> list[SentimentCue]:
        """Ironic thanks: "thanks X for <a bad thing>"."""
        spans, n = self.spans, self.n
        cues: list[SentimentCue] = []
        for i in range(n):
            u = spans[i].unit
            if u is None or u.gratitude is None or i not in values or values[i][0] <= 0:
                continue
            # "thanks [Railo] for ...": the object within a few words, same sentence
            prep = None
            words = 0
            for j in range(i + 1, n):
                sj = spans[j]
                if sj.kind == STOP or words >= GRATITUDE_REACH or j in values:
                    break
                if sj.kind == WORD:
                    if sj.key[-1] in _GRATITUDE_OBJECT:
                        prep = j
                        break
                    words += 1
            if prep is None:
                continue
            # what it thanks for: a bad thing just after "for", and nothing
            # good in the rest of the sentence ("thanks for fixing the outage
            # so fast" is sincere)
            bad = False
            words = 0
            for j in range(prep + 1, n):
                sj = spans[j]
                if sj.kind == STOP:
                    break
                if j in values:
                    if values[j][0] > 0:
                        bad = False
                        break
                    bad = bad or words <= GRATITUDE_OBJECT_REACH
                if sj.kind == WORD:
                    words += len(sj.key)
            if bad:
                v = values[i][0]
                nv = v * u.gratitude
                values[i] = (nv, values[i][1])
                text = f"{spans[i].surface} \u2026 {spans[prep].surface}"
                cues.append(SentimentCue(text, nv - v, "negated"))
        return cues

    def _stock_praise(
        self, values: dict[int, tuple[float, bool]], sentences: list[tuple[int, int, str]]
    ) -> list[SentimentCue]:
        """A stock compliment (a clause of at most four words: stock praise
        and stock words, intensifiers, an address, emoji) right after blame is
        ironic."""
        spans, n = self.spans, self.n
        cues: list[SentimentCue] = []
        start = 0
        for end in range(n + 1):
            if end < n and spans[end].kind not in (STOP, CLAUSE):
                continue
            a, b = start, end
            start = end + 1
            if a >= b or a == 0:
                continue
            words = 0
            praise = False
            stock = True
            for i in range(a, b):
                s = spans[i]
                v = values[i][0] if i in values else 0.0
                if v < 0 or s.kind == RATING:
                    stock = False
                    break
                if s.kind == EMOJI:
                    praise = praise or v > 0
                    continue
                if s.kind != WORD:
                    continue
                words += len(s.key)
                u = s.unit
                if any(k in _SINCERE for k in s.key):
                    stock = False
                    break
                if v > 0 and (u.stock or u.gratitude is not None):
                    # "Thanks." alone may be sincere; "Impressed." is a verdict
                    praise = praise or u.gratitude is None
                elif v > 0:
                    stock = False
                    break
                elif u is not None and (
                    u.stock or u.pre is not None or u.post is not None or u.retort is not None
                    or u.gratitude is not None
                ):
                    continue
                elif not (i > a and s.surface[:1].isupper()):  # "Bravo Railo": an address
                    stock = False
                    break
            if not stock or not praise or words > STOCK_PRAISE_MAX_WORDS:
                continue
            # ... right after a complaint: the sentence before it (or the part
            # of its own sentence before it) blames and does not praise; after
            # "lost my charger. They found it. Impressed." it is sincere.
            lo = 0
            for si, (sa, sb, _) in enumerate(sentences):
                if sa <= a <= sb:
                    lo = sentences[si - 1][0] if sa == a and si > 0 else sa
                    break
            for i in range(a - 1, lo - 1, -1):  # "worried, but they handled it. Great job."
                u = spans[i].unit
                if spans[i].kind == WORD and u is not None and u.contrast is not None:
                    lo = i + 1
                    break
            near = [values[i][0] for i in values if lo <= i < a]
            if not near or max(near) > 0 or sum(v for i, (v, _) in values.items() if i < a) >= 0:
                continue
            delta = self._flip(values, [i for i in range(a, b) if i in values])
            if delta:
                text = " ".join(spans[i].surface for i in range(a, b))
                cues.append(SentimentCue(text, delta, "negated"))
        return cues

    def _retorts(
        self, values: dict[int, tuple[float, bool]], sentences: list[tuple[int, int, str]]
    ) -> list[SentimentCue]:
        """A one-word retort sentence ("Sure.") after blame (not after a
        question: "Is it good? Sure." answers it)."""
        spans = self.spans
        cues: list[SentimentCue] = []
        for si, (a, b, end) in enumerate(sentences):
            if si == 0 or "?" in end:
                continue
            words = [i for i in range(a, b) if spans[i].kind == WORD]
            if len(words) != 1 or any(spans[i].kind in (RATING, CLAUSE) for i in range(a, b)):
                continue
            u = spans[words[0]].unit
            if u is None or u.retort is None:
                continue
            if "?" in sentences[si - 1][2] or sum(v for i, (v, _) in values.items() if i < a) >= 0:
                continue
            delta = self._flip(values, list(values)) + u.retort
            cues.append(SentimentCue(spans[words[0]].surface, delta, "negated"))
            break
        return cues

    # -- sentences ---------------------------------------------------------

    def _sentence_rules(
        self, values: dict[int, tuple[float, bool]], sentences: list[tuple[int, int, str]]
    ) -> list[SentimentCue]:
        spans = self.spans
        cues: list[SentimentCue] = []

        def scale(lo: int, hi: int, factor: float) -> float:
            delta = 0.0
            for i, (v, is_word) in values.items():
                if lo <= i < hi:
                    values[i] = (v * factor, is_word)
                    delta += v * factor - v
            return delta

        for si, (a, b, end) in enumerate(sentences):
            contrast = None
            for i in range(a, b):
                u = spans[i].unit
                if u is not None and u.contrast is not None and spans[i].kind == WORD:
                    contrast = i
            if contrast is not None:
                # "... . But ...": the previous sentence is what it outweighs
                lo = sentences[si - 1][0] if contrast == a and si > 0 else a
                delta = scale(lo, contrast, BEFORE_CONTRAST_FACTOR)
                delta += scale(contrast + 1, b, spans[contrast].unit.contrast)
                if delta:
                    cues.append(SentimentCue(spans[contrast].surface, delta, "but_clause"))
            if "?" in end:
                plain = end.count("?") == 1 and "!" not in end
                delta = scale(a, b, QUESTION_FACTOR if plain else EXCITED_QUESTION_FACTOR)
                if delta:
                    cues.append(SentimentCue(end, delta, "question"))
                opener = self._question_opener(a, b)
                if opener is not None:
                    w = spans[opener].unit.question * (1.0 if plain else COMPLAINT_QUESTION_EXCITED)
                    cues.append(SentimentCue(spans[opener].surface, w, "question"))
        return cues

    def _question_opener(self, a: int, b: int) -> int | None:
        """The span opening a complaint question ("why", "est-ce normal que"):
        the first word of the sentence, or the first after a short address
        ("Railo, pourquoi ...")."""
        spans = self.spans
        words = 0
        for i in range(a, b):
            s = spans[i]
            if s.kind == CLAUSE:
                if words == 0:
                    continue
                if words > 2:
                    return None
                for j in range(i + 1, b):
                    if spans[j].kind == WORD:
                        u = spans[j].unit
                        return j if u is not None and u.question is not None else None
                return None
            if s.kind != WORD:
                continue
            if words == 0 and s.unit is not None and s.unit.question is not None:
                return i
            words += 1
            if words > 2:
                return None
        return None


# ---------------------------------------------------------------------------
# Explanations


def _fmt(w: float) -> str:
    return f"{w:+.1f}".replace("-", "\u2212")


def explain(result: SentimentResult) -> list[str]:
    """English sentences describing a result, one per word or rule, e.g.
    "'déçu' −2.0 negated by 'pas' → +1.0", then the total and score. (The UI
    builds translated sentences from the reason codes itself.)"""
    lines: list[str] = []
    current: list[str] = []
    running = 0.0
    word = ""
    for c in result.cues:
        if c.reason in ("lexicon", "emoji"):
            if current:
                lines.append(" ".join(current))
            running, word = c.weight, c.text
            prefix = "emoji " if c.reason == "emoji" else ""
            current = [f"{prefix}'{c.text}' {_fmt(c.weight)}"]
            continue
        if c.reason in ("intensified", "dampened") and current:
            running += c.weight
            if c.text == word:
                how = "written in capitals" if _is_caps(c.text) else "with stretched letters"
                current.append(f"emphasised {how} → {_fmt(running)}")
            else:
                current.append(f"{c.reason} by '{c.text}' → {_fmt(running)}")
            continue
        if c.reason == "negated" and current:
            running += c.weight
            current.append(f"negated by '{c.text}' → {_fmt(running)}")
            continue
        if current:
            lines.append(" ".join(current))
            current = []
        if c.reason == "negated":
            # an irony marker (🙃), ironic thanks ("Thanks … for"), a stock
            # compliment after a complaint ("Great job guys") or a retort ("Sure")
            lines.append(f"irony marker '{c.text}': its praise counts as blame ({_fmt(c.weight)})")
        elif c.reason == "but_clause":
            lines.append(f"'{c.text}': what follows counts more, what precedes less ({_fmt(c.weight)})")
        elif c.reason == "question" and c.text.strip("?!…"):
            lines.append(f"'{c.text}' opens a complaint question ({_fmt(c.weight)})")
        elif c.reason == "question":
            lines.append(f"question '{c.text}': sentiment damped ({_fmt(c.weight)})")
        elif c.reason == "exclamation":
            lines.append(f"'{c.text}' amplifies ({_fmt(c.weight)})")
        else:
            lines.append(f"'{c.text}' {_fmt(c.weight)} ({c.reason})")
    if current:
        lines.append(" ".join(current))
    score = f"{result.score:+.2f}".replace("-", "\u2212")
    lines.append(f"total {_fmt(result.total)} → score {score} ({result.label})")
    return lines

