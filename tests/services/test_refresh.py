"""Refresh use case against a real loopback HTTP server."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from cmdesk.app import open_profile
from cmdesk.core.models import ErrorCode, FeedStatus, FetchOutcome
from cmdesk.net.credentials import CredentialStore
from cmdesk.net.fetch import FetchLimits
from cmdesk.services.refresh import RefreshOptions
from tests.support.feedserver import rss


def _open(profile_dir, **opts):
    options = RefreshOptions(**opts) if opts else RefreshOptions(parse_workers=0)
    return open_profile(profile_dir, options=options)


def _add_raw(svc, url, **kw):
    """Subscribe without fetching (like an OPML import does)."""
    from cmdesk.store.database import connect, write_transaction
    from cmdesk.store.feeds import FeedRepository

    conn = connect(svc.db_path)
    try:
        with write_transaction(conn):
            return FeedRepository(conn).add_feed(url, now=0, **kw).id
    finally:
        conn.close()


def _by_id(svc):
    return {l.feed.id: l for l in svc.feeds.list_feeds()}


def test_refresh_stores_items_then_uses_conditional_get(feed_server, profile_dir):
    feed_server.route("/a.xml", rss("A", 5), etag='"v1"', gzip=True)
    svc = _open(profile_dir)
    fid = _add_raw(svc, feed_server.url("/a.xml"))

    s1 = svc.refresh.refresh()
    assert (s1.total, s1.ok, s1.errors, s1.new_items) == (1, 1, 0, 5)
    listing = _by_id(svc)[fid]
    assert listing.items == 5 and listing.unread == 5
    assert listing.feed.title == "A" and listing.feed.etag == '"v1"'

    s2 = svc.refresh.refresh()
    assert (s2.not_modified, s2.new_items) == (1, 0)
    assert feed_server.requests[-1][1].get("if-none-match") == '"v1"'


def test_unchanged_body_without_validators_is_not_parsed_again(feed_server, profile_dir):
    feed_server.route("/plain.xml", rss("P", 3))
    svc = _open(profile_dir)
    _add_raw(svc, feed_server.url("/plain.xml"))
    assert svc.refresh.refresh().new_items == 3
    s2 = svc.refresh.refresh()
    assert s2.not_modified == 1 and s2.ok == 0


def test_churn_stores_only_new_items(feed_server, profile_dir):
    route = feed_server.route("/c.xml", rss("C", 4), etag='"1"')
    svc = _open(profile_dir)
    fid = _add_raw(svc, feed_server.url("/c.xml"))
    svc.refresh.refresh()
    route.body = rss("C", 6).encode()  # two more items, same first four guids
    route.etag = '"2"'
    s = svc.refresh.refresh()
    assert s.new_items == 2 and len(s.results[0].new_item_ids) == 2
    assert _by_id(svc)[fid].items == 6


BROKEN = {
    "/404.xml": dict(status=404, body="nope"),
    "/500.xml": dict(status=500, body="oops"),
    "/html.xml": dict(body="<!doctype html><html><head><title>x</title></head><body>hi</body></html>",
                      content_type="text/html"),
    "/garbage.xml": dict(body=b"\x00\x01\x02 this is not xml at all {{{", content_type="application/octet-stream"),
    "/empty.xml": dict(body=""),
}


def test_broken_feeds_are_marked_and_never_stop_the_others(feed_server, profile_dir):
    feed_server.route("/good.xml", rss("Good", 3))
    for path, kw in BROKEN.items():
        feed_server.route(path, **kw)
    svc = _open(profile_dir)
    good = _add_raw(svc, feed_server.url("/good.xml"))
    bad = {path: _add_raw(svc, feed_server.url(path)) for path in BROKEN}
    refused = _add_raw(svc, "http://127.0.0.1:1/closed.xml")

    summary = svc.refresh.refresh()
    assert summary.total == len(BROKEN) + 2
    assert summary.ok == 1 and summary.errors == len(BROKEN) + 1 and summary.new_items == 3
    listings = _by_id(svc)
    assert listings[good].feed.status is FeedStatus.OK
    for path, fid in bad.items():
        f = listings[fid].feed
        assert f.status is FeedStatus.ERROR, path
        assert f.last_error and "\n" not in f.last_error and "Traceback" not in f.last_error
    assert listings[bad["/404.xml"]].feed.last_error == "HTTP 404 Not Found"
    assert listings[bad["/html.xml"]].feed.last_error_code == ErrorCode.NOT_A_FEED.value
    assert listings[refused].feed.last_error_code == ErrorCode.NETWORK.value
    log = svc.feeds.fetch_log(bad["/500.xml"])
    assert log[0].outcome == "error" and log[0].http_status == 500


def test_a_feed_that_breaks_keeps_its_items(feed_server, profile_dir):
    route = feed_server.route("/f.xml", rss("F", 4))
    svc = _open(profile_dir)
    fid = _add_raw(svc, feed_server.url("/f.xml"))
    svc.refresh.refresh()
    route.body = b"<rss><channel><title>broken &bogus; <<<"
    route.status = 200
    svc.refresh.refresh()
    route.status = 503
    svc.refresh.refresh()
    listing = _by_id(svc)[fid]
    assert listing.items == 4
    assert listing.feed.error_count >= 1
    # errors back off: the next due time moves further than the normal interval
    assert listing.feed.next_due_at > listing.feed.last_fetch_at + listing.feed.interval_s


def test_gone_disables_and_permanent_redirect_moves(feed_server, profile_dir):
    feed_server.route("/gone.xml", status=410, body="gone")
    feed_server.redirect("/old.xml", feed_server.url("/new.xml"), status=301)
    feed_server.route("/new.xml", rss("N", 2))
    feed_server.redirect("/tmp.xml", feed_server.url("/new2.xml"), status=302)
    feed_server.route("/new2.xml", rss("T", 1))
    svc = _open(profile_dir)
    gone = _add_raw(svc, feed_server.url("/gone.xml"))
    moved = _add_raw(svc, feed_server.url("/old.xml"))
    temp = _add_raw(svc, feed_server.url("/tmp.xml"))
    s = svc.refresh.refresh()
    assert s.gone == 1 and s.ok == 2
    listings = _by_id(svc)
    assert listings[gone].feed.status is FeedStatus.DISABLED
    assert listings[moved].feed.url == feed_server.url("/new.xml")
    assert listings[temp].feed.url == feed_server.url("/tmp.xml")
    hits = feed_server.hits("/gone.xml")
    svc.refresh.refresh()
    assert feed_server.hits("/gone.xml") == hits  # a disabled feed is not fetched again


def test_retry_after_defers_the_whole_host(feed_server, profile_dir):
    feed_server.route("/busy.xml", status=429, body="slow down", headers={"Retry-After": "120"})
    feed_server.route("/other.xml", rss("O", 2))
    svc = _open(profile_dir, parse_workers=0, limits=FetchLimits(max_connections=1))
    busy = _add_raw(svc, feed_server.url("/busy.xml"))
    _add_raw(svc, feed_server.url("/other.xml"))
    s = svc.refresh.refresh()
    assert s.deferred == 2 and s.errors == 0
    assert feed_server.hits("/other.xml") == 0
    f = _by_id(svc)[busy].feed
    assert f.next_due_at >= f.last_fetch_at + 120 if f.last_fetch_at else True
    # The back-off is remembered across refreshes.
    s2 = svc.refresh.refresh()
    assert s2.deferred == 2 and feed_server.hits("/busy.xml") == 1


def test_basic_auth_password_stays_in_the_keyring(feed_server, profile_dir, memory_keyring):
    secret = "s3cr3t-Pa55"
    import base64

    expected = "Basic " + base64.b64encode(f"ann:{secret}".encode()).decode()

    class AuthRoute:
        pass

    feed_server.route("/private.xml", rss("Private", 2))
    svc = open_profile(profile_dir, options=RefreshOptions(parse_workers=0), credentials=CredentialStore())
    res = svc.feeds.add_feed(feed_server.url("/private.xml"), username="ann", password=secret)
    assert res.feed.auth_ref and res.new_items == 2
    svc.refresh.refresh()
    auth_headers = [h.get("authorization") for p, h in feed_server.requests if p == "/private.xml"]
    assert auth_headers and all(a == expected for a in auth_headers)
    # Nowhere in the store, the export, or the listing.
    raw = b"".join(p.read_bytes() for p in profile_dir.iterdir() if p.is_file())
    assert secret.encode() not in raw
    assert secret.encode() not in svc.feeds.export_opml()
    conn = sqlite3.connect(svc.db_path)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert secret not in dump
    assert any(secret in v for v in memory_keyring.secrets.values())


def test_credentials_in_url_move_to_keyring(feed_server, profile_dir, memory_keyring):
    feed_server.route("/p.xml", rss("P", 1))
    svc = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))
    url = feed_server.url("/p.xml").replace("http://", "http://bob:hunter2@")
    res = svc.feeds.add_feed(url)
    assert "hunter2" not in res.feed.url and "bob" not in res.feed.url
    assert res.feed.auth_ref


def test_missing_keyring_is_a_clear_feed_error(feed_server, profile_dir, memory_keyring):
    from keyring.backends import fail

    feed_server.route("/p.xml", rss("P", 1))
    svc = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))
    svc.feeds.add_feed(feed_server.url("/p.xml"), username="ann", password="pw-xyz")
    broken = open_profile(profile_dir, options=RefreshOptions(parse_workers=0),
                          credentials=CredentialStore(backend=fail.Keyring()))
    s = broken.refresh.refresh()
    r = s.results[0]
    assert r.outcome is FetchOutcome.ERROR and r.error_code is ErrorCode.CREDENTIALS_UNAVAILABLE
    assert "keyring" in r.error and "pw-xyz" not in r.error


def test_progress_reports_every_feed_and_cancel_stops_early(feed_server, profile_dir):
    for i in range(8):
        feed_server.route(f"/f{i}.xml", rss(f"F{i}", 2))
    svc = _open(profile_dir, parse_workers=0, limits=FetchLimits(max_connections=1))
    for i in range(8):
        _add_raw(svc, feed_server.url(f"/f{i}.xml"))
    seen = []
    s = svc.refresh.refresh(progress=seen.append)
    assert [p.done for p in seen] == list(range(1, 9)) and all(p.total == 8 for p in seen)
    assert s.new_items == 16

    cancel = threading.Event()

    def stop_after_three(p):
        if p.done == 3:
            cancel.set()

    s2 = svc.refresh.refresh(progress=stop_after_three, cancel=cancel)
    assert len(s2.results) == 3


def test_process_pool_parsing_gives_the_same_result(feed_server, profile_dir):
    n = 12
    for i in range(n):
        feed_server.route(f"/p{i}.xml", rss(f"P{i}", 5), gzip=True)
    svc = _open(profile_dir, parse_workers=2)
    for i in range(n):
        _add_raw(svc, feed_server.url(f"/p{i}.xml"))
    s = svc.refresh.refresh()
    assert s.ok == n and s.new_items == n * 5
    hits = svc.feeds.search_items("P7 item 3")
    assert [i.title for i in hits] == ["P7 item 3"]


def test_retention_keeps_newest_and_tombstones_the_rest(feed_server, profile_dir):
    from cmdesk.services.refresh import RetentionPolicy

    route = feed_server.route("/r.xml", rss("R", 5))
    svc = _open(profile_dir, parse_workers=0, retention=RetentionPolicy(keep_items=3))
    fid = _add_raw(svc, feed_server.url("/r.xml"))
    svc.refresh.refresh()
    assert _by_id(svc)[fid].items == 3
    route.body = rss("R", 5).encode() + b" "  # same items, new bytes: parsed again
    s = svc.refresh.refresh()
    assert s.new_items == 0 and _by_id(svc)[fid].items == 3


def test_due_only_skips_feeds_not_yet_due(feed_server, profile_dir):
    feed_server.route("/d.xml", rss("D", 1))
    svc = _open(profile_dir)
    _add_raw(svc, feed_server.url("/d.xml"))
    assert svc.refresh.refresh(due_only=True).total == 1
    assert svc.refresh.refresh(due_only=True).total == 0
    assert svc.refresh.refresh().total == 1


@pytest.mark.parametrize("kind", ["rss", "atom", "rdf", "json"])
def test_every_format_refreshes(feed_server, profile_dir, kind):
    from tests.support import samples

    body, ctype = samples.SAMPLES[kind]
    feed_server.route(f"/{kind}", body, content_type=ctype)
    svc = _open(profile_dir)
    _add_raw(svc, feed_server.url(f"/{kind}"))
    s = svc.refresh.refresh()
    assert s.ok == 1 and s.new_items == 2, s.results
    titles = {i.title for i in svc.feeds.search_items("acme")}
    assert "Acme launches a rocket" in titles


def test_google_alerts_links_are_unwrapped_on_ingest(feed_server, profile_dir, shared_data):
    body = (shared_data / "feeds" / "feedjira" / "google_alerts_atom.xml").read_bytes()
    assert b"google.com/url" in body
    feed_server.route("/alerts.xml", body, content_type="application/atom+xml")
    svc = _open(profile_dir)
    fid = _add_raw(svc, feed_server.url("/alerts.xml"))
    assert svc.refresh.refresh().new_items > 0
    from cmdesk.store.database import connect
    from cmdesk.store.items import ItemRepository

    conn = connect(svc.db_path)
    try:
        urls = [i.url for i in ItemRepository(conn).list_for_feed(fid)]
    finally:
        conn.close()
    assert urls and all(u and "google.com/url" not in u for u in urls)
    assert all(u.startswith(("http://", "https://")) for u in urls)


def test_a_feed_refused_at_insert_leaves_no_secret_in_the_keyring(feed_server, profile_dir, memory_keyring,
                                                                  monkeypatch):
    from cmdesk.services.feeds import FeedService, FeedServiceError

    feed_server.route("/p.xml", rss("P", 1))
    svc = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))

    def refused(self, url, **kw):  # another window subscribed to it a moment earlier
        raise FeedServiceError(f"already subscribed to {url}")

    monkeypatch.setattr(FeedService, "_insert_feed", refused)
    with pytest.raises(FeedServiceError, match="already subscribed"):
        svc.feeds.add_feed(feed_server.url("/p.xml"), username="ann", password="secret-pw")
    assert memory_keyring.secrets == {}


# -- write steps of several feeds share transactions ------------------------------

def _group_commit(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from cmdesk.services.refresh import _GroupCommit
    from cmdesk.store.database import connect

    db = ThreadPoolExecutor(max_workers=1)
    conn = db.submit(connect, tmp_path / "gc.sqlite3").result()
    return db, conn, _GroupCommit(conn, db)


def test_group_commit_undoes_a_failing_step_alone(tmp_path):
    import asyncio

    db, conn, gc = _group_commit(tmp_path)
    commits = []
    real_commit = gc._commit
    gc._commit = lambda steps: commits.append(len(steps)) or real_commit(steps)

    def put(key):
        conn.execute("INSERT INTO settings(key, value) VALUES (?, 'x')", (key,))
        return key

    def put_then_fail():
        put("broken")
        raise ValueError("this feed's step fails")

    async def main():
        steps = [lambda: put("a"), lambda: put("b"), put_then_fail, lambda: put("c")]
        return await asyncio.gather(*(gc.run(s) for s in steps), return_exceptions=True)

    try:
        results = asyncio.run(main())
        keys = db.submit(lambda: {r[0] for r in conn.execute("SELECT key FROM settings")}).result()
        in_txn = db.submit(lambda: conn.in_transaction).result()
    finally:
        db.submit(conn.close).result()
        db.shutdown()
    assert results[:2] == ["a", "b"] and results[3] == "c"
    assert isinstance(results[2], ValueError)
    assert keys == {"a", "b", "c"}  # the failing step's own insert was rolled back, the others committed
    assert not in_txn
    # steps that queue together share a transaction
    assert sum(commits) == 4 and len(commits) < 4


def test_group_commit_bounds_each_transaction(tmp_path):
    import asyncio

    from cmdesk.services.refresh import _GroupCommit

    db, conn, gc = _group_commit(tmp_path)
    sizes = []
    real_commit = gc._commit
    gc._commit = lambda steps: sizes.append(len(steps)) or real_commit(steps)

    async def main():
        return await asyncio.gather(*(gc.run(lambda: None, weight=150) for _ in range(9)))

    try:
        asyncio.run(main())
    finally:
        db.submit(conn.close).result()
        db.shutdown()
    assert sum(sizes) == 9
    assert all(n * 150 <= _GroupCommit.MAX_WEIGHT or n == 1 for n in sizes)


def test_refresh_of_many_feeds_through_worker_processes_stores_each_once(feed_server, profile_dir):
    for k in range(12):
        feed_server.route(f"/m{k}.xml", rss(f"M{k}", 30), etag=f'"m{k}"')
    svc = _open(profile_dir, parse_workers=2)
    ids = [_add_raw(svc, feed_server.url(f"/m{k}.xml")) for k in range(12)]
    s = svc.refresh.refresh()
    assert (s.ok, s.errors, s.new_items) == (12, 0, 360)
    listing = _by_id(svc)
    assert all(listing[i].items == 30 for i in ids)
    all_new = [iid for r in s.results for iid in r.new_item_ids]
    assert len(all_new) == len(set(all_new)) == 360
    again = svc.refresh.refresh()
    assert (again.not_modified, again.new_items) == (12, 0)


# -- user settings, logging, fetch log, redirects, deferrals ------------------------------

def test_settings_apply_to_every_refresh_over_explicit_options(feed_server, profile_dir):
    from cmdesk.services.refresh import RetentionPolicy, refresh_options_from_settings

    base = RefreshOptions(parse_workers=0, limits=FetchLimits(max_connections=3),
                          retention=RetentionPolicy(keep_items=7))
    # Nothing set by the user: the caller's explicit options hold.
    assert refresh_options_from_settings({}, base) == base
    opts = refresh_options_from_settings({"refresh.concurrency": 2, "retention.keep_days": 30,
                                          "network.proxy": "http://proxy.local:3128"}, base, parse_workers=1)
    assert (opts.limits.max_connections, opts.retention.keep_items, opts.retention.keep_days) == (2, 7, 30)
    assert (opts.proxy, opts.parse_workers) == ("http://proxy.local:3128", 1)

    feed_server.route("/thirty.xml", rss("Thirty", 30))
    svc = _open(profile_dir)
    svc.settings.set("retention.keep_items", 5)
    fid = _add_raw(svc, feed_server.url("/thirty.xml"))
    s = svc.refresh_feeds()
    assert s.new_items == 30
    assert _by_id(svc)[fid].items == 5  # the user's default retention, not RefreshOptions' 1000

    # A proxy set in the settings is used: a dead one makes the fetch fail.
    svc.settings.set("network.proxy", "http://127.0.0.1:9")
    feed_server.route("/thirty.xml", rss("Thirty", 30, start=30))
    failed = svc.refresh_feeds()
    assert failed.errors == 1 and failed.results[0].error_code is ErrorCode.NETWORK


def test_feed_errors_are_logged_once_each_without_passwords(feed_server, profile_dir, caplog):
    import logging

    feed_server.route("/ok.xml", rss("Fine", 2))
    feed_server.route("/broken.xml", status=500, body="boom")
    svc = _open(profile_dir)
    _add_raw(svc, feed_server.url("/ok.xml"))
    bad = _add_raw(svc, f"http://someone:s3cret-pw@127.0.0.1:{feed_server.port}/broken.xml")
    caplog.set_level(logging.INFO, logger="cmdesk.services.refresh")
    svc.refresh_feeds()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    line = warnings[0].getMessage()
    assert f"feed {bad} " in line and "/broken.xml" in line and "HTTP 500" in line
    # (httpx's own records carry the raw URL: the installed handlers redact them: tests/e2e/test_demo_cli.py)
    assert not any("s3cret-pw" in r.getMessage() for r in caplog.records if r.name.startswith("cmdesk"))
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert any("refresh of 2 feeds" in m and "1 in error" in m for m in infos)


def test_fetch_log_records_time_and_bytes_of_failures(feed_server, profile_dir):
    big = rss("Big", 400)
    feed_server.route("/slow.xml", rss("Slow", 1), delay_s=1.0)
    feed_server.route("/big.xml", big, gzip=True)
    feed_server.route("/text.txt", "hello, this is not a feed", content_type="text/plain")
    limits = FetchLimits(read_timeout=0.3, max_decoded_bytes=len(big) // 2)
    svc = _open(profile_dir, parse_workers=0, limits=limits)
    slow = _add_raw(svc, feed_server.url("/slow.xml"))
    large = _add_raw(svc, feed_server.url("/big.xml"))
    text = _add_raw(svc, feed_server.url("/text.txt"))
    s = svc.refresh.refresh()
    assert s.errors == 3
    [timeout] = svc.feeds.fetch_log(slow)
    assert timeout.outcome == "error" and timeout.duration_ms >= 250
    [too_large] = svc.feeds.fetch_log(large)
    assert too_large.bytes > 0 and too_large.duration_ms >= 0 and too_large.http_status == 200
    assert "larger than" in too_large.error
    [not_feed] = svc.feeds.fetch_log(text)
    assert not_feed.bytes == len("hello, this is not a feed") and not_feed.http_status == 200


def test_permanent_redirect_to_a_feed_already_followed_is_reported_not_merged(feed_server, profile_dir):
    feed_server.route("/old.xml", rss("Old", 3))
    feed_server.route("/new.xml", rss("New", 2))
    svc = _open(profile_dir)
    old = _add_raw(svc, feed_server.url("/old.xml"))
    new = _add_raw(svc, feed_server.url("/new.xml"))
    assert svc.refresh.refresh().new_items == 5
    feed_server.redirect("/old.xml", feed_server.url("/new.xml"), status=301)
    s = svc.refresh.refresh([old])
    assert s.errors == 1
    listings = _by_id(svc)
    f = listings[old].feed
    assert f.url == feed_server.url("/old.xml") and f.status is FeedStatus.ERROR
    assert f.last_error == (f"moved permanently to {feed_server.url('/new.xml')}, which you already follow"
                            f" as feed {new}")
    assert listings[old].items == 3 and listings[new].items == 2  # nothing deleted, nothing copied


def test_a_deferred_host_shows_in_the_feed_list(feed_server, profile_dir):
    feed_server.route("/busy.xml", status=503, body="later", headers={"Retry-After": "600"})
    svc = _open(profile_dir)
    busy = _add_raw(svc, feed_server.url("/busy.xml"))
    assert _by_id(svc)[busy].deferred_until is None
    before = int(__import__("time").time())
    assert svc.refresh.refresh().deferred == 1
    until = _by_id(svc)[busy].deferred_until
    assert until is not None and before + 590 <= until <= before + 610
