"""Parse benchmark: cmdesk's parse_feed against plain feedparser.parse.

    python benchmarks/parse.py [--dir /work/shared/data/feeds] [--min-time 0.3]

Parses every file of the folder, plus a generated 50-item RSS 2.0 and Atom
feed, repeatedly with parse_feed (fast lxml/json pass, feedparser fallback) and
with feedparser.parse (default options), and prints MB/s for each and the
ratio. The "pass" column says which parser parse_feed used; files it rejects
are listed with the error code and left out of the totals.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import feedparser  # noqa: E402

from cmdesk.parsing.feeds import FeedParseError, parse_feed  # noqa: E402

DEFAULT_DIR = Path("/work/shared/data/feeds")


def _paragraphs(i: int) -> str:
    return "".join(
        f"<p>Paragraph {p} of post {i}: <a href=\"https://bench.example/{i}/{p}\">a link</a>, "
        f"<em>emphasis</em> &amp; some ordinary words to make a realistic length of text.</p>"
        for p in range(8)
    )


def generated_rss(n: int = 50) -> bytes:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    items = "".join(
        f"""<item><title>Post number {i} &amp; friends</title>
<link>https://bench.example/posts/{i}</link><guid isPermaLink="true">https://bench.example/posts/{i}</guid>
<dc:creator>Author {i % 7}</dc:creator><pubDate>{format_datetime(start - timedelta(hours=i))}</pubDate>
<category>news</category><description>{_esc(_paragraphs(i)[:400])}</description>
<content:encoded><![CDATA[{_paragraphs(i)}]]></content:encoded></item>
"""
        for i in range(n)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Generated RSS</title><link>https://bench.example/</link><description>bench</description>
{items}</channel></rss>""".encode()


def generated_atom(n: int = 50) -> bytes:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    entries = "".join(
        f"""<entry><title type="html">Post number {i} &amp;amp; friends</title>
<link rel="alternate" type="text/html" href="/posts/{i}"/><id>tag:bench.example,2026:{i}</id>
<published>{(start - timedelta(hours=i)).isoformat()}</published>
<updated>{(start - timedelta(hours=i)).isoformat()}</updated>
<author><name>Author {i % 7}</name></author><summary>{_esc(_paragraphs(i)[:400])}</summary>
<content type="html">{_esc(_paragraphs(i))}</content></entry>
"""
        for i in range(n)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://bench.example/">
<title>Generated Atom</title><link href="/"/><id>tag:bench.example,2026:feed</id>
<updated>{start.isoformat()}</updated>
{entries}</feed>""".encode()


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rate(func, body: bytes, min_time: float) -> float:
    """MB/s of func(body), repeated for at least min_time seconds (after one warm-up)."""
    func(body)
    runs = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < min_time or runs < 3:
        func(body)
        runs += 1
        elapsed = time.perf_counter() - start
    return len(body) * runs / elapsed / 1e6


def run_feedparser(body: bytes) -> None:
    feedparser.parse(io.BytesIO(body))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--min-time", type=float, default=0.3, help="seconds per file and parser")
    args = ap.parse_args()

    docs: list[tuple[str, bytes]] = [
        ("generated/rss-50.xml", generated_rss()),
        ("generated/atom-50.xml", generated_atom()),
    ]
    if args.dir.is_dir():
        docs += [
            (str(p.relative_to(args.dir)), p.read_bytes())
            for p in sorted(args.dir.rglob("*"))
            if p.is_file()
        ]
    else:
        print(f"note: {args.dir} is absent; generated feeds only\n")

    print(f"{'file':42} {'KB':>6} {'pass':>10} {'items':>5} {'ours MB/s':>10} {'fp MB/s':>8} {'ratio':>6}")
    totals: dict[str, list[float]] = {"all": [0, 0, 0], "fast": [0, 0, 0]}  # bytes, t_ours, t_fp
    for name, body in docs:
        try:
            feed = parse_feed(body, "https://bench.example/feed")
        except FeedParseError as exc:
            print(f"{name:42} {len(body) / 1024:6.0f} {'error':>10}   -   {exc.code.value}: {exc.message}")
            continue
        ours = rate(lambda b: parse_feed(b, "https://bench.example/feed"), body, args.min_time)
        fp = rate(run_feedparser, body, args.min_time)
        print(
            f"{name:42} {len(body) / 1024:6.0f} {feed.parser:>10} {len(feed.items):5d}"
            f" {ours:10.1f} {fp:8.2f} {ours / fp:6.1f}x"
        )
        groups = ["all", "fast"] if feed.parser == "fast" else ["all"]
        for g in groups:
            totals[g][0] += len(body)
            totals[g][1] += len(body) / ours / 1e6
            totals[g][2] += len(body) / fp / 1e6
    print()
    for g, label in (("all", "all readable files"), ("fast", "files on the fast pass")):
        size, t_ours, t_fp = totals[g]
        if size:
            ours, fp = size / t_ours / 1e6, size / t_fp / 1e6
            print(
                f"{'TOTAL ' + label:42} {size / 1024:6.0f} {'':>10} {'':>5}"
                f" {ours:10.1f} {fp:8.2f} {ours / fp:6.1f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
