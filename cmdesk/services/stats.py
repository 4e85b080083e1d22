"""The numbers: KPIs of any period against the previous one, and ROI.

No Qt here: the stats tab, the monthly report and the CLI all call this.
Definitions are in `cmdesk.core.kpis` (and printed in the report's
methodology note).
"""

from __future__ import annotations

import time
from datetime import date, timedelta, tzinfo
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

__all__ = ["StatsService", "StatsError", "SPIKE_WINDOW_DAYS"]

SPIKE_WINDOW_DAYS = 28
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
        prev = period.previous()
        lead_tag = self.settings.get("roi.lead_tag")
        conn = connect(self.db_path)
        try:
            repo = StatsRepository(conn)
            current = self._kpis(repo, period, tz, top_n, lead_tag)
            previous = self._kpis(repo, prev, tz, top_n, lead_tag)
            health = self._health(repo, day_buckets(period.start, period.end, tz))
        finally:
            conn.close()
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
        tz = tz or local_timezone()
        if top_n is None:
            top_n = self.settings.get("report.top_mentions") or DEFAULT_TOP_N
        comparison = self.month_report(year, month, tz=tz, top_n=top_n)
        inputs = self.roi_inputs()
        return MonthlySummary(brand=self.brand_name(), comparison=comparison, roi=self.roi(comparison.current, inputs),
                              generated_at=int(self.clock()), tz_name=_tz_name(tz))

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
        mentions, reach, sources, authors = repo.totals()
        terms = repo.terms()

        daily = [0] * n_days
        for d, n in repo.daily_totals().items():
            if 0 <= d < n_days:
                daily[d] = n

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
        for t in terms:
            counts = series[t.id]
            for i in range(SPIKE_WINDOW_DAYS, len(counts)):
                v = detect_spike(counts[i], counts[i - SPIKE_WINDOW_DAYS:i], window=SPIKE_WINDOW_DAYS)
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

        split = repo.sentiment_split()
        sentiment = SentimentSplit(split.get("positive", 0), split.get("neutral", 0), split.get("negative", 0))
        per_day: list[dict[str, int]] = [{} for _ in range(n_days)]
        for d, label, n in repo.sentiment_daily():
            if 0 <= d < n_days:
                per_day[d][label] = n
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
            top_sources=tuple(repo.top("source", top_n)), top_authors=tuple(repo.top("author", top_n)),
            top_mentions=tuple(repo.top_mentions(top_n)), responses=responses, spikes=tuple(spikes),
            leads=leads, lead_tag=lead_tag,
        )
