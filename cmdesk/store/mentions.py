"""Watch terms, mentions, triage log, templates, drafts, alerts.

Like the other repositories, methods never open transactions: the service
wraps each unit of work in `write_transaction`.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Iterator, Sequence

from cmdesk.core.models import (
    Alert, Mention, MentionFilter, MentionPage, MentionState, ReplyDraft, ReplyTemplate, WatchTerm,
)
from cmdesk.store.items import SearchSyntaxError, fts_query

COMMON_TEXT_HITS = 5000
TERM_COLUMNS = "id, name, kind, query, active, color, notify, created_at, updated_at"
MENTION_SELECT = (
    "SELECT m.id, m.item_id, m.feed_id, m.found_at, m.published_at, m.lang, m.sentiment, m.sentiment_score,"
    " m.sentiment_label, m.sentiment_override, m.sentiment_cues, m.source, m.author, m.reach, m.canonical_url,"
    " m.dup_group, m.state, m.starred, m.note, m.state_changed_at, m.replied_at, i.title, i.url,"
    " substr(i.text, 1, 400), f.title"
    " FROM mentions m JOIN items i ON i.id = m.item_id JOIN feeds f ON f.id = m.feed_id"
)


class TermNameTaken(Exception):
    pass


def _term(row) -> WatchTerm:
    tid, name, kind, query, active, color, notify, created, updated = row
    return WatchTerm(tid, name, kind, query, bool(active), color, bool(notify), created, updated)


def _mention(row, term_ids=(), tags=()) -> Mention:
    (mid, item_id, feed_id, found, published, lang, sentiment, score, auto, override, cues, source, author,
     reach, canonical, group, state, starred, note, changed, replied, title, url, excerpt, feed_title) = row
    try:
        cue_list = tuple((str(c[0]), float(c[1]), str(c[2])) for c in json.loads(cues or "[]"))
    except (ValueError, TypeError, IndexError):
        cue_list = ()
    return Mention(
        id=mid, item_id=item_id, feed_id=feed_id, found_at=found, published_at=published, lang=lang,
        sentiment=sentiment, sentiment_score=score, sentiment_auto=auto, sentiment_override=override,
        sentiment_cues=cue_list, source=source, author=author, reach=reach, canonical_url=canonical,
        dup_group=group, state=MentionState(state), starred=bool(starred), note=note, state_changed_at=changed,
        replied_at=replied, title=title, url=url, excerpt=excerpt or "", feed_title=feed_title,
        term_ids=tuple(term_ids), tags=tuple(tags),
    )


class MentionRepository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- terms -----------------------------------------------------------
    def add_term(self, name: str, kind: str, query: str, *, color: str, active: bool, notify: bool,
                 now: int) -> WatchTerm:
        if self.term_by_name(name) is not None:
            raise TermNameTaken(name)
        tid = self.conn.execute(
            "INSERT INTO terms(name, kind, query, active, color, notify, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (name, kind, query, int(active), color, int(notify), now, now),
        ).lastrowid
        return self.get_term(tid)

    def update_term(self, term_id: int, *, now: int, **fields) -> WatchTerm:
        allowed = {"name", "kind", "query", "active", "color", "notify"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"not editable: {', '.join(sorted(bad))}")
        if "name" in fields:
            other = self.term_by_name(fields["name"])
            if other is not None and other.id != term_id:
                raise TermNameTaken(fields["name"])
        fields = {k: (int(v) if isinstance(v, bool) else v) for k, v in fields.items()}
        sets = ", ".join(f"{k} = ?" for k in fields)
        self.conn.execute(f"UPDATE terms SET {sets}, updated_at = ? WHERE id = ?", (*fields.values(), now, term_id))
        return self.get_term(term_id)

    def delete_term(self, term_id: int) -> None:
        self.conn.execute("DELETE FROM terms WHERE id = ?", (term_id,))

    def get_term(self, term_id: int) -> WatchTerm | None:
        row = self.conn.execute(f"SELECT {TERM_COLUMNS} FROM terms WHERE id = ?", (term_id,)).fetchone()
        return _term(row) if row else None

    def term_by_name(self, name: str) -> WatchTerm | None:
        row = self.conn.execute(f"SELECT {TERM_COLUMNS} FROM terms WHERE name = ?", (name,)).fetchone()
        return _term(row) if row else None

    def list_terms(self, *, active_only: bool = False) -> list[WatchTerm]:
        where = " WHERE active = 1" if active_only else ""
        return [_term(r) for r in self.conn.execute(f"SELECT {TERM_COLUMNS} FROM terms{where} ORDER BY kind, name")]

    def term_counts(self) -> dict[int, int]:
        return dict(self.conn.execute("SELECT term_id, count(*) FROM mention_terms GROUP BY term_id"))

    # -- items for matching ----------------------------------------------
    def items_for_matching(self, item_ids: Sequence[int]) -> list[tuple]:
        """(item id, feed id, title, text, url, author, sort_at, feed site URL) for the given items."""
        out = []
        for start in range(0, len(item_ids), 500):
            chunk = list(item_ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            out += self.conn.execute(
                "SELECT i.id, i.feed_id, i.title, i.text, i.url, i.author, i.sort_at, coalesce(f.site_url, f.url)"
                f" FROM items i JOIN feeds f ON f.id = i.feed_id WHERE i.id IN ({marks})", chunk,
            ).fetchall()
        return out

    def fts_candidates(self, fts_expression: str) -> Iterator[tuple]:
        """Items the FTS index says may match (same columns as items_for_matching)."""
        yield from self.conn.execute(
            "SELECT i.id, i.feed_id, i.title, i.text, i.url, i.author, i.sort_at, coalesce(f.site_url, f.url)"
            " FROM items_fts JOIN items i ON i.id = items_fts.rowid JOIN feeds f ON f.id = i.feed_id"
            " WHERE items_fts MATCH ?", (fts_expression,),
        )

    # -- mentions --------------------------------------------------------
    def mention_id_for_item(self, item_id: int) -> int | None:
        row = self.conn.execute("SELECT id FROM mentions WHERE item_id = ?", (item_id,)).fetchone()
        return row[0] if row else None

    def insert_mention(self, *, item_id: int, feed_id: int, found_at: int, published_at: int, lang: str | None,
                       score: float, label: str, cues: Sequence[tuple[str, float, str]], source: str, author: str,
                       reach: float, canonical_url: str | None, fingerprint: int | None,
                       dup_group: int | None) -> int:
        return self.conn.execute(
            "INSERT INTO mentions(item_id, feed_id, found_at, published_at, lang, sentiment_score, sentiment_label,"
            " sentiment_cues, source, author, reach, canonical_url, fingerprint, dup_group, state_changed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, feed_id, found_at, published_at, lang, score, label, json.dumps(list(cues)), source, author,
             reach, canonical_url, _signed64(fingerprint), dup_group, found_at),
        ).lastrowid

    def set_duplicate_entry(self, mention_id: int, group: int, canonical_url: str | None,
                            fingerprint: int | None) -> None:
        self.conn.execute("UPDATE mentions SET dup_group = ?, canonical_url = ?, fingerprint = ? WHERE id = ?",
                          (group, canonical_url, _signed64(fingerprint), mention_id))

    def link_terms(self, mention_id: int, term_ids: Iterable[int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO mention_terms(mention_id, term_id, published_at)"
            " SELECT id, ?, published_at FROM mentions WHERE id = ?", [(t, mention_id) for t in term_ids])

    def unlink_term(self, term_id: int, keep_mention_ids: Iterable[int] = ()) -> None:
        keep = set(keep_mention_ids)
        rows = [r[0] for r in self.conn.execute("SELECT mention_id FROM mention_terms WHERE term_id = ?", (term_id,))]
        self.conn.executemany("DELETE FROM mention_terms WHERE mention_id = ? AND term_id = ?",
                              [(m, term_id) for m in rows if m not in keep])

    def delete_untouched_orphans(self) -> int:
        """Drop mentions no term matches any more, unless the user already worked on them."""
        return self.conn.execute(
            "DELETE FROM mentions WHERE state = 'new' AND starred = 0 AND note = '' AND sentiment_override IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM mention_terms t WHERE t.mention_id = mentions.id)"
            " AND NOT EXISTS (SELECT 1 FROM mention_tags g WHERE g.mention_id = mentions.id)"
            " AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.mention_id = mentions.id)"
        ).rowcount

    def dedup_rows(self, after_id: int = 0, before_id: int | None = None
                   ) -> list[tuple[int, str | None, int | None, int | None]]:
        """(mention id, canonical URL, fingerprint, group) of mentions with after_id < id < before_id."""
        return [(m, u, _unsigned64(f), g) for m, u, f, g in self.conn.execute(
            "SELECT id, canonical_url, fingerprint, dup_group FROM mentions WHERE id > ? AND id < ? ORDER BY id",
            (after_id, before_id if before_id is not None else 1 << 62))]

    def dedup_keys(self, after_id: int = 0, before_id: int | None = None
                   ) -> list[tuple[int, str | None, int | None, int | None]]:
        """Like dedup_rows, without the mentions that have neither a canonical URL
        nor a fingerprint (nothing can join them); fingerprints as SQLite stores
        them (signed), which DuplicateIndex.load accepts."""
        return self.conn.execute(
            "SELECT id, canonical_url, fingerprint, dup_group FROM mentions WHERE id > ? AND id < ?"
            " AND (canonical_url IS NOT NULL OR fingerprint IS NOT NULL) ORDER BY id",
            (after_id, before_id if before_id is not None else 1 << 62)).fetchall()

    def get(self, mention_id: int) -> Mention | None:
        row = self.conn.execute(MENTION_SELECT + " WHERE m.id = ?", (mention_id,)).fetchone()
        if row is None:
            return None
        return self._with_links([row])[0]

    def _with_links(self, rows) -> list[Mention]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        terms: dict[int, list[int]] = {}
        for m, t in self.conn.execute(
                f"SELECT mention_id, term_id FROM mention_terms WHERE mention_id IN ({marks}) ORDER BY term_id", ids):
            terms.setdefault(m, []).append(t)
        tags: dict[int, list[str]] = {}
        for m, t in self.conn.execute(
                f"SELECT mention_id, tag FROM mention_tags WHERE mention_id IN ({marks}) ORDER BY tag", ids):
            tags.setdefault(m, []).append(t)
        return [_mention(r, terms.get(r[0], ()), tags.get(r[0], ())) for r in rows]

    def _where(self, f: MentionFilter, *, driving_term: bool = False) -> tuple[list[str], list]:
        conds: list[str] = []
        params: list = []
        if driving_term:
            conds.append("t.term_id = ?")
            params.append(f.term_ids[0])
        if f.states:
            conds.append(f"m.state IN ({','.join('?' * len(f.states))})")
            params += [MentionState(s).value for s in f.states]
        if f.term_ids and not driving_term:
            conds.append(f"m.id IN (SELECT mention_id FROM mention_terms WHERE term_id IN"
                         f" ({','.join('?' * len(f.term_ids))}))")
            params += list(f.term_ids)
        if f.sentiment:
            conds.append("m.sentiment = ?")
            params.append(f.sentiment)
        if f.lang:
            conds.append("m.lang = ?")
            params.append(f.lang)
        if f.source:
            conds.append("m.source = ?")
            params.append(f.source)
        if f.since is not None:
            conds.append("m.published_at >= ?")
            params.append(f.since)
        if f.until is not None:
            conds.append("m.published_at < ?")
            params.append(f.until)
        if f.starred is not None:
            conds.append("m.starred = ?")
            params.append(int(f.starred))
        if f.tag:
            conds.append("m.id IN (SELECT mention_id FROM mention_tags WHERE tag = ?)")
            params.append(f.tag)
        if f.text:
            q = fts_query(f.text)
            if q:
                if self._text_is_common(f.text):
                    # Walk the inbox in date order and probe the index per row:
                    # collecting hundreds of thousands of hits first costs more.
                    conds.append("EXISTS (SELECT 1 FROM items_fts WHERE items_fts MATCH ? AND rowid = m.item_id)")
                else:
                    conds.append("m.item_id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
                params.append(q)
        return conds, params

    def _text_is_common(self, text: str | None) -> bool:
        """Whether a full-text filter matches so many items that walking the
        inbox in date order and probing each row beats collecting every hit."""
        q = fts_query(text) if text else ""
        if not q:
            return False
        n = self.conn.execute(
            "SELECT count(*) FROM (SELECT rowid FROM items_fts WHERE items_fts MATCH ? LIMIT ?)",
            (q, COMMON_TEXT_HITS)).fetchone()[0]
        return n >= COMMON_TEXT_HITS

    def list(self, f: MentionFilter, *, limit: int = 100, cursor: tuple[int, int] | None = None) -> MentionPage:
        """One page, newest first; pass the returned cursor back for the next page.

        Pages are keyset-paged on (published_at, id), so page 1,000 costs what
        page 1 does. With a single term the query walks that term's own index.
        """
        try:
            driving_term = len(f.term_ids) == 1
            conds, params = self._where(f, driving_term=driving_term)
            if driving_term:
                sql = MENTION_SELECT.replace("FROM mentions m", "FROM mention_terms t JOIN mentions m ON m.id = t.mention_id")
                pub, mid = "t.published_at", "t.mention_id"
            else:
                sql = MENTION_SELECT
                pub, mid = "m.published_at", "m.id"
            if cursor is not None:
                conds.append(f"({pub} < ? OR ({pub} = ? AND {mid} < ?))")
                params += [cursor[0], cursor[0], cursor[1]]
            sql += (" WHERE " + " AND ".join(conds) if conds else "")
            sql += f" ORDER BY {pub} DESC, {mid} DESC LIMIT ?"
            rows = self.conn.execute(sql, (*params, limit + 1)).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc).lower() or "MATCH" in str(exc):
                raise SearchSyntaxError(f"cannot search for {f.text!r}: {exc}") from exc
            raise
        more = len(rows) > limit
        rows = rows[:limit]
        mentions = self._with_links(rows)
        nxt = (rows[-1][4], rows[-1][0]) if more and rows else None
        return MentionPage(tuple(mentions), nxt)

    def count(self, f: MentionFilter) -> int:
        conds, params = self._where(f)
        sql = "SELECT count(*) FROM mentions m" + (" WHERE " + " AND ".join(conds) if conds else "")
        return self.conn.execute(sql, params).fetchone()[0]

    def duplicates_of(self, mention_id: int) -> list[Mention]:
        row = self.conn.execute("SELECT dup_group FROM mentions WHERE id = ?", (mention_id,)).fetchone()
        if row is None or row[0] is None:
            return []
        rows = self.conn.execute(MENTION_SELECT + " WHERE m.dup_group = ? AND m.id != ? ORDER BY m.published_at",
                                 (row[0], mention_id)).fetchall()
        return self._with_links(rows)

    # -- triage ----------------------------------------------------------
    def next_batch(self) -> int:
        return (self.conn.execute("SELECT max(batch) FROM triage_log").fetchone()[0] or 0) + 1

    def set_state(self, mention_ids: Sequence[int], state: MentionState, *, now: int, batch: int) -> int:
        changed = 0
        for mid in mention_ids:
            row = self.conn.execute("SELECT state, state_changed_at, replied_at FROM mentions WHERE id = ?",
                                    (mid,)).fetchone()
            if row is None or row[0] == state.value:
                continue
            self.conn.execute(
                "INSERT INTO triage_log(batch, mention_id, at, old_state, new_state, old_state_changed_at,"
                " old_replied_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (batch, mid, now, row[0], state.value, row[1], row[2]),
            )
            # A reply stays on record when the mention is closed afterwards
            # (replied -> done/ignored/spam, the usual workflow); reopening it
            # (-> new/to_reply) means the reply did not settle it, so the
            # response time is taken again at the next reply.
            if state is MentionState.REPLIED:
                replied = row[2] or now
            elif state in (MentionState.NEW, MentionState.TO_REPLY):
                replied = None
            else:
                replied = row[2]
            self.conn.execute("UPDATE mentions SET state = ?, state_changed_at = ?, replied_at = ? WHERE id = ?",
                              (state.value, now, replied, mid))
            changed += 1
        return changed

    def undo_last_batch(self) -> list[int]:
        """Revert the newest batch of triage changes not undone yet; returns the mention ids."""
        row = self.conn.execute("SELECT max(batch) FROM triage_log WHERE undone = 0").fetchone()
        if row is None or row[0] is None:
            return []
        batch = row[0]
        entries = self.conn.execute(
            "SELECT id, mention_id, old_state, old_state_changed_at, old_replied_at FROM triage_log"
            " WHERE batch = ? ORDER BY id DESC", (batch,)).fetchall()
        for log_id, mid, old_state, old_changed, old_replied in entries:
            self.conn.execute("UPDATE mentions SET state = ?, state_changed_at = ?, replied_at = ? WHERE id = ?",
                              (old_state, old_changed, old_replied, mid))
        self.conn.execute("UPDATE triage_log SET undone = 1 WHERE batch = ?", (batch,))
        return [e[1] for e in entries]

    def set_starred(self, mention_ids: Sequence[int], starred: bool) -> None:
        self.conn.executemany("UPDATE mentions SET starred = ? WHERE id = ?", [(int(starred), m) for m in mention_ids])

    def set_note(self, mention_id: int, note: str) -> None:
        self.conn.execute("UPDATE mentions SET note = ? WHERE id = ?", (note, mention_id))

    def add_tags(self, mention_ids: Sequence[int], tags: Sequence[str]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO mention_tags(mention_id, tag) VALUES (?, ?)",
                              [(m, t) for m in mention_ids for t in tags])

    def remove_tags(self, mention_ids: Sequence[int], tags: Sequence[str]) -> None:
        self.conn.executemany("DELETE FROM mention_tags WHERE mention_id = ? AND tag = ?",
                              [(m, t) for m in mention_ids for t in tags])

    def set_sentiment_override(self, mention_id: int, label: str | None) -> None:
        self.conn.execute("UPDATE mentions SET sentiment_override = ? WHERE id = ?", (label, mention_id))

    def existing_ids(self, mention_ids: Sequence[int]) -> set[int]:
        found: set[int] = set()
        for start in range(0, len(mention_ids), 500):
            chunk = list(mention_ids[start:start + 500])
            found |= {r[0] for r in self.conn.execute(
                f"SELECT id FROM mentions WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
        return found

    # -- reach -----------------------------------------------------------
    def source_weights(self) -> dict[str, float]:
        return dict(self.conn.execute("SELECT source, weight FROM source_weights"))

    def sources(self) -> list[tuple[str, int, float | None]]:
        """(source, mentions, weight set by the user or None), most mentioned first."""
        return self.conn.execute(
            "SELECT m.source, count(*), w.weight FROM mentions m LEFT JOIN source_weights w ON w.source = m.source"
            " GROUP BY m.source ORDER BY count(*) DESC, m.source").fetchall()

    def set_source_weight(self, source: str, weight: float) -> int:
        self.conn.execute("INSERT INTO source_weights(source, weight) VALUES (?, ?)"
                          " ON CONFLICT(source) DO UPDATE SET weight = excluded.weight", (source, weight))
        return self.conn.execute("UPDATE mentions SET reach = ? WHERE source = ?", (weight, source)).rowcount

    # -- templates and drafts --------------------------------------------
    def add_template(self, name: str, body: str, lang: str | None, now: int) -> ReplyTemplate:
        tid = self.conn.execute("INSERT INTO templates(name, lang, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                                (name, lang, body, now, now)).lastrowid
        return ReplyTemplate(tid, name, lang, body)

    def update_template(self, template_id: int, name: str, body: str, lang: str | None, now: int) -> None:
        self.conn.execute("UPDATE templates SET name = ?, body = ?, lang = ?, updated_at = ? WHERE id = ?",
                          (name, body, lang, now, template_id))

    def delete_template(self, template_id: int) -> bool:
        return self.conn.execute("DELETE FROM templates WHERE id = ?", (template_id,)).rowcount > 0

    def list_templates(self) -> list[ReplyTemplate]:
        return [ReplyTemplate(*r) for r in self.conn.execute("SELECT id, name, lang, body FROM templates ORDER BY name")]

    def template_by_name(self, name: str) -> ReplyTemplate | None:
        row = self.conn.execute("SELECT id, name, lang, body FROM templates WHERE name = ?", (name,)).fetchone()
        return ReplyTemplate(*row) if row else None

    def get_template(self, template_id: int) -> ReplyTemplate | None:
        row = self.conn.execute("SELECT id, name, lang, body FROM templates WHERE id = ?", (template_id,)).fetchone()
        return ReplyTemplate(*row) if row else None

    def save_draft(self, mention_id: int, body: str, template_id: int | None, now: int) -> None:
        self.conn.execute(
            "INSERT INTO drafts(mention_id, template_id, body, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(mention_id) DO UPDATE SET body = excluded.body, template_id = excluded.template_id,"
            " updated_at = excluded.updated_at", (mention_id, template_id, body, now))

    def get_draft(self, mention_id: int) -> ReplyDraft | None:
        row = self.conn.execute("SELECT mention_id, body, template_id, updated_at FROM drafts WHERE mention_id = ?",
                                (mention_id,)).fetchone()
        return ReplyDraft(*row) if row else None

    # -- alerts ----------------------------------------------------------
    def watching_since(self) -> int | None:
        """When the first stored item was fetched: the store has no history before it.
        Items are stored in fetch order, so the lowest id is the first fetch (an
        index lookup; min(fetched_at) would read every item)."""
        row = self.conn.execute("SELECT fetched_at FROM items ORDER BY id LIMIT 1").fetchone()
        return row[0] if row else None

    def daily_counts(self, term_id: int, since: int) -> list[int]:
        """published_at of the term's mentions since a time (for spike detection)."""
        return [r[0] for r in self.conn.execute(
            "SELECT m.published_at FROM mention_terms t JOIN mentions m ON m.id = t.mention_id"
            " WHERE t.term_id = ? AND m.published_at >= ?", (term_id, since))]

    def add_alert(self, term_id: int, day: str, count: int, mean: float, threshold: float, now: int) -> bool:
        return self.conn.execute(
            "INSERT INTO alerts(term_id, day, count, mean, threshold, created_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(term_id, day) DO UPDATE SET count = excluded.count WHERE excluded.count > alerts.count",
            (term_id, day, count, mean, threshold, now)).rowcount > 0

    def list_alerts(self, *, unseen_only: bool = False) -> list[Alert]:
        where = " WHERE seen = 0" if unseen_only else ""
        return [Alert(*r[:7], seen=bool(r[7])) for r in self.conn.execute(
            f"SELECT id, term_id, day, count, mean, threshold, created_at, seen FROM alerts{where}"
            " ORDER BY day DESC, id DESC")]

    # -- inbox helpers (read only) ---------------------------------------
    def item_text(self, item_id: int) -> tuple[str, str] | None:
        """(title, plain text) of a mention's item, for highlighting."""
        row = self.conn.execute("SELECT title, text FROM items WHERE id = ?", (item_id,)).fetchone()
        return (row[0] or "", row[1] or "") if row else None

    def distinct_sources(self, limit: int = 300) -> list[tuple[str, int]]:
        """Sources with their number of mentions, the busiest first."""
        return list(self.conn.execute(
            "SELECT source, count(*) AS n FROM mentions WHERE source != '' GROUP BY source"
            " ORDER BY n DESC, source LIMIT ?", (limit,)))

    def distinct_langs(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT lang FROM mentions WHERE lang IS NOT NULL ORDER BY lang")]

    def list_newer(self, f: MentionFilter, after_id: int, *, limit: int = 500) -> list[Mention]:
        """Mentions matching a filter with an id above `after_id` (found since), newest first."""
        conds, params = self._where(f)
        conds.append("m.id > ?")
        params.append(after_id)
        rows = self.conn.execute(
            MENTION_SELECT + " WHERE " + " AND ".join(conds) + " ORDER BY m.published_at DESC, m.id DESC LIMIT ?",
            (*params, limit)).fetchall()
        return self._with_links(rows)

    def all_tags(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT tag FROM mention_tags ORDER BY tag")]


def _signed64(v: int | None) -> int | None:
    """SQLite integers are signed 64-bit; fingerprints are unsigned."""
    if v is None:
        return None
    return v - (1 << 64) if v >= (1 << 63) else v


def _unsigned64(v: int | None) -> int | None:
    if v is None:
        return None
    return v + (1 << 64) if v < 0 else v
