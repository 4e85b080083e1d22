"""The demo workspace: installed offline through the real fetch → parse → store → match path."""

from __future__ import annotations

import datetime as dt
import socket
import statistics
import time

import pytest

from cmdesk.app import open_profile
from cmdesk.core.models import FetchOutcome, MentionFilter, MentionState
from cmdesk.parsing.feeds import parse_feed
from cmdesk.services.demo import DemoError, install_demo, load_demo_feeds, render_feed, parse_age


class _NoNetwork:
    """Any attempt to open a network connection fails the test."""

    def __enter__(self):
        self.mp = pytest.MonkeyPatch()

        def refuse(*a, **k):
            raise AssertionError("the demo tried to use the network")

        self.mp.setattr(socket.socket, "connect", refuse)
        self.mp.setattr(socket.socket, "connect_ex", refuse)
        self.mp.setattr(socket, "create_connection", refuse)
        self.mp.setattr(socket, "getaddrinfo", refuse)
        return self

    def __exit__(self, *exc):
        self.mp.undo()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    profile = tmp_path_factory.mktemp("demo") / "profile"
    services = open_profile(profile)
    now = time.time()
    with _NoNetwork():
        summary = install_demo(services, now=now)
    return services, summary, now


def _all_mentions(services):
    return list(services.mentions.list_mentions(MentionFilter(), limit=100_000).mentions)


def test_feeds_are_file_urls_in_folders_read_by_the_refresh(demo):
    services, summary, _now = demo
    specs = load_demo_feeds()
    listings = services.feeds.list_feeds()
    assert len(listings) == len(specs) == summary.feeds >= 10
    formats = {s.format for s in specs}
    assert formats == {"rss", "atom", "rdf", "json"}
    for f in listings:
        feed = getattr(f, "feed", f)
        assert feed.url.startswith("file://")
        assert feed.folder_id is not None
        log = services.feeds.fetch_log(feed.id)
        assert log and all(e.outcome in (FetchOutcome.OK.value, FetchOutcome.NOT_MODIFIED.value) for e in log)
    assert summary.items == sum(len(s.items) for s in specs) >= 180
    assert summary.mentions == services.mentions.count_mentions() >= 120


def test_every_format_renders_to_a_feed_the_parser_reads(demo):
    for spec in load_demo_feeds():
        items = [(it, 1_700_000_000 - it.age_s) for it in spec.items]
        parsed = parse_feed(render_feed(spec, items, "file:///x"), "file:///x")
        assert len(parsed.items) == len(spec.items), spec.stem


def test_terms_templates_and_languages(demo):
    services, summary, _now = demo
    terms = {t.name: (t, n) for t, n in services.mentions.list_terms()}
    kinds = {t.kind for t, _n in terms.values()}
    assert {"brand", "product", "competitor", "person"} <= kinds
    assert sum(1 for t, _ in terms.values() if t.kind == "competitor") == 2
    assert all(n > 0 for _t, n in terms.values()), "every watch term has mentions"
    langs = {t.lang for t in services.mentions.list_templates()}
    assert {"fr", "en"} <= langs
    mention_langs = {m.lang for m in _all_mentions(services)}
    assert {"fr", "en"} <= mention_langs


def test_past_triage_is_honest(demo):
    services, summary, now = demo
    mentions = _all_mentions(services)
    states = {m.state for m in mentions}
    assert {MentionState.NEW, MentionState.TO_REPLY, MentionState.REPLIED, MentionState.DONE,
            MentionState.IGNORED, MentionState.SPAM} <= states
    replied = [m for m in mentions if m.state is MentionState.REPLIED]
    assert len(replied) == summary.replied >= 20
    times = [m.response_time_s for m in replied]
    assert all(m.found_at <= m.replied_at <= now for m in replied)
    assert all(m.published_at <= m.found_at for m in mentions)
    # response times of hours, not zero and not days
    assert 1800 <= statistics.median(times) <= 12 * 3600
    assert max(times) < 24 * 3600
    assert any(m.starred for m in mentions)
    assert services.mentions.count_mentions(MentionFilter(tag="lead")) >= 3
    waiting = [m for m in mentions if m.state is MentionState.TO_REPLY]
    assert any(services.mentions.get_draft(m.id) is not None for m in waiting), "some drafts wait to be sent"
    # the newest mentions are still waiting in the inbox
    newest = sorted(mentions, key=lambda m: -m.found_at)[:5]
    assert all(m.state in (MentionState.NEW, MentionState.TO_REPLY, MentionState.SPAM) for m in newest)


def test_history_spans_this_month_and_the_previous_one(demo):
    services, _summary, now = demo
    mentions = _all_mentions(services)
    oldest = min(m.published_at for m in mentions)
    assert now - oldest >= 40 * 86400
    today = dt.date.fromtimestamp(now)
    first_of_month = dt.datetime.combine(today.replace(day=1), dt.time()).timestamp()
    before = [m for m in mentions if m.published_at < first_of_month]
    assert len(before) >= 15  # the previous month always has content
    assert services.mentions.list_alerts(), "the sync-bug spike was detected during the replay"


def test_second_refresh_works_offline_and_finds_nothing_new(demo):
    services, _summary, _now = demo
    before = services.mentions.count_mentions()
    with _NoNetwork():
        summary = services.refresh_feeds()
    assert summary.errors == 0 and summary.total == len(load_demo_feeds())
    assert summary.new_items == 0 and summary.not_modified == summary.total
    assert services.mentions.count_mentions() == before


def test_a_profile_with_data_is_refused(demo):
    services, _summary, _now = demo
    with pytest.raises(DemoError, match="empty profile"):
        install_demo(services)


def test_ages():
    assert parse_age("2d3h") == 2 * 86400 + 3 * 3600
    assert parse_age("40m") == 2400
    with pytest.raises(ValueError):
        parse_age("soon")
