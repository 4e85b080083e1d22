"""Matching benchmark: TermMatcher against the labelled mention corpus.

    python benchmarks/matching.py [--items 20000] [--seed 0] [--naive-items 1000] [--repeat 3]

Generates the corpus (benchmarks/mention_corpus.py: FR and EN items of about
1 KB, 200 watch terms, expected term ids known from how each item was built),
then:

- checks TermMatcher against the labels: precision and recall must be 100%;
- times TermMatcher.match over every item (best of --repeat runs), the
  naive way (every query's matches() on every item) over --naive-items
  items, and two floors that do no folding and no matching at all, only
  split each item into a set of words (as str, and as lowercased UTF-8, the
  cheapest way in CPython): no exact word matcher in Python can beat them.
  Items/s are given by CPU time (other processes on the machine weigh less)
  and by wall time;
- checks on a small in-memory FTS5 table (unicode61 remove_diacritics 2) that
  every term's fts_prefilter() finds every item the term matches, and reports
  how many candidates it returns for how many matches.

Exits with status 1 when a check fails. The target is 20,000 items/s on one core.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mention_corpus import HAND_TERMS, generate  # noqa: E402

from cmdesk.core.query import TermMatcher, parse_query  # noqa: E402

TARGET = 20_000


def _best(fn, repeat: int) -> tuple[float, float]:
    """Best (wall, CPU) seconds over `repeat` runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--naive-items", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-fts", action="store_true", help="skip the FTS5 pre-filter check")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    terms, items = generate(args.items, seed=args.seed)
    gen_s = time.perf_counter() - t0
    docs = [d for d, _ in items]
    size = sum(len(d.title) + len(d.text) for d in docs) / len(docs)
    labelled = sum(len(e) for _, e in items)
    with_mention = sum(1 for _, e in items if e)
    print(f"corpus: {len(items):,} items (avg {size:,.0f} chars), {len(terms)} terms "
          f"({len(HAND_TERMS)} hand-written), {labelled:,} expected matches in {with_mention:,} items "
          f"(generated in {gen_s:.1f} s); {len(items) - with_mention:,} items "
          f"({(len(items) - with_mention) / len(items):.0%}) match no term")

    t0 = time.perf_counter()
    queries = [(tid, parse_query(q)) for tid, q in terms]
    matcher = TermMatcher(queries)
    build_ms = (time.perf_counter() - t0) * 1000
    print(f"parse {len(queries)} queries + build TermMatcher: {build_ms:.1f} ms")

    # Exactness.
    tp = fp = fn = 0
    per_term_errors: dict[int, list[int]] = {}
    for doc, expected in items:
        got = set(matcher.match(doc))
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        for tid in got ^ expected:
            per_term_errors.setdefault(tid, [0, 0])[0 if tid in got else 1] += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    ok = fp == 0 and fn == 0
    print()
    print(f"{'':<12}{'value':>10}")
    print(f"{'precision':<12}{precision:>10.2%}   ({tp:,} true, {fp:,} false positives)")
    print(f"{'recall':<12}{recall:>10.2%}   ({fn:,} missed)")
    if not ok:
        for tid, (f_p, f_n) in sorted(per_term_errors.items())[:10]:
            print(f"FAIL term {tid} {terms[tid - 1][1]!r}: {f_p} false positives, {f_n} missed")

    # Speed.
    for d in docs[:200]:  # warm the per-character caches
        matcher.match(d)
    naive_docs = docs[: args.naive_items]
    # A real feed stream is mostly items that match no term; this corpus is not
    # (see the corpus line above), so the speed on its no-match items is shown too.
    quiet = [d for d, e in items if not e]
    rows = [
        ("TermMatcher.match", len(docs), _best(lambda: [matcher.match(d) for d in docs], args.repeat)),
        ("TermMatcher.match, no-match items", len(quiet),
         _best(lambda: [matcher.match(d) for d in quiet], args.repeat)),
        ("naive: every query.matches()", len(naive_docs),
         _best(lambda: [[tid for tid, q in queries if q.matches(d)] for d in naive_docs], 1)),
        ("floor: str split() into a set", len(docs),
         _best(lambda: [set(d.title.split()) | set(d.text.split()) for d in docs], args.repeat)),
        ("floor: UTF-8 lower().split(), set", len(docs),
         _best(lambda: [set(d.title.encode().lower().split()) | set(d.text.encode().lower().split())
                        for d in docs], args.repeat)),
    ]
    print()
    try:
        load = " (load average %.2f %.2f %.2f)" % os.getloadavg()
    except OSError:
        load = ""
    print(f"speed, best of {args.repeat} runs{load}; items/s by CPU time (one core) and wall time")
    print(f"{'method':<36}{'items':>8}{'CPU s':>9}{'items/s':>10}{'wall s':>9}{'items/s':>10}")
    rates = {}
    for name, n, (wall, cpu) in rows:
        rates[name] = n / cpu
        print(f"{name:<36}{n:>8,}{cpu:>9.3f}{n / cpu:>10,.0f}{wall:>9.3f}{n / wall:>10,.0f}")
    fast = rates["TermMatcher.match"]
    print(f"ratio TermMatcher / naive: {fast / rates['naive: every query.matches()']:.0f}x; "
          f"TermMatcher / floors: {fast / rates['floor: str split() into a set']:.2f}, "
          f"{fast / rates['floor: UTF-8 lower().split(), set']:.2f}")
    print(f"target >= {TARGET:,} items/s with {len(terms)} terms: {'PASS' if fast >= TARGET else 'MISS'} "
          f"({fast:,.0f} items/s, {1e6 / fast:.0f} us per item)")

    if not args.no_fts:
        ok = _check_fts(queries, items) and ok
    return 0 if ok else 1


def _check_fts(queries, items) -> bool:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')")
    t0 = time.perf_counter()
    conn.executemany("INSERT INTO t(rowid, title, text) VALUES (?, ?, ?)",
                     ((i, d.title, d.text) for i, (d, _e) in enumerate(items)))
    index_s = time.perf_counter() - t0
    expected: dict[int, set[int]] = {tid: set() for tid, _q in queries}
    for i, (_d, e) in enumerate(items):
        for tid in e:
            expected[tid].add(i)
    candidates = matches = missing = 0
    t0 = time.perf_counter()
    for tid, q in queries:
        found = {r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (q.fts_prefilter(),))}
        candidates += len(found)
        matches += len(expected[tid])
        lost = expected[tid] - found
        if lost:
            missing += len(lost)
            print(f"FAIL fts_prefilter of term {tid} {q.text!r} misses {len(lost)} matching items")
    query_s = time.perf_counter() - t0
    print()
    print(f"FTS5 pre-filter: indexed {len(items):,} items in {index_s:.1f} s; {len(queries)} prefilter queries "
          f"in {query_s * 1000:.0f} ms; {candidates:,} candidates for {matches:,} matches "
          f"({candidates / max(matches, 1):.2f}x); superset: {'yes' if not missing else 'NO'}")
    return missing == 0


if __name__ == "__main__":
    sys.exit(main())
