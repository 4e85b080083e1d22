"""The monthly summary as one self-contained HTML file (charts inlined as PNG).

`summary_html` also produces the simpler markup the PDF writer lays out with
QTextDocument (``for_qt=True``: images referenced by resource name).
"""

from __future__ import annotations

import base64
import html
from datetime import tzinfo
from pathlib import Path
from typing import Callable

from cmdesk.core.kpis import HEADLINE_KPIS, MonthlySummary, RoiLine
from cmdesk.report.charts import (
    ChartTheme, paint_sentiment_chart, paint_share_of_voice, paint_top_sources, paint_volume_chart, render_png,
)
from cmdesk.report.i18n import Catalog

__all__ = ["summary_html", "write_html", "chart_images", "CHART_SIZES"]

# Logical size of each chart in the report (pixels at 96 dpi).
CHART_SIZES = {"volume": (680, 260), "sov": (680, 90), "sentiment": (680, 200), "sources": (680, 220)}

_INPUT_FIELDS = ("hourly_cost", "hours", "tool_costs", "other_costs", "value_per_reply", "value_per_positive",
                 "value_per_lead", "cpm", "lead_tag")
_INPUT_KEYS = {"hours": "roi.hours_per_month"}  # the settings key of each RoiInputs field


def settings_key(field: str) -> str:
    return _INPUT_KEYS.get(field, f"roi.{field}")


def chart_images(summary: MonthlySummary, cat: Catalog, *, scale: float = 2.0,
                 theme: ChartTheme | None = None) -> dict[str, bytes]:
    """PNG bytes of the report's four charts, by name."""
    k = summary.kpis
    theme = theme or ChartTheme.light()
    empty = cat.t("no_data")
    labels = {s: cat.t(f"sentiment_{s}") for s in ("positive", "neutral", "negative")}
    return {
        "volume": render_png(paint_volume_chart, k, *CHART_SIZES["volume"], theme=theme, scale=scale,
                             empty_text=empty, day_label=cat.short_day),
        "sov": render_png(paint_share_of_voice, k.share_of_voice, *CHART_SIZES["sov"], theme=theme, scale=scale,
                          empty_text=empty, percent=cat.percent),
        "sentiment": render_png(paint_sentiment_chart, k.sentiment_daily, *CHART_SIZES["sentiment"], theme=theme,
                                scale=scale, empty_text=empty, labels=labels, day_label=cat.short_day),
        "sources": render_png(paint_top_sources, k.top_sources, *CHART_SIZES["sources"], theme=theme, scale=scale,
                              empty_text=empty),
    }


_CSS = """
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #1f2937; max-width: 760px;
       margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em;
     border-bottom: 1px solid #e5e7eb; padding-bottom: 0.2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.muted { color: #6b7280; } .missing { color: #b91c1c; font-style: italic; }
.formula { font-family: monospace; background: #f3f4f6; padding: 6px 8px; }
.title-page { margin-bottom: 2em; } .notice { background: #fef3c7; padding: 8px; }
img { max-width: 100%; height: auto; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def summary_html(summary: MonthlySummary, *, lang: str = "en", tz: tzinfo | None = None,
                 image_src: Callable[[str], str] | None = None, for_qt: bool = False,
                 images: dict[str, bytes] | None = None, paged: bool | None = None) -> str:
    """The whole report as HTML.

    Charts come from `image_src(name)` (a URL or resource name) or, when not
    given, are inlined as base64 PNG from `images` (rendered when None).
    `paged` (default: `for_qt`) gives the title its own page, for the PDF;
    an on-screen preview of the Qt markup passes False.
    """
    if paged is None:
        paged = for_qt
    cat = Catalog(lang)
    k, prev = summary.comparison.current, summary.comparison.previous
    if image_src is None:
        imgs = images if images is not None else chart_images(summary, cat)
        image_src = lambda name: "data:image/png;base64," + base64.b64encode(imgs[name]).decode("ascii")  # noqa: E731
    num_td = '<td class="num" align="right">' if for_qt else '<td class="num">'
    table_open = ('<table width="100%" cellspacing="0" cellpadding="4" border="1" style="border-collapse: collapse;'
                  ' border-color: #d1d5db">' if for_qt else "<table>")
    # The PDF repeats a table's header row on each page it spans (<thead> sets it in QTextDocument).
    thead, thead_end = ("<thead>", "</thead>") if for_qt else ("", "")
    out: list[str] = []
    w = out.append

    brand = summary.brand or "cmdesk"
    month = cat.month_name(k.period.start.year, k.period.start.month) if k.period.is_month else k.period.label()
    prev_label = cat.month_name(prev.period.start.year, prev.period.start.month) if prev.period.is_month \
        else prev.period.label()
    title = f"{brand} — {cat.t('report_title')} — {month}"

    if not for_qt:
        w(f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
          f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
          f"<style>{_CSS}</style></head><body>")
    else:
        w("<html><body>")

    # -- title page -------------------------------------------------------
    # (The PDF writer starts the key figures on a new page: QTextDocument applies a div's
    # page-break-after to its first paragraph, which left page 1 blank.)
    w('<div class="title-page">')
    if paged:
        w("<p>&nbsp;</p>" * 12)
    w(f"<h1>{_e(brand)}</h1><h2>{_e(cat.t('report_title'))} — {_e(month)}</h2>")
    w(f"<p>{_e(cat.t('period', period=month, previous=prev_label))}</p>")
    w(f'<p class="muted">{_e(cat.t("generated", date=cat.datetime(summary.generated_at, tz)))}<br>'
      f'{_e(cat.t("timezone", tz=summary.tz_name))}</p>')
    if not k.has_activity:
        w(f'<p class="notice"><b>{_e(cat.t("no_activity"))}</b></p>')
    w("</div>")

    # -- KPIs -------------------------------------------------------------
    kpis_h2 = '<h2 style="page-break-before: always">' if paged else "<h2>"  # the title page stands alone
    w(f"{kpis_h2}{_e(cat.t('sec_kpis'))}</h2>")
    if not k.has_activity:
        w(f'<p class="notice">{_e(cat.t("no_activity"))}</p>')
    w(table_open)
    w(f"{thead}<tr><th>{_e(cat.t('col_kpi'))}</th><th class=\"num\">{_e(cat.t('col_current'))}</th>"
      f"<th class=\"num\">{_e(cat.t('col_previous'))}</th><th class=\"num\">{_e(cat.t('col_change'))}</th></tr>{thead_end}")
    for key, unit in HEADLINE_KPIS:
        d = summary.comparison.delta(key)
        w(f"<tr><td>{_e(cat.t('kpi_' + key))}</td>{num_td}{_e(cat.kpi_value(unit, d.current))}</td>"
          f"{num_td}{_e(cat.kpi_value(unit, d.previous))}</td>"
          f"{num_td}{_e(cat.kpi_change(unit, d.change, d.change_pct))}</td></tr>")
    w("</table>")

    # -- charts -----------------------------------------------------------
    w(f"<h2>{_e(cat.t('sec_charts'))}</h2>")
    for name, sec in (("volume", "sec_volume"), ("sov", "sec_sov"), ("sentiment", "sec_sentiment"),
                      ("sources", "sec_sources")):
        width, height = CHART_SIZES[name]
        w(f"<h3>{_e(cat.t(sec))}</h3>")
        w(f'<p><img src="{_e(image_src(name))}" width="{width}" height="{height}" alt="{_e(cat.t(sec))}"></p>')

    # -- terms ------------------------------------------------------------
    w(f"<h2>{_e(cat.t('sec_terms'))}</h2>")
    w(table_open)
    w(f"{thead}<tr><th>{_e(cat.t('col_term'))}</th><th>{_e(cat.t('col_kind'))}</th>"
      f"<th class=\"num\">{_e(cat.t('col_mentions'))}</th><th class=\"num\">{_e(cat.t('col_reach'))}</th></tr>{thead_end}")
    for tv in k.per_term:
        w(f"<tr><td>{_e(tv.name)}</td><td>{_e(cat.t('kind_' + tv.kind))}</td>{num_td}{cat.smart(tv.mentions)}</td>"
          f"{num_td}{cat.smart(tv.reach)}</td></tr>")
    if not k.per_term:
        w(f"<tr><td colspan=\"4\">{_e(cat.t('none'))}</td></tr>")
    w("</table>")

    # -- top mentions -------------------------------------------------------
    w(f"<h2>{_e(cat.t('sec_top_mentions'))}</h2>")
    if k.top_mentions:
        w(table_open)
        w(f"{thead}<tr><th>{_e(cat.t('col_date'))}</th><th>{_e(cat.t('col_title'))}</th><th>{_e(cat.t('col_source'))}</th>"
          f"<th class=\"num\">{_e(cat.t('col_reach'))}</th><th>{_e(cat.t('col_sentiment'))}</th>"
          f"<th>{_e(cat.t('col_state'))}</th></tr>{thead_end}")
        for m in k.top_mentions:
            title_text = _e(m.title or m.url or "—")
            link = f'<a href="{_e(m.url)}">{title_text}</a>' if m.url else title_text
            author = f"<br><span class=\"muted\">{_e(m.author)}</span>" if m.author else ""
            w(f"<tr><td>{_e(cat.datetime(m.published_at, tz))}</td><td>{link}</td><td>{_e(m.source)}{author}</td>"
              f"{num_td}{cat.smart(m.reach)}</td><td>{_e(cat.t('sentiment_' + m.sentiment))}</td>"
              f"<td>{_e(cat.t('state_' + m.state))}</td></tr>")
        w("</table>")
    else:
        w(f"<p>{_e(cat.t('none'))}</p>")

    w(f"<h2>{_e(cat.t('sec_authors'))}</h2>")
    if k.top_authors:
        w(table_open)
        w(f"{thead}<tr><th>{_e(cat.t('col_author'))}</th><th class=\"num\">{_e(cat.t('col_mentions'))}</th>"
          f"<th class=\"num\">{_e(cat.t('col_reach'))}</th></tr>{thead_end}")
        for a in k.top_authors:
            w(f"<tr><td>{_e(a.name)}</td>{num_td}{cat.smart(a.mentions)}</td>{num_td}{cat.smart(a.reach)}</td></tr>")
        w("</table>")
    else:
        w(f"<p>{_e(cat.t('none'))}</p>")

    # -- responses, spikes, feeds -------------------------------------------
    r = k.responses
    w(f"<h2>{_e(cat.t('sec_responses'))}</h2>")
    w(f"<p>{_e(cat.t('responses_line', replied=cat.smart(r.replied), needing=cat.smart(r.needing_reply), rate=cat.percent(r.rate), median=cat.duration(r.median_s), p90=cat.duration(r.p90_s), backlog=cat.smart(r.backlog)))}</p>")

    w(f"<h2>{_e(cat.t('sec_spikes'))}</h2>")
    if k.spikes:
        w(table_open)
        w(f"{thead}<tr><th>{_e(cat.t('col_day'))}</th><th>{_e(cat.t('col_term'))}</th>"
          f"<th class=\"num\">{_e(cat.t('col_count'))}</th><th class=\"num\">{_e(cat.t('col_usual'))}</th>"
          f"<th class=\"num\">{_e(cat.t('col_threshold'))}</th></tr>{thead_end}")
        for s in k.spikes:
            w(f"<tr><td>{_e(cat.day(s.day))}</td><td>{_e(s.name)}</td>{num_td}{s.count}</td>"
              f"{num_td}{cat.number(s.mean, 1)}</td>{num_td}{cat.number(s.threshold, 1)}</td></tr>")
        w("</table>")
    else:
        w(f"<p>{_e(cat.t('no_spikes'))}</p>")

    fh = summary.comparison.feed_health
    w(f"<h2>{_e(cat.t('sec_feeds'))}</h2>")
    w(f"<p>{_e(cat.t('feeds_line', feeds=fh.feeds, in_error=fh.in_error, disabled=fh.disabled, errors=fh.errors_in_period))}</p>")
    if fh.failing:
        w(f"<p>{_e(cat.t('feeds_failing'))} " + ", ".join(
            _e(f"{title} ({code or '?'})") for _fid, title, code in fh.failing) + "</p>")

    # -- ROI ----------------------------------------------------------------
    roi = summary.roi
    cur = roi.inputs.currency
    w(f"<h2>{_e(cat.t('sec_roi'))}</h2>")
    w(f"<h3>{_e(cat.t('roi_formula_title'))}</h3>")
    w(f'<p class="formula"><tt>{_e(cat.t("roi_formula"))}<br>{_e(cat.t("roi_cost_formula"))}<br>'
      f'{_e(cat.t("roi_value_formula"))}</tt></p>')
    w(f"<h3>{_e(cat.t('roi_inputs'))}</h3>")
    w(table_open)
    for f in _INPUT_FIELDS:
        v = getattr(roi.inputs, f)
        if v is None:
            shown = f'<span class="missing">{_e(cat.t("missing"))}</span>'
        elif f == "lead_tag":
            shown = _e(v)
        elif f == "hours":
            shown = _e(cat.smart(v))
        else:
            shown = _e(cat.money(v, cur))
        w(f"<tr><td>{_e(cat.t('input_' + f))}</td><td><tt>{_e(settings_key(f))}</tt></td>{num_td}{shown}</td></tr>")
    w("</table>")
    w(f"<h3>{_e(cat.t('roi_lines'))}</h3>")
    w(table_open)
    w(f"{thead}<tr><th>{_e(cat.t('col_line'))}</th><th class=\"num\">{_e(cat.t('col_quantity'))}</th>"
      f"<th class=\"num\">{_e(cat.t('col_unit'))}</th><th class=\"num\">{_e(cat.t('col_amount'))}</th></tr>{thead_end}")

    def line_row(line: RoiLine, sign: str) -> None:
        qty = cat.smart(line.quantity) if line.quantity is not None else ""
        unit = cat.money(line.unit_value, cur) if line.unit_value is not None else ""
        if line.amount is None:
            amount = f'<span class="missing">{_e(cat.t("missing"))}: ' + ", ".join(
                _e(settings_key(m)) for m in line.missing) + "</span>"
        else:
            amount = _e(sign + cat.money(line.amount, cur))
        w(f"<tr><td>{_e(cat.t('line_' + line.code))}</td>{num_td}{_e(qty)}</td>{num_td}{_e(unit)}</td>"
          f"{num_td}{amount}</td></tr>")

    for line in roi.costs:
        line_row(line, "")
    w(f"<tr><td><b>{_e(cat.t('roi_total_cost'))}</b></td><td></td><td></td>{num_td}<b>"
      f"{_e(cat.money(roi.total_cost, cur))}</b></td></tr>")
    for line in roi.values:
        line_row(line, "")
    w(f"<tr><td><b>{_e(cat.t('roi_total_value'))}</b></td><td></td><td></td>{num_td}<b>"
      f"{_e(cat.money(roi.total_value, cur))}</b></td></tr>")
    w(f"<tr><td>{_e(cat.t('roi_net'))}</td><td></td><td></td>{num_td}{_e(cat.money(roi.net, cur))}</td></tr>")
    w("</table>")
    roi_text = cat.pct_value(roi.roi_pct) if roi.roi_pct is not None else cat.t("roi_not_computable")
    w(f"<p><b>{_e(cat.t('roi_result'))} = {_e(roi_text)}</b></p>")
    if roi.complete:
        w(f"<p class=\"muted\">{_e(cat.t('roi_complete'))}</p>")
    else:
        missing = ", ".join(settings_key(m) for m in roi.missing_inputs)
        w(f'<p class="missing">{_e(cat.t("roi_partial", missing=missing))}</p>')
        w(f'<p class="muted">{_e(cat.t("roi_set_hint"))}</p>')

    # -- methodology ----------------------------------------------------------
    w(f"<h2>{_e(cat.t('sec_method'))}</h2><ul>")
    for line in cat.lines("method"):
        w(f"<li>{_e(line)}</li>")
    w("</ul>")
    w("</body></html>")
    return "\n".join(out)


def write_html(summary: MonthlySummary, path: Path, *, lang: str = "en", tz: tzinfo | None = None) -> Path:
    """Write the self-contained HTML report; returns its path."""
    path = Path(path)
    path.write_text(summary_html(summary, lang=lang, tz=tz), encoding="utf-8")
    return path
