"""Read-only aggregates behind the stats tab and the monthly report.

All the counting is SQL (GROUP BY over index ranges), so a month of 50,000
mentions is summed without walking rows in Python. Local days are computed
in SQL from a `DayBuckets` (UTC offset segments, so DST days are right).
"""

from __future__ import annotations

import sqlite3
from typing import Callable, Iterator

from cmdesk.core.kpis import DayBuckets, MentionExportRow, RankedCount, TopMention
from cmdesk.core.models import WatchTerm

CACHE_KIB = 32768  # page cache of a stats connection: a month's rows and index pages stay in memory
_TERM_COLUMNS = "id, name, kind, query, active, color, notify, created_at, updated_at"


def _local_sql(column: str, segments: tuple[tuple[int | None, int], ...]) -> tuple[str, list]:
    """SQL expression for the local time of `column` (epoch + UTC offset), with its parameters."""
    if len(segments) == 1:
        return f"({column} + ?)", [segments[0][1]]
    parts, params = [], []
    for until, off in segments:
        if until is None:
            parts.append("ELSE ? END")
            params.append(off)
        else:
            parts.append(f"WHEN {column} < ? THEN ?")
            params += [until, off]
    return f"({column} + CASE {' '.join(parts)})", params


def _day_sql(column: str, buckets: DayBuckets) -> tuple[str, list]:
    """SQL expression for the local day index of `column`, with its parameters."""
    local, params = _local_sql(column, buckets.segments)
    return f"({local} - ?) / 86400", params + [buckets.base_local]


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
        c.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # this (short-lived, read-only) connection only
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
        # mention_terms carries its mention's publication time (set on insert, never changed): the
        # term links of the period come off its (term_id, published_at) index, no join with pm needed.
        c.execute("INSERT INTO pmt SELECT mention_id, term_id FROM mention_terms"
                  " WHERE published_at >= ? AND published_at < ? ORDER BY mention_id, term_id",
                  (buckets.start_ts, buckets.end_ts))
        return n

    def totals(self) -> tuple[int, float, int, int]:
        """(mentions, reach, unique non-empty sources, unique non-empty authors) of the loaded period."""
        row = self.conn.execute(
            "SELECT count(*), total(reach), count(DISTINCT nullif(source, '')), count(DISTINCT nullif(author, ''))"
            " FROM pm").fetchone()
        return int(row[0]), float(row[1]), int(row[2]), int(row[3])

    def count_and_reach(self) -> tuple[int, float]:
        """(mentions, reach) of the loaded period."""
        n, r = self.conn.execute("SELECT count(*), total(reach) FROM pm").fetchone()
        return int(n), float(r)

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

    def top_and_distinct(self, column: str, limit: int) -> tuple[list[RankedCount], int]:
        """`top(column, limit)` and the number of distinct non-empty values, in one GROUP BY."""
        if column not in ("source", "author"):
            raise ValueError(column)
        rows = self.conn.execute(
            f"SELECT {column}, count(*) AS n, total(reach) AS r, count(*) OVER () FROM pm WHERE {column} != ''"
            f" GROUP BY {column} ORDER BY n DESC, r DESC, {column} LIMIT ?", (limit,)).fetchall()
        if not rows and limit < 1:
            return [], self.conn.execute(
                f"SELECT count(DISTINCT {column}) FROM pm WHERE {column} != ''").fetchone()[0]
        return [RankedCount(name, n, float(r)) for name, n, r, _ in rows], (rows[0][3] if rows else 0)

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
    def time_range(self) -> tuple[int, int] | None:
        """(earliest, latest) of the publication, found and reply times of the loaded period; None when empty."""
        row = self.conn.execute(
            "SELECT min(min(pub, found)), max(max(pub, found, coalesce(replied, found))) FROM pm").fetchone()
        return None if row[0] is None else (int(row[0]), int(row[1]))

    def export_table(self, *, time_format: str, offsets: tuple[tuple[int | None, int], ...], list_sep: str,
                     reach_text: Callable[[float], str], csv_delimiter: str | None = None) -> sqlite3.Cursor:
        """The loaded period's mentions as ready-to-write rows (oldest first), for a CSV file.

        Columns: published, terms, source, author, title, URL, sentiment,
        state, replied, response time (s), reach, tags, found, id. Times are
        local times formatted in SQL with ``strftime(time_format)`` after
        adding the UTC offset of `offsets` (``DayBuckets.segments`` form);
        term names (by name) and tags (by tag) are joined with `list_sep`;
        reach goes through `reach_text` once per distinct value. Nothing is
        built per row in Python.

        Rows are plain tuples (missing values None), or, with `csv_delimiter`,
        1-tuples holding the whole CSV line with its CRLF, quoted as Python's
        ``csv.writer`` does by default (QUOTE_MINIMAL: a field holding the
        delimiter, a double quote, CR or LF is quoted, its quotes doubled).
        `time_format` must then not produce the delimiter, a quote or a line break.
        """
        c = self.conn
        c.execute("DROP TABLE IF EXISTS temp.pr")
        c.execute("CREATE TEMP TABLE pr (reach REAL PRIMARY KEY, txt TEXT NOT NULL)")
        c.executemany("INSERT INTO pr VALUES (?, ?)",
                      [(r, reach_text(float(r))) for (r,) in c.execute("SELECT DISTINCT reach FROM pm")])
        # Term names and tags per mention, in name order: one sorted pass each over the period's links.
        for table, select in (
                ("pnames", "SELECT t.mention_id AS mid, te.name AS v FROM pmt t JOIN terms te ON te.id = t.term_id"
                           " ORDER BY t.mention_id, te.name"),
                ("ptags", "SELECT g.mention_id AS mid, g.tag AS v FROM pm JOIN mention_tags g ON g.mention_id = pm.id"
                          " ORDER BY g.mention_id, g.tag")):
            c.execute(f"DROP TABLE IF EXISTS temp.{table}")
            c.execute(f"CREATE TEMP TABLE {table} (mention_id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            c.execute(f"INSERT INTO {table} SELECT mid, group_concat(v, ?) FROM ({select}) GROUP BY mid", (list_sep,))
        pub, p1 = _local_sql("pm.pub", offsets)
        rep, p2 = _local_sql("pm.replied", offsets)
        fnd, p3 = _local_sql("pm.found", offsets)
        columns = [
            (f"strftime(?, {pub}, 'unixepoch')", [time_format, *p1], False), ("pn.v", [], True),
            ("pm.source", [], True), ("pm.author", [], True), ("i.title", [], True), ("i.url", [], True),
            ("pm.sentiment", [], False), ("pm.state", [], False),  # codes: never quoted
            (f"strftime(?, {rep}, 'unixepoch')", [time_format, *p2], False),
            ("max(0, pm.replied - pm.found)", [], False), ("pr.txt", [], True), ("pt.v", [], True),
            (f"strftime(?, {fnd}, 'unixepoch')", [time_format, *p3], False), ("pm.id", [], False),
        ]
        params: list = []
        if csv_delimiter is None:
            select = ", ".join(expr for expr, _, _ in columns)
            for _, ps, _ in columns:
                params += ps
        else:
            if len(csv_delimiter) != 1 or csv_delimiter in "\"\r\n":
                raise ValueError(f"bad CSV delimiter {csv_delimiter!r}")
            # GLOB class of the characters that make csv.writer quote a field (an SQL literal may hold CR/LF).
            special = "'*[" + csv_delimiter.replace("'", "''").replace("]", "") + '"\r\n' + "]*'"
            if csv_delimiter in "]^":
                raise ValueError(f"bad CSV delimiter {csv_delimiter!r}")
            args = []
            for expr, ps, may_need_quotes in columns:
                if may_need_quotes:  # plain column references: cheap to name twice
                    args.append(f"CASE WHEN {expr} GLOB {special} THEN '\"' || replace({expr}, '\"', '\"\"') || '\"'"
                                f" ELSE {expr} END")
                else:
                    args.append(expr)
                    params += ps
            # printf: one string per line, and NULL prints as an empty field.
            fmt = csv_delimiter.replace("%", "%%").join(["%s"] * len(args)) + "\r\n"
            select = f"printf(?, {', '.join(args)})"
            params.insert(0, fmt)
        return c.execute(
            f"SELECT {select}"
            " FROM pm JOIN items i ON i.id = pm.item_id JOIN pr ON pr.reach = pm.reach"
            " LEFT JOIN pnames pn ON pn.mention_id = pm.id LEFT JOIN ptags pt ON pt.mention_id = pm.id"
            " ORDER BY pm.pub, pm.id", params)

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
