"""Opening the store: schema, pragmas, numbered migrations with backup and rollback."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import cmdesk.store.database as database
import cmdesk.store.migrations as migrations
from cmdesk.store.database import StoreError, connect, db_path_for
from cmdesk.store.migrations import MIGRATIONS, Migration, MigrationError, migrate, run_script, schema_version

EXPECTED_TABLES = {"folders", "feeds", "items", "tombstones", "fetch_log", "host_backoff", "settings", "items_fts",
                   "terms", "mentions", "mention_terms", "mention_tags", "templates", "drafts", "triage_log",
                   "alerts", "source_weights"}
LATEST = MIGRATIONS[-1].version
# The mechanism tests run on a store at version 1 and add test-only migrations after it.
V1 = MIGRATIONS[:1]


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_v1_with_data(path: Path) -> None:
    conn = connect(path, migrate_schema=False)
    try:
        migrate(conn, path, V1)
        conn.execute("INSERT INTO feeds(url, title, created_at) VALUES ('https://example.com/feed', 'Example', 1)")
        conn.execute("INSERT INTO settings(key, value) VALUES ('theme', 'dark')")
        assert schema_version(conn) == 1
    finally:
        conn.close()


@pytest.fixture
def with_migration(monkeypatch):
    """Append a test-only migration to the list `connect` uses."""

    def install(m: Migration) -> None:
        extended = V1 + (m,)
        monkeypatch.setattr(database, "MIGRATIONS", extended)
        monkeypatch.setattr(migrations, "MIGRATIONS", extended)

    return install


# -- a fresh store ----------------------------------------------------------

def test_fresh_db_is_at_the_latest_version_with_every_table(profile_dir):
    path = db_path_for(profile_dir)
    conn = connect(path)  # also creates the missing profile directory
    try:
        assert path.is_file()
        assert schema_version(conn) == LATEST
        assert EXPECTED_TABLES <= _tables(conn)
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"items_fts_ad", "items_fts_au"} <= triggers
    finally:
        conn.close()
    # A brand-new store has nothing to back up.
    assert not (profile_dir / "backups").exists()


def test_connection_pragmas(tmp_path):
    conn = connect(tmp_path / "db.sqlite3")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == database.BUSY_TIMEOUT_MS
        assert conn.isolation_level is None  # explicit transactions only
    finally:
        conn.close()


def test_reopening_an_up_to_date_store_applies_nothing_and_backs_up_nothing(tmp_path):
    path = tmp_path / "db.sqlite3"
    _make_v1_with_data(path)
    conn = connect(path, migrate_schema=False)
    try:
        assert migrate(conn, path, V1) == []
        assert conn.execute("SELECT title FROM feeds").fetchall() == [("Example",)]
    finally:
        conn.close()
    assert not (tmp_path / "backups").exists()


def test_connect_in_memory_works_without_backup():
    conn = connect(":memory:")
    try:
        assert schema_version(conn) == LATEST
        assert EXPECTED_TABLES <= _tables(conn)
    finally:
        conn.close()


# -- upgrading ---------------------------------------------------------------

def _v2_add_tags(conn: sqlite3.Connection) -> None:
    run_script(conn, """
        CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        ALTER TABLE feeds ADD COLUMN color TEXT;
        INSERT INTO tags(name) VALUES ('migrated');
    """)


def test_upgrade_backs_up_the_old_version_first(tmp_path, with_migration):
    path = tmp_path / "cmdesk.sqlite3"
    _make_v1_with_data(path)
    with_migration(Migration(2, "tags", _v2_add_tags))

    conn = connect(path)
    try:
        assert schema_version(conn) == 2
        assert "tags" in _tables(conn)
        assert conn.execute("SELECT name FROM tags").fetchall() == [("migrated",)]
        # existing data survived the upgrade
        assert conn.execute("SELECT url, title, color FROM feeds").fetchall() == [
            ("https://example.com/feed", "Example", None)
        ]
    finally:
        conn.close()

    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1
    assert "v1" in backups[0].name
    b = sqlite3.connect(backups[0])
    try:
        assert b.execute("PRAGMA user_version").fetchone()[0] == 1
        assert b.execute("SELECT url, title FROM feeds").fetchall() == [("https://example.com/feed", "Example")]
        assert b.execute("SELECT value FROM settings WHERE key = 'theme'").fetchone() == ("dark",)
        assert "tags" not in _tables(b)
        assert b.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        b.close()

    # Opening again: nothing pending, no second backup.
    connect(path).close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(tmp_path):
    path = tmp_path / "cmdesk.sqlite3"
    _make_v1_with_data(path)
    conn = connect(path, migrate_schema=False)
    try:
        first = migrations.backup_before_migration(conn, path, 1)
        second = migrations.backup_before_migration(conn, path, 1)
    finally:
        conn.close()
    assert first != second
    assert first.exists() and second.exists()


def test_failing_migration_rolls_back_completely(tmp_path, with_migration):
    path = tmp_path / "cmdesk.sqlite3"
    _make_v1_with_data(path)

    def half_way(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")
        conn.execute("INSERT INTO half_done VALUES (1)")
        conn.execute("UPDATE feeds SET title = 'changed by a broken migration'")
        raise RuntimeError("disk on fire")

    with_migration(Migration(2, "broken", half_way))
    with pytest.raises(MigrationError) as info:
        connect(path)
    assert "migration 2" in str(info.value)
    assert "disk on fire" in str(info.value)

    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "half_done" not in _tables(raw)
        assert raw.execute("SELECT title FROM feeds").fetchall() == [("Example",)]
    finally:
        raw.close()
    # the backup was taken before the attempt
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_failing_migration_leaves_connection_usable(tmp_path):
    path = tmp_path / "db.sqlite3"
    _make_v1_with_data(path)
    conn = connect(path, migrate_schema=False)
    try:
        def bad(c):
            c.execute("CREATE TABLE t2 (x)")
            c.execute("SELECT * FROM no_such_table")

        with pytest.raises(MigrationError):
            migrate(conn, path, V1 + (Migration(2, "bad", bad),))
        assert not conn.in_transaction
        assert schema_version(conn) == 1
        assert "t2" not in _tables(conn)
        conn.execute("INSERT INTO settings(key, value) VALUES ('after', 'ok')")
        assert conn.execute("SELECT value FROM settings WHERE key = 'after'").fetchone() == ("ok",)
    finally:
        conn.close()


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "cmdesk.sqlite3"
    _make_v1_with_data(path)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 7")
    raw.close()
    before = _sha(path)

    with pytest.raises(MigrationError) as info:
        connect(path)
    assert "newer" in str(info.value)

    assert _sha(path) == before
    assert not (tmp_path / "backups").exists()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 7
        assert raw.execute("SELECT title FROM feeds").fetchall() == [("Example",)]
    finally:
        raw.close()


def test_migrate_refuses_newer_schema_directly():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA user_version = 3")
    with pytest.raises(MigrationError):
        migrate(conn, None, MIGRATIONS)
    assert schema_version(conn) == 3
    assert _tables(conn) == set()


@pytest.mark.parametrize("content", [
    b"this is a text file, not a database\n" * 20,
    b"SQLite format 2\x00" + b"\x01" * 200,
    bytes(range(256)) * 8,
])
def test_non_sqlite_file_gives_store_error_and_is_left_unchanged(tmp_path, content):
    path = tmp_path / "cmdesk.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        connect(path)
    message = str(info.value)
    assert "\n" not in message
    assert "cmdesk.sqlite3" in message
    assert path.read_bytes() == content
    assert not (tmp_path / "backups").exists()


def test_unwritable_profile_directory_gives_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError):
        connect(blocker / "sub" / "cmdesk.sqlite3")


# -- run_script ----------------------------------------------------------------

def test_run_script_handles_trigger_bodies_inside_the_callers_transaction():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("BEGIN")
    run_script(conn, """
        -- a comment line; the next statement has semicolons inside its body
        CREATE TABLE a (x INTEGER);
        CREATE TABLE log (msg TEXT);
        CREATE TRIGGER a_ai AFTER INSERT ON a BEGIN
            INSERT INTO log VALUES ('one; with a semicolon');
            INSERT INTO log VALUES ('two');
        END;

        INSERT INTO a VALUES (1);
    """)
    assert conn.in_transaction  # run_script never commits behind the caller's back
    assert conn.execute("SELECT msg FROM log ORDER BY rowid").fetchall() == [("one; with a semicolon",), ("two",)]
    conn.execute("ROLLBACK")
    assert _tables(conn) == set()


def test_run_script_rejects_an_incomplete_statement():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(sqlite3.ProgrammingError):
        run_script(conn, "CREATE TABLE ok (x);\nCREATE TABLE broken (x")


def test_migration_2_adds_the_mention_engine_and_keeps_feeds(tmp_path):
    """Migration 2 (watch terms, mentions, drafts…) on a real version-1 store."""
    path = tmp_path / "cmdesk.sqlite3"
    _make_v1_with_data(path)
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO items(feed_id, guid_hash, title, text, fetched_at, sort_at)"
                " VALUES (1, 'g', 'Acme', 'about Acme', 5, 5)")
    raw.execute("INSERT INTO items_fts(rowid, title, author, text) VALUES (1, 'Acme', '', 'about Acme')")
    raw.commit()
    raw.close()
    conn = connect(path)
    try:
        assert schema_version(conn) >= 2
        assert {"terms", "mentions", "mention_terms", "drafts", "templates", "triage_log", "alerts"} <= _tables(conn)
        assert conn.execute("SELECT title FROM items").fetchall() == [("Acme",)]
        conn.execute("INSERT INTO mentions(item_id, feed_id, found_at, published_at, sentiment_label)"
                     " VALUES (1, 1, 9, 5, 'negative')")
        # the generated label column lets a manual correction win
        assert conn.execute("SELECT sentiment FROM mentions").fetchone() == ("negative",)
        conn.execute("UPDATE mentions SET sentiment_override = 'positive'")
        assert conn.execute("SELECT sentiment FROM mentions").fetchone() == ("positive",)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE mentions SET state = 'bogus'")
        # deleting the item removes its mention (no orphan mentions)
        conn.execute("DELETE FROM items")
        assert conn.execute("SELECT count(*) FROM mentions").fetchone() == (0,)
    finally:
        conn.close()
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and "v1" in backups[0].name


def test_another_programs_database_with_a_known_version_is_refused_untouched(tmp_path):
    path = tmp_path / "cmdesk.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    raw.execute("INSERT INTO notes(body) VALUES ('keep me')")
    raw.execute(f"PRAGMA user_version = {LATEST}")
    raw.commit()
    raw.close()
    before = _sha(path)
    with pytest.raises(StoreError) as info:
        connect(path)
    message = str(info.value)
    assert "not a usable cmdesk store" in message and "folders" in message and "\n" not in message
    assert _sha(path) == before and not (tmp_path / "backups").exists()
