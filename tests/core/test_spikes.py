"""Spike detection and daily counts."""

from __future__ import annotations

import dataclasses
import math
import statistics
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from cmdesk.core.spikes import MIN_HISTORY_DAYS, SpikeVerdict, daily_counts, detect_spike

NOISY = [3, 5, 2, 4, 6, 3, 4, 5, 2, 3, 4, 6, 5, 3, 4, 2, 5, 4, 3, 6, 4, 3, 5, 4, 2, 4, 5, 3]  # 28 days


def test_verdict_fields_and_frozen():
    v = detect_spike(30, NOISY)
    assert isinstance(v, SpikeVerdict)
    assert v.count == 30 and v.history_days == 28
    assert v.mean == pytest.approx(statistics.fmean(NOISY))
    assert v.stdev == pytest.approx(statistics.stdev(NOISY))
    assert v.threshold == pytest.approx(v.mean + 3 * max(v.stdev, math.sqrt(v.mean), 1.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.is_spike = False  # type: ignore[misc]


def test_clear_spike_and_ordinary_day():
    assert detect_spike(30, NOISY).is_spike
    assert not detect_spike(6, NOISY).is_spike
    assert not detect_spike(0, NOISY).is_spike


def test_threshold_must_be_exceeded():
    v = detect_spike(0, NOISY)
    just_above = math.floor(v.threshold) + 1
    assert detect_spike(just_above, NOISY).is_spike
    assert not detect_spike(math.ceil(v.threshold) - 1, NOISY).is_spike


def test_k_changes_sensitivity():
    v = detect_spike(10, NOISY, k=1.0)
    assert v.is_spike
    assert not detect_spike(10, NOISY, k=5.0).is_spike
    assert detect_spike(10, NOISY, k=1.0).threshold < detect_spike(10, NOISY, k=5.0).threshold


def test_min_count_gate_for_quiet_terms():
    quiet = [0] * 28
    # sigma floors at 1: threshold 3; 4 mentions beat it but stay under min_count.
    v = detect_spike(4, quiet)
    assert v.threshold == pytest.approx(3.0)
    assert not v.is_spike
    assert detect_spike(5, quiet).is_spike
    assert not detect_spike(5, quiet, min_count=6).is_spike
    assert detect_spike(4, quiet, min_count=0).is_spike


def test_flat_history_is_not_oversensitive():
    flat = [10] * 28  # sigma 0: without a floor, 11 would be a "spike"
    assert detect_spike(11, flat).stdev == 0.0
    assert not detect_spike(11, flat).is_spike
    assert not detect_spike(19, flat).is_spike  # 10 + 3 * sqrt(10) = 19.49
    assert detect_spike(20, flat).is_spike


def test_cold_start_needs_seven_days():
    assert MIN_HISTORY_DAYS == 7
    assert not detect_spike(100, []).is_spike
    assert not detect_spike(100, [0] * 6).is_spike
    assert detect_spike(100, [0] * 7).is_spike
    v = detect_spike(100, [1, 2, 3])
    assert v.history_days == 3 and v.mean == pytest.approx(2.0) and not v.is_spike
    empty = detect_spike(3, [])
    assert empty.mean == 0.0 and empty.stdev == 0.0 and math.isfinite(empty.threshold)


def test_only_the_trailing_window_counts():
    old_burst = [500] * 30 + [2] * 28  # a burst long ago must not mask today's spike
    v = detect_spike(20, old_burst)
    assert v.history_days == 28 and v.mean == pytest.approx(2.0)
    assert v.is_spike
    assert detect_spike(20, old_burst, window=58).mean > 100
    assert not detect_spike(20, old_burst, window=58).is_spike
    assert detect_spike(20, [2] * 10, window=7).history_days == 7


def test_zeros_are_days_not_gaps():
    sparse = [0, 0, 9, 0, 0, 0, 8, 0, 0, 0, 0, 7, 0, 0]
    v = detect_spike(9, sparse)
    assert v.mean == pytest.approx(24 / 14)
    assert not v.is_spike  # this term often has 7-9 on a day


@pytest.mark.parametrize(
    "kwargs",
    [dict(window=0), dict(k=-1.0), dict(min_count=-1), dict(today_count=-1), dict(history=[1, -2, 3] * 3)],
)
def test_invalid_arguments(kwargs):
    args = dict(today_count=1, history=[1] * 10)
    args.update(kwargs)
    with pytest.raises(ValueError):
        detect_spike(**args)


# -- daily_counts -------------------------------------------------------------

def _ts(y, m, d, hh=12, mm=0, tz=timezone.utc) -> int:
    return int(datetime(y, m, d, hh, mm, tzinfo=tz).timestamp())


def test_daily_counts_utc_with_zeros_and_out_of_range():
    stamps = [_ts(2024, 5, 1), _ts(2024, 5, 1, 23, 59), _ts(2024, 5, 3, 0, 0), _ts(2024, 4, 30, 23, 59),
              _ts(2024, 5, 5, 0, 0)]
    assert daily_counts(stamps, date(2024, 5, 1), 4, timezone.utc) == [2, 0, 1, 0]
    assert daily_counts(stamps, date(2024, 5, 1), 4, None) == [2, 0, 1, 0]
    assert daily_counts([], date(2024, 5, 1), 3, None) == [0, 0, 0]
    assert daily_counts(stamps, date(2024, 5, 1), 0, None) == []


def test_daily_counts_uses_the_local_day():
    paris = ZoneInfo("Europe/Paris")
    # 23:30 UTC on May 1 is 01:30 on May 2 in Paris (UTC+2).
    stamp = _ts(2024, 5, 1, 23, 30)
    assert daily_counts([stamp], date(2024, 5, 1), 2, timezone.utc) == [1, 0]
    assert daily_counts([stamp], date(2024, 5, 1), 2, paris) == [0, 1]
    ny = ZoneInfo("America/New_York")
    assert daily_counts([stamp], date(2024, 5, 1), 2, ny) == [1, 0]


def test_daily_counts_across_dst_changes():
    paris = ZoneInfo("Europe/Paris")
    # March 31, 2024 has 23 hours in Paris; October 27, 2024 has 25.
    spring = [_ts(2024, 3, 31, 0, 30, paris), _ts(2024, 3, 31, 23, 59, paris), _ts(2024, 4, 1, 0, 0, paris)]
    assert daily_counts(spring, date(2024, 3, 31), 2, paris) == [2, 1]
    autumn_start = datetime(2024, 10, 27, 0, 0, tzinfo=paris).timestamp()
    hourly = [int(autumn_start) + 3600 * h for h in range(26)]  # 25 hours of Oct 27, then Oct 28 00:00
    assert daily_counts(hourly, date(2024, 10, 27), 2, paris) == [25, 1]


def test_daily_counts_feed_detect_spike():
    tz = ZoneInfo("Europe/Paris")
    today = date(2024, 6, 30)
    start = today - timedelta(days=28)
    stamps = []
    for i in range(28):
        day = start + timedelta(days=i)
        stamps += [_ts(day.year, day.month, day.day, 10, tz=tz)] * (2 + i % 3)
    stamps += [_ts(2024, 6, 30, 9, tz=tz)] * 25
    counts = daily_counts(stamps, start, 29, tz)
    history, today_count = counts[:-1], counts[-1]
    assert len(history) == 28 and today_count == 25
    assert detect_spike(today_count, history).is_spike


def test_daily_counts_rejects_negative_days():
    with pytest.raises(ValueError):
        daily_counts([], date(2024, 1, 1), -1, None)
