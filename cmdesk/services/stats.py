"""The numbers: KPIs of any period against the previous one, and ROI.

No Qt here: the stats tab, the monthly report and the CLI all call this.
Definitions are in `cmdesk.core.kpis` (and printed in the report's
methodology note).
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Callable, Iterator

from cmdesk.core.kpis import (
    DayBuckets, FeedHealth, MentionExportRow, MonthlySummary, Period, PeriodComparison, PeriodKpis, RoiInputs,
    RoiResult, SentimentDay, SentimentSplit, ShareEntry, ShareOfVoice, SpikeDay, TermSeries, TermVolume,
    ResponseStats, compare, compute_roi, day_buckets, local_timezone, median, p90,
)
from cmdesk.core.spikes import detect_spike
from cmdesk.services.settings import SettingsService
from cmdesk.store.database import connect
from cmdesk.store.stats import StatsRepository

__all__ = ["StatsService", "StatsError", "MonthExport", "SPIKE_WINDOW_DAYS"]

SPIKE_WINDOW_DAYS = 28
SPIKE_K = 3.0  # detect_spike's defaults
SPIKE_MIN_COUNT = 5
DEFAULT_TOP_N = 10


class StatsError(Exception):
    """A user-facing failure; the message is one clear line."""


def _tz_name(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)  # zoneinfo
    if key:
        return key
    from datetime import datetime
    name = datetime.now(tz).tzname()
    return name or str(tz)


class MonthExport:
    """A month's `summary`, and its mentions while `StatsService.month_export`'s block runs."""

    def __init__(self, summary: MonthlySummary, repo: StatsRepository, tz: tzinfo):
        self.summary = summary
        self._repo = repo
        self._tz = tz

    def rows(self, *, time_format: str = "%Y-%m-%d %H:%M", list_sep: str = "; ",
             reach_text: Callable[[float], str] = str, csv_delimiter: str | None = None) -> Iterator[tuple]:
        """Every mention of the month, oldest first, ready for a CSV file.

        Columns: published, terms, source, author, title, URL, sentiment,
        state, replied, response time (s), reach, tags, found, id; times are
        local (the summary's time zone) formatted with `time_format`
        (strftime codes). Plain tuples (missing values None), or with
        `csv_delimiter` 1-tuples of whole CSV lines (see
        `StatsRepository.export_table`).
        """
        span = self._repo.time_range()
        if span is None:
            return iter(())
        lo, hi = span
        first = datetime.fromtimestamp(lo, timezone.utc).date() - timedelta(days=1)
        # Offsets are looked up to three years after the first time; later replies use the last offset.
        last = min(datetime.fromtimestamp(hi, timezone.utc).date(), first + timedelta(days=3 * 366)) \
            + timedelta(days=2)
        offsets = day_buckets(first, last, self._tz).segments
        return self._repo.export_table(time_format=time_format, offsets=offsets, list_sep=list_sep,
                                       reach_text=reach_text, csv_delimiter=csv_delimiter)


class StatsService:
    """Period KPIs, comparisons and ROI. Opens a short-lived connection per call.

    Days are local days in ``tz`` (default: the user's local time zone);
    periods are ``[start, end)`` in local dates.
    """

    def __init__(self, db_path: Path, *, clock: Callable[[], float] = time.time,
                 settings: SettingsService | None = None):
        self.db_path = Path(db_path)
        self.clock = clock
        self.settings = settings or SettingsService(self.db_path)

    # -- public API ------------------------------------------------------
    def period_kpis(self, start: date, end: date, *, tz: tzinfo | None = None,
                    top_n: int = DEFAULT_TOP_N, lead_tag: str | None = None) -> PeriodKpis:
        """Every KPI of the local days [start, end).

        `lead_tag` (default: the `roi.lead_tag` setting) is the tag counted as
        leads.
        """
        tz = tz or local_timezone()
        if lead_tag is None:
            lead_tag = self.settings.get("roi.lead_tag")
        conn = connect(self.db_path)
        try:
            return self._kpis(StatsRepository(conn), Period(start, end), tz, top_n, lead_tag)
        finally:
            conn.close()

    def period_report(self, start: date, end: date, *, tz: tzinfo | None = None,
                      top_n: int = DEFAULT_TOP_N) -> PeriodComparison:
        """KPIs of [start, end), of the previous period of equal length (the
        previous calendar month for a month), the deltas of the headline KPIs
        and the feed health."""
        tz = tz or local_timezone()
        period = Period(start, end)
        lead_tag = self.settings.get("roi.lead_tag")
        conn = connect(self.db_path)
        try:
            return self._comparison(StatsRepository(conn), period, tz, top_n, lead_tag)
        finally:
            conn.close()

    def _comparison(self, repo: StatsRepository, period: Period, tz: tzinfo, top_n: int,
                    lead_tag: str | None) -> PeriodComparison:
        # The previous period first, so `period` is the one left loaded (see month_export).
        previous = self._kpis(repo, period.previous(), tz, top_n, lead_tag)
        current = self._kpis(repo, period, tz, top_n, lead_tag)
        health = self._health(repo, day_buckets(period.start, period.end, tz))
        return compare(current, previous, health)

    def month_report(self, year: int, month: int, *, tz: tzinfo | None = None,
                     top_n: int = DEFAULT_TOP_N) -> PeriodComparison:
        p = Period.month(year, month)
        return self.period_report(p.start, p.end, tz=tz, top_n=top_n)

    def roi_inputs(self) -> RoiInputs:
        """The ROI inputs from the settings (None where the user gave none)."""
        v = self.settings.get_many(["roi.hourly_cost", "roi.hours_per_month", "roi.tool_costs", "roi.other_costs",
                                    "roi.value_per_reply", "roi.value_per_positive", "roi.value_per_lead",
                                    "roi.cpm", "roi.lead_tag", "roi.currency"])
        return RoiInputs(
            hourly_cost=v["roi.hourly_cost"], hours=v["roi.hours_per_month"], tool_costs=v["roi.tool_costs"],
            other_costs=v["roi.other_costs"], value_per_reply=v["roi.value_per_reply"],
            value_per_positive=v["roi.value_per_positive"], value_per_lead=v["roi.value_per_lead"],
            cpm=v["roi.cpm"], lead_tag=(v["roi.lead_tag"] or "").strip() or None,
            currency=v["roi.currency"] or "EUR",
        )

    def roi(self, kpis: PeriodKpis, inputs: RoiInputs | None = None) -> RoiResult:
        """ROI of a period's KPIs from `inputs` (default: the settings)."""
        inputs = inputs or self.roi_inputs()
        leads = kpis.leads if inputs.lead_tag else None
        return compute_roi(inputs, replied=kpis.responses.replied, positive=kpis.sentiment.positive,
                           leads=leads, reach=kpis.reach)

    def brand_name(self) -> str:
        """The `brand.name` setting, else the first brand-kind term, else ""."""
        name = (self.settings.get("brand.name") or "").strip()
        if name:
            return name
        conn = connect(self.db_path)
        try:
            terms = StatsRepository(conn).terms()
        finally:
            conn.close()
        brands = [t.name for t in terms if t.kind == "brand"]
        return brands[0] if brands else ""

    def monthly_summary(self, year: int, month: int, *, tz: tzinfo | None = None,
                        top_n: int | None = None) -> MonthlySummary:
        """Everything the monthly report prints: KPIs with deltas, ROI, brand."""
        with self.month_export(year, month, tz=tz, top_n=top_n) as mx:
            return mx.summary

    @contextmanager
    def month_export(self, year: int, month: int, *, tz: tzinfo | None = None,
                     top_n: int | None = None) -> Iterator["MonthExport"]:
        """The month's summary and, while the block runs, its mentions as rows.

        One connection and one read of the month serve the numbers and the
        mentions CSV (`MonthExport.rows`); the connection closes with the block.
        """
        tz = tz or local_timezone()
        if top_n is None:
            top_n = self.settings.get("report.top_mentions") or DEFAULT_TOP_N
        inputs = self.roi_inputs()
        brand = self.brand_name()
        period = Period.month(year, month)
        conn = connect(self.db_path)
        try:
            repo = StatsRepository(conn)
            comparison = self._comparison(repo, period, tz, top_n, self.settings.get("roi.lead_tag"))
            summary = MonthlySummary(brand=brand, comparison=comparison, roi=self.roi(comparison.current, inputs),
                                     generated_at=int(self.clock()), tz_name=_tz_name(tz))
            yield MonthExport(summary, repo, tz)
        finally:
            conn.close()

    def export_rows(self, start: date, end: date, *, tz: tzinfo | None = None) -> Iterator[MentionExportRow]:
        """Every mention published in [start, end), oldest first (a generator: the
        connection stays open until it is exhausted or closed)."""
        b = day_buckets(start, end, tz or local_timezone())
        conn = connect(self.db_path)
        try:
            repo = StatsRepository(conn)
            repo.load_period(b)
            yield from repo.export_rows()
        finally:
            conn.close()

    def feed_health(self, start: date, end: date, *, tz: tzinfo | None = None) -> FeedHealth:
        conn = connect(self.db_path)
        try:
            return self._health(StatsRepository(conn), day_buckets(start, end, tz or local_timezone()))
        finally:
            conn.close()

    # -- internals -------------------------------------------------------
    @staticmethod
    def _health(repo: StatsRepository, b: DayBuckets) -> FeedHealth:
        feeds, in_error, disabled, errors, failing = repo.feed_health(b.start_ts, b.end_ts)
        return FeedHealth(feeds, in_error, disabled, errors, tuple(failing))

    def _kpis(self, repo: StatsRepository, period: Period, tz: tzinfo, top_n: int,
              lead_tag: str | None) -> PeriodKpis:
        b = day_buckets(period.start, period.end, tz)
        e = b.end_ts
        n_days = len(b.days)
        repo.load_period(b)
        mentions, reach = repo.count_and_reach()
        top_sources, sources = repo.top_and_distinct("source", top_n)
        top_authors, authors = repo.top_and_distinct("author", top_n)
        terms = repo.terms()

        # One GROUP BY gives the daily totals, the sentiment split and the sentiment per day.
        day_sentiment = repo.sentiment_daily()
        daily = [0] * n_days
        split: dict[str, int] = {}
        per_day: list[dict[str, int]] = [{} for _ in range(n_days)]
        for d, label, n in day_sentiment:
            split[label] = split.get(label, 0) + n
            if 0 <= d < n_days:
                daily[d] += n
                per_day[d][label] = n

        per_term_counts = repo.per_term()
        per_term = tuple(TermVolume(t.id, t.name, t.kind, t.color, *per_term_counts.get(t.id, (0, 0.0)))
                         for t in terms)

        # One query covers the period and the spike window before it.
        wide = day_buckets(period.start - timedelta(days=SPIKE_WINDOW_DAYS), period.end, tz)
        series: dict[int, list[int]] = {t.id: [0] * len(wide.days) for t in terms}
        for term_id, d, n in repo.daily_per_term(wide):
            if term_id in series and 0 <= d < len(wide.days):
                series[term_id][d] = n
        daily_per_term = tuple(TermSeries(t.id, t.name, t.kind, t.color, tuple(series[t.id][SPIKE_WINDOW_DAYS:]))
                               for t in terms)
        spikes = []
        w = SPIKE_WINDOW_DAYS
        for t in terms:
            counts = series[t.id]
            window_sum = sum(counts[:w])  # a running sum over the trailing window (ints: exact)
            for i in range(w, len(counts)):
                c = counts[i]
                mean = window_sum / w
                window_sum += c - counts[i - w]
                # The threshold is at least mean + 3 × max(√mean, 1) and a spike has ≥ 5 mentions
                # (`detect_spike` defaults): only days past that floor pay for the full test.
                if c < SPIKE_MIN_COUNT or c <= mean + SPIKE_K * max(math.sqrt(mean), 1.0):
                    continue
                v = detect_spike(c, counts[i - w:i], k=SPIKE_K, min_count=SPIKE_MIN_COUNT, window=w)
                if v.is_spike:
                    spikes.append(SpikeDay(t.id, t.name, wide.days[i], v.count, v.mean, v.threshold))
        spikes.sort(key=lambda x: (x.day, x.name))

        kinds = repo.kind_totals(("brand", "competitor"))
        brand_n, brand_r = kinds.get("brand", (0, 0.0))
        comp_n, comp_r = kinds.get("competitor", (0, 0.0))
        sov_terms = [tv for tv in per_term if tv.kind in ("brand", "competitor")]
        hits = sum(tv.mentions for tv in sov_terms)
        hit_reach = sum(tv.reach for tv in sov_terms)
        entries = tuple(ShareEntry(tv.term_id, tv.name, tv.kind, tv.color, tv.mentions, tv.reach,
                                   tv.mentions / hits if hits else None, tv.reach / hit_reach if hit_reach else None)
                        for tv in sorted(sov_terms, key=lambda x: (x.kind != "brand", -x.mentions, x.name)))
        sov = ShareOfVoice(brand_n, comp_n, brand_r, comp_r, entries)

        sentiment = SentimentSplit(split.get("positive", 0), split.get("neutral", 0), split.get("negative", 0))
        sentiment_daily = tuple(SentimentDay(day, c.get("positive", 0), c.get("neutral", 0), c.get("negative", 0))
                                for day, c in zip(b.days, per_day))

        needing, times = repo.responses()
        # The backlog "at the end" of a period still running is the backlog now.
        backlog = repo.backlog_at(min(e, int(self.clock()) + 1))
        responses = ResponseStats(needing, len(times), median(times), p90(times), backlog)

        leads = repo.tagged(lead_tag) if lead_tag else 0
        return PeriodKpis(
            period=period, tz_name=_tz_name(tz), days=b.days, mentions=mentions, reach=reach,
            daily_total=tuple(daily), per_term=per_term, daily_per_term=daily_per_term, share_of_voice=sov,
            sentiment=sentiment, sentiment_daily=sentiment_daily, unique_sources=sources, unique_authors=authors,
            top_sources=tuple(top_sources), top_authors=tuple(top_authors),
            top_mentions=tuple(repo.top_mentions(top_n)), responses=responses, spikes=tuple(spikes),
            leads=leads, lead_tag=lead_tag,
        )
