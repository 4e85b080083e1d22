"""Backups of the profile's store: on demand, daily, and restore with checks.

Everything goes through SQLite's online backup API, never a file copy: a
backup taken while a refresh writes is a consistent snapshot (WAL content
included), and a restore writes into the live database through SQLite's own
locking, so another cmdesk process with the profile open waits instead of
reading a half-replaced file, and the -wal/-shm files stay SQLite's business.

A restore checks the file first (it opens as SQLite, `PRAGMA
integrity_check` says ok, it has cmdesk's tables, its schema version is not
newer than this program's) and keeps the current store aside as
`cmdesk.sqlite3.before-restore-<time>` before replacing anything.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from cmdesk.store.database import BUSY_TIMEOUT_MS, DB_FILENAME, connect, db_path_for
from cmdesk.store.migrations import MIGRATIONS, schema_version

BACKUPS_DIRNAME = "backups"
DAILY_KEEP = 7
_DAILY_RE = re.compile(r"^cmdesk-daily-(\d{8})-(\d{6})\.sqlite3$")
_REQUIRED_TABLES = {"feeds", "items", "settings"}


class BackupError(Exception):
    """A backup or restore that did not happen; the message is one clear line."""


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    schema_version: int
    feeds: int
    items: int
    mentions: int | None  # None for a store from before mentions existed


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_saved_as: Path  # the store as it was before the restore
    schema_version: int  # of the restored file, before any migration
    migrated_to: int


def backups_dir(profile_dir: Path) -> Path:
    return Path(profile_dir) / BACKUPS_DIRNAME


def _stamp(now: float) -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(now))


def _unique(path: Path) -> Path:
    n = 1
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def _copy(src: sqlite3.Connection, target: Path) -> None:
    """Backup API copy of `src` into a new file at `target` (written aside, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        # pages=-1: one step, so the copy is one consistent snapshot even
        # while another connection writes (a stepwise copy would restart).
        src.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        dest.close()
    tmp.replace(target)


def backup_profile(profile_dir: Path, out: Path | None = None, *, now: float | None = None,
                   name: str = "cmdesk") -> Path:
    """Write a consistent copy of the profile's store; returns its path.

    Default: `PROFILE/backups/cmdesk-YYYYmmdd-HHMMSS.sqlite3`. Safe while the
    app (or a refresh) is writing. An existing `out` is never overwritten.
    """
    db_path = db_path_for(profile_dir)
    if not db_path.exists():
        raise BackupError(f"there is no cmdesk store in {profile_dir} to back up")
    now = time.time() if now is None else now
    if out is None:
        target = _unique(backups_dir(profile_dir) / f"{name}-{_stamp(now)}.sqlite3")
    else:
        target = Path(out).expanduser()
        if target.is_dir():
            target = _unique(target / f"{name}-{_stamp(now)}.sqlite3")
        elif target.exists():
            raise BackupError(f"{target} already exists; choose another file name")
    try:
        src = connect(db_path)
    except Exception as exc:
        raise BackupError(f"cannot open the store to back it up: {exc}") from exc
    try:
        _copy(src, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"the backup to {target} failed: {exc}") from exc
    finally:
        src.close()
    return target


def check_backup(path: Path) -> BackupCheck:
    """Check that a file is a sound cmdesk store this version can open; raises BackupError."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from exc
    try:
        return _check(conn, path)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable cmdesk store ({exc}); nothing was changed") from exc
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, path: Path) -> BackupCheck:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        detail = "; ".join(str(r) for r in rows[:3])
        raise BackupError(f"{path} is damaged (integrity check: {detail}); nothing was changed")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = schema_version(conn)
    if not _REQUIRED_TABLES <= tables or version < 1:
        raise BackupError(f"{path} is an SQLite file but not a cmdesk store; nothing was changed")
    newest = MIGRATIONS[-1].version
    if version > newest:
        raise BackupError(f"{path} was written by a newer cmdesk (schema {version}, this version knows"
                          f" {newest}); update cmdesk to restore it. Nothing was changed")
    count = lambda t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: E731 - fixed names
    return BackupCheck(path=path, schema_version=version, feeds=count("feeds"), items=count("items"),
                       mentions=count("mentions") if "mentions" in tables else None)


def restore_profile(profile_dir: Path, source: Path, *, now: float | None = None) -> RestoreResult:
    """Replace the profile's store with `source` after checking it.

    The current store is first saved as `cmdesk.sqlite3.before-restore-<time>`
    in the profile. A damaged, foreign or newer-schema file is refused with
    BackupError and the profile is left untouched. An older schema is
    migrated right after (with the usual pre-migration backup).
    """
    source = Path(source).expanduser()
    check = check_backup(source)
    db_path = db_path_for(profile_dir)
    now = time.time() if now is None else now
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {source}: {exc}") from exc
    try:
        previous = _unique(db_path.with_name(f"{DB_FILENAME}.before-restore-{_stamp(now)}"))
        if db_path.exists():
            live = connect(db_path, migrate_schema=False)
            try:
                _copy(live, previous)
            finally:
                live.close()
        else:
            previous = Path()
            db_path.parent.mkdir(parents=True, exist_ok=True)
        # Written into the live database through SQLite, under its write lock:
        # other connections (another cmdesk) wait, then see the restored store.
        dest = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dest.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            src.backup(dest, pages=-1)
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the restore failed ({exc}); the previous store is kept as {previous}") from exc
    finally:
        src.close()
    conn = connect(db_path)  # migrates an older schema, backing it up first
    try:
        migrated = schema_version(conn)
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    if ok != "ok":
        raise BackupError(f"the restored store fails its integrity check; the previous one is kept as {previous}")
    return RestoreResult(restored_from=source, previous_saved_as=previous, schema_version=check.schema_version,
                         migrated_to=migrated)


def daily_backups(profile_dir: Path) -> list[Path]:
    """The automatic daily backups, oldest first."""
    folder = backups_dir(profile_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _DAILY_RE.match(p.name))


def prune_backups(paths: list[Path], keep: int) -> list[Path]:
    """Delete all but the `keep` newest of `paths` (sorted oldest first); returns the deleted."""
    doomed = paths[: max(0, len(paths) - keep)]
    for p in doomed:
        p.unlink(missing_ok=True)
    return doomed


def daily_backup_if_due(profile_dir: Path, *, now: float | None = None, keep: int = DAILY_KEEP,
                        clock: Callable[[], float] = time.time) -> Path | None:
    """Back up the store if no daily backup was made today (local time); keep the last `keep`.

    Returns the new backup's path, or None when one exists for today. Cheap
    to call often: the GUI calls it on a timer.
    """
    now = clock() if now is None else now
    today = dt.datetime.fromtimestamp(now).strftime("%Y%m%d")
    existing = daily_backups(profile_dir)
    if any(_DAILY_RE.match(p.name).group(1) == today for p in existing):
        return None
    if not db_path_for(profile_dir).exists():
        return None
    path = backup_profile(profile_dir, now=now, name="cmdesk-daily")
    prune_backups(daily_backups(profile_dir), keep)
    return path
