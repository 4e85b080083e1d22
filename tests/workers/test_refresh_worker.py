"""The refresh worker in its real QThread against a loopback HTTP server."""

from __future__ import annotations

import threading

import pytest

from cmdesk.app import open_profile
from cmdesk.core.models import FeedResult, FetchOutcome, RefreshSummary
from cmdesk.net.credentials import CredentialStore
from cmdesk.services.refresh import RefreshOptions
from cmdesk.workers.refresh import RefreshController
from tests.support.feedserver import rss


@pytest.fixture
def services(profile_dir, memory_keyring):
    return open_profile(profile_dir, options=RefreshOptions(parse_workers=0), credentials=CredentialStore(memory_keyring))


@pytest.fixture
def controller(qtbot, services):
    c = RefreshController(services, auto=False)
    yield c
    c.shutdown()


def _subscribe(services, feed_server, n, *, delay_s=0.0, items=3):
    ids = []
    for i in range(n):
        feed_server.route(f"/f{i}.xml", rss(f"feed{i}", items), delay_s=delay_s)
        ids.append(services.feeds.subscribe(feed_server.url(f"/f{i}.xml"), title=f"feed{i}").id)
    return ids


def test_refresh_runs_off_the_gui_thread_and_reports_progress(qtbot, controller, services, feed_server):
    _subscribe(services, feed_server, 3)
    feed_server.route("/bad.xml", status=404, body="nope", content_type="text/plain")
    services.feeds.subscribe(feed_server.url("/bad.xml"))
    seen: list[tuple[int, int, FeedResult]] = []
    threads = set()
    controller.progress.connect(lambda d, t, r: (seen.append((d, t, r)), threads.add(threading.get_ident())))
    with qtbot.waitSignal(controller.finished, timeout=30_000) as blocker:
        assert controller.request() is True
        assert controller.running
    summary = blocker.args[0]
    assert isinstance(summary, RefreshSummary)
    assert (summary.total, summary.ok, summary.errors, summary.new_items) == (4, 3, 1, 9)
    assert [d for d, _, _ in seen] == [1, 2, 3, 4] and all(t == 4 for _, t, _ in seen)
    assert {r.outcome for _, _, r in seen} == {FetchOutcome.OK, FetchOutcome.ERROR}
    assert threads == {threading.get_ident()}  # signals delivered on the GUI thread
    assert not controller.running and controller.last_summary is summary
    assert services.reader.tree().total_unread == 9


def test_second_request_is_merged_not_duplicated(qtbot, controller, services, feed_server):
    ids = _subscribe(services, feed_server, 2, delay_s=0.3)
    runs = []
    controller.started.connect(runs.append)
    with qtbot.waitSignal(controller.idle, timeout=30_000):
        assert controller.request() is True
        assert controller.request() is False  # every feed already being refreshed
        assert controller.request([ids[0]]) is False
        assert not controller.queued
    assert runs == [1]
    assert feed_server.hits("/f0.xml") == 1 and feed_server.hits("/f1.xml") == 1

    # A partial run, then a request for more feeds: one follow-up run for the missing one only.
    summaries = []
    controller.finished.connect(summaries.append)
    with qtbot.waitSignal(controller.idle, timeout=30_000):
        controller.request([ids[0]])
        controller.request([ids[0], ids[1]])
        controller.request([ids[1]])
        assert controller.queued
    assert runs == [1, 2, 3]
    assert [s.total for s in summaries] == [1, 1]
    assert feed_server.hits("/f0.xml") == 2 and feed_server.hits("/f1.xml") == 2


def test_cancel_stops_a_running_refresh(qtbot, controller, services, feed_server):
    from cmdesk.net.fetch import FetchLimits

    services.refresh.options = RefreshOptions(parse_workers=0, limits=FetchLimits(max_connections=1))
    controller._get = lambda key, default: 1 if key == "refresh.concurrency" else default
    _subscribe(services, feed_server, 8, delay_s=0.2)
    with qtbot.waitSignal(controller.cancelled, timeout=30_000):
        controller.request()
        qtbot.waitUntil(lambda: controller.done >= 1, timeout=10_000)
        controller.cancel()
    summary = controller.last_summary
    assert summary.total == 8 and len(summary.results) < 8
    assert not controller.running


def test_auto_refresh_timer_follows_settings(qtbot, services):
    from cmdesk.services.settings import SettingsService

    settings = SettingsService(services.db_path)
    settings.set("refresh.interval_minutes", 15)
    c = RefreshController(services, settings=settings)
    try:
        assert c.auto_interval_ms == 15 * 60_000
        settings.set("refresh.auto", False)
        c.apply_settings()
        assert c.auto_interval_ms is None
    finally:
        c.shutdown()


def test_due_refresh_skips_feeds_not_due(qtbot, controller, services, feed_server):
    _subscribe(services, feed_server, 2)
    with qtbot.waitSignal(controller.finished, timeout=30_000):
        controller.request()
    with qtbot.waitSignal(controller.finished, timeout=30_000) as blocker:
        controller.refresh_due()  # just refreshed: nothing is due for an hour
    assert blocker.args[0].total == 0


def test_out_of_process_refresh_reports_like_the_thread_and_cancels(qtbot, services, feed_server):
    """The window's mode: the refresh runs in a spawned process, the worker thread relays."""
    _subscribe(services, feed_server, 3)
    services.mentions.add_term("feed", "item")
    c = RefreshController(services, auto=False, out_of_process=True)
    try:
        seen = []
        c.progress.connect(lambda d, t, r: seen.append((d, t, r.outcome)))
        with qtbot.waitSignal(c.finished, timeout=60_000) as blocker:
            assert c.request() is True
        summary = blocker.args[0]
        assert (summary.total, summary.ok, summary.new_items) == (3, 3, 9)
        assert summary.new_mentions == 9
        assert [d for d, _, _ in seen] == [1, 2, 3]
        assert services.reader.tree().total_unread == 9  # written by the child into the same store

        # Cancel: slow feeds fetched one at a time, cancelled at once: the child stops
        # after the feed in flight instead of fetching them all.
        services.settings.set("refresh.concurrency", 1)
        slow = []
        for i in range(4):
            feed_server.route(f"/slow{i}.xml", rss(f"slow{i}", 2), delay_s=1.0)
            slow.append(services.feeds.subscribe(feed_server.url(f"/slow{i}.xml")).id)
        with qtbot.waitSignal(c.finished, timeout=60_000) as blocker:
            assert c.request(slow) is True
            c.cancel()
        assert blocker.args[0].total == 4 and blocker.args[0].ok < 4
    finally:
        c.shutdown()


def test_out_of_process_refresh_reports_a_broken_profile(qtbot, services, tmp_path):
    services.profile_dir = tmp_path / "not-a-dir-file"
    services.profile_dir.write_text("not a directory")
    c = RefreshController(services, auto=False, out_of_process=True)
    try:
        with qtbot.waitSignal(c.failed, timeout=60_000) as blocker:
            c.request()
        assert blocker.args[0]  # one line saying why, and the controller is usable again
        assert not c.running
    finally:
        c.shutdown()
