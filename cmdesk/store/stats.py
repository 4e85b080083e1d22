"""Read-only aggregates behind the stats tab and the monthly report.

All the counting is SQL (GROUP BY over index ranges), so a month of 50,000
mentions is summed without walking rows in Python. Local days are computed
in SQL from a `DayBuckets` (UTC offset segments, so DST days are right).
"""

from __future__ import annotations

import sqlite3
from typing import Iterator

from cmdesk.core.kpis import DayBuckets, MentionExportRow, RankedCount, TopMention
from cmdesk.core.models import WatchTerm

_TERM_COLUMNS = "id, name, kind, query, active, color, notify, created_at, updated_at"


def _day_sql(column: str, buckets: DayBuckets) -> tuple[str, list]:
    """SQL expression for the local day index of `column`, with its parameters."""
    if len(buckets.segments) == 1:
        return f"(({column} + ?) - ?) / 86400", [buckets.segments[0][1], buckets.base_local]
    parts, params = [], []
    for until, off in buckets.segments:
        if until is None:
            parts.append("ELSE ? END")
            params.append(off)
        else:
            parts.append(f"WHEN {column} < ? THEN ?")
            params += [until, off]
    return f"(({column} + CASE {' '.join(parts)}) - ?) / 86400", params + [buckets.base_local]


class StatsRepository:
    """Aggregates over mentions published in [start_ts, end_ts)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- reference data --------------------------------------------------
    def terms(self) -> list[WatchTerm]:
        return [WatchTerm(r[0], r[1], r[2], r[3], bool(r[4]), r[5], bool(r[6]), r[7], r[8])
                for r in self.conn.execute(f"SELECT {_TERM_COLUMNS} FROM terms ORDER BY kind, name")]

    # -- the period's mentions ----------------------------------------------
    def load_period(self, buckets: DayBuckets) -> int:
        """Copy the period's mentions (compact columns, local day index) and their
        term links into connection-private TEMP tables; returns the number of mentions.

        Every aggregate below then scans this small table instead of walking
        the wide `mentions` rows through the date index again (measured
        several times faster for a 50,000-mention month). TEMP tables live in
        the connection's own memory and never take the store's write lock.
        """
        day, params = _day_sql("published_at", buckets)
        c = self.conn
        c.execute("DROP TABLE IF EXISTS temp.pm")
        c.execute("DROP TABLE IF EXISTS temp.pmt")
        c.execute("CREATE TEMP TABLE pm (id INTEGER PRIMARY KEY, d INTEGER NOT NULL, pub INTEGER NOT NULL,"
                  " found INTEGER NOT NULL, replied INTEGER, reach REAL NOT NULL, source TEXT NOT NULL,"
                  " author TEXT NOT NULL, sentiment TEXT NOT NULL, state TEXT NOT NULL, item_id INTEGER NOT NULL,"
                  " starred INTEGER NOT NULL)")
        n = c.execute(
            f"INSERT INTO pm SELECT id, {day}, published_at, found_at, replied_at, reach, source, author, sentiment,"
            " state, item_id, starred FROM mentions WHERE published_at >= ? AND published_at < ?",
            (*params, buckets.start_ts, buckets.end_ts)).rowcount
        c.execute("CREATE TEMP TABLE pmt (mention_id INTEGER NOT NULL, term_id INTEGER NOT NULL,"
                  " PRIMARY KEY (mention_id, term_id)) WITHOUT ROWID")
        c.execute("INSERT INTO pmt SELECT t.mention_id, t.term_id FROM pm JOIN mention_terms t ON t.mention_id = pm.id")
        return n

    def totals(self) -> tuple[int, float, int, int]:
        """(mentions, reach, unique non-empty sources, unique non-empty authors) of the loaded period."""
        row = self.conn.execute(
            "SELECT count(*), total(reach), count(DISTINCT nullif(source, '')), count(DISTINCT nullif(author, ''))"
            " FROM pm").fetchone()
        return int(row[0]), float(row[1]), int(row[2]), int(row[3])

    def daily_totals(self) -> dict[int, int]:
        """Day index → mentions."""
        return dict(self.conn.execute("SELECT d, count(*) FROM pm GROUP BY d"))

    def per_term(self) -> dict[int, tuple[int, float]]:
        """Term id → (mentions, reach)."""
        return {t: (n, float(r)) for t, n, r in self.conn.execute(
            "SELECT t.term_id, count(*), total(pm.reach) FROM pmt t JOIN pm ON pm.id = t.mention_id"
            " GROUP BY t.term_id")}

    def daily_per_term(self, buckets: DayBuckets) -> list[tuple[int, int, int]]:
        """(term id, day index, mentions) for days with mentions, over any range (not the loaded period)."""
        day, params = _day_sql("published_at", buckets)
        return self.conn.execute(
            f"SELECT term_id, {day} AS d, count(*) FROM mention_terms"
            " WHERE published_at >= ? AND published_at < ? GROUP BY term_id, d",
            (*params, buckets.start_ts, buckets.end_ts)).fetchall()

    def kind_totals(self, kinds: tuple[str, ...]) -> dict[str, tuple[int, float]]:
        """Kind → (distinct mentions matched by a term of that kind, their reach)."""
        marks = ",".join("?" * len(kinds))
        return {k: (n, float(r)) for k, n, r in self.conn.execute(
            "SELECT k.kind, count(*), total(pm.reach) FROM"
            " (SELECT DISTINCT te.kind AS kind, t.mention_id AS mid FROM pmt t"
            f"  JOIN terms te ON te.id = t.term_id WHERE te.kind IN ({marks})) k"
            " JOIN pm ON pm.id = k.mid GROUP BY k.kind", kinds)}

    def sentiment_split(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT sentiment, count(*) FROM pm GROUP BY sentiment"))

    def sentiment_daily(self) -> list[tuple[int, str, int]]:
        """(day index, sentiment label, mentions)."""
        return self.conn.execute("SELECT d, sentiment, count(*) FROM pm GROUP BY d, sentiment").fetchall()

    def top(self, column: str, limit: int) -> list[RankedCount]:
        """Top sources or authors by mentions, then reach, then name (empty names left out)."""
        if column not in ("source", "author"):
            raise ValueError(column)
        return [RankedCount(name, n, float(r)) for name, n, r in self.conn.execute(
            f"SELECT {column}, count(*) AS n, total(reach) AS r FROM pm WHERE {column} != ''"
            f" GROUP BY {column} ORDER BY n DESC, r DESC, {column} LIMIT ?", (limit,))]

    def top_mentions(self, limit: int) -> list[TopMention]:
        """Mentions with the highest reach proxy (then starred, then newest)."""
        rows = self.conn.execute(
            "SELECT p.id, p.pub, i.title, i.url, p.source, p.author, p.reach, p.sentiment, p.state"
            " FROM (SELECT * FROM pm ORDER BY reach DESC, starred DESC, pub DESC, id DESC LIMIT ?) p"
            " JOIN items i ON i.id = p.item_id ORDER BY p.reach DESC, p.starred DESC, p.pub DESC, p.id DESC",
            (limit,)).fetchall()
        names = self._term_names([r[0] for r in rows])
        return [TopMention(r[0], r[1], r[2], r[3], r[4], r[5], float(r[6]), r[7], r[8], names.get(r[0], ()))
                for r in rows]

    def _term_names(self, mention_ids: list[int]) -> dict[int, tuple[str, ...]]:
        if not mention_ids:
            return {}
        out: dict[int, list[str]] = {}
        marks = ",".join("?" * len(mention_ids))
        for mid, name in self.conn.execute(
                f"SELECT t.mention_id, te.name FROM mention_terms t JOIN terms te ON te.id = t.term_id"
                f" WHERE t.mention_id IN ({marks}) ORDER BY te.name", mention_ids):
            out.setdefault(mid, []).append(name)
        return {k: tuple(v) for k, v in out.items()}

    # -- responses -------------------------------------------------------
    def responses(self) -> tuple[int, list[int]]:
        """(mentions needing a reply, response times in seconds of those replied) of the loaded period.

        Needing a reply: state to_reply or replied now, a reply time, or a
        triage-log entry (not undone) that moved it to to_reply or replied.
        """
        needing = self.conn.execute(
            "SELECT count(*) FROM pm WHERE state IN ('to_reply', 'replied') OR replied IS NOT NULL"
            " OR id IN (SELECT mention_id FROM triage_log WHERE undone = 0 AND new_state IN ('to_reply', 'replied'))"
        ).fetchone()[0]
        times = [r[0] for r in self.conn.execute("SELECT max(0, replied - found) FROM pm WHERE replied IS NOT NULL")]
        return int(needing), times

    def backlog_at(self, ts: int) -> int:
        """Mentions found before `ts` whose state at `ts` was new or to_reply.

        The state at `ts` is the old state of the first (not undone) triage
        change at or after `ts`, or the current state when there is none.
        """
        return self.conn.execute(
            "WITH first_after AS (SELECT mention_id, min(id) AS lid FROM triage_log"
            "                     WHERE undone = 0 AND at >= ? GROUP BY mention_id)"
            " SELECT count(*) FROM mentions m LEFT JOIN first_after f ON f.mention_id = m.id"
            " LEFT JOIN triage_log l ON l.id = f.lid"
            " WHERE m.found_at < ? AND coalesce(l.old_state, m.state) IN ('new', 'to_reply')",
            (ts, ts)).fetchone()[0]

    def tagged(self, tag: str) -> int:
        """Mentions of the loaded period carrying `tag`."""
        return self.conn.execute(
            "SELECT count(*) FROM mention_tags g JOIN pm ON pm.id = g.mention_id WHERE g.tag = ?",
            (tag,)).fetchone()[0]

    # -- feeds -----------------------------------------------------------
    def feed_health(self, start_ts: int, end_ts: int) -> tuple[int, int, int, int, list[tuple[int, str, str | None]]]:
        """(feeds, in error, disabled, fetch errors logged in the period, failing feeds)."""
        feeds, in_error, disabled = self.conn.execute(
            "SELECT count(*), total(error_count > 0 AND disabled = 0 AND last_fetch_at IS NOT NULL),"
            " total(disabled != 0) FROM feeds").fetchone()
        errors = self.conn.execute("SELECT count(*) FROM fetch_log WHERE outcome = 'error' AND at >= ? AND at < ?",
                                   (start_ts, end_ts)).fetchone()[0]
        failing = self.conn.execute(
            "SELECT id, coalesce(nullif(title, ''), url), last_error_code FROM feeds"
            " WHERE error_count > 0 AND disabled = 0 AND last_fetch_at IS NOT NULL ORDER BY error_count DESC, id"
            " LIMIT 20").fetchall()
        return int(feeds), int(in_error), int(disabled), int(errors), [tuple(r) for r in failing]

    # -- export ----------------------------------------------------------
    def export_rows(self) -> Iterator[MentionExportRow]:
        """Every mention of the loaded period, oldest first, with term names and tags."""
        terms: dict[int, list[str]] = {}
        for mid, name in self.conn.execute(
                "SELECT t.mention_id, te.name FROM pmt t JOIN terms te ON te.id = t.term_id ORDER BY te.name"):
            terms.setdefault(mid, []).append(name)
        tags: dict[int, list[str]] = {}
        for mid, tag in self.conn.execute(
                "SELECT g.mention_id, g.tag FROM pm JOIN mention_tags g ON g.mention_id = pm.id ORDER BY g.tag"):
            tags.setdefault(mid, []).append(tag)
        cur = self.conn.execute(
            "SELECT pm.id, pm.pub, pm.found, pm.source, pm.author, i.title, i.url, pm.sentiment, pm.state,"
            " pm.replied, pm.reach FROM pm JOIN items i ON i.id = pm.item_id ORDER BY pm.pub, pm.id")
        for r in cur:
            mid = r[0]
            yield MentionExportRow(mid, r[1], r[2], tuple(terms.get(mid, ())), r[3], r[4], r[5], r[6], r[7], r[8],
                                   r[9], float(r[10]), tuple(tags.get(mid, ())))
