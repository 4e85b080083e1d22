"""Small widgets that paint the shared report charts (`cmdesk.report.charts`) on screen.

The same painters draw the monthly report, so the screen and the PDF look
alike. Colours come from the widget's palette (light or dark theme). Hovering
shows the numbers under the mouse in a tooltip.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QPointF, QRectF, QSize
from PySide6.QtGui import QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from cmdesk.core.kpis import PeriodKpis
from cmdesk.ui.stats.cards import format_percent
from cmdesk.report.charts import (
    ChartTheme, nice_ticks, paint_sentiment_chart, paint_share_of_voice, paint_top_sources, paint_volume_chart,
)

translate = QCoreApplication.translate  # lupdate reads literal translate("Context", "text") calls

__all__ = ["ChartWidget", "VolumeChart", "ShareOfVoiceChart", "SentimentChart", "TopSourcesChart", "day_label"]




def day_label(d: date) -> str:
    """A short day label in the interface language: "3 Nov" / "3 nov."."""
    return QLocale().toString(QDate(d.year, d.month, d.day), "d MMM")


def long_day(d: date) -> str:
    return QLocale().toString(QDate(d.year, d.month, d.day), QLocale.FormatType.LongFormat)


def _tick_text(v: float) -> str:  # as the painters print tick values
    if v >= 1000 and float(v).is_integer():
        return f"{int(v):,}".replace(",", "\u202f")
    return f"{v:g}"


class ChartWidget(QWidget):
    """Base: holds a PeriodKpis and paints one chart with a palette-derived theme."""

    minimum_height = 170

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.kpis: PeriodKpis | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(self.minimum_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, self.minimum_height + 40)

    def set_kpis(self, kpis: PeriodKpis | None) -> None:
        self.kpis = kpis
        self.update()

    def theme(self) -> ChartTheme:
        t = ChartTheme.from_palette(self.palette(), font=self.font())
        # the panel around the chart already has the base colour; widget fonts are in points
        px = QFontMetricsF(self.font()).height() * 0.78
        return dataclasses.replace(t, font_px=px, fill_background=False)

    def chart_rect(self) -> QRectF:
        return QRectF(self.rect()).adjusted(4, 4, -4, -4)

    def paintEvent(self, event):
        p = QPainter(self)
        try:
            self.paint(p, self.chart_rect(), self.theme())
        finally:
            p.end()

    def paint(self, painter: QPainter, rect: QRectF, theme: ChartTheme) -> None:
        raise NotImplementedError

    def empty_text(self) -> str:
        return translate("StatsCharts", "No mentions in this period")

    def tooltip_at(self, pos: QPointF) -> str | None:
        return None

    def event(self, e):
        if e.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(e.pos())) if self.kpis is not None else None
            if text:
                QToolTip.showText(e.globalPos(), text, self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def mouseMoveEvent(self, e):
        # Follow the mouse while a tooltip is up, so moving along the chart updates it.
        if QToolTip.isVisible() and self.kpis is not None:
            text = self.tooltip_at(e.position())
            if text:
                QToolTip.showText(e.globalPosition().toPoint(), text, self)
        super().mouseMoveEvent(e)

    # -- geometry shared by the day charts (mirrors the painters' layout on x) ----
    def _day_index(self, x: float, peak: float, n: int) -> int | None:
        rect = self.chart_rect()
        fm = QFontMetricsF(self.theme().font())
        ticks = nice_ticks(peak)
        left = max(fm.horizontalAdvance(_tick_text(t)) for t in ticks) + 10
        plot_left, plot_w = rect.left() + left, rect.width() - left - 8
        if n <= 0 or plot_w <= 0 or not (plot_left <= x <= plot_left + plot_w):
            return None
        return min(n - 1, int((x - plot_left) / plot_w * n))


class VolumeChart(ChartWidget):
    """Mentions per day per term; spikes ringed."""

    minimum_height = 210

    def _lines(self):
        k = self.kpis
        series = sorted((s for s in k.daily_per_term if any(s.counts)), key=lambda s: -sum(s.counts))[:8]
        return series

    def paint(self, painter, rect, theme):
        if self.kpis is None:
            return
        paint_volume_chart(painter, rect, self.kpis, theme=theme, empty_text=self.empty_text(),
                           total_label=translate("StatsCharts", "All mentions"), day_label=day_label)

    def tooltip_at(self, pos):
        k = self.kpis
        series = self._lines()
        values = [s.counts for s in series] or ([k.daily_total] if any(k.daily_total) else [])
        if not values or not k.days:
            return None
        i = self._day_index(pos.x(), max(max(v) for v in values), len(k.days))
        if i is None:
            return None
        d = k.days[i]
        rows = [f"<b>{long_day(d)}</b>",
                translate("StatsCharts", "Mentions: %1").replace("%1", str(k.daily_total[i]))]
        spikes = {s.term_id: s for s in k.spikes if s.day == d}
        for s in sorted(k.daily_per_term, key=lambda s: -s.counts[i]):
            if s.counts[i] or s.term_id in spikes:
                line = f'<span style="color:{s.color}">■</span> {s.name}: {s.counts[i]}'
                if s.term_id in spikes:
                    line += " — <b>" + translate("StatsCharts", "spike (usually %1 a day)").replace(
                        "%1", QLocale().toString(spikes[s.term_id].mean, "f", 1)) + "</b>"
                rows.append(line)
        return "<br>".join(rows)


class ShareOfVoiceChart(ChartWidget):
    minimum_height = 72

    def paint(self, painter, rect, theme):
        if self.kpis is None:
            return
        paint_share_of_voice(painter, rect, self.kpis.share_of_voice, theme=theme,
                             empty_text=translate("StatsCharts", "No brand or competitor mentions"),
                             percent=format_percent)

    def tooltip_at(self, pos):
        entries = [e for e in self.kpis.share_of_voice.entries if e.mentions > 0]
        total = sum(e.mentions for e in entries)
        if not total:
            return None
        rect = self.chart_rect()
        bar_h = min(36.0, max(14.0, rect.height() * 0.3))
        bar = QRectF(rect.left() + 4, rect.top() + 4, rect.width() - 8, bar_h)
        if not bar.contains(pos):
            return None
        x = bar.left()
        for e in entries:
            w = bar.width() * e.mentions / total
            if x <= pos.x() <= x + w:
                if e.kind == "brand":
                    kind = translate("StatsCharts", "brand")
                else:
                    kind = translate("StatsCharts", "competitor")
                count = translate("StatsCharts", "Mentions: %1").replace("%1", str(e.mentions))
                share = translate("StatsCharts", "Share: %1").replace("%1", format_percent(e.mentions / total, 1))
                return f"<b>{e.name}</b> ({kind})<br>{count}<br>{share}"
            x += w
        return None


class SentimentChart(ChartWidget):
    def labels(self) -> dict[str, str]:
        return {"positive": translate("StatsCharts", "Positive"), "neutral": translate("StatsCharts", "Neutral"),
                "negative": translate("StatsCharts", "Negative")}

    def paint(self, painter, rect, theme):
        if self.kpis is None:
            return
        paint_sentiment_chart(painter, rect, self.kpis.sentiment_daily, theme=theme, empty_text=self.empty_text(),
                              labels=self.labels(), day_label=day_label)

    def tooltip_at(self, pos):
        days = self.kpis.sentiment_daily
        if not days or not any(d.total for d in days):
            return None
        i = self._day_index(pos.x(), max(d.total for d in days), len(days))
        if i is None:
            return None
        d = days[i]
        lab = self.labels()
        return "<br>".join([f"<b>{long_day(d.day)}</b>", f"{lab['positive']}: {d.positive}",
                            f"{lab['neutral']}: {d.neutral}", f"{lab['negative']}: {d.negative}"])


class TopSourcesChart(ChartWidget):
    max_items = 8

    def paint(self, painter, rect, theme):
        if self.kpis is None:
            return
        paint_top_sources(painter, rect, self.kpis.top_sources, theme=theme,
                          empty_text=translate("StatsCharts", "No sources"), max_items=self.max_items)

    def tooltip_at(self, pos):
        items = list(self.kpis.top_sources)[: self.max_items]
        if not items:
            return None
        rect = self.chart_rect()
        fm = QFontMetricsF(self.theme().font())
        row_h = min(rect.height() / len(items), fm.height() * 1.8)
        k = math.floor((pos.y() - rect.top()) / row_h) if row_h > 0 else -1
        if not 0 <= k < len(items):
            return None
        it = items[k]
        count = translate("StatsCharts", "Mentions: %1").replace("%1", str(it.mentions))
        reach = translate("StatsCharts", "Reach: %1").replace("%1", QLocale().toString(it.reach, "f", 1))
        return f"<b>{it.name}</b><br>{count}<br>{reach}"
