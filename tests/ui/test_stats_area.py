"""The Stats area on a store of known mentions: KPI cards, deltas, periods, charts."""

from __future__ import annotations

import time
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QSettings

from cmdesk.app import open_profile
from cmdesk.core.models import MentionFilter
from cmdesk.services.refresh import RefreshOptions
from cmdesk.ui.stats.area import StatsArea

NOW = time.mktime((2026, 11, 20, 12, 0, 0, 0, 0, -1))  # local time
FOUND = NOW - 10 * 3600


def _item(guid, title, day, month):
    return (f"<item><title>{title}</title><link>https://{guid.split('-')[0]}.example/{guid}</link><guid>{guid}</guid>"
            f"<description>{title}</description><pubDate>{day:02d} {month} 2026 12:00:00 +0000</pubDate></item>")


ITEMS = [
    # this month (1-20 November): Acme x4, Globex x2
    ("forum-1", "Acme launches a new app", 2, "Nov"),
    ("forum-2", "Acme app review", 2, "Nov"),
    ("news-3", "Acme support answers", 3, "Nov"),
    ("news-4", "Acme opens in Lyon", 10, "Nov"),
    ("news-5", "Globex raises prices", 4, "Nov"),
    ("blog-6", "Globex outage", 5, "Nov"),
    # the 20 days before (12-31 October): Acme x2
    ("forum-7", "Acme in the press", 20, "Oct"),
    ("blog-8", "Acme newsletter", 25, "Oct"),
    # early October (in "last month" only)
    ("forum-9", "Acme autumn sale", 3, "Oct"),
]

SENTIMENT = {"forum-1": "positive", "forum-2": "positive", "news-3": "positive", "news-4": "negative",
             "news-5": "neutral", "blog-6": "neutral", "forum-7": "negative", "blog-8": "positive",
             "forum-9": "neutral"}


@pytest.fixture
def services(profile_dir, feed_server):
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Press</title>'
            "<link>https://press.example/</link>" + "".join(_item(*i) for i in ITEMS) + "</channel></rss>")
    feed_server.route("/press.xml", body)
    s = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))
    s.refresh.clock = lambda: FOUND
    s.mentions.clock = lambda: FOUND
    s.stats.clock = lambda: NOW
    s.feeds.subscribe(feed_server.url("/press.xml"))
    s.mentions.add_term("Acme", "acme", kind="brand")
    s.mentions.add_term("Globex", "globex", kind="competitor")
    s.refresh_feeds()
    by_guid = {}
    for m in s.mentions.list_mentions(MentionFilter(), limit=100).mentions:
        by_guid[m.url.rsplit("/", 1)[1]] = m.id
    assert len(by_guid) == 9
    for guid, label in SENTIMENT.items():
        s.mentions.set_sentiment(by_guid[guid], label)
    s.mentions.set_state([by_guid["forum-1"], by_guid["forum-2"]], "to_reply")
    s.mentions.clock = lambda: FOUND + 2 * 3600  # replied two hours after it was found
    s.mentions.mark_replied([by_guid["forum-1"]])
    s.mentions.set_state([by_guid["news-5"], by_guid["blog-6"], by_guid["forum-9"]], "done")
    return s


def open_area(qtbot, services, key="this_month"):
    area = StatsArea(services)
    qtbot.addWidget(area)
    area.resize(1280, 900)
    with qtbot.waitSignal(area.loaded, timeout=10_000):
        area.show()
    if key != "this_month":
        with qtbot.waitSignal(area.loaded, timeout=10_000):
            area.set_period_key(key)
    return area


def card(area, key):
    c = area.cards[key]
    return c.value.text(), c.delta.text(), c.view.good


def test_this_month_cards_show_the_known_kpis_and_deltas(qtbot, services):
    area = open_area(qtbot, services)
    assert area.period.start == date(2026, 11, 1) and area.period.end == date(2026, 11, 21)
    assert card(area, "mentions") == ("6", "▲ +200%", True)  # 6 against 2 in 12-31 October
    assert card(area, "brand_share") == ("67%", "▼ −33.3 pts", False)  # 4/6 against 2/2
    # net sentiment (3 pos - 1 neg) / 6 = +33 %, before (1 - 1) / 2 = 0
    assert card(area, "net_sentiment") == ("+33%", "▲ +33.3 pts", True)
    assert card(area, "response_rate")[0] == "50%"  # forum-1 replied, forum-2 waits
    assert card(area, "median_response_s")[0] == "2 h"
    assert card(area, "response_rate")[1] == "n/a"  # nothing needed a reply before
    # backlog now: Acme news-3, news-4, blog-8, forum-7 (new) + forum-2 (to reply)
    assert card(area, "backlog")[0] == "5"
    assert "12 Oct 2026" in area.compare_label.text() and "31 Oct 2026" in area.compare_label.text()
    assert area.volume.kpis.mentions == 6
    assert {s.name: s.mentions for s in area.sources.kpis.top_sources} == {"forum.example": 2, "news.example": 3,
                                                                           "blog.example": 1}


def test_switching_periods_recomputes(qtbot, services):
    area = open_area(qtbot, services)
    with qtbot.waitSignal(area.loaded, timeout=10_000):
        area.set_period_key("last_month")
    assert area.period.start == date(2026, 10, 1) and area.period.end == date(2026, 11, 1)
    assert card(area, "mentions") == ("3", "n/a", None)  # September is empty: no delta
    assert area.from_edit.isHidden()
    with qtbot.waitSignal(area.loaded, timeout=10_000):
        area.set_custom_range(date(2026, 11, 2), date(2026, 11, 3))
    assert not area.from_edit.isHidden()
    assert area.period.start == date(2026, 11, 2) and area.period.end == date(2026, 11, 4)
    assert area.cards["mentions"].value.text() == "3"
    with qtbot.waitSignal(area.loaded, timeout=10_000):
        area.set_period_key("last_7_days")
    assert area.cards["mentions"].value.text() == "0"
    assert area.cards["mentions"].delta.text() == "▼ −100%"  # 1 on 10 Nov, the week before


def test_refresh_finished_reloads_and_state_round_trips(qtbot, services, tmp_path):
    area = open_area(qtbot, services)
    with qtbot.waitSignal(area.loaded, timeout=10_000):
        area.on_refresh_finished(None)
    with qtbot.waitSignal(area.loaded, timeout=10_000):
        area.set_custom_range(date(2026, 10, 1), date(2026, 10, 31))
    assert area.cards["mentions"].value.text() == "3"
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    area.save_state(settings)
    other = StatsArea(services)
    qtbot.addWidget(other)
    other.restore_state(settings)
    assert other.period_key() == "custom"
    assert other.current_period().start == date(2026, 10, 1)
    assert other.comparison is None  # nothing computed while hidden...
    other.resize(1000, 800)
    with qtbot.waitSignal(other.loaded, timeout=10_000):
        other.show()  # ...until shown
    assert other.cards["mentions"].value.text() == "3"


def test_charts_paint_and_explain_on_hover(qtbot, services):
    area = open_area(qtbot, services)
    image = area.grab()
    assert not image.isNull()
    chart = area.volume
    # the tooltip of the day under the mouse lists the terms' counts
    texts = [chart.tooltip_at(QPoint(x, chart.height() // 2).toPointF()) for x in range(0, chart.width(), 4)]
    texts = [t for t in texts if t]
    assert any("Acme: 2" in t for t in texts)  # 2 November
    assert any("Globex: 1" in t for t in texts)
    bars = [area.sources.tooltip_at(QPoint(area.sources.width() // 2, y).toPointF())
            for y in range(0, area.sources.height(), 3)]
    assert any(t and "forum.example" in t for t in bars)


def test_hovering_a_chart_shows_a_tooltip(qtbot, services):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    area = open_area(qtbot, services)
    chart = area.sources
    pos = QPoint(chart.width() // 2, 8)  # the first bar: the busiest source
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    assert "news.example" in QToolTip.text() and "3" in QToolTip.text()
    QToolTip.hideText()


def test_charts_follow_the_dark_theme(qtbot, services):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from cmdesk.ui.theme import apply_theme

    area = open_area(qtbot, services)
    assert QColor(area.volume.theme().background).lightness() > 128
    try:
        apply_theme(QApplication.instance(), "dark")
        assert QColor(area.volume.theme().background).lightness() < 100
        assert QColor(area.volume.theme().text).lightness() > 150
        assert not area.grab().isNull()
    finally:
        apply_theme(QApplication.instance(), "system")
