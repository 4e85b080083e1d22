"""KPI building blocks: periods, local-day buckets, percentiles, deltas, ROI."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from cmdesk.core.kpis import KpiDelta, Period, RoiInputs, compute_roi, day_buckets, median, p90


def test_month_and_previous_month():
    march = Period.month(2024, 3)
    assert (march.start, march.end, march.days) == (date(2024, 3, 1), date(2024, 4, 1), 31)
    assert march.previous() == Period.month(2024, 2)
    assert Period.month(2024, 1).previous() == Period.month(2023, 12)
    assert Period.parse_month("2024-03") == march
    assert march.label() == "2024-03"
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.parse_month("2024-13")


def test_previous_period_of_any_length_is_just_before():
    p = Period(date(2024, 3, 10), date(2024, 3, 17))
    assert p.previous() == Period(date(2024, 3, 3), date(2024, 3, 10))


@pytest.mark.parametrize("month", [3, 10])
def test_local_day_buckets_follow_dst(month):
    tz = ZoneInfo("Europe/Paris")
    b = day_buckets(date(2024, month, 1), date(2024, month + 1, 1), tz)
    assert len(b.segments) == 2  # one DST change in March and in October
    for ts in range(b.start_ts, b.end_ts, 1800):
        assert b.days[b.index_of(ts)] == datetime.fromtimestamp(ts, tz).date()
    assert b.index_of(b.start_ts - 1) is None and b.index_of(b.end_ts) is None


def test_utc_buckets_are_one_segment():
    b = day_buckets(date(2024, 3, 1), date(2024, 3, 2), timezone.utc)
    assert b.segments == ((None, 0),)
    assert b.start_ts == int(datetime(2024, 3, 1, tzinfo=timezone.utc).timestamp())


def test_median_and_nearest_rank_p90():
    assert median([600, 1800, 3600, 7200, 86400]) == 3600
    assert p90([600, 1800, 3600, 7200, 86400]) == 86400  # rank ceil(4.5) = 5
    assert median([1, 2, 3, 4]) == 2.5
    assert p90(list(range(1, 11))) == 9  # rank 9 of 10
    assert median([]) is None and p90([]) is None


def test_delta_change_and_percent():
    d = KpiDelta("mentions", "count", 9, 3)
    assert d.change == 6 and d.change_pct == 200.0
    assert KpiDelta("leads", "count", 2, 0).change_pct is None
    assert KpiDelta("response_rate", "ratio", 0.5, None).change is None


def test_roi_with_every_input():
    inputs = RoiInputs(hourly_cost=40, hours=20, tool_costs=100, other_costs=50, value_per_reply=50,
                       value_per_positive=20, value_per_lead=300, cpm=10, lead_tag="lead")
    r = compute_roi(inputs, replied=5, positive=4, leads=2, reach=23000)
    assert r.total_cost == 40 * 20 + 100 + 50 == 950
    assert r.total_value == 5 * 50 + 4 * 20 + 2 * 300 + 23 * 10 == 1160
    assert r.roi_pct == pytest.approx((1160 - 950) / 950 * 100)
    assert r.complete and r.missing_inputs == ()


def test_missing_inputs_are_missing_not_zero():
    inputs = RoiInputs(hourly_cost=40, hours=None, tool_costs=100, value_per_reply=50, lead_tag="lead")
    r = compute_roi(inputs, replied=5, positive=4, leads=2, reach=23)
    labour = r.costs[0]
    assert labour.code == "labour" and labour.amount is None and labour.missing == ("hours",)
    assert r.total_cost == 100 and r.total_value == 250
    assert r.roi_pct == pytest.approx(150.0)
    assert not r.complete
    assert set(r.missing_inputs) == {"hours", "other_costs", "value_per_positive", "value_per_lead", "cpm"}


def test_roi_not_computable_without_cost_or_value():
    assert compute_roi(RoiInputs(), replied=5, positive=4, leads=0, reach=1).roi_pct is None
    no_value = compute_roi(RoiInputs(tool_costs=10), replied=5, positive=4, leads=0, reach=1)
    assert no_value.total_cost == 10 and no_value.total_value is None and no_value.roi_pct is None
    zero_cost = compute_roi(RoiInputs(tool_costs=0, value_per_reply=5), replied=1, positive=0, leads=0, reach=1)
    assert zero_cost.roi_pct is None


def test_roi_without_lead_tag_lists_it_missing():
    r = compute_roi(RoiInputs(value_per_lead=300), replied=0, positive=0, leads=None, reach=0)
    assert r.values[2].code == "leads" and r.values[2].amount is None and "lead_tag" in r.missing_inputs
