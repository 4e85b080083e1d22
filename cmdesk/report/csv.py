"""The monthly summary as CSV: one file of the month's mentions, one of the KPIs.

UTF-8 with a byte-order mark and a header row, so spreadsheet applications
open accents right; comma-separated in English, semicolon-separated in
French (what a French-locale spreadsheet expects, with decimal commas).
"""

from __future__ import annotations

import csv
import itertools
from datetime import tzinfo
from operator import itemgetter
from pathlib import Path
from typing import Iterable

from cmdesk.core.kpis import HEADLINE_KPIS, MentionExportRow, MonthlySummary
from cmdesk.report.i18n import Catalog

__all__ = ["write_mentions_csv", "write_month_mentions_csv", "write_kpis_csv", "MENTION_COLUMNS"]

MENTION_COLUMNS = ("col_date", "col_terms", "col_source", "col_author", "col_title", "col_url", "col_sentiment",
                   "col_state", "col_replied_at", "col_response_time", "col_reach", "col_tags", "col_found_at",
                   "col_id")


def _plain(cat: Catalog, v) -> str:
    """Numbers as a spreadsheet reads them: no thousands separator, locale decimal mark."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    text = str(v) if isinstance(v, int) else f"{v:.6g}"
    return text.replace(".", ",") if cat.lang == "fr" else text


def write_mentions_csv(rows: Iterable[MentionExportRow], path: Path, *, lang: str = "en",
                       tz: tzinfo | None = None) -> int:
    """One row per mention (oldest first); returns the number of rows written."""
    cat = Catalog(lang)
    n = 0
    when = cat.datetime_formatter(tz)
    sep = ", " if cat.csv_delimiter == ";" else "; "  # inside a cell
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=cat.csv_delimiter)
        w.writerow([cat.t(c) for c in MENTION_COLUMNS])
        for r in rows:
            rt = None if r.replied_at is None else max(0, r.replied_at - r.found_at)
            w.writerow([
                when(r.published_at), sep.join(r.terms), r.source, r.author, r.title, r.url or "", r.sentiment,
                r.state, when(r.replied_at), "" if rt is None else rt, _plain(cat, r.reach), sep.join(r.tags),
                when(r.found_at), r.id,
            ])
            n += 1
    return n


def write_month_mentions_csv(month, path: Path, *, lang: str = "en") -> int:
    """The mentions CSV of a `cmdesk.services.stats.MonthExport` (inside its block), written straight
    from the SQL rows (same content as `write_mentions_csv`); returns the number of rows written."""
    cat = Catalog(lang)
    sep = ", " if cat.csv_delimiter == ";" else "; "  # inside a cell
    # Whole lines come from SQL, quoted as csv.writer quotes (tests compare with `write_mentions_csv`).
    lines = month.rows(time_format="%d/%m/%Y %H:%M" if cat.lang == "fr" else "%Y-%m-%d %H:%M", list_sep=sep,
                       reach_text=lambda v: _plain(cat, v), csv_delimiter=cat.csv_delimiter)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=cat.csv_delimiter).writerow([cat.t(c) for c in MENTION_COLUMNS])
        counter = itertools.count()
        first = itemgetter(0)
        fh.writelines(map(first, map(first, zip(lines, counter))))  # counted without a Python call per row
    return next(counter)


def write_kpis_csv(summary: MonthlySummary, path: Path, *, lang: str = "en") -> Path:
    """Headline KPIs with previous period and change, then the ROI inputs, lines and result."""
    cat = Catalog(lang)
    roi = summary.roi
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=cat.csv_delimiter)
        w.writerow([cat.t("col_section"), cat.t("col_key"), cat.t("col_kpi"), cat.t("col_current"),
                     cat.t("col_previous"), cat.t("col_change"), cat.t("col_change_pct"), cat.t("col_unit_kind")])
        for key, unit in HEADLINE_KPIS:
            d = summary.comparison.delta(key)
            w.writerow(["kpi", key, cat.t("kpi_" + key), _plain(cat, d.current), _plain(cat, d.previous),
                        _plain(cat, d.change), _plain(cat, None if d.change_pct is None else round(d.change_pct, 4)),
                        unit])
        for tv in summary.kpis.per_term:
            w.writerow(["term", tv.name, tv.kind, tv.mentions, "", "", "", "count"])
        inputs = roi.inputs
        for field in ("hourly_cost", "hours", "tool_costs", "other_costs", "value_per_reply", "value_per_positive",
                      "value_per_lead", "cpm", "lead_tag", "currency"):
            v = getattr(inputs, field)
            shown = cat.t("missing") if v is None else (v if isinstance(v, str) else _plain(cat, v))
            w.writerow(["roi_input", field, cat.t("input_" + field), shown, "", "", "", ""])
        for line in roi.costs + roi.values:
            shown = _plain(cat, line.amount) if line.amount is not None else (
                cat.t("missing") + ": " + ", ".join(line.missing))
            w.writerow(["roi_line", line.code, cat.t("line_" + line.code), shown, "", "", "", inputs.currency])
        for key, v in (("total_cost", roi.total_cost), ("total_value", roi.total_value), ("roi_pct", roi.roi_pct)):
            w.writerow(["roi", key, cat.t("roi_formula") if key == "roi_pct" else key,
                        _plain(cat, None if v is None else round(v, 4)) if v is not None else cat.t("missing"),
                        "", "", "", "%" if key == "roi_pct" else inputs.currency])
    return Path(path)
