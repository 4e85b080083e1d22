"""Sentiment and language benchmark on the labelled FR/EN mention set.

    python benchmarks/sentiment.py [--data tests/data/sentiment_fr_en.tsv] [--min-time 1.0]

Prints, for the shipped lexicons:

- accuracy per language and confusion matrices, with the language given by
  the data set, with no language (both lexicons), and with the language found
  by detect_language (what the refresh does);
- accuracy for a few neutral thresholds around the chosen one;
- how often detect_language is right, unsure (None) or wrong on the set;
- items/s of analyse(), detect_language() and both together.

Target: accuracy >= 0.75 per language (PASS/MISS). Exit status 1 on a MISS.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cmdesk.analysis.language import detect_language, preload  # noqa: E402
from cmdesk.core import sentiment  # noqa: E402
from cmdesk.core.sentiment import LABELS, SentimentLexicon, analyse  # noqa: E402
from cmdesk.resources import resource_path  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "sentiment_fr_en.tsv"
TARGET = 0.75


def load(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8") as f:
        f.readline()
        return [tuple(line.rstrip("\n").split("\t", 2)) for line in f if line.strip()]


def label_for(score: float, threshold: float) -> str:
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


def accuracy_table(rows, predictions, title: str) -> dict[str, float]:
    print(f"\n== {title}")
    result = {}
    for lang in sorted({r[0] for r in rows}):
        matrix = Counter()
        n = ok = 0
        for (lg, label, _), predicted in zip(rows, predictions):
            if lg != lang:
                continue
            matrix[label, predicted] += 1
            n += 1
            ok += label == predicted
        result[lang] = ok / n
        verdict = "PASS" if result[lang] >= TARGET else "MISS"
        print(f"{lang}: accuracy {result[lang]:.3f} ({ok}/{n})  target {TARGET:.2f} {verdict}")
        print(f"  {'true / predicted':<18}" + "".join(f"{p:>10}" for p in LABELS))
        for t in LABELS:
            print(f"  {t:<18}" + "".join(f"{matrix[t, p]:>10}" for p in LABELS))
    return result


def rate(fn, items, min_time: float) -> float:
    """Items per second, best of repeated passes lasting at least min_time."""
    fn(items[0])
    best = 0.0
    spent = 0.0
    while spent < min_time or best == 0.0:
        start = time.perf_counter()
        for item in items:
            fn(item)
        elapsed = time.perf_counter() - start
        spent += elapsed
        best = max(best, len(items) / elapsed)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--min-time", type=float, default=1.0, help="seconds per speed measurement")
    args = parser.parse_args()

    rows = load(args.data)
    start = time.perf_counter()
    lexicon = SentimentLexicon.load(resource_path("lexicons"))
    for lang in ("en", "fr", None):
        analyse("warm up", lang, lexicon)
    lexicon_s = time.perf_counter() - start
    start = time.perf_counter()
    preload()
    model_s = time.perf_counter() - start
    print(f"{len(rows)} labelled mentions from {args.data}")
    print(f"lexicons loaded in {lexicon_s * 1000:.0f} ms; language model in {model_s * 1000:.0f} ms")

    given = [analyse(text, lang, lexicon) for lang, _, text in rows]
    accuracy = accuracy_table(rows, [r.label for r in given], "sentiment, language from the data set")
    accuracy_table(rows, [analyse(text, None, lexicon).label for _, _, text in rows], "sentiment, no language (both lexicons)")
    detected = [detect_language(text) for _, _, text in rows]
    accuracy_table(
        rows,
        [analyse(text, d[0], lexicon).label for (_, _, text), d in zip(rows, detected)],
        "sentiment, language from detect_language",
    )

    print(f"\n== neutral threshold (chosen: {sentiment.NEUTRAL_THRESHOLD})")
    print(f"  {'threshold':>9}" + "".join(f"{lang:>8}" for lang in ("en", "fr")))
    for threshold in (0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40):
        cells = []
        for lang in ("en", "fr"):
            pairs = [(label, r.score) for (lg, label, _), r in zip(rows, given) if lg == lang]
            cells.append(sum(label == label_for(score, threshold) for label, score in pairs) / len(pairs))
        print(f"  {threshold:>9.2f}" + "".join(f"{c:>8.3f}" for c in cells))

    print("\n== detect_language on the set")
    for lang in ("en", "fr"):
        outcomes = Counter(
            "right" if d[0] == lg else "unsure" if d[0] is None else "wrong"
            for (lg, _, _), d in zip(rows, detected)
            if lg == lang
        )
        print(f"  {lang}: right {outcomes['right']}, unsure (None) {outcomes['unsure']}, wrong {outcomes['wrong']}")

    texts = [text for _, _, text in rows]
    pairs = [(lang, text) for lang, _, text in rows]
    speeds = {
        "analyse(text, lang)": rate(lambda p: analyse(p[1], p[0], lexicon), pairs, args.min_time),
        "analyse(text, None)": rate(lambda t: analyse(t, None, lexicon), texts, args.min_time),
        "detect_language(text)": rate(detect_language, texts, args.min_time),
        "detect + analyse": rate(lambda t: analyse(t, detect_language(t)[0], lexicon), texts, args.min_time),
    }
    print("\n== speed (one core, best pass)")
    for name, value in speeds.items():
        print(f"  {name:<24}{value:>10,.0f} items/s  {1e6 / value:>8.1f} µs/item")

    return 0 if all(v >= TARGET for v in accuracy.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
