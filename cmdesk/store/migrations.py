"""Numbered schema migrations on PRAGMA user_version.

Each migration runs in its own transaction; the database file is copied aside
(with SQLite's backup API) before the first pending migration runs, so a
failed or unwanted upgrade can always be undone by hand.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    `executescript` would COMMIT first, breaking the one-transaction-per-
    migration rule, so statements are split with `sqlite3.complete_statement`
    (which understands trigger bodies) and run one by one.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            stmt = pending.strip()
            pending = ""
            if stmt.strip(";").strip():
                conn.execute(stmt)
    if pending.strip():
        raise sqlite3.ProgrammingError(f"incomplete SQL statement in migration: {pending.strip()[:60]}")


def _v1_initial(conn: sqlite3.Connection) -> None:
    run_script(conn,
        """
        CREATE TABLE folders (
            id        INTEGER PRIMARY KEY,
            name      TEXT NOT NULL,
            parent_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
            position  INTEGER NOT NULL DEFAULT 0
        );
        -- SQLite treats NULLs as distinct in UNIQUE, so top-level names need their own index.
        CREATE UNIQUE INDEX folders_name_parent ON folders(parent_id, name) WHERE parent_id IS NOT NULL;
        CREATE UNIQUE INDEX folders_name_top ON folders(name) WHERE parent_id IS NULL;

        CREATE TABLE feeds (
            id              INTEGER PRIMARY KEY,
            url             TEXT NOT NULL UNIQUE,
            title           TEXT NOT NULL DEFAULT '',
            site_url        TEXT,
            folder_id       INTEGER REFERENCES folders(id) ON DELETE SET NULL,
            etag            TEXT,
            last_modified   TEXT,
            content_hash    TEXT,
            last_fetch_at   INTEGER,
            last_ok_at      INTEGER,
            next_due_at     INTEGER,
            interval_s      INTEGER NOT NULL DEFAULT 3600,
            error_count     INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            last_error_code TEXT,
            disabled        INTEGER NOT NULL DEFAULT 0,
            disabled_reason TEXT,
            auth_ref        TEXT,
            keep_items      INTEGER,
            keep_days       INTEGER,
            created_at      INTEGER NOT NULL
        );
        CREATE INDEX feeds_folder ON feeds(folder_id);

        CREATE TABLE items (
            id           INTEGER PRIMARY KEY,
            feed_id      INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            guid_hash    TEXT NOT NULL,
            url          TEXT,
            title        TEXT NOT NULL DEFAULT '',
            author       TEXT NOT NULL DEFAULT '',
            summary      TEXT NOT NULL DEFAULT '',
            content      TEXT NOT NULL DEFAULT '',
            text         TEXT NOT NULL DEFAULT '',
            published_at INTEGER,
            fetched_at   INTEGER NOT NULL,
            -- sort key: the published time, or the fetch time for undated items
            sort_at      INTEGER NOT NULL,
            read         INTEGER NOT NULL DEFAULT 0,
            starred      INTEGER NOT NULL DEFAULT 0,
            UNIQUE (feed_id, guid_hash)
        );
        CREATE INDEX items_feed_sort ON items(feed_id, sort_at DESC);
        CREATE INDEX items_sort ON items(sort_at DESC);
        CREATE INDEX items_unread ON items(feed_id) WHERE read = 0;
        CREATE INDEX items_starred ON items(sort_at) WHERE starred = 1;

        -- Purged items leave a tombstone so a feed that still lists them
        -- does not bring them back.
        CREATE TABLE tombstones (
            feed_id   INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            guid_hash TEXT NOT NULL,
            purged_at INTEGER NOT NULL,
            PRIMARY KEY (feed_id, guid_hash)
        ) WITHOUT ROWID;

        CREATE TABLE fetch_log (
            id          INTEGER PRIMARY KEY,
            feed_id     INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            at          INTEGER NOT NULL,
            outcome     TEXT NOT NULL,
            http_status INTEGER,
            duration_ms INTEGER NOT NULL,
            bytes       INTEGER NOT NULL,
            new_items   INTEGER NOT NULL,
            error       TEXT
        );
        CREATE INDEX fetch_log_feed ON fetch_log(feed_id, at DESC);

        -- Hosts that answered 429/503 with Retry-After: no request before until_at.
        CREATE TABLE host_backoff (
            host     TEXT PRIMARY KEY,
            until_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE VIRTUAL TABLE items_fts USING fts5(
            title, author, text,
            content='items', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        -- New items are indexed by ItemRepository.insert_new with a plain INSERT
        -- (measured a third faster than an AFTER INSERT trigger on bulk refreshes);
        -- deletes and edits stay in sync through these triggers.
        CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, title, author, text)
            VALUES ('delete', old.id, old.title, old.author, old.text);
        END;
        CREATE TRIGGER items_fts_au AFTER UPDATE OF title, author, text ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, title, author, text)
            VALUES ('delete', old.id, old.title, old.author, old.text);
            INSERT INTO items_fts(rowid, title, author, text)
            VALUES (new.id, new.title, new.author, new.text);
        END;
        """
    )


def _v2_mentions(conn: sqlite3.Connection) -> None:
    run_script(conn,
        """
        CREATE TABLE terms (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
            kind       TEXT NOT NULL DEFAULT 'brand'
                       CHECK (kind IN ('brand', 'product', 'competitor', 'person', 'topic')),
            query      TEXT NOT NULL,
            active     INTEGER NOT NULL DEFAULT 1,
            color      TEXT NOT NULL DEFAULT '#2563eb',
            notify     INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE mentions (
            id                 INTEGER PRIMARY KEY,
            item_id            INTEGER NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE,
            feed_id            INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
            found_at           INTEGER NOT NULL,
            published_at       INTEGER NOT NULL,
            lang               TEXT,
            sentiment_score    REAL NOT NULL DEFAULT 0,
            sentiment_label    TEXT NOT NULL DEFAULT 'neutral',
            sentiment_cues     TEXT NOT NULL DEFAULT '[]',
            sentiment_override TEXT CHECK (sentiment_override IN ('positive', 'neutral', 'negative')),
            -- the label lists filter on: a manual correction always wins
            sentiment          TEXT GENERATED ALWAYS AS (coalesce(sentiment_override, sentiment_label)) VIRTUAL,
            source             TEXT NOT NULL DEFAULT '',
            author             TEXT NOT NULL DEFAULT '',
            reach              REAL NOT NULL DEFAULT 1,
            canonical_url      TEXT,
            fingerprint        INTEGER,
            dup_group          INTEGER,
            state              TEXT NOT NULL DEFAULT 'new'
                               CHECK (state IN ('new', 'to_reply', 'replied', 'done', 'ignored', 'spam')),
            starred            INTEGER NOT NULL DEFAULT 0,
            note               TEXT NOT NULL DEFAULT '',
            state_changed_at   INTEGER,
            replied_at         INTEGER
        );
        -- The inbox lists newest first by publication time, keyset-paged on (published_at, id).
        CREATE INDEX mentions_published ON mentions(published_at DESC, id DESC);
        CREATE INDEX mentions_state ON mentions(state, published_at DESC, id DESC);
        CREATE INDEX mentions_sentiment ON mentions(sentiment, published_at DESC, id DESC);
        CREATE INDEX mentions_lang ON mentions(lang, published_at DESC, id DESC);
        CREATE INDEX mentions_source ON mentions(source, published_at DESC, id DESC);
        CREATE INDEX mentions_feed ON mentions(feed_id);
        CREATE INDEX mentions_dup ON mentions(dup_group);
        CREATE INDEX mentions_canonical ON mentions(canonical_url);
        CREATE INDEX mentions_starred ON mentions(published_at DESC) WHERE starred = 1;

        CREATE TABLE mention_terms (
            mention_id   INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
            term_id      INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
            -- copied from the mention so a term's inbox pages straight off this index
            published_at INTEGER NOT NULL,
            PRIMARY KEY (mention_id, term_id)
        ) WITHOUT ROWID;
        CREATE INDEX mention_terms_term ON mention_terms(term_id, published_at DESC, mention_id DESC);

        CREATE TABLE mention_tags (
            mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
            tag        TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (mention_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX mention_tags_tag ON mention_tags(tag, mention_id);

        CREATE TABLE templates (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
            lang       TEXT,
            body       TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE drafts (
            mention_id  INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
            template_id INTEGER REFERENCES templates(id) ON DELETE SET NULL,
            body        TEXT NOT NULL,
            updated_at  INTEGER NOT NULL
        );

        -- Every triage change, grouped by batch, so the last one can be undone.
        CREATE TABLE triage_log (
            id                   INTEGER PRIMARY KEY,
            batch                INTEGER NOT NULL,
            mention_id           INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
            at                   INTEGER NOT NULL,
            old_state            TEXT NOT NULL,
            new_state            TEXT NOT NULL,
            old_state_changed_at INTEGER,
            old_replied_at       INTEGER,
            undone               INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX triage_log_batch ON triage_log(batch);

        CREATE TABLE alerts (
            id         INTEGER PRIMARY KEY,
            term_id    INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
            day        TEXT NOT NULL,
            count      INTEGER NOT NULL,
            mean       REAL NOT NULL,
            threshold  REAL NOT NULL,
            created_at INTEGER NOT NULL,
            seen       INTEGER NOT NULL DEFAULT 0,
            UNIQUE (term_id, day)
        );

        -- Reach proxy per source domain, edited by the user (default 1).
        CREATE TABLE source_weights (
            source TEXT PRIMARY KEY,
            weight REAL NOT NULL
        ) WITHOUT ROWID;
        """,
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _v1_initial),
    Migration(2, "watch terms, mentions, templates, drafts, triage log, alerts", _v2_mentions),
)


PRE_MIGRATION_KEEP = 7


class MigrationError(Exception):
    """A migration failed; the database was left at its previous version."""


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def backup_before_migration(conn: sqlite3.Connection, db_path: Path, from_version: int) -> Path:
    """Copy the database aside with the backup API; returns the copy's path."""
    backups = db_path.parent / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    target = backups / f"{db_path.stem}-v{from_version}-{stamp}.sqlite3"
    n = 1
    while target.exists():
        target = backups / f"{db_path.stem}-v{from_version}-{stamp}-{n}.sqlite3"
        n += 1
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    # The last 7 pre-migration copies are kept, like the daily backups.
    older = sorted(backups.glob(f"{db_path.stem}-v[0-9]*-*.sqlite3"), key=lambda p: p.stat().st_mtime)
    for stale in older[: max(0, len(older) - PRE_MIGRATION_KEEP)]:
        stale.unlink(missing_ok=True)
    return target


def migrate(
    conn: sqlite3.Connection,
    db_path: Path | None,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> list[int]:
    """Bring the database to the newest version; returns the versions applied.

    A database newer than this program is refused rather than touched.
    """
    current = schema_version(conn)
    newest = migrations[-1].version if migrations else 0
    if current > newest:
        raise MigrationError(
            f"this profile was written by a newer cmdesk (schema {current}, this version knows {newest})"
        )
    pending = [m for m in migrations if m.version > current]
    if not pending:
        return []
    if current > 0 and db_path is not None:
        backup_before_migration(conn, db_path, current)
    applied = []
    for m in pending:
        # isolation_level=None on our connections: BEGIN/COMMIT are explicit,
        # so DDL and the version bump commit or roll back together.
        conn.execute("BEGIN IMMEDIATE")
        try:
            m.apply(conn)
            conn.execute(f"PRAGMA user_version = {int(m.version)}")
            conn.execute("COMMIT")
        except Exception as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise MigrationError(f"migration {m.version} ({m.name}) failed: {exc}") from exc
        applied.append(m.version)
    return applied
