"""Backups and restore: consistent under a refresh, checked before replacing, old store kept aside."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from cmdesk.app import open_profile
from cmdesk.store.backup import (
    BackupError, backup_profile, check_backup, daily_backup_if_due, daily_backups, restore_profile,
)
from cmdesk.services.demo import demo_feeds_dir
from cmdesk.services.refresh import RefreshOptions
from cmdesk.store.database import db_path_for
from cmdesk.store.feeds import FeedRepository
from cmdesk.store.database import connect, write_transaction
from tests.support.feedserver import rss

N_FEEDS = 12
PER_FEED = 150


def _profile_with_file_feeds(profile: Path):
    """A profile with N file:// feeds of PER_FEED items each, not fetched yet."""
    # parsing in the refresh's thread: feeds are stored one by one while backups run
    services = open_profile(profile, options=RefreshOptions(parse_workers=0))
    folder = demo_feeds_dir(profile)
    folder.mkdir(parents=True)
    conn = connect(services.db_path)
    try:
        with write_transaction(conn):
            repo = FeedRepository(conn)
            for i in range(N_FEEDS):
                path = folder / f"f{i}.xml"
                path.write_text(rss(f"F{i}", PER_FEED, link=f"https://f{i}.example/"))
                repo.add_feed(path.as_uri(), title=f"F{i}", now=int(time.time()))
    finally:
        conn.close()
    return services


def _counts(db: Path) -> dict[int, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT feed_id, count(*) FROM items GROUP BY feed_id").fetchall())
    finally:
        conn.close()


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_backup_and_restore_round_trip_while_a_refresh_writes(tmp_path, monkeypatch):
    from cmdesk.store.items import ItemRepository

    profile = tmp_path / "p"
    services = _profile_with_file_feeds(profile)
    # Slow each feed's write down a little, so that on any machine the refresh
    # lasts long enough for backups to be taken between its commits.
    insert_rows = ItemRepository.insert_rows

    def slow_insert_rows(self, *args, **kwargs):
        time.sleep(0.05)
        return insert_rows(self, *args, **kwargs)

    monkeypatch.setattr(ItemRepository, "insert_rows", slow_insert_rows)
    done = threading.Event()
    errors = []

    def refresh():
        try:
            services.refresh_feeds()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=refresh)
    worker.start()
    backups = []
    while not done.is_set() or not backups:
        backups.append(backup_profile(profile, tmp_path / "b" / f"{len(backups)}.sqlite3"))
        time.sleep(0.01)
    worker.join()
    assert not errors
    full = _counts(db_path_for(profile))
    assert full == {i: PER_FEED for i in range(1, N_FEEDS + 1)}
    for b in backups:
        assert _integrity(b) == "ok"
        assert not Path(str(b) + "-wal").exists()  # a self-contained file
        snapshot = _counts(b)
        # one transaction per feed: a snapshot holds whole feeds only
        assert all(n == PER_FEED for n in snapshot.values()), snapshot
        assert check_backup(b).schema_version >= 2

    sizes = [len(_counts(b)) for b in backups]
    assert any(0 < n < N_FEEDS for n in sizes), f"no backup taken mid-refresh: {sizes}"
    partial = next(b for b, n in zip(backups, sizes) if 0 < n < N_FEEDS)
    expected = _counts(partial)
    res = restore_profile(profile, partial)
    assert _counts(db_path_for(profile)) == expected
    assert res.previous_saved_as.name.startswith("cmdesk.sqlite3.before-restore-")
    assert _counts(res.previous_saved_as) == full  # the old store is kept aside, whole
    assert _integrity(db_path_for(profile)) == "ok"
    # the restored profile works: a refresh brings the missing feeds back
    open_profile(profile).refresh_feeds()
    assert _counts(db_path_for(profile)) == full


def _fingerprint(profile: Path) -> tuple:
    db = db_path_for(profile)
    conn = sqlite3.connect(db)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    return dump, sorted(p.name for p in profile.iterdir())


@pytest.fixture
def small_profile(tmp_path):
    profile = tmp_path / "p"
    services = open_profile(profile)
    services.mentions.add_term("Cartavo", "cartavo")
    services.mentions.add_template("Hi", "Hi {author}!", "en")
    return profile


def test_corrupt_file_is_refused_and_the_profile_untouched(tmp_path, small_profile):
    good = backup_profile(small_profile, tmp_path / "good.sqlite3")
    before = _fingerprint(small_profile)

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackupError, match="not a usable cmdesk store|damaged"):
        restore_profile(small_profile, garbage)

    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    page = 4096
    for off in range(page + 8, min(len(data), 3 * page), 7):  # scribble over b-tree pages, keep the header
        data[off] = 0xA5
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError) as info:
        restore_profile(small_profile, damaged)
    assert "nothing was changed" in str(info.value).lower() or "not a usable" in str(info.value)

    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: page + 100])
    with pytest.raises(BackupError):
        restore_profile(small_profile, truncated)

    assert _fingerprint(small_profile) == before  # same content, no before-restore file made


def test_newer_schema_and_foreign_files_are_refused(tmp_path, small_profile):
    newer = backup_profile(small_profile, tmp_path / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = _fingerprint(small_profile)
    with pytest.raises(BackupError, match="newer cmdesk"):
        restore_profile(small_profile, newer)
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="not a cmdesk store"):
        restore_profile(small_profile, foreign)
    with pytest.raises(BackupError, match="does not exist"):
        restore_profile(small_profile, tmp_path / "missing.sqlite3")
    assert _fingerprint(small_profile) == before


def test_restore_replaces_wal_content_and_keeps_it_in_the_saved_copy(tmp_path, small_profile):
    old = backup_profile(small_profile, tmp_path / "old.sqlite3")
    db = db_path_for(small_profile)
    holder = sqlite3.connect(db)  # keeps the WAL from being checkpointed into the main file
    holder.execute("SELECT count(*) FROM terms").fetchone()
    services = open_profile(small_profile)
    services.mentions.add_term("Wayfolio", "wayfolio", kind="competitor")
    assert Path(str(db) + "-wal").stat().st_size > 0
    res = restore_profile(small_profile, old)
    holder.close()
    names = [t.name for t, _n in open_profile(small_profile).mentions.list_terms()]
    assert names == ["Cartavo"]
    conn = sqlite3.connect(res.previous_saved_as)
    saved = {r[0] for r in conn.execute("SELECT name FROM terms")}
    conn.close()
    assert saved == {"Cartavo", "Wayfolio"}


def test_backup_refuses_to_overwrite_and_needs_a_store(tmp_path, small_profile):
    out = backup_profile(small_profile, tmp_path / "x.sqlite3")
    with pytest.raises(BackupError, match="already exists"):
        backup_profile(small_profile, out)
    default = backup_profile(small_profile)
    assert default.parent == small_profile / "backups" and default.name.startswith("cmdesk-")
    with pytest.raises(BackupError, match="no cmdesk store"):
        backup_profile(tmp_path / "nothing-here")


def test_daily_backup_once_a_day_keeps_the_last_seven(small_profile):
    day = 86400
    t0 = time.mktime((2026, 3, 1, 10, 0, 0, 0, 0, -1))
    first = daily_backup_if_due(small_profile, now=t0)
    assert first is not None and first.exists()
    assert daily_backup_if_due(small_profile, now=t0 + 3600) is None  # same day
    for i in range(1, 10):
        assert daily_backup_if_due(small_profile, now=t0 + i * day) is not None
    kept = daily_backups(small_profile)
    assert len(kept) == 7
    assert kept[-1].name.startswith("cmdesk-daily-20260310")
    assert all(_integrity(p) == "ok" for p in kept)
