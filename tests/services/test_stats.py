"""StatsService on a fixture store with known mentions: every KPI asserted."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from cmdesk.core.kpis import Period
from cmdesk.services.stats import StatsService
from tests.report.fixture_store import FEBRUARY, MARCH, NOW, UTC, Spec, build_fixture_store, ts

ROI_SETTINGS = {"roi.hourly_cost": 40, "roi.hours_per_month": 20, "roi.tool_costs": 100, "roi.value_per_reply": 50,
                "roi.value_per_positive": 20, "roi.value_per_lead": 300}


@pytest.fixture
def fixture(tmp_path):
    return build_fixture_store(tmp_path / "cmdesk.sqlite3")


@pytest.fixture
def stats(fixture):
    return StatsService(fixture.db_path, clock=lambda: NOW)


def test_march_kpis_value_by_value(stats, fixture):
    r = stats.month_report(2024, 3, tz=UTC)
    k = r.current
    assert k.period == Period.month(2024, 3) and len(k.days) == 31
    assert k.mentions == MARCH["mentions"] == 9
    assert k.reach == MARCH["reach"]
    assert k.unique_sources == 4 and k.unique_authors == 5
    assert (k.sentiment.positive, k.sentiment.neutral, k.sentiment.negative) == (4, 3, 2)
    assert k.sentiment.net == pytest.approx(2 / 9)
    sov = k.share_of_voice
    assert (sov.brand_mentions, sov.competitor_mentions) == (6, 3)
    assert (sov.brand_reach, sov.competitor_reach) == (20.0, 4.0)
    assert sov.brand_share == pytest.approx(6 / 9) and sov.brand_share_reach == pytest.approx(20 / 24)
    assert [(e.name, e.mentions) for e in sov.entries] == [("Acme", 6), ("Globex", 2), ("Initech", 1)]
    assert {t.name: (t.mentions, t.reach) for t in k.per_term} == MARCH["per_term"]
    assert [(s.name, s.mentions, s.reach) for s in k.top_sources] == MARCH["top_sources"]
    assert [(a.name, a.mentions, a.reach) for a in k.top_authors] == MARCH["top_authors"]
    ids = {v: kk for kk, v in fixture.mention_ids.items()}
    assert [ids[m.id] for m in k.top_mentions[:3]] == MARCH["top_mention_keys"]
    assert k.top_mentions[0].url == "https://c.com/post/M5" and k.top_mentions[0].terms == ("Acme",)
    resp = k.responses
    assert (resp.needing_reply, resp.replied) == (7, 5)
    assert resp.rate == pytest.approx(5 / 7)
    assert resp.median_s == 3600 and resp.p90_s == 86400
    assert resp.backlog == 5
    assert k.leads == 2 and k.spikes == ()
    # per day: the 1st has M1, the 31st has M9 (23:30 UTC), the 4th nothing
    assert k.daily_total[0] == 1 and k.daily_total[30] == 1 and k.daily_total[3] == 0
    assert sum(k.daily_total) == 9
    acme = next(s for s in k.daily_per_term if s.name == "Acme")
    assert sum(acme.counts) == 6 and acme.counts[2] == 1
    assert sum(d.total for d in k.sentiment_daily) == 9
    assert k.sentiment_daily[4].negative == 1  # M4 on the 5th


def test_previous_month_and_deltas(stats):
    r = stats.month_report(2024, 3, tz=UTC)
    p = r.previous
    assert p.period == Period.month(2024, 2)
    assert p.mentions == FEBRUARY["mentions"] and p.reach == FEBRUARY["reach"]
    assert p.responses.needing_reply == 2 and p.responses.replied == 1
    assert p.responses.median_s == 7200 and p.responses.p90_s == 7200
    assert p.responses.backlog == 2  # P2 and P3 (triaged only on March 1st)
    d = r.delta("mentions")
    assert (d.current, d.previous, d.change, d.change_pct) == (9, 3, 6, 200.0)
    d = r.delta("response_rate")
    assert d.change == pytest.approx(5 / 7 - 0.5)
    d = r.delta("median_response_s")
    assert (d.change, d.change_pct) == (-3600, -50.0)
    d = r.delta("net_sentiment")
    assert d.previous == 0.0 and d.change_pct is None
    assert r.delta("backlog").change == 3
    assert r.delta("leads").change_pct is None  # from 0


def test_roi_from_settings(stats):
    for k, v in ROI_SETTINGS.items():
        stats.settings.set(k, v)
    s = stats.monthly_summary(2024, 3, tz=UTC)
    roi = s.roi
    assert roi.total_cost == 40 * 20 + 100 == 900
    assert roi.total_value == 5 * 50 + 4 * 20 + 2 * 300 == 930
    assert roi.roi_pct == pytest.approx(30 / 900 * 100)
    assert set(roi.missing_inputs) == {"other_costs", "cpm"}
    assert s.brand == "Acme"  # first brand term when brand.name is not set
    stats.settings.set("brand.name", "Acme Corp")
    assert stats.brand_name() == "Acme Corp"


def test_empty_month(stats):
    r = stats.month_report(2023, 6, tz=UTC)
    k = r.current
    assert not k.has_activity and k.mentions == 0 and k.reach == 0
    assert k.responses.rate is None and k.responses.median_s is None and k.sentiment.net is None
    assert k.share_of_voice.brand_share is None
    assert k.daily_total == (0,) * 30 and k.top_mentions == ()
    assert r.delta("mentions").change == 0


def test_days_are_local_days(stats, fixture):
    # In Paris, M9 (23:30 UTC on March 31st) and N1 fall on April 1st, and P3
    # (23:30 UTC on February 29th) on March 1st: March has M1-M8 and P3.
    paris = ZoneInfo("Europe/Paris")
    k = stats.period_kpis(date(2024, 3, 1), date(2024, 4, 1), tz=paris)
    assert k.mentions == 9 and k.daily_total[0] == 2 and k.daily_total[30] == 0
    k = stats.period_kpis(date(2024, 4, 1), date(2024, 4, 2), tz=paris)
    assert k.mentions == 2


def test_export_rows(stats, fixture):
    rows = list(stats.export_rows(date(2024, 3, 1), date(2024, 4, 1), tz=UTC))
    assert len(rows) == 9
    m3 = next(r for r in rows if r.id == fixture.mention_ids["M3"])
    assert m3.terms == ("Acme", "Globex") and m3.response_time_s == 3600 and m3.state == "replied"
    m1 = next(r for r in rows if r.id == fixture.mention_ids["M1"])
    assert m1.tags == ("lead",)


def test_spikes_are_found_in_the_period(tmp_path):
    specs = [Spec(f"S{d}", ts(2024, 3, d, 10), ("Acme",), "a.com", "x", 1, "neutral") for d in range(1, 20)]
    specs += [Spec(f"B{i}", ts(2024, 3, 20, 8 + i), ("Acme",), "a.com", "x", 1, "neutral") for i in range(9)]
    fx = build_fixture_store(tmp_path / "s.sqlite3", specs)
    k = StatsService(fx.db_path, clock=lambda: NOW).period_kpis(date(2024, 3, 1), date(2024, 4, 1), tz=UTC)
    assert [(s.name, s.day, s.count) for s in k.spikes] == [("Acme", date(2024, 3, 20), 9)]


def test_feed_health(stats, fixture):
    from cmdesk.store.database import connect, write_transaction
    from cmdesk.store.feeds import FeedRepository
    conn = connect(fixture.db_path)
    with write_transaction(conn):
        FeedRepository(conn).record_error(1, now=ts(2024, 3, 5), next_due_at=ts(2024, 3, 6), code="http",
                                          message="HTTP 500")
    conn.close()
    h = stats.month_report(2024, 3, tz=UTC).feed_health
    assert h.feeds == 5 and h.in_error == 1 and h.failing[0][0] == 1
