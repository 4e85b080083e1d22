"""Opening the profile's SQLite file: pragmas, migrations, transactions.

Every thread opens its own connection with `connect`; connections never
cross threads. Transactions are explicit (`isolation_level=None`) and write
transactions take the write lock up front (BEGIN IMMEDIATE) so that a writer
waits on `busy_timeout` instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Iterator

from cmdesk.store.migrations import MIGRATIONS, migrate

DB_FILENAME = "cmdesk.sqlite3"
BUSY_TIMEOUT_MS = 15_000


class StoreError(Exception):
    """The store cannot be opened or used; the message says why, in one line."""


def db_path_for(profile_dir: Path) -> Path:
    return Path(profile_dir) / DB_FILENAME


def connect(db_path: Path | str, *, migrate_schema: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the store at `db_path`, migrated to the newest schema."""
    path = Path(db_path) if str(db_path) != ":memory:" else None
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the profile directory {path.parent}: {exc.strerror}") from exc
    try:
        conn = sqlite3.connect(
            str(db_path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {db_path}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if migrate_schema:
            _refuse_foreign_store(conn, db_path)  # before any pragma or migration writes to it
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        if migrate_schema:
            migrate(conn, path, MIGRATIONS)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{db_path} is not a usable cmdesk store: {exc}") from exc
    except Exception:
        conn.close()
        raise
    return conn


# Tables every cmdesk store has had since schema 1.
_CORE_TABLES = ("folders", "feeds", "items", "settings")


def _refuse_foreign_store(conn: sqlite3.Connection, db_path) -> None:
    """A file with a schema version we know but without our tables is someone else's
    SQLite database: refuse it untouched rather than fail later on "no such table"."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not 0 < version <= MIGRATIONS[-1].version:
        return  # new (0) or newer than this program (migrate refuses it with its own message)
    placeholders = ", ".join("?" * len(_CORE_TABLES))
    present = {r[0] for r in conn.execute(
        f"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ({placeholders})", _CORE_TABLES)}
    missing = [t for t in _CORE_TABLES if t not in present]
    if missing:
        raise StoreError(f"{db_path} is not a usable cmdesk store: it says schema version {version} but has no"
                         f" {', '.join(missing)} table{'s' if len(missing) > 1 else ''} (another program's"
                         " database?); it was left untouched")


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One short write transaction: BEGIN IMMEDIATE … COMMIT, rolled back on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
