"""Matching is exact on the generated corpus: precision and recall are 1.0.

The generator lives in benchmarks/mention_corpus.py (the matching benchmark
runs it at 20,000 items); its labels come from how each item was built, not
from the matcher.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from cmdesk.core.query import TermMatcher, parse_query

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "mention_corpus.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("mention_corpus", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mention_corpus", module)
    spec.loader.exec_module(module)
    return module


mention_corpus = _load_generator()


@pytest.mark.parametrize("seed", [0, 7])
def test_precision_and_recall_are_exact(seed):
    terms, items = mention_corpus.generate(1500, seed=seed)
    assert len(terms) == 200
    matcher = TermMatcher([(tid, parse_query(q)) for tid, q in terms])
    tp = fp = fn = 0
    failures = []
    for doc, expected in items:
        got = set(matcher.match(doc))
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        if got != expected and len(failures) < 5:
            failures.append((doc, sorted(got - expected), sorted(expected - got)))
    assert tp > 1000  # the corpus exercises the matcher
    assert (fp, fn) == (0, 0), failures
    assert tp / (tp + fp) == 1.0 and tp / (tp + fn) == 1.0


def test_generator_is_deterministic_and_labels_do_not_need_the_matcher():
    a = mention_corpus.generate(50, seed=3)
    b = mention_corpus.generate(50, seed=3)
    assert a == b
    assert mention_corpus.generate(50, seed=4) != a


def test_corpus_contains_hits_and_near_misses_for_every_hand_written_term():
    terms, items = mention_corpus.generate(1500, seed=0)
    hand = range(1, len(mention_corpus.HAND_TERMS) + 1)
    hits = {tid: 0 for tid in hand}
    for _doc, expected in items:
        for tid in expected & set(hand):
            hits[tid] += 1
    assert all(n > 0 for n in hits.values()), hits
    texts = " ".join(d.title + " " + d.text for d, _e in items)
    for form in ("acmeville", "macme", "l'", "d’", "#", "@", ".com", "ß", "œ", "«"):
        assert form.lower() in texts.lower(), form


def test_naive_matching_agrees_with_the_matcher_on_the_corpus():
    terms, items = mention_corpus.generate(200, seed=1)
    queries = [(tid, parse_query(q)) for tid, q in terms]
    matcher = TermMatcher(queries)
    for doc, _expected in items:
        assert matcher.match(doc) == [tid for tid, q in queries if q.matches(doc)]
