"""`cmdesk demo`, `backup`, `restore` as a user runs them; a busy profile gets a clear message."""

from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest

from cmdesk import cli
from cmdesk.app import open_profile
from cmdesk.store import database
from tests.e2e.test_cli import run


def test_demo_then_list_mentions_offline_then_backup_and_restore(tmp_path):
    profile = tmp_path / "demo"
    # a proxy that does not exist: any network use would fail the refresh
    offline = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9"}
    out = run("demo", "--no-open", profile=profile, env=offline).stdout
    assert "Demo profile ready" in out and "cmdesk --profile" in out
    mentions = json.loads(run("mentions", "list", "--json", "--limit", "500", profile=profile).stdout)
    assert len(mentions) > 100
    assert {"new", "replied", "done"} <= {m["state"] for m in mentions}
    assert any("Cartavo" in m["terms"] for m in mentions)
    summary = json.loads(run("refresh", "--json", "--quiet", profile=profile, env=offline).stdout)
    assert summary["errors"] == 0

    again = run("demo", "--no-open", profile=profile, ok=False)
    assert again.returncode == 1 and "not empty" in again.stderr and "Traceback" not in again.stderr

    backup = tmp_path / "copy.sqlite3"
    run("backup", "--out", str(backup), profile=profile)
    assert backup.exists()
    run("mentions", "set-state", str(mentions[0]["id"]), "spam", profile=profile)
    out = run("restore", str(backup), profile=profile).stdout
    assert "previous store is kept" in out
    restored = json.loads(run("mentions", "show", str(mentions[0]["id"]), "--json", profile=profile).stdout)
    assert restored["state"] == mentions[0]["state"]

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\0" * 8192)
    bad = run("restore", str(garbage), profile=profile, ok=False)
    assert bad.returncode == 1 and "cmdesk: error:" in bad.stderr and "Traceback" not in bad.stderr


def _hold_write_lock(db_path):
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO settings(key, value) VALUES ('held', '1')")
    return conn


def test_a_locked_profile_fails_with_a_clear_message_and_no_damage(tmp_path, monkeypatch, capsys):
    profile = tmp_path / "p"
    services = open_profile(profile)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    holder = _hold_write_lock(services.db_path)
    try:
        code = cli.main(["--profile", str(profile), "terms", "add", "Cartavo", "--query", "cartavo"])
    finally:
        holder.execute("COMMIT")
        holder.close()
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR
    assert "profile is busy" in err and "Traceback" not in err
    assert services.mentions.list_terms() == []
    # once the other writer is done, the same command works and the store is sound
    assert cli.main(["--profile", str(profile), "terms", "add", "Cartavo", "--query", "cartavo"]) == cli.EXIT_OK
    conn = sqlite3.connect(services.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT value FROM settings WHERE key = 'held'").fetchone() == ("1",)
    conn.close()


def test_a_short_concurrent_write_is_waited_for(tmp_path, monkeypatch):
    profile = tmp_path / "p"
    services = open_profile(profile)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 10_000)
    holder = _hold_write_lock(services.db_path)
    releaser = threading.Timer(0.3, lambda: (holder.execute("COMMIT"), holder.close()))
    releaser.start()
    started = time.monotonic()
    code = cli.main(["--profile", str(profile), "terms", "add", "Cartavo", "--query", "cartavo"])
    releaser.join()
    assert code == cli.EXIT_OK and time.monotonic() - started >= 0.25
    assert [t.name for t, _ in services.mentions.list_terms()] == ["Cartavo"]


def test_log_file_in_the_log_dir_masks_credentials(tmp_path, monkeypatch):
    import logging

    from cmdesk.logsetup import setup_logging

    monkeypatch.setenv("CMDESK_LOG_DIR", str(tmp_path / "logs"))
    path = setup_logging(verbose=True)
    try:
        logging.getLogger("cmdesk.test").info("fetching %s", "https://bob:s3cret@example.com/feed")
        logging.getLogger("cmdesk.test").debug("not kept without --debug")
        for h in logging.getLogger().handlers:
            h.flush()
        text = path.read_text(encoding="utf-8")
        assert path.parent == tmp_path / "logs"
        assert "https://***@example.com/feed" in text and "s3cret" not in text
        assert "not kept" not in text
    finally:
        setup_logging(to_file=False)
