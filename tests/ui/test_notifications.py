"""Which refreshes lead to a tray notification, and for which terms."""

from __future__ import annotations

import pytest

from cmdesk.app import open_profile
from cmdesk.core.models import Alert, WatchTerm
from cmdesk.services.refresh import RefreshOptions
from cmdesk.ui.notifications import TrayNotifier, mention_notices, notice_text, spike_notices
from tests.support.feedserver import rss


def term(id_, name, notify=True, active=True):
    return WatchTerm(id_, name, "brand", name.lower(), active=active, notify=notify)


def test_mention_notices_only_for_grown_terms_that_notify():
    before = {1: 5, 2: 3, 3: 0, 4: 2}
    after = [(term(1, "Acme"), 7), (term(2, "Globex", notify=False), 9), (term(3, "Initech"), 0),
             (term(4, "Paused", active=False), 8), (term(5, "Brand new"), 40)]
    found = mention_notices(before, after, enabled=True)
    assert [(n.term_name, n.count) for n in found] == [("Acme", 2)]
    assert mention_notices(before, after, enabled=False) == []


def test_spike_notices_once_per_alert():
    terms = {1: term(1, "Acme", notify=False)}  # spikes do not depend on the per-term choice
    alerts = [Alert(10, 1, "2026-11-20", 30, 4.0, 12.0, 0), Alert(11, 1, "2026-11-19", 20, 4.0, 12.0, 0),
              Alert(12, 9, "2026-11-20", 20, 4.0, 12.0, 0), Alert(13, 1, "2026-11-18", 20, 4.0, 12.0, 0, seen=True)]
    found = spike_notices(alerts, {11}, terms, enabled=True)
    assert [(n.kind, n.term_name, n.count) for n in found] == [("spike", "Acme", 30)]
    assert spike_notices(alerts, set(), terms, enabled=False) == []
    title, message = notice_text(found[0])
    assert "Acme" in title and "30" in message and "4" in message


@pytest.fixture
def services(profile_dir, feed_server):
    s = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))
    feed_server.route("/a.xml", rss("Acme news", 3))
    s.feeds.subscribe(feed_server.url("/a.xml"))
    return s


def test_notifier_after_refreshes(qtbot, services, feed_server):
    acme = services.mentions.add_term("Acme", '"acme news"', notify=True).term
    services.mentions.add_term("News", "news")  # notify off
    notifier = TrayNotifier(services, None)
    got = []
    notifier.notices.connect(got.append)
    services.refresh_feeds()
    notifier.on_refresh_finished(None)
    assert [(n.term_id, n.count) for n in got[-1]] == [(acme.id, 3)]
    # nothing new: nothing said
    services.refresh_feeds()
    notifier.on_refresh_finished(None)
    assert len(got) == 1
    # the user turns mention notifications off
    feed_server.route("/a.xml", rss("Acme news", 5))
    services.settings.set("notify.mentions", False)
    services.refresh_feeds()
    notifier.on_refresh_finished(None)
    assert len(got) == 1
    # ...and on again: only mentions since the last check count
    services.settings.set("notify.mentions", True)
    feed_server.route("/a.xml", rss("Acme news", 6))
    services.refresh_feeds()
    notifier.on_refresh_finished(None)
    assert [(n.term_id, n.count) for n in got[-1]] == [(acme.id, 1)]
