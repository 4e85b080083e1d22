"""The periods the stats area offers, as `Period` objects (pure; tested without widgets).

"This month" is the month *to date*, compared with the same number of days
just before it; a finished calendar month ("last month") compares with the
month before it (see `Period.previous`). Custom ranges include their end day.
"""

from __future__ import annotations

from datetime import date, timedelta

from cmdesk.core.kpis import Period

__all__ = ["PERIOD_KEYS", "period_for"]

PERIOD_KEYS = ("this_month", "last_month", "last_7_days", "last_30_days", "custom")


def period_for(key: str, today: date, custom: tuple[date, date] | None = None) -> Period:
    """The period for a picker choice; `custom` is (first day, last day), both included."""
    tomorrow = today + timedelta(days=1)
    if key == "this_month":
        return Period(today.replace(day=1), tomorrow)
    if key == "last_month":
        first = today.replace(day=1)
        prev_last = first - timedelta(days=1)
        return Period.month(prev_last.year, prev_last.month)
    if key == "last_7_days":
        return Period(tomorrow - timedelta(days=7), tomorrow)
    if key == "last_30_days":
        return Period(tomorrow - timedelta(days=30), tomorrow)
    if key == "custom":
        if custom is None:
            raise ValueError("a custom period needs its first and last days")
        first, last = sorted(custom)
        return Period(first, last + timedelta(days=1))
    raise ValueError(f"unknown period {key!r}")
