"""KPIs of a period, the comparison with the previous period, and ROI.

Pure domain (stdlib only): frozen dataclasses that `StatsService` fills from
SQL aggregates and that the stats tab and the monthly report read.

Definitions (the report's methodology note says the same):

- A mention belongs to a period when its publication time (`published_at`)
  falls in it; days are local days in the time zone given (``tz``).
- Reach is the reach proxy stored on each mention (the source's weight, 1 by
  default).
- Share of voice: mentions (and reach) matched by brand-kind terms against
  those matched by competitor-kind terms; a mention matched by both counts on
  both sides. ``brand_share = brand / (brand + competitor)``.
- Net sentiment = (positive − negative) / total mentions.
- A mention *needs a reply* when it is in state to_reply or replied now, or the
  triage log shows it was moved to to_reply or replied (and not undone).
  Response rate = replied / needing a reply, where replied = has a reply time.
- Response time = replied_at − found_at. Median: middle value (mean of the
  two middle values for an even count). p90: nearest rank, the value at rank
  ceil(0.9 × n) of the sorted times.
- Backlog at period end: mentions found before the end whose state at the end
  (current state, or the state before the first triage change after the end)
  was new or to_reply.
- Spikes: days of the period where a term's count is a spike against its
  28 previous days (`cmdesk.core.spikes.detect_spike`).
- ROI % = (value − cost) / cost × 100, with cost = hourly cost × hours + tool
  costs + other costs and value = replied × value per reply + positive ×
  value per positive + leads × value per lead + reach / 1000 × CPM. A missing
  input leaves its line out and is listed as missing, never counted as 0.
"""

from __future__ import annotations

import calendar
import math
import statistics
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Iterable, Sequence

__all__ = [
    "Period", "TermVolume", "TermSeries", "SentimentSplit", "SentimentDay", "ShareEntry", "ShareOfVoice",
    "RankedCount", "TopMention", "ResponseStats", "SpikeDay", "FeedHealth", "PeriodKpis", "KpiDelta",
    "PeriodComparison", "RoiInputs", "RoiLine", "RoiResult", "MonthlySummary", "MentionExportRow",
    "DayBuckets", "HEADLINE_KPIS", "compute_roi", "compare", "median", "p90", "local_timezone",
    "day_buckets", "ROI_FORMULA", "ROI_COST_FORMULA", "ROI_VALUE_FORMULA",
]


# -- periods and local days ------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Period:
    """Local days from `start` (inclusive) to `end` (exclusive)."""

    start: date
    end: date

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError("a period ends after it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> "Period":
        """The period of equal length just before this one.

        A calendar month's previous period is the previous calendar month
        (so March compares with February, not with the 31 days before it).
        """
        if self.is_month:
            y, m = (self.start.year, self.start.month - 1) if self.start.month > 1 else (self.start.year - 1, 12)
            return Period.month(y, m)
        return Period(self.start - timedelta(days=self.days), self.start)

    @property
    def is_month(self) -> bool:
        if self.start.day != 1:
            return False
        y, m = self.start.year, self.start.month
        nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        return self.end == nxt

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last) + timedelta(days=1))

    @classmethod
    def parse_month(cls, text: str) -> "Period":
        """"2024-03" to that month; ValueError with a clear message otherwise."""
        try:
            y, m = text.strip().split("-")
            return cls.month(int(y), int(m))
        except (ValueError, calendar.IllegalMonthError):
            raise ValueError(f"not a month: {text!r} (expected YYYY-MM)") from None

    def label(self) -> str:
        """"2024-03" for a calendar month, else "2024-03-01 – 2024-03-14" (end inclusive)."""
        if self.is_month:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.isoformat()} – {(self.end - timedelta(days=1)).isoformat()}"


class _LocalTimezone(tzinfo):
    """The system's local zone with its DST rules (datetime.astimezone() gives a fixed offset)."""

    def utcoffset(self, dt):
        return timedelta(seconds=self._local(dt).tm_gmtoff)

    def dst(self, dt):
        return timedelta(hours=1) if self._local(dt).tm_isdst > 0 else timedelta(0)

    def tzname(self, dt):
        return self._local(dt).tm_zone

    def fromutc(self, dt):
        ts = (dt.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds()
        lt = _time.localtime(ts)
        return dt + timedelta(seconds=lt.tm_gmtoff)

    @staticmethod
    def _local(dt):
        stamp = _time.mktime((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1))
        return _time.localtime(stamp)

    def __repr__(self):
        return "local"


def local_timezone() -> tzinfo:
    """The user's local time zone (DST-aware), for day buckets."""
    return _LocalTimezone()


@dataclass(frozen=True, slots=True)
class DayBuckets:
    """How to turn an epoch time into a local day index over a range, in arithmetic.

    Local time = ts + offset, where offset is ``segments[i][1]`` for the first
    segment with ``ts < segments[i][0]`` (None: no upper bound). Day index =
    (local time − ``base_local``) // 86400. This lets the store bucket by local
    day in SQL, DST changes included.
    """

    start_ts: int  # first instant of the first day
    end_ts: int  # first instant after the last day
    base_local: int  # start_ts + its UTC offset
    segments: tuple[tuple[int | None, int], ...]  # (until_ts exclusive or None, offset seconds)
    days: tuple[date, ...]

    def index_of(self, ts: int) -> int | None:
        """The day index of a time (None when outside), as the SQL does it."""
        if not (self.start_ts <= ts < self.end_ts):
            return None
        for until, off in self.segments:
            if until is None or ts < until:
                return (ts + off - self.base_local) // 86400
        raise AssertionError("segments end with an unbounded one")


def _midnight(d: date, tz: tzinfo) -> int:
    return int(datetime.combine(d, time(0), tzinfo=tz).timestamp())


def _offset(ts: int, tz: tzinfo) -> int:
    off = datetime.fromtimestamp(ts, tz).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def day_buckets(start: date, end: date, tz: tzinfo | None) -> DayBuckets:
    """Local-day bucketing for [start, end) in ``tz`` (None: UTC)."""
    tz = tz or timezone.utc
    start_ts, end_ts = _midnight(start, tz), _midnight(end, tz)
    segments: list[tuple[int | None, int]] = []
    off = _offset(start_ts, tz)
    # Offsets change a few times a year: probe every 6 hours, bisect to the second on a change.
    probe = start_ts
    last = end_ts - 1
    while probe < last:
        nxt = min(probe + 6 * 3600, last)
        if _offset(nxt, tz) != off:
            a, b = probe, nxt  # offset(a) == off, offset(b) != off
            while b - a > 1:
                mid = (a + b) // 2
                if _offset(mid, tz) == off:
                    a = mid
                else:
                    b = mid
            segments.append((b, off))
            off = _offset(b, tz)
            probe = b
            continue
        probe = nxt
    segments.append((None, off))
    n = (end - start).days
    return DayBuckets(start_ts, end_ts, start_ts + _offset(start_ts, tz), tuple(segments),
                      tuple(start + timedelta(days=i) for i in range(n)))


# -- KPI pieces ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TermVolume:
    term_id: int
    name: str
    kind: str  # brand, product, competitor, person, topic
    color: str
    mentions: int
    reach: float


@dataclass(frozen=True, slots=True)
class TermSeries:
    """Mentions of one term per local day, aligned with `PeriodKpis.days`."""

    term_id: int
    name: str
    kind: str
    color: str
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SentimentSplit:
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def net(self) -> float | None:
        """(positive − negative) / total, in [-1, 1]; None without mentions."""
        return (self.positive - self.negative) / self.total if self.total else None

    def share(self, label: str) -> float | None:
        return getattr(self, label) / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class SentimentDay:
    day: date
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


@dataclass(frozen=True, slots=True)
class ShareEntry:
    """One brand or competitor term in the share of voice."""

    term_id: int
    name: str
    kind: str  # "brand" or "competitor"
    color: str
    mentions: int
    reach: float
    share_mentions: float | None  # of all brand + competitor term hits
    share_reach: float | None


@dataclass(frozen=True, slots=True)
class ShareOfVoice:
    brand_mentions: int  # distinct mentions matched by at least one brand term
    competitor_mentions: int  # distinct mentions matched by at least one competitor term
    brand_reach: float
    competitor_reach: float
    entries: tuple[ShareEntry, ...] = ()

    @property
    def brand_share(self) -> float | None:
        """brand / (brand + competitor) by mentions; None when both are 0."""
        total = self.brand_mentions + self.competitor_mentions
        return self.brand_mentions / total if total else None

    @property
    def brand_share_reach(self) -> float | None:
        total = self.brand_reach + self.competitor_reach
        return self.brand_reach / total if total else None


@dataclass(frozen=True, slots=True)
class RankedCount:
    """A source or an author with its mentions and reach in the period."""

    name: str
    mentions: int
    reach: float


@dataclass(frozen=True, slots=True)
class TopMention:
    id: int
    published_at: int
    title: str
    url: str | None
    source: str
    author: str
    reach: float
    sentiment: str
    state: str
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResponseStats:
    needing_reply: int = 0
    replied: int = 0
    median_s: float | None = None  # response time, seconds
    p90_s: float | None = None
    backlog: int = 0  # new + to_reply at the period's end

    @property
    def rate(self) -> float | None:
        """replied / needing a reply, None when nothing needed a reply."""
        return self.replied / self.needing_reply if self.needing_reply else None


@dataclass(frozen=True, slots=True)
class SpikeDay:
    term_id: int
    name: str
    day: date
    count: int
    mean: float
    threshold: float


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """Feed state now (not per period), plus fetch errors logged in the period."""

    feeds: int = 0
    in_error: int = 0
    disabled: int = 0
    errors_in_period: int = 0  # from the fetch log (which keeps the last 50 fetches per feed)
    failing: tuple[tuple[int, str, str | None], ...] = ()  # (feed id, title, error code)


@dataclass(frozen=True, slots=True)
class PeriodKpis:
    """Every number of one period."""

    period: Period
    tz_name: str
    days: tuple[date, ...]
    mentions: int = 0
    reach: float = 0.0
    daily_total: tuple[int, ...] = ()
    per_term: tuple[TermVolume, ...] = ()
    daily_per_term: tuple[TermSeries, ...] = ()
    share_of_voice: ShareOfVoice = field(default_factory=lambda: ShareOfVoice(0, 0, 0.0, 0.0))
    sentiment: SentimentSplit = field(default_factory=SentimentSplit)
    sentiment_daily: tuple[SentimentDay, ...] = ()
    unique_sources: int = 0
    unique_authors: int = 0
    top_sources: tuple[RankedCount, ...] = ()
    top_authors: tuple[RankedCount, ...] = ()
    top_mentions: tuple[TopMention, ...] = ()
    responses: ResponseStats = field(default_factory=ResponseStats)
    spikes: tuple[SpikeDay, ...] = ()
    leads: int = 0  # mentions carrying the lead tag
    lead_tag: str | None = None

    @property
    def has_activity(self) -> bool:
        return self.mentions > 0

    def headline(self, key: str) -> float | int | None:
        """The value of one headline KPI by its code (see HEADLINE_KPIS)."""
        return _HEADLINE_GETTERS[key](self)


# Headline KPIs: (code, unit). Units: count, ratio (0..1, deltas in points),
# seconds, reach. The UI and the report translate the codes.
HEADLINE_KPIS: tuple[tuple[str, str], ...] = (
    ("mentions", "count"),
    ("reach", "reach"),
    ("brand_share", "ratio"),
    ("brand_share_reach", "ratio"),
    ("positive", "count"),
    ("neutral", "count"),
    ("negative", "count"),
    ("net_sentiment", "ratio"),
    ("unique_sources", "count"),
    ("unique_authors", "count"),
    ("needing_reply", "count"),
    ("replied", "count"),
    ("response_rate", "ratio"),
    ("median_response_s", "seconds"),
    ("p90_response_s", "seconds"),
    ("backlog", "count"),
    ("spikes", "count"),
    ("leads", "count"),
)

_HEADLINE_GETTERS = {
    "mentions": lambda k: k.mentions,
    "reach": lambda k: k.reach,
    "brand_share": lambda k: k.share_of_voice.brand_share,
    "brand_share_reach": lambda k: k.share_of_voice.brand_share_reach,
    "positive": lambda k: k.sentiment.positive,
    "neutral": lambda k: k.sentiment.neutral,
    "negative": lambda k: k.sentiment.negative,
    "net_sentiment": lambda k: k.sentiment.net,
    "unique_sources": lambda k: k.unique_sources,
    "unique_authors": lambda k: k.unique_authors,
    "needing_reply": lambda k: k.responses.needing_reply,
    "replied": lambda k: k.responses.replied,
    "response_rate": lambda k: k.responses.rate,
    "median_response_s": lambda k: k.responses.median_s,
    "p90_response_s": lambda k: k.responses.p90_s,
    "backlog": lambda k: k.responses.backlog,
    "spikes": lambda k: len(k.spikes),
    "leads": lambda k: k.leads,
}


@dataclass(frozen=True, slots=True)
class KpiDelta:
    """One headline KPI now and in the previous period.

    `change` is current − previous (for ratios: in ratio units, ×100 gives
    points); `change_pct` is the relative change in % (None when the previous
    value is 0 or missing).
    """

    key: str
    unit: str
    current: float | int | None
    previous: float | int | None

    @property
    def change(self) -> float | int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self) -> float | None:
        if self.current is None or self.previous is None or self.previous == 0:
            return None
        return (self.current - self.previous) / abs(self.previous) * 100.0


@dataclass(frozen=True, slots=True)
class PeriodComparison:
    """A period, the previous one of equal length, and the deltas of the headline KPIs."""

    current: PeriodKpis
    previous: PeriodKpis
    deltas: tuple[KpiDelta, ...]
    feed_health: FeedHealth = field(default_factory=FeedHealth)

    def delta(self, key: str) -> KpiDelta:
        for d in self.deltas:
            if d.key == key:
                return d
        raise KeyError(key)


def compare(current: PeriodKpis, previous: PeriodKpis, feed_health: FeedHealth | None = None) -> PeriodComparison:
    deltas = tuple(KpiDelta(key, unit, current.headline(key), previous.headline(key)) for key, unit in HEADLINE_KPIS)
    return PeriodComparison(current, previous, deltas, feed_health or FeedHealth())


# -- percentiles -----------------------------------------------------------------

def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile: the value at rank ceil(0.9 × n) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(0.9 * len(ordered))
    return float(ordered[max(rank, 1) - 1])


# -- ROI --------------------------------------------------------------------------

ROI_FORMULA = "ROI % = (value − cost) / cost × 100"
ROI_COST_FORMULA = "cost = hourly cost × hours + tool costs + other costs"
ROI_VALUE_FORMULA = ("value = replied × value per reply + positive × value per positive"
                     " + leads × value per lead + reach / 1000 × CPM")


@dataclass(frozen=True, slots=True)
class RoiInputs:
    """The user's cost and value settings; None means missing (never 0)."""

    hourly_cost: float | None = None
    hours: float | None = None
    tool_costs: float | None = None
    other_costs: float | None = None
    value_per_reply: float | None = None
    value_per_positive: float | None = None
    value_per_lead: float | None = None
    cpm: float | None = None
    lead_tag: str | None = None
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class RoiLine:
    """One term of the cost or value sum.

    code: labour, tools, other (costs); replies, positives, leads, ad_value
    (values). `amount` is None when an input is missing; `missing` names the
    missing setting fields (RoiInputs attribute names).
    """

    code: str
    quantity: float | None  # hours, mentions, reach; None for flat amounts
    unit_value: float | None  # hourly cost, value per item, CPM
    amount: float | None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoiResult:
    inputs: RoiInputs
    costs: tuple[RoiLine, ...]
    values: tuple[RoiLine, ...]
    total_cost: float | None  # sum of the cost lines that could be computed; None if none could
    total_value: float | None
    roi_pct: float | None  # None when cost or value cannot be computed, or cost is 0

    @property
    def missing_inputs(self) -> tuple[str, ...]:
        seen: list[str] = []
        for line in self.costs + self.values:
            for m in line.missing:
                if m not in seen:
                    seen.append(m)
        return tuple(seen)

    @property
    def complete(self) -> bool:
        """Every input was given (the ROI then covers every line)."""
        return not self.missing_inputs

    @property
    def net(self) -> float | None:
        if self.total_cost is None or self.total_value is None:
            return None
        return self.total_value - self.total_cost


def _line(code: str, quantity, unit_value, unit_name: str | None, divisor: float = 1.0,
          flat_name: str | None = None, flat=None) -> RoiLine:
    if flat_name is not None:
        return RoiLine(code, None, None, None if flat is None else float(flat), () if flat is not None else (flat_name,))
    missing = []
    if unit_value is None:
        missing.append(unit_name)
    if quantity is None:
        missing.append("hours")
    if missing:
        return RoiLine(code, quantity, unit_value, None, tuple(missing))
    return RoiLine(code, quantity, unit_value, quantity * unit_value / divisor)


def compute_roi(inputs: RoiInputs, *, replied: int, positive: int, leads: int | None, reach: float) -> RoiResult:
    """ROI of a period from the user's inputs and the period's counts.

    Lines whose inputs are missing get amount None, are listed as missing and
    are left out of the totals; ROI is None when no cost or no value line
    could be computed, or when the cost is 0.
    """
    costs = (
        _line("labour", inputs.hours, inputs.hourly_cost, "hourly_cost"),
        _line("tools", None, None, None, flat_name="tool_costs", flat=inputs.tool_costs),
        _line("other", None, None, None, flat_name="other_costs", flat=inputs.other_costs),
    )
    lead_line = (_line("leads", leads, inputs.value_per_lead, "value_per_lead") if leads is not None
                 else RoiLine("leads", None, inputs.value_per_lead, None, ("lead_tag",)))
    values = (
        _line("replies", replied, inputs.value_per_reply, "value_per_reply"),
        _line("positives", positive, inputs.value_per_positive, "value_per_positive"),
        lead_line,
        _line("ad_value", reach, inputs.cpm, "cpm", divisor=1000.0),
    )
    known_costs = [c.amount for c in costs if c.amount is not None]
    known_values = [v.amount for v in values if v.amount is not None]
    total_cost = sum(known_costs) if known_costs else None
    total_value = sum(known_values) if known_values else None
    roi = None
    if total_cost is not None and total_value is not None and total_cost > 0:
        roi = (total_value - total_cost) / total_cost * 100.0
    return RoiResult(inputs, costs, values, total_cost, total_value, roi)


# -- the monthly summary ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MentionExportRow:
    """One mention of the period as the CSV export writes it."""

    id: int
    published_at: int
    found_at: int
    terms: tuple[str, ...]
    source: str
    author: str
    title: str
    url: str | None
    sentiment: str
    state: str
    replied_at: int | None
    reach: float
    tags: tuple[str, ...] = ()

    @property
    def response_time_s(self) -> int | None:
        return None if self.replied_at is None else max(0, self.replied_at - self.found_at)


@dataclass(frozen=True, slots=True)
class MonthlySummary:
    """Everything the monthly report prints."""

    brand: str
    comparison: PeriodComparison
    roi: RoiResult
    generated_at: int  # epoch seconds
    tz_name: str

    @property
    def period(self) -> Period:
        return self.comparison.current.period

    @property
    def kpis(self) -> PeriodKpis:
        return self.comparison.current
