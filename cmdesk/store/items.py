"""Items: storing only new ones, tombstones, retention, full-text search."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from typing import Iterator, Sequence

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


_ITEM_INSERT_COLUMNS = ("feed_id, guid_hash, url, title, author, summary, content, text, published_at,"
                        " fetched_at, sort_at")
_ROWS_PER_INSERT = 64  # 11 values a row: well under SQLite's limit on bound values


def _insert_items_sql(n: int) -> str:
    row = "(" + ", ".join("?" * 11) + ")"
    return f"INSERT INTO items({_ITEM_INSERT_COLUMNS}) VALUES " + ", ".join([row] * n)


@contextlib.contextmanager
def savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """A nested step inside a transaction: undone alone when it raises."""
    conn.execute("SAVEPOINT step")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO step")
        conn.execute("RELEASE step")
        raise
    conn.execute("RELEASE step")


def stop_auto_checkpoints(conn: sqlite3.Connection) -> None:
    """No automatic WAL checkpoints at this connection's commits (a bulk writer
    whose checkpoints `checkpoint_wal` runs on another connection)."""
    conn.execute("PRAGMA wal_autocheckpoint = 0")


def checkpoint_wal(conn: sqlite3.Connection) -> None:
    """Copy what the write-ahead log holds into the database file, as far as
    possible without blocking anyone (PASSIVE)."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


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
        """Store the items not seen before (nor purged); returns the new ids, in order."""
        return self.insert_rows(feed_id, [
            (it.guid_hash, it.parsed.url, it.parsed.title, it.parsed.author, it.parsed.summary, it.parsed.content,
             it.text, it.parsed.published_at) for it in items], now)

    def insert_rows(self, feed_id: int, items: Sequence[tuple], now: int) -> list[int]:
        """`insert_new` for item rows (cmdesk.core.items.ITEM_ROW_FIELDS: guid_hash, url,
        title, author, summary, content, text, published_at), as a refresh gets them."""
        if not items:
            return []
        known = self.known_keys(feed_id, [i[0] for i in items])
        rows = []
        seen: set[str] = set()
        for key, url, title, author, summary, content, text, published in items:
            if key in known or key in seen:
                continue
            seen.add(key)
            # An item dated in the future (bad clocks, scheduled posts) sorts as "now".
            sort_at = min(published, now) if published is not None else now
            rows.append((feed_id, key, url, title, author, summary, content, text, published, now, sort_at))
        if not rows:
            return []
        # Few statements rather than two per item: each statement hands the GIL
        # back and forth, which costs more than the SQL when a refresh's fetch
        # loop runs on another thread. Rows get rowid max+1 in order (SQLite's
        # rule for INTEGER PRIMARY KEY without AUTOINCREMENT), so the new ids are
        # the range after the largest id; checked below, with a plain query as
        # the fallback.
        before = self.conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start:start + _ROWS_PER_INSERT]
            self.conn.execute(_insert_items_sql(len(chunk)), [v for row in chunk for v in row])
        count, last = self.conn.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM items WHERE id > ?", (before,)).fetchone()
        if count == len(rows) and last == before + len(rows):
            new_ids = list(range(before + 1, before + 1 + len(rows)))
            # New items are indexed here, in one statement (no insert trigger: see migration 1).
            self.conn.execute(
                "INSERT INTO items_fts(rowid, title, author, text)"
                " SELECT id, title, author, text FROM items WHERE id > ?", (before,))
        else:  # pragma: no cover - only once rowids ran out and SQLite picks random ones
            by_key: dict[str, int] = {}
            keys = [r[1] for r in rows]
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                by_key.update(self.conn.execute(
                    f"SELECT guid_hash, id FROM items WHERE feed_id = ? AND guid_hash IN ({','.join('?' * len(chunk))})",
                    (feed_id, *chunk)))
            new_ids = [by_key[k] for k in keys]
            for iid in new_ids:
                self.conn.execute("INSERT INTO items_fts(rowid, title, author, text)"
                                  " SELECT id, title, author, text FROM items WHERE id = ?", (iid,))
        return new_ids

    def apply_retention(self, feed_id: int, *, keep_items: int | None, keep_days: int | None, now: int) -> int:
        """Purge items beyond the newest `keep_items` or older than `keep_days`.

        Purged keys become tombstones so the feed cannot bring them back.
        Returns how many items were purged.
        """
        conds = []
        params: list = []
        # Cheap index-only checks first: most refreshes leave nothing to purge,
        # and the purge statements below scan the feed's items.
        if keep_items is not None and keep_items >= 0:
            beyond = self.conn.execute(
                "SELECT 1 FROM items WHERE feed_id = ? LIMIT 1 OFFSET ?", (feed_id, keep_items)).fetchone()
            if beyond is not None:
                conds.append(
                    "id NOT IN (SELECT id FROM items WHERE feed_id = ? ORDER BY sort_at DESC, id DESC LIMIT ?)"
                )
                params += [feed_id, keep_items]
        if keep_days is not None and keep_days > 0:
            cutoff = now - keep_days * 86400
            older = self.conn.execute(
                "SELECT 1 FROM items WHERE feed_id = ? AND sort_at < ? LIMIT 1", (feed_id, cutoff)).fetchone()
            if older is not None:
                conds.append("sort_at < ?")
                params.append(cutoff)
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

    # -- reader (Veille) pages -------------------------------------------
    # List rows carry the headers only (summary, content and text are empty): a
    # page of 200 rows stays small whatever the items hold; `get` reads one whole.
    # List rows leave out the bodies; untitled posts (Mastodon, Bluesky) carry the
    # start of their text, which the list shows instead of a title.
    _HEADER_COLUMNS = ("i.id, i.feed_id, i.guid_hash, i.url, i.title, i.author, '', '',"
                       " CASE WHEN trim(i.title) = '' THEN substr(i.text, 1, 200) ELSE '' END, i.published_at,"
                       " i.fetched_at, i.read, i.starred")

    def page(self, *, feed_ids: Sequence[int] | None = None, starred: bool = False, unread_only: bool = False,
             query: str | None = None, after: tuple[int, int] | None = None,
             limit: int = 200) -> list[tuple[Item, int]]:
        """One page of item headers, newest first, with each row's sort key.

        Keyset paging on (sort_at, id): pass the last row's `(sort_at, id)` as
        `after` for the next page, so page 500 costs what page 1 costs.
        `feed_ids=None` means every feed; `query` is a full-text search.
        """
        params: list = []
        if query is not None:
            q = fts_query(query)
            if not q:
                return []
            sql = (f"SELECT {self._HEADER_COLUMNS}, i.sort_at FROM items_fts JOIN items i ON i.id = items_fts.rowid"
                   " WHERE items_fts MATCH ?")
            params.append(q)
        else:
            sql = f"SELECT {self._HEADER_COLUMNS}, i.sort_at FROM items i WHERE 1"
        if feed_ids is not None:
            ids = list(feed_ids)
            if not ids:
                return []
            sql += f" AND i.feed_id IN ({','.join('?' * len(ids))})"
            params += ids
        if starred:
            sql += " AND i.starred = 1"
        if unread_only:
            sql += " AND i.read = 0"
        if after is not None:
            sql += " AND (i.sort_at < ? OR (i.sort_at = ? AND i.id < ?))"
            params += [after[0], after[0], after[1]]
        sql += " ORDER BY i.sort_at DESC, i.id DESC LIMIT ?"
        params.append(limit)
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise SearchSyntaxError(f"cannot search for {query!r}: {exc}") from exc
        return [(_item(r[:-1]), r[-1]) for r in rows]

    def count_unread(self, feed_ids: Sequence[int] | None = None) -> int:
        if feed_ids is None:
            return self.conn.execute("SELECT count(*) FROM items WHERE read = 0").fetchone()[0]
        ids = list(feed_ids)
        if not ids:
            return 0
        return self.conn.execute(
            f"SELECT count(*) FROM items WHERE read = 0 AND feed_id IN ({','.join('?' * len(ids))})", ids
        ).fetchone()[0]

    def count_starred(self) -> tuple[int, int]:
        """(starred items, unread starred items)."""
        n, unread = self.conn.execute("SELECT count(*), coalesce(sum(read = 0), 0) FROM items WHERE starred = 1"
                                      ).fetchone()
        return n, unread

    def mark_feeds_read(self, feed_ids: Sequence[int] | None = None, *, until_id: int | None = None) -> int:
        """Mark every unread item of these feeds (None: of every feed) read; returns how many changed."""
        sql = "UPDATE items SET read = 1 WHERE read = 0"
        params: list = []
        if feed_ids is not None:
            ids = list(feed_ids)
            if not ids:
                return 0
            sql += f" AND feed_id IN ({','.join('?' * len(ids))})"
            params += ids
        if until_id is not None:  # items that arrived after the user looked stay unread
            sql += " AND id <= ?"
            params.append(until_id)
        return self.conn.execute(sql, params).rowcount

    def mark_starred_read(self) -> int:
        return self.conn.execute("UPDATE items SET read = 1 WHERE read = 0 AND starred = 1").rowcount
