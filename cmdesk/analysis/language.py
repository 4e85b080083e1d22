"""Language identification of mentions, a thin wrapper around py3langid.

py3langid (a maintained fork of langid.py) ships its model in the wheel. The
model takes about a second to load, so it is loaded on first use (or by
:func:`preload`, e.g. in a worker at start-up), once, under a lock; the
identifiers are then read-only and safe to share between threads.

By default the identifier is restricted (``set_languages``) to the languages
a French/English community manager meets: :data:`DEFAULT_LANGUAGES`. The
confidence is computed here from py3langid's raw scores, the same way for every
version of it: a softmax over the candidate languages with the scores divided
by the square root of the text's length in bytes (what py3langid 0.4 does
with ``norm_probs=True``), so that a long text is not more certain merely for
being long. Text that is too short, or whose best language is below
:data:`MIN_CONFIDENCE`, gets ``None``.
"""

from __future__ import annotations

import copy
import logging
import math
import re
import threading
from collections.abc import Sequence

__all__ = [
    "DEFAULT_LANGUAGES",
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "detect_language",
    "preload",
]

log = logging.getLogger(__name__)

DEFAULT_LANGUAGES: tuple[str, ...] = ("fr", "en", "de", "es", "it", "pt", "nl")
# Below this, the best guess is wrong too often to be worth showing
# (measured on short brand mentions: tests/analysis/test_language.py).
MIN_CONFIDENCE = 0.6
MIN_LETTERS = 6  # "ok", "lol", "Acme": no language to speak of
MAX_CHARS = 2000  # the start of a long post says its language

# URLs, e-mail addresses, @handles, #tags; then emoji and symbols, which say
# nothing of the language.
_NOISE_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|(?<![\w@])[@#]\w+", re.IGNORECASE)
_NON_TEXT_RE = re.compile(r"[^\w\s'’\-.,!?;:]+")
_NON_LETTERS_RE = re.compile(r"[\W\d_]+")

_lock = threading.Lock()
_base = None  # the full model, never restricted
_identifiers: dict[frozenset, object] = {}


def _load_base():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    loader = getattr(LanguageIdentifier, "from_model_file", None)  # py3langid >= 0.4
    if loader is None:
        loader = LanguageIdentifier.from_pickled_model  # py3langid 0.2 and 0.3
    return loader(MODEL_FILE, norm_probs=False)


def _identifier(languages: frozenset):
    """The identifier restricted to ``languages``, created once."""
    ident = _identifiers.get(languages)
    if ident is not None:
        return ident
    with _lock:
        ident = _identifiers.get(languages)
        if ident is None:
            global _base
            if _base is None:
                _base = _load_base()
            # set_languages changes the identifier it is called on: each set
            # of languages gets its own shallow copy (the model arrays are
            # shared and only read).
            ident = copy.copy(_base)
            ident.set_languages(sorted(languages))
            _identifiers[languages] = ident
    return ident


def preload() -> None:
    """Load the model now rather than on the first detection."""
    _identifier(frozenset(DEFAULT_LANGUAGES))


def _clean(text: str) -> str:
    text = _NON_TEXT_RE.sub(" ", _NOISE_RE.sub(" ", text[:MAX_CHARS]))
    return " ".join(text.split())


def detect_language(text: str, candidates: Sequence[str] | None = None) -> tuple[str | None, float]:
    """Language of a mention: ``(ISO 639-1 code, confidence in [0, 1])``, or
    ``(None, confidence)`` when the text is too short or the guess unsure.

    ``candidates`` restricts the answer (default :data:`DEFAULT_LANGUAGES`);
    codes py3langid does not know are ignored. Never raises.
    """
    try:
        return _detect(text, candidates)
    except Exception:  # a mention must be stored even if identification fails
        log.exception("language identification failed")
        return None, 0.0


def _detect(text: str, candidates: Sequence[str] | None) -> tuple[str | None, float]:
    if not isinstance(text, str):
        return None, 0.0
    cleaned = _clean(text)
    if len(_NON_LETTERS_RE.sub("", cleaned)) < MIN_LETTERS:
        return None, 0.0
    if candidates is None:
        languages = frozenset(DEFAULT_LANGUAGES)
    else:
        languages = frozenset(c.strip().lower() for c in candidates if isinstance(c, str) and c.strip())
        known = _identifier(frozenset(DEFAULT_LANGUAGES))
        base_labels = set(_base.nb_classes) if _base is not None else set(known.nb_classes)
        languages = frozenset(lang for lang in languages if lang in base_labels)
        if not languages:
            return None, 0.0
        if len(languages) == 1:
            return next(iter(languages)), 1.0
    ranked = _identifier(languages).rank(cleaned)
    if not ranked:
        return None, 0.0
    temperature = math.sqrt(len(cleaned.encode("utf-8")) or 1)
    scores = [score / temperature for _, score in ranked]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    best = max(range(len(ranked)), key=scores.__getitem__)
    confidence = exps[best] / sum(exps)
    if not math.isfinite(confidence):
        return None, 0.0
    confidence = round(confidence, 4)
    if confidence < MIN_CONFIDENCE:
        return None, confidence
    return ranked[best][0], confidence
