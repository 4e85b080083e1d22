"""A store with known mentions in February and March 2024 (UTC), built through
the store's real insert paths, and the KPI values they must give.

Used by the KPI, stats service and report tests. All times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from cmdesk.core.items import guid_hash
from cmdesk.core.models import MentionState, ParsedItem, PreparedItem
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import FeedRepository
from cmdesk.store.items import ItemRepository
from cmdesk.store.mentions import MentionRepository

UTC = timezone.utc
FOUND_DELAY = 300  # mentions are found 5 minutes after publication
NOW = int(datetime(2024, 4, 5, 12, 0, tzinfo=UTC).timestamp())  # when the report is made


def ts(y, mo, d, h=9, mi=0, s=0) -> int:
    return int(datetime(y, mo, d, h, mi, s, tzinfo=UTC).timestamp())


@dataclass
class Spec:
    key: str
    published: int
    terms: tuple[str, ...]
    source: str
    author: str
    reach: float
    sentiment: str
    # (state, seconds after found_at); "replied" sets the reply time
    triage: tuple[tuple[str, int], ...] = ()
    tags: tuple[str, ...] = ()
    title: str = ""
    starred: bool = False


TERMS = (("Acme", "brand"), ("Globex", "competitor"), ("Initech", "competitor"), ("AcmePhone", "product"))

SPECS = (
    # -- March 2024 (9 mentions) --
    Spec("M1", ts(2024, 3, 1), ("Acme",), "a.com", "alice", 5, "positive",
         (("to_reply", 60), ("replied", 600)), ("lead",), "Acme rocks, where to buy?"),
    Spec("M2", ts(2024, 3, 2), ("Acme",), "a.com", "bob", 1, "positive", (("replied", 1800),)),
    Spec("M3", ts(2024, 3, 3), ("Acme", "Globex"), "b.com", "alice", 2, "neutral", (("replied", 3600),)),
    Spec("M4", ts(2024, 3, 5), ("Globex",), "b.com", "carol", 1, "negative", (("replied", 7200),), ("lead",)),
    Spec("M5", ts(2024, 3, 10), ("Acme",), "c.com", "", 10, "negative", (("replied", 86400),), (),
         "Acme outage: angry thread"),
    Spec("M6", ts(2024, 3, 15), ("Initech",), "c.com", "dave", 1, "neutral", (("to_reply", 3600),)),
    Spec("M7", ts(2024, 3, 20), ("AcmePhone",), "a.com", "erin", 1, "positive",
         (("to_reply", 3600), ("done", 86400))),
    Spec("M8", ts(2024, 3, 25), ("Acme",), "d.com", "alice", 1, "neutral"),
    # found 23:35 on the 31st, ignored two days later: still in the backlog at the end of March
    Spec("M9", ts(2024, 3, 31, 23, 30), ("Acme",), "a.com", "bob", 1, "positive", (("ignored", 2 * 86400),)),
    # -- outside March: the next month, and February --
    Spec("N1", ts(2024, 4, 1, 0, 30), ("Acme",), "a.com", "bob", 1, "positive"),
    Spec("P1", ts(2024, 2, 10), ("Acme",), "a.com", "alice", 1, "positive", (("replied", 7200),)),
    Spec("P2", ts(2024, 2, 20), ("Globex",), "b.com", "carol", 1, "negative"),
    # triaged on the 1st of March: still new at the end of February
    Spec("P3", ts(2024, 2, 29, 23, 30), ("Acme",), "e.com", "frank", 2, "neutral", (("to_reply", 3600),)),
)


# Expected March 2024 KPIs (UTC) for the specs above.
MARCH = dict(
    mentions=9, reach=23.0, unique_sources=4, unique_authors=5,
    positive=4, neutral=3, negative=2, net_sentiment=2 / 9,
    brand_mentions=6, competitor_mentions=3, brand_reach=20.0, competitor_reach=4.0,
    brand_share=6 / 9, brand_share_reach=20 / 24,
    needing_reply=7, replied=5, response_rate=5 / 7, median_response_s=3600.0, p90_response_s=86400.0,
    backlog=5,  # M6, M8, M9 (ignored after the end), P2, P3
    leads=2, spikes=0,
    per_term={"Acme": (6, 20.0), "Globex": (2, 3.0), "Initech": (1, 1.0), "AcmePhone": (1, 1.0)},
    top_sources=[("a.com", 4, 8.0), ("c.com", 2, 11.0), ("b.com", 2, 3.0), ("d.com", 1, 1.0)],
    top_authors=[("alice", 3, 8.0), ("bob", 2, 2.0), ("carol", 1, 1.0), ("dave", 1, 1.0), ("erin", 1, 1.0)],
    top_mention_keys=["M5", "M1", "M3"],
)
FEBRUARY = dict(
    mentions=3, reach=4.0, unique_sources=3, unique_authors=3, positive=1, neutral=1, negative=1,
    net_sentiment=0.0, brand_share=2 / 3, needing_reply=2, replied=1, response_rate=0.5,
    median_response_s=7200.0, p90_response_s=7200.0, backlog=2, leads=0,
)


@dataclass
class FixtureStore:
    db_path: Path
    mention_ids: dict[str, int] = field(default_factory=dict)
    term_ids: dict[str, int] = field(default_factory=dict)


def build_fixture_store(db_path: Path, specs=SPECS) -> FixtureStore:
    conn = connect(db_path)
    out = FixtureStore(Path(db_path))
    try:
        feeds, items, mentions = FeedRepository(conn), ItemRepository(conn), MentionRepository(conn)
        with write_transaction(conn):
            for name, kind in TERMS:
                out.term_ids[name] = mentions.add_term(name, kind, name.lower(), color="#123456", active=True,
                                                       notify=False, now=ts(2024, 1, 1)).id
            feed_of: dict[str, int] = {}
            for s in specs:
                if s.source not in feed_of:
                    feed_of[s.source] = feeds.add_feed(f"https://{s.source}/feed", title=s.source,
                                                       now=ts(2024, 1, 1)).id
        batch = 0
        for s in specs:
            with write_transaction(conn):
                title = s.title or f"{s.key} about {' and '.join(s.terms)}"
                p = ParsedItem(guid=s.key, url=f"https://{s.source}/post/{s.key}", title=title, author=s.author,
                               summary=title, content="", published_at=s.published)
                fid = feed_of[s.source]
                (item_id,) = items.insert_new(fid, [PreparedItem(guid_hash(p.guid), p, title)], now=NOW)
                found = s.published + FOUND_DELAY
                mid = mentions.insert_mention(
                    item_id=item_id, feed_id=fid, found_at=found, published_at=s.published, lang="en", score=0.0,
                    label=s.sentiment, cues=[], source=s.source, author=s.author, reach=s.reach,
                    canonical_url=None, fingerprint=None, dup_group=None)
                mentions.link_terms(mid, [out.term_ids[t] for t in s.terms])
                if s.tags:
                    mentions.add_tags([mid], list(s.tags))
                if s.starred:
                    mentions.set_starred([mid], True)
                out.mention_ids[s.key] = mid
            for state, after in s.triage:
                batch += 1
                with write_transaction(conn):
                    mentions.set_state([mid], MentionState(state), now=found + after, batch=batch)
    finally:
        conn.close()
    return out
