"""Spikes: a day with far more mentions of a term than usual.

Rule: today is a spike when ``count >= min_count`` and
``count > mean + k * sigma`` over the trailing window of daily counts.

Decisions:

- ``history`` is the last ``window`` days before today, oldest first, with a 0
  for every day without mentions (``daily_counts`` builds it that way). Only
  the last ``window`` values are used. A shorter history means the term is
  younger than the window, not that days are missing.
- Cold start: with fewer than ``MIN_HISTORY_DAYS`` (7) days of history there is
  no spike, whatever the count; mean, sigma and threshold are still reported.
- sigma is the sample standard deviation (n - 1) of the history, floored at
  ``sqrt(mean)`` and at 1: mention counts are roughly Poisson, and a perfectly
  flat history (sigma 0) must not turn one extra mention into a spike.
  ``SpikeVerdict.stdev`` is the raw sample value; ``threshold`` uses the floor.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone, tzinfo

__all__ = ["MIN_HISTORY_DAYS", "SpikeVerdict", "daily_counts", "detect_spike"]

MIN_HISTORY_DAYS = 7


@dataclass(frozen=True, slots=True)
class SpikeVerdict:
    """Today's count against the trailing window; ``threshold`` must be exceeded."""

    is_spike: bool
    mean: float
    stdev: float
    threshold: float
    count: int
    history_days: int = 0  # days of history used (at most the window)


def detect_spike(
    today_count: int,
    history: Sequence[int],
    k: float = 3.0,
    min_count: int = 5,
    window: int = 28,
) -> SpikeVerdict:
    """Whether today's count is a spike against the trailing window of daily counts."""
    if window < 1:
        raise ValueError("window must be at least 1 day")
    if k < 0 or min_count < 0 or today_count < 0:
        raise ValueError("k, min_count and today_count must not be negative")
    days = list(history[-window:]) if len(history) > window else list(history)
    if any(c < 0 for c in days):
        raise ValueError("daily counts must not be negative")
    n = len(days)
    mean = sum(days) / n if n else 0.0
    stdev = statistics.stdev(days) if n >= 2 else 0.0
    sigma = max(stdev, math.sqrt(mean), 1.0)
    threshold = mean + k * sigma
    is_spike = n >= MIN_HISTORY_DAYS and today_count >= min_count and today_count > threshold
    return SpikeVerdict(is_spike, mean, stdev, threshold, today_count, n)


def daily_counts(timestamps: Iterable[int], start_day: date, days: int, tz: tzinfo | None) -> list[int]:
    """Counts per local day for ``days`` days from ``start_day``, zeros included.

    ``timestamps`` are Unix epoch seconds; each falls on the day it has in
    ``tz`` (``None`` means UTC). Timestamps outside the range are ignored.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    zone = tz or timezone.utc
    # Local midnights as instants: the day of a timestamp is a bisection, and a
    # 23- or 25-hour day (DST change) is counted as the day it is.
    bounds = [
        datetime.combine(date.fromordinal(start_day.toordinal() + i), time(0), tzinfo=zone).timestamp()
        for i in range(days + 1)
    ]
    counts = [0] * days
    for ts in timestamps:
        index = bisect_right(bounds, ts) - 1
        if 0 <= index < days:
            counts[index] += 1
    return counts
