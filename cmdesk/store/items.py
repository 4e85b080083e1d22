"""Items: storing only new ones, tombstones, retention, full-text search."""

from __future__ import annotations

import re
import sqlite3
from typing import Sequence

from cmdesk.core.models import Item, PreparedItem

ITEM_COLUMNS = (
    "id, feed_id, guid_hash, url, title, author, summary, content, text, published_at, fetched_at,"
    " read, starred"
)


def _item(row: Sequence) -> Item:
    (iid, feed_id, guid_hash, url, title, author, summary, content, text, published, fetched, read,
     starred) = row
    return Item(
        id=iid, feed_id=feed_id, guid_hash=guid_hash, url=url, title=title, author=author,
        summary=summary, content=content, text=text, published_at=published, fetched_at=fetched,
        read=bool(read), starred=bool(starred),
    )


class SearchSyntaxError(ValueError):
    pass


_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(user_query: str) -> str:
    """Turn what a user types into a safe FTS5 query.

    Words are ANDed, "quoted phrases" stay phrases, a trailing * makes a
    prefix search; everything else is quoted so FTS5 operators and
    punctuation in user input can never cause a syntax error.
    """
    parts = []
    # SQLite ends a string at NUL, which would leave an unterminated FTS5 string.
    user_query = user_query.replace("\x00", " ")
    for phrase, word in _TOKEN.findall(user_query):
        if phrase:
            text = phrase.strip()
            if text:
                parts.append('"' + text.replace('"', '""') + '"')
            continue
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*").replace('"', '""')
        if not word.strip():
            continue
        parts.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(parts)


class ItemRepository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def known_keys(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """Which of `keys` are already stored or tombstoned for this feed."""
        known: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for (k,) in self.conn.execute(
                f"SELECT guid_hash FROM items WHERE feed_id = ? AND guid_hash IN ({marks})"
                f" UNION SELECT guid_hash FROM tombstones WHERE feed_id = ? AND guid_hash IN ({marks})",
                (feed_id, *chunk, feed_id, *chunk),
            ):
                known.add(k)
        return known

    def keys_for_feed(self, feed_id: int) -> frozenset[str]:
        """Every key stored or tombstoned for a feed."""
        return frozenset(r[0] for r in self.conn.execute(
            "SELECT guid_hash FROM items WHERE feed_id = ? UNION ALL SELECT guid_hash FROM tombstones WHERE feed_id = ?",
            (feed_id, feed_id)))

    def insert_new(self, feed_id: int, items: Sequence[PreparedItem], now: int) -> list[int]:
        """Store the items not seen before (nor purged); returns the new ids."""
        if not items:
            return []
        known = self.known_keys(feed_id, [i.guid_hash for i in items])
        new_ids = []
        seen: set[str] = set()
        for it in items:
            if it.guid_hash in known or it.guid_hash in seen:
                continue
            seen.add(it.guid_hash)
            p = it.parsed
            # An item dated in the future (bad clocks, scheduled posts) sorts as "now".
            published = p.published_at
            sort_at = min(published, now) if published is not None else now
            cur = self.conn.execute(
                "INSERT INTO items(feed_id, guid_hash, url, title, author, summary, content, text,"
                " published_at, fetched_at, sort_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (feed_id, it.guid_hash, p.url, p.title, p.author, p.summary, p.content, it.text,
                 published, now, sort_at),
            )
            new_ids.append(cur.lastrowid)
            self.conn.execute("INSERT INTO items_fts(rowid, title, author, text) VALUES (?, ?, ?, ?)",
                              (cur.lastrowid, p.title, p.author, it.text))
        return new_ids

    def apply_retention(self, feed_id: int, *, keep_items: int | None, keep_days: int | None, now: int) -> int:
        """Purge items beyond the newest `keep_items` or older than `keep_days`.

        Purged keys become tombstones so the feed cannot bring them back.
        Returns how many items were purged.
        """
        conds = []
        params: list = []
        if keep_items is not None and keep_items >= 0:
            conds.append(
                "id NOT IN (SELECT id FROM items WHERE feed_id = ? ORDER BY sort_at DESC, id DESC LIMIT ?)"
            )
            params += [feed_id, keep_items]
        if keep_days is not None and keep_days > 0:
            conds.append("sort_at < ?")
            params.append(now - keep_days * 86400)
        if not conds:
            return 0
        # Starred items and items that became mentions are the user's work: never purged.
        where = (f"feed_id = ? AND starred = 0 AND ({' OR '.join(conds)})"
                 " AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.item_id = items.id)")
        self.conn.execute(
            f"INSERT OR IGNORE INTO tombstones(feed_id, guid_hash, purged_at)"
            f" SELECT feed_id, guid_hash, ? FROM items WHERE {where}",
            (now, feed_id, *params),
        )
        return self.conn.execute(f"DELETE FROM items WHERE {where}", (feed_id, *params)).rowcount

    def get(self, item_id: int) -> Item | None:
        row = self.conn.execute(f"SELECT {ITEM_COLUMNS} FROM items WHERE id = ?", (item_id,)).fetchone()
        return _item(row) if row else None

    def list_for_feed(self, feed_id: int, *, limit: int = 100, offset: int = 0) -> list[Item]:
        rows = self.conn.execute(
            f"SELECT {ITEM_COLUMNS} FROM items WHERE feed_id = ? ORDER BY sort_at DESC, id DESC LIMIT ? OFFSET ?",
            (feed_id, limit, offset),
        )
        return [_item(r) for r in rows]

    def count_for_feed(self, feed_id: int) -> int:
        return self.conn.execute("SELECT count(*) FROM items WHERE feed_id = ?", (feed_id,)).fetchone()[0]

    def count_all(self) -> int:
        return self.conn.execute("SELECT count(*) FROM items").fetchone()[0]

    def search(self, user_query: str, *, limit: int = 50, feed_id: int | None = None) -> list[Item]:
        """Full-text search (title, author, text), newest first."""
        q = fts_query(user_query)
        if not q:
            return []
        cols = ", ".join("i." + c.strip() for c in ITEM_COLUMNS.split(","))
        sql = (
            f"SELECT {cols} FROM items_fts JOIN items i ON i.id = items_fts.rowid"
            " WHERE items_fts MATCH ?"
        )
        params: list = [q]
        if feed_id is not None:
            sql += " AND i.feed_id = ?"
            params.append(feed_id)
        sql += " ORDER BY i.sort_at DESC, i.id DESC LIMIT ?"
        params.append(limit)
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise SearchSyntaxError(f"cannot search for {user_query!r}: {exc}") from exc
        return [_item(r) for r in rows]

    def set_read(self, item_ids: Sequence[int], read: bool = True) -> int:
        n = 0
        for iid in item_ids:
            n += self.conn.execute("UPDATE items SET read = ? WHERE id = ?", (int(read), iid)).rowcount
        return n

    def set_starred(self, item_id: int, starred: bool = True) -> bool:
        return self.conn.execute(
            "UPDATE items SET starred = ? WHERE id = ?", (int(starred), item_id)
        ).rowcount > 0

    def mark_feed_read(self, feed_id: int) -> int:
        return self.conn.execute("UPDATE items SET read = 1 WHERE feed_id = ? AND read = 0", (feed_id,)).rowcount
