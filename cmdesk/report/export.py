"""Exporting a month: the one entry point the CLI and the GUI call."""

from __future__ import annotations

import os
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from cmdesk.core.kpis import MonthlySummary, Period, local_timezone

__all__ = ["FORMATS", "ExportResult", "export_month", "output_paths", "previous_month"]

FORMATS = ("pdf", "html", "csv")


@dataclass(frozen=True)
class ExportResult:
    summary: MonthlySummary
    files: tuple[Path, ...]
    mention_rows: int  # rows written to the mentions CSV (0 when no CSV)
    timings: tuple[tuple[str, float], ...]  # (step, seconds): "data", "pdf", "html", "csv"


def previous_month(now: float | None = None, tz: tzinfo | None = None) -> Period:
    """The calendar month before the current local one."""
    import datetime as dt
    today = dt.datetime.fromtimestamp(now if now is not None else time.time(), tz or local_timezone()).date()
    y, m = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return Period.month(y, m)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "cmdesk"


def output_paths(out: Path | None, formats: tuple[str, ...], brand: str, period: Period) -> dict[str, list[Path]]:
    """Where each format goes.

    `out` is a directory (created if needed) when it exists as one, ends with
    a path separator, has no suffix, or several formats are asked; else it is
    the file for the single format asked (a CSV export then writes FILE and
    FILE-kpis.csv).
    """
    base = f"{_slug(brand)}-report-{period.label()}"
    target = Path(out) if out is not None else Path.cwd()
    as_dir = (out is None or target.is_dir() or str(out).endswith((os.sep, "/")) or not target.suffix
              or len(formats) > 1)
    paths: dict[str, list[Path]] = {}
    for fmt in formats:
        if as_dir:
            if fmt == "csv":
                paths[fmt] = [target / f"{base}-mentions.csv", target / f"{base}-kpis.csv"]
            else:
                paths[fmt] = [target / f"{base}.{fmt}"]
        elif fmt == "csv":
            paths[fmt] = [target, target.with_name(f"{target.stem}-kpis.csv")]
        else:
            paths[fmt] = [target]
    return paths


def export_month(stats, period: Period, *, formats: tuple[str, ...] = FORMATS, out: Path | None = None,
                 lang: str = "en", tz: tzinfo | None = None) -> ExportResult:
    """Compute the month's summary once and write each format asked.

    `stats` is a `cmdesk.services.stats.StatsService`. The month is read
    once (the CSV rows come from the same read as the numbers), the
    `MonthlySummary` is shared by every format and the charts are rendered
    once for both HTML and PDF.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown report format {bad[0]!r} (one of: {', '.join(FORMATS)}, all)")
    tz = tz or local_timezone()
    timings: list[tuple[str, float]] = []
    written: dict[str, list[Path]] = {}
    rows = 0
    t0 = time.perf_counter()
    # One read of the month: the numbers, then (same connection, month still loaded) the mentions CSV.
    with stats.month_export(period.start.year, period.start.month, tz=tz) as month:
        summary = month.summary
        timings.append(("data", time.perf_counter() - t0))
        paths = output_paths(out, formats, summary.brand, period)
        for ps in paths.values():
            for p in ps:
                p.parent.mkdir(parents=True, exist_ok=True)
        if "csv" in formats:
            from cmdesk.report.csv import write_kpis_csv, write_month_mentions_csv
            t0 = time.perf_counter()
            mentions_path, kpis_path = paths["csv"]
            rows = write_month_mentions_csv(month, mentions_path, lang=lang)
            write_kpis_csv(summary, kpis_path, lang=lang)
            written["csv"] = [mentions_path, kpis_path]
            timings.append(("csv", time.perf_counter() - t0))
    images = None
    if "pdf" in formats or "html" in formats:
        # Charts are rendered once and shared by the HTML and the PDF.
        from cmdesk.report.html import chart_images
        from cmdesk.report.i18n import Catalog
        t0 = time.perf_counter()
        images = chart_images(summary, Catalog(lang))
        timings.append(("charts", time.perf_counter() - t0))
    for fmt in formats:
        t0 = time.perf_counter()
        if fmt == "pdf":
            from cmdesk.report.pdf import write_pdf
            written["pdf"] = [write_pdf(summary, paths["pdf"][0], lang=lang, tz=tz, images=images)]
        elif fmt == "html":
            from cmdesk.report.html import summary_html
            p = paths["html"][0]
            p.write_text(summary_html(summary, lang=lang, tz=tz, images=images), encoding="utf-8")
            written["html"] = [p]
        else:
            continue
        timings.append((fmt, time.perf_counter() - t0))
    files = [f for fmt in formats for f in written[fmt]]
    return ExportResult(summary, tuple(files), rows, tuple(timings))
