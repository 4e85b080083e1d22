"""Explainable lexicon-and-rules sentiment for French and English mentions.

Stdlib only. The word lists are plain files (``resources/lexicons``): one
``<lang>.tsv`` per language (``word<TAB>weight``, multi-word expressions
allowed) and ``modifiers.tsv`` (negators, intensifiers, dampeners, contrast
words, emoji). Core functions take the folder or the text as a parameter.

How a text is scored:

1. Tokens: URLs and @handles are dropped, ``#tag`` counts as ``tag``; French
   elision is split (``l'appli`` -> ``l'`` ``appli``, ``n'est`` -> ``n'``
   ``est``), English ``n't`` too; words are matched ignoring case and accents
   (``decu`` finds ``déçu``), stretched letters fall back to the plain word
   (``merciii``). Longest multi-word expressions win (``pas terrible``).
2. Each sentiment word gets its lexicon weight, multiplied by intensifiers or
   dampeners before it (``très``, ``a bit``) or after it (``du tout``,
   ``af``), by 1.3 in CAPITALS, and flipped by a negator whose scope (the next
   three words, not past punctuation or ``but``) covers it. French ``ne ...
   pas/plus/jamais`` also negates the words between ``ne`` and ``pas``; bare
   ``pas`` with nothing to negate after it negates the word just before
   (``j'aime pas``). A negated negative word gives a weaker positive
   (``pas déçu`` is mild praise): factor x 2/3.
3. Per sentence: after ``but``/``mais`` weighs x1.5 and before it x0.5;
   a question is damped (x0.4). Over the text, each ``!`` (up to 4) adds
   0.3 in the direction of the total.
4. score = total / sqrt(total² + 15), in [-1, 1]; ``neutral`` when
   ``|score| < NEUTRAL_THRESHOLD``.

Every contribution is a :class:`SentimentCue` (reason codes ``lexicon``,
``emoji``, ``negated``, ``intensified``, ``dampened``, ``but_clause``,
``question``, ``exclamation``); the weights of the cues add up to the total.
A modifier's cue comes right after the cue of the word it modifies, with the
change it made; :func:`explain` turns them into sentences for people.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "SentimentCue",
    "SentimentResult",
    "SentimentLexicon",
    "LexiconError",
    "analyse",
    "explain",
    "NEUTRAL_THRESHOLD",
    "REASONS",
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

# Tuned on tests/data/sentiment_fr_en.tsv (see benchmarks/sentiment.py).
NEUTRAL_THRESHOLD = 0.25
NORMALISATION_ALPHA = 15.0  # as in VADER: x / sqrt(x² + alpha)

NEGATION_SCOPE = 3  # words after a negator that it reaches
NEGATED_NEGATIVE_FACTOR = 2 / 3  # "not bad" is milder praise than "good"
CAPS_FACTOR = 1.3
STRETCH_FACTOR = 1.15  # "soooo good", "nuuul"
BEFORE_CONTRAST_FACTOR = 0.5
QUESTION_FACTOR = 0.4
EXCITED_QUESTION_FACTOR = 0.75  # "??", "?!": exasperation more than inquiry
EXCLAMATION_STEP = 0.3
EXCLAMATION_MAX = 4
MAX_CHAIN = 3  # modifiers stacked before one word ("not very very good")

# French grammar, not vocabulary: "ne"/"n'" announces a negation that "pas",
# "plus", "jamais", ... confirms a few words later; subjects like "personne"
# and "rien" negate through a "ne" that follows them ("personne ne répond").
_FR_NE = frozenset({"ne", "n'"})
_FR_NE_LOOKAHEAD = 5
_FR_NEGATIVE_SUBJECTS = frozenset({"personne", "rien", "aucun", "aucune", "jamais"})
# "can't recommend them enough": the negation is praise
_LITOTES_ENOUGH = frozenset({"enough"})

_WEIGHT_LIMIT = 4.0


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


# ---------------------------------------------------------------------------
# Text normalisation and tokens

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae"})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Matching key of a word: lower case, no accents, straight apostrophes."""
    s = word.translate(_APOSTROPHES).translate(_LIGATURES).casefold()
    if s.isascii():
        return s
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_EMOJI_CLASS = (
    "\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f"
    "\u2b00-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_TOKEN_RE = re.compile(
    r"""
      (?P<rating>(?<![\w/.,])\d{1,3}(?:[.,]\d)?\s?/\s?(?:5|10|20|100)(?![\w/])
          |(?<![\w.,])[0-5](?:[.,]5)?\s?(?:stars?|étoiles?)(?!\w))
    | (?P<emoticon>(?<![\w:;=<>^\-])
          (?:>:\(|</3|<3|:'\(|[:;=][\-o]?[)(\]\[DPp/|]|[xX]D+|\^_?\^|-_-)
          (?![\w)(\]\[/|]))
    | (?P<emoji>[""" + _EMOJI_CLASS + r"""]
          (?:[\ufe0f\u20e3\U0001f3fb-\U0001f3ff]|\u200d[""" + _EMOJI_CLASS + r"""])*)
    | (?P<word>[^\W_](?:[\w]|['’\-](?=[^\W_]))*(?:n['’]t\b)?)
    | (?P<stop>[.!?…]+|\n)
    | (?P<clause>[,;:()\[\]]|\s[\-–—]\s|[–—])
    """,
    re.VERBOSE,
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_HANDLE_RE = re.compile(r"(?<![\w@])@\w+")
_ELISION_RE = re.compile(
    r"^(l|d|j|m|t|s|c|n|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=[^\W\d_])(.+)$", re.IGNORECASE
)
_NT_RE = re.compile(r"^(.+?)(n['’]t)$", re.IGNORECASE)
_EN_CLITIC_RE = re.compile(r"^(.+?)['’](s|re|ve|ll|d|m)$", re.IGNORECASE)
_STRETCH_RE = re.compile(r"([^\W\d_])\1{2,}")
_EMOJI_NOISE_RE = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
_RATING_RE = re.compile(r"(\d{1,3}(?:[.,]\d)?)\s?(?:/\s?(\d+)|(stars?|étoiles?))")
_LETTERS_RE = re.compile(r"[^\W\d_]")

WORD, EMOJI, RATING, STOP, CLAUSE = "word", "emoji", "rating", "stop", "clause"


@dataclass(frozen=True, slots=True)
class _Token:
    surface: str
    key: str
    kind: str  # WORD, EMOJI (emoji and emoticons), RATING, STOP, CLAUSE


def emoji_key(s: str) -> str:
    """Emoji matching key: no variation selectors or skin tones."""
    return _EMOJI_NOISE_RE.sub("", s)


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


def tokenize(text: str) -> list[_Token]:
    """Tokens of a text, as the analyser sees them (exposed for tests)."""
    text = text.translate(_APOSTROPHES)
    text = _URL_RE.sub(" ", text)
    text = _HANDLE_RE.sub(" ", text)
    tokens: list[_Token] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        s = m.group()
        if kind == "word":
            for part in _split_word(s):
                append(_Token(part, fold(part), WORD))
        elif kind == "emoji":
            append(_Token(s, emoji_key(s), EMOJI))
        elif kind == "emoticon":
            append(_Token(s, s.casefold(), EMOJI))
        elif kind == "rating":
            append(_Token(s, s, RATING))
        elif kind == "stop":
            append(_Token(s, s, STOP))
        else:
            append(_Token(s.strip(), s.strip(), CLAUSE))
    return tokens


def _key_tuple(text: str) -> tuple[str, ...]:
    return tuple(t.key for t in tokenize(text) if t.kind == WORD)


# ---------------------------------------------------------------------------
# Lexicon


@dataclass
class _Unit:
    """What a word or expression can do; several roles may coexist ("super")."""

    weight: float | None = None
    negator: float | None = None
    needs_ne: bool = False
    pre: float | None = None  # intensifier/dampener factor on the next word
    post: float | None = None  # ... on the previous word
    contrast: float | None = None
    is_ne: bool = False
    languages: set = field(default_factory=set)

    @property
    def is_modifier(self) -> bool:
        return self.pre is not None or self.post is not None


@dataclass(frozen=True)
class _Table:
    units: dict  # tuple[str, ...] -> _Unit
    first: dict  # first key -> list of key tuples, longest first
    vocab: frozenset  # every word key appearing in an entry
    emoji: dict  # emoji key -> weight
    fr_negators: frozenset  # keys that confirm a French "ne"


_MODIFIER_KINDS = ("negator", "negator_ne", "intensifier", "dampener", "contrast", "emoji")


class SentimentLexicon:
    """Word weights per language plus modifiers; build with :meth:`load` or
    :meth:`from_text`. Immutable once built, safe to share between threads."""

    def __init__(
        self,
        words: Mapping[str, Mapping[str, float]],
        modifiers: Iterable[tuple[str, str, str, float, str]] = (),
    ):
        self._words = {lang: dict(entries) for lang, entries in words.items()}
        self._modifiers = tuple(modifiers)
        self._tables: dict[frozenset, _Table] = {}
        self._lock = threading.Lock()

    # -- construction ------------------------------------------------------

    @classmethod
    def load(cls, directory: Path) -> SentimentLexicon:
        """Read every ``<lang>.tsv`` and ``modifiers.tsv`` of a folder."""
        directory = Path(directory)
        lexicons = {}
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
        """Build from file contents: ``{"en": "good\\t2\\n...", ...}`` and the
        text of a modifiers file."""
        words = {lang: _parse_words(text, f"{lang}.tsv") for lang, text in lexicons.items()}
        return cls(words, _parse_modifiers(modifiers))

    # -- queries -------------------------------------------------------------

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._words))

    def weight(self, expression: str, lang: str | None = None) -> float | None:
        """Lexicon weight of a word or expression (None when absent)."""
        unit = self._table(self._langs(lang)).units.get(_key_tuple(expression))
        return None if unit is None else unit.weight

    def _langs(self, lang: str | None) -> frozenset:
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
        # Words: in several languages at once, an entry whose sign differs
        # between languages is ambiguous and left out; otherwise the milder wins.
        merged: dict[tuple[str, ...], float] = {}
        dropped: set[tuple[str, ...]] = set()
        for lang in sorted(langs):
            for expr, w in self._words.get(lang, {}).items():
                key = _key_tuple(expr)
                if not key or key in dropped:
                    continue
                if key in merged:
                    old = merged[key]
                    if (old > 0) != (w > 0) and old != 0 and w != 0:
                        del merged[key]
                        dropped.add(key)
                    elif abs(w) < abs(old):
                        merged[key] = w
                else:
                    merged[key] = w
        for key, w in merged.items():
            units.setdefault(key, _Unit()).weight = w
        emoji: dict[str, float] = {}
        fr_negators = set()
        for kind, lang, text, factor, position in self._modifiers:
            if lang != "*" and lang not in langs:
                continue
            if kind == "emoji":
                emoji[emoji_key(text).casefold()] = factor
                continue
            key = _key_tuple(text)
            if not key:
                continue
            unit = units.setdefault(key, _Unit())
            if kind in ("negator", "negator_ne"):
                unit.negator = factor
                unit.needs_ne = unit.needs_ne or kind == "negator_ne"
                if lang == "fr":
                    fr_negators.add(key)
            elif kind in ("intensifier", "dampener"):
                if position == "after":
                    unit.post = factor
                else:
                    unit.pre = factor
            elif kind == "contrast":
                unit.contrast = factor
        if "fr" in langs:
            for ne in _FR_NE:
                units.setdefault((ne,), _Unit()).is_ne = True
        first: dict[str, list] = {}
        for key in units:
            first.setdefault(key[0], []).append(key)
        for keys in first.values():
            keys.sort(key=len, reverse=True)
        vocab = frozenset(k for key in units for k in key)
        return _Table(units, first, vocab, emoji, frozenset(fr_negators))


def _parse_words(text: str, source: str) -> dict[str, float]:
    words: dict[str, float] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise LexiconError(f"{source}:{n}: expected 'word<TAB>weight', got {line!r}")
        try:
            w = float(parts[1])
        except ValueError:
            raise LexiconError(f"{source}:{n}: weight {parts[1]!r} is not a number") from None
        if not -_WEIGHT_LIMIT <= w <= _WEIGHT_LIMIT or math.isnan(w):
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
        rows.append((kind, lang.lower(), text_, value, position))
    return rows


# ---------------------------------------------------------------------------
# Analysis


@dataclass(slots=True)
class _Span:
    """A unit of the text: one token or a matched expression."""

    surface: str
    kind: str  # WORD, EMOJI, RATING, STOP, CLAUSE
    key: tuple | str
    unit: _Unit | None = None
    caps: bool = False
    stretched: bool = False


def _is_caps(surface: str) -> bool:
    letters = _LETTERS_RE.findall(surface)
    return len(letters) >= 3 and surface.isupper()


def _lookup_word(table: _Table, key: str) -> tuple[str, bool]:
    """The key to use for a word, and whether it was found by unstretching."""
    if key in table.vocab or not _STRETCH_RE.search(key):
        return key, False
    for repl in (r"\1\1", r"\1"):
        k = _STRETCH_RE.sub(repl, key)
        if k in table.vocab:
            return k, True
    return key, False


def _spans(tokens: list[_Token], table: _Table) -> list[_Span]:
    """Group tokens into units: longest known expression first."""
    # Hyphenated words unknown as a whole are looked at part by part.
    words: list[_Token] = []
    for t in tokens:
        if t.kind == WORD and "-" in t.key and t.key not in table.vocab:
            words.extend(_Token(p, fold(p), WORD) for p in t.surface.split("-") if p)
        else:
            words.append(t)
    keys: list[str | None] = []
    stretched: list[bool] = []
    for t in words:
        if t.kind == WORD:
            k, s = _lookup_word(table, t.key)
            keys.append(k)
            stretched.append(s)
        else:
            keys.append(None)
            stretched.append(False)
    spans: list[_Span] = []
    units = table.units
    i, n = 0, len(words)
    while i < n:
        t = words[i]
        if t.kind != WORD:
            spans.append(_Span(t.surface, t.kind, t.key))
            i += 1
            continue
        matched = None
        for cand in table.first.get(keys[i], ()):
            m = len(cand)
            if i + m <= n and all(keys[i + j] == cand[j] for j in range(1, m)):
                matched = cand
                break
        if matched is None:
            spans.append(_Span(t.surface, WORD, (keys[i],), None, _is_caps(t.surface), stretched[i]))
            i += 1
            continue
        m = len(matched)
        part = words[i : i + m]
        surface = " ".join(p.surface for p in part)
        spans.append(
            _Span(
                surface,
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
    m = _RATING_RE.match(surface)
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    scale = float(m.group(2)) if m.group(2) else 5.0
    if scale <= 0 or value > scale:
        return None
    # 0/10 -> -3, half -> 0, full marks -> +3
    return round((value / scale - 0.5) * 6, 2)


def _fmt(w: float) -> str:
    return f"{w:+.1f}".replace("-", "\u2212")


def analyse(text: str, lang: str | None, lexicon: SentimentLexicon) -> SentimentResult:
    """Sentiment of a mention. ``lang``: ISO 639-1 code; None or a language
    without a lexicon uses all lexicons. Never raises on odd text."""
    if not text or not isinstance(text, str):
        return SentimentResult(0.0, "neutral", ())
    table = lexicon._table(lexicon._langs(lang))
    spans = _spans(tokenize(text), table)
    n = len(spans)

    word_spans = [s for s in spans if s.kind == WORD]
    shouting = bool(word_spans) and sum(s.caps for s in word_spans) >= 0.5 * len(word_spans)

    def weight_of(s: _Span) -> float | None:
        if s.kind == WORD:
            return s.unit.weight if s.unit is not None else None
        if s.kind == EMOJI:
            return table.emoji.get(s.key if isinstance(s.key, str) else "")
        if s.kind == RATING:
            return _rating_weight(s.surface)
        return None

    weights = [weight_of(s) for s in spans]

    def is_break(s: _Span) -> bool:
        return s.kind in (STOP, CLAUSE) or (s.unit is not None and s.unit.contrast is not None)

    # -- roles: which modifier units act as modifiers ----------------------
    # A unit with a modifier role and a weight ("super", "grave") modifies
    # when it touches a sentiment word, and counts as a word otherwise.
    def is_sentiment(i: int) -> bool:
        s = spans[i]
        if weights[i] is None or weights[i] == 0 or s.kind not in (WORD, RATING):
            return False
        return True

    pre_mods: dict[int, list[int]] = {}
    post_mods: dict[int, list[int]] = {}
    used_as_modifier: set[int] = set()
    for i in range(n):
        if not is_sentiment(i):
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
                break
            j -= 1
        if chain:
            pre_mods[i] = chain[::-1]
        j = i + 1
        after = []
        while j < n and len(after) < 2:
            u = spans[j].unit
            if spans[j].kind == WORD and u is not None and u.post is not None:
                after.append(j)
                j += 1
            else:
                break
        if after:
            post_mods[i] = after
    for i, chain in pre_mods.items():
        used_as_modifier.update(chain)
    for i, chain in post_mods.items():
        used_as_modifier.update(chain)
    # A word both modified and acting as modifier (two weighted words in a
    # row, "super bien") is a modifier.
    for i in list(pre_mods):
        if i in used_as_modifier:
            del pre_mods[i]
    for i in list(post_mods):
        if i in used_as_modifier:
            del post_mods[i]

    # -- negation ----------------------------------------------------------
    negated_by: dict[int, int] = {}  # word index -> negator index
    activated: set[int] = set()  # negators confirmed by a "ne" before them
    subjects: set[int] = set()  # "personne"/"rien" negating through a "ne" after them
    for i in range(n):
        u = spans[i].unit
        if u is None or not u.is_ne:
            continue
        confirm = None
        for j in range(i + 1, min(n, i + 1 + _FR_NE_LOOKAHEAD)):
            if is_break(spans[j]):
                break
            if spans[j].kind == WORD and spans[j].key in table.fr_negators:
                confirm = j
                break
        if confirm is not None:
            activated.add(confirm)
            for k in range(i + 1, confirm):
                negated_by.setdefault(k, confirm)
        elif i > 0 and spans[i - 1].kind == WORD and spans[i - 1].key[-1] in _FR_NEGATIVE_SUBJECTS:
            # "personne ne répond": the subject negates what follows "ne"
            subjects.add(i - 1)
            count = 0
            for k in range(i + 1, n):
                if is_break(spans[k]) or count >= NEGATION_SCOPE:
                    break
                negated_by[k] = i - 1
                if spans[k].kind == WORD:
                    count += 1
    for i in range(n):
        u = spans[i].unit
        if u is None or u.negator is None or i in used_as_modifier:
            continue
        if (u.needs_ne and i not in activated) or i in subjects:
            continue
        scope = []
        k = i + 1
        count = 0
        while k < n and count < NEGATION_SCOPE:
            if is_break(spans[k]):
                break
            if spans[k].kind == WORD:
                scope.append(k)
                count += 1
            k += 1
        hits = [k for k in scope if is_sentiment(k) and k not in used_as_modifier]
        # "can't recommend them enough": praise, not negation ("not good
        # enough", with nothing in between, stays negated)
        if hits:
            end = hits[0] + 2
            while end < n and not is_break(spans[end]):
                if spans[end].kind == WORD and spans[end].key[-1] in _LITOTES_ENOUGH:
                    hits = []
                    scope = []
                    break
                end += 1
            if not scope:
                continue
        for k in scope:
            negated_by[k] = i
        if (
            not hits
            and spans[i].key == ("pas",)
            and i not in activated
            and i > 0
            and is_sentiment(i - 1)
            and (i - 1) not in negated_by
        ):
            negated_by[i - 1] = i  # spoken French: "j'aime pas", "ça marche pas"

    # -- word contributions -------------------------------------------------
    cues: list[SentimentCue] = []
    contributions: list[tuple[int, float, int]] = []  # (span index, value, first cue index)
    for i in range(n):
        s = spans[i]
        w = weights[i]
        if w is None or w == 0 or i in used_as_modifier:
            continue
        if s.kind == EMOJI:
            contributions.append((i, w, len(cues)))
            cues.append(SentimentCue(s.surface, w, "emoji"))
            continue
        start = len(cues)
        cues.append(SentimentCue(s.surface, w, "lexicon"))
        v = w
        for j in [*pre_mods.get(i, ()), *post_mods.get(i, ())]:
            u = spans[j].unit
            factor = u.pre if j < i else u.post
            nv = v * factor
            cues.append(SentimentCue(spans[j].surface, nv - v, "intensified" if factor >= 1 else "dampened"))
            v = nv
        if (s.caps and not shouting) or s.stretched:
            factor = (CAPS_FACTOR if s.caps and not shouting else 1.0) * (STRETCH_FACTOR if s.stretched else 1.0)
            nv = v * factor
            cues.append(SentimentCue(s.surface, nv - v, "intensified"))
            v = nv
        if i in negated_by:
            j = negated_by[i]
            factor = spans[j].unit.negator if spans[j].unit and spans[j].unit.negator is not None else -0.75
            nv = v * factor
            if w < 0:
                nv *= NEGATED_NEGATIVE_FACTOR
            cues.append(SentimentCue(spans[j].surface, nv - v, "negated"))
            v = nv
        contributions.append((i, v, start))

    # -- sentences: contrast and questions ----------------------------------
    sentences: list[tuple[int, int, str]] = []  # [start, end) and terminator
    start = 0
    for i, s in enumerate(spans):
        if s.kind == STOP:
            sentences.append((start, i, s.surface))
            start = i + 1
    if start < n:
        sentences.append((start, n, ""))

    value_at = {i: v for i, v, _ in contributions}
    sentence_cues: list[SentimentCue] = []
    for si, (a, b, end) in enumerate(sentences):
        contrast = None
        for i in range(a, b):
            u = spans[i].unit
            if u is not None and u.contrast is not None and spans[i].kind == WORD:
                contrast = i
        if contrast is not None:
            factor = spans[contrast].unit.contrast
            before_from = a
            if contrast == a and si > 0:  # "... . But ..." weighs against the previous sentence
                before_from = sentences[si - 1][0]
            delta = 0.0
            for i, v in list(value_at.items()):
                if before_from <= i < contrast:
                    value_at[i] = v * BEFORE_CONTRAST_FACTOR
                    delta += v * BEFORE_CONTRAST_FACTOR - v
                elif contrast < i < b:
                    value_at[i] = v * factor
                    delta += v * factor - v
            if delta:
                sentence_cues.append(SentimentCue(spans[contrast].surface, delta, "but_clause"))
        if "?" in end:
            factor = QUESTION_FACTOR if end.count("?") == 1 and "!" not in end else EXCITED_QUESTION_FACTOR
            delta = 0.0
            for i, v in list(value_at.items()):
                if a <= i < b:
                    value_at[i] = v * factor
                    delta += v * factor - v
            if delta:
                sentence_cues.append(SentimentCue("?" if factor == QUESTION_FACTOR else end, delta, "question"))

    total = sum(c.weight for c in cues) + sum(c.weight for c in sentence_cues)
    cues.extend(sentence_cues)
    bangs = min(EXCLAMATION_MAX, text.count("!"))
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
    return SentimentResult(score, label, tuple(_rounded(c) for c in cues))


def _rounded(c: SentimentCue) -> SentimentCue:
    return SentimentCue(c.text, round(c.weight, 3), c.reason)


# ---------------------------------------------------------------------------
# Explanations


def explain(result: SentimentResult) -> list[str]:
    """English sentences describing the cues of a result, one per word or rule,
    e.g. "'déçu' −2.0 negated by 'pas' → +1.0". (The UI builds translated
    ones from the reason codes.)"""
    lines: list[str] = []
    current: list[str] | None = None
    running = 0.0
    word = ""
    for c in result.cues:
        if c.reason in ("lexicon", "emoji"):
            if current:
                lines.append(" ".join(current))
            running = c.weight
            word = c.text
            kind = "emoji " if c.reason == "emoji" else ""
            current = [f"{kind}'{c.text}' {_fmt(c.weight)}"]
        elif c.reason in ("negated", "intensified", "dampened") and current is not None:
            running += c.weight
            if c.text == word:
                how = "in capitals" if _is_caps(c.text) else "with stretched letters"
                current.append(f"emphasised {how} → {_fmt(running)}")
            else:
                verb = {"negated": "negated", "intensified": "intensified", "dampened": "dampened"}[c.reason]
                current.append(f"{verb} by '{c.text}' → {_fmt(running)}")
        else:
            if current:
                lines.append(" ".join(current))
                current = None
            if c.reason == "but_clause":
                lines.append(
                    f"'{c.text}': what follows weighs more, what precedes less ({_fmt(c.weight)})"
                )
            elif c.reason == "question":
                lines.append(f"question '{c.text}': sentiment damped ({_fmt(c.weight)})")
            elif c.reason == "exclamation":
                lines.append(f"'{c.text}' amplifies ({_fmt(c.weight)})")
            else:
                lines.append(f"'{c.text}' {_fmt(c.weight)} ({c.reason})")
    if current:
        lines.append(" ".join(current))
    lines.append(f"total {_fmt(result.total)} → score {result.score:+.2f} ({result.label})".replace("-", "\u2212"))
    return lines
