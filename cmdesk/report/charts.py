"""Chart painters (QtGui only): the stats tab and the report draw the same charts.

Each painter draws into ``rect`` on any ``QPainter`` (a widget's paintEvent,
a ``QImage`` for the HTML report, a ``QPdfWriter`` page):

    paint_volume_chart(painter, rect, kpis, theme=ChartTheme.from_palette(widget.palette()))

Painters take the KPI dataclasses of `cmdesk.core.kpis` and a `ChartTheme`
(colours and font); they never translate: texts that appear on a chart
(``empty_text``, ``labels``) are passed in by the caller.
"""

from __future__ import annotations

import atexit
import gc
import math
import os
from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter, QPainterPath, QPalette, QPen,
)

from cmdesk.core.kpis import PeriodKpis, RankedCount, SentimentDay, ShareOfVoice

__all__ = [
    "ChartTheme", "paint_volume_chart", "paint_share_of_voice", "paint_sentiment_chart", "paint_top_sources",
    "render_png", "ensure_gui_application", "nice_ticks",
]

SERIES_FALLBACK = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d")


@dataclass(frozen=True, slots=True)
class ChartTheme:
    """Colours (as #rrggbb text) and font of the charts."""

    background: str = "#ffffff"
    text: str = "#1f2937"
    muted: str = "#6b7280"
    grid: str = "#e5e7eb"
    axis: str = "#9ca3af"
    spike: str = "#b91c1c"
    positive: str = "#16a34a"
    neutral: str = "#9ca3af"
    negative: str = "#dc2626"
    bar: str = "#2563eb"
    font_family: str = ""
    font_px: float = 11.0
    fill_background: bool = True

    @classmethod
    def light(cls) -> "ChartTheme":
        return cls()

    @classmethod
    def dark(cls) -> "ChartTheme":
        return cls(background="#1f2937", text="#f3f4f6", muted="#9ca3af", grid="#374151", axis="#6b7280",
                   spike="#f87171", positive="#4ade80", neutral="#9ca3af", negative="#f87171", bar="#60a5fa")

    @classmethod
    def from_palette(cls, palette: QPalette, *, font: QFont | None = None) -> "ChartTheme":
        """A theme that follows a widget's palette (light or dark)."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = base.lightnessF() < 0.5
        start = cls.dark() if dark else cls.light()
        mid = QColor(text)
        mid.setAlphaF(0.6)
        grid = QColor(text)
        grid.setAlphaF(0.12)
        return cls(background=base.name(), text=text.name(), muted=_blend(text, base, 0.45),
                   grid=_blend(text, base, 0.85), axis=_blend(text, base, 0.6), spike=start.spike,
                   positive=start.positive, neutral=start.neutral, negative=start.negative,
                   bar=palette.color(QPalette.ColorRole.Highlight).name(),
                   font_family=font.family() if font is not None else "",
                   font_px=(font.pixelSize() if font is not None and font.pixelSize() > 0 else 11.0))

    def font(self, scale: float = 1.0, bold: bool = False) -> QFont:
        f = QFont(self.font_family) if self.font_family else QFont()
        f.setPixelSize(max(6, int(round(self.font_px * scale))))
        f.setBold(bold)
        return f


def _blend(a: QColor, b: QColor, t: float) -> str:
    """a mixed with b, t=0 gives a, t=1 gives b."""
    return QColor(int(a.red() + (b.red() - a.red()) * t), int(a.green() + (b.green() - a.green()) * t),
                  int(a.blue() + (b.blue() - a.blue()) * t)).name()


def _distinct_colors(colors: Sequence[str]) -> list[str]:
    """The given colours, with repeats (and blanks) replaced by unused fallback colours."""
    used: set[str] = set()
    spare = [c for c in SERIES_FALLBACK if c not in {x.lower() for x in colors if x}]
    out = []
    for c in colors:
        key = (c or "").lower()
        if not key or key in used:
            key = spare.pop(0) if spare else SERIES_FALLBACK[len(out) % len(SERIES_FALLBACK)]
        used.add(key)
        out.append(key)
    return out


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum` (0, 2, 4, ... / 0, 50, 100, ...)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / max(1, count)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    if maximum >= 1 and step < 1:
        step = 1.0
    n = int(math.ceil(maximum / step - 1e-9))
    return [i * step for i in range(n + 1)]


def _fmt(v: float) -> str:
    if v >= 1000 and float(v).is_integer():
        return f"{int(v):,}".replace(",", "\u202f")
    return f"{v:g}"


def _begin(painter: QPainter, rect: QRectF, theme: ChartTheme) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    if theme.fill_background:
        painter.fillRect(rect, QColor(theme.background))
    painter.setFont(theme.font())


def _empty(painter: QPainter, rect: QRectF, theme: ChartTheme, text: str) -> None:
    painter.setPen(QColor(theme.muted))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def _legend(painter: QPainter, rect: QRectF, entries: Sequence[tuple[str, str]], theme: ChartTheme) -> float:
    """Coloured swatches and names in rows at the top of rect; returns the height used."""
    fm = QFontMetricsF(painter.font())
    x, y = rect.left(), rect.top()
    h = fm.height()
    sw = h * 0.7
    for name, color in entries:
        w = sw + 4 + fm.horizontalAdvance(name) + 12
        if x + w > rect.right() and x > rect.left():
            x = rect.left()
            y += h + 2
        painter.fillRect(QRectF(x, y + (h - sw) / 2, sw, sw), QColor(color))
        painter.setPen(QColor(theme.text))
        painter.drawText(QPointF(x + sw + 4, y + fm.ascent()), name)
        x += w
    return (y - rect.top()) + h + 6 if entries else 0.0


def _y_axis(painter: QPainter, plot: QRectF, ticks: Sequence[float], theme: ChartTheme) -> None:
    fm = QFontMetricsF(painter.font())
    top = ticks[-1] or 1.0
    for t in ticks:
        y = plot.bottom() - plot.height() * t / top
        painter.setPen(QPen(QColor(theme.grid), 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(theme.muted))
        label = _fmt(t)
        painter.drawText(QPointF(plot.left() - 6 - fm.horizontalAdvance(label), y + fm.ascent() / 2 - 1), label)
    painter.setPen(QPen(QColor(theme.axis), 1))
    painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))


def _x_labels(painter: QPainter, plot: QRectF, days: Sequence[date], x_of: Callable[[int], float],
              theme: ChartTheme, day_label: Callable[[date], str]) -> None:
    fm = QFontMetricsF(painter.font())
    if not days:
        return
    widest = max(fm.horizontalAdvance(day_label(d)) for d in days[:3] + days[-1:]) + 8
    slot = plot.width() / max(1, len(days))
    every = max(1, math.ceil(widest / max(slot, 1e-6)))
    painter.setPen(QColor(theme.muted))
    for i, d in enumerate(days):
        if i % every:
            continue
        label = day_label(d)
        w = fm.horizontalAdvance(label)
        x = min(max(x_of(i) - w / 2, plot.left() - 4), plot.right() - w + 4)
        painter.drawText(QPointF(x, plot.bottom() + fm.ascent() + 4), label)


def _plot_rect(painter: QPainter, rect: QRectF, max_value: float, top_used: float) -> tuple[QRectF, list[float]]:
    fm = QFontMetricsF(painter.font())
    ticks = nice_ticks(max_value)
    left = max(fm.horizontalAdvance(_fmt(t)) for t in ticks) + 10
    plot = QRectF(rect.left() + left, rect.top() + top_used + fm.height() / 2,
                  rect.width() - left - 8, rect.height() - top_used - fm.height() * 2 - 6)
    return plot, ticks


def _default_day_label(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}"


def paint_volume_chart(painter: QPainter, rect: QRectF, kpis: PeriodKpis, *, theme: ChartTheme | None = None,
                       empty_text: str = "No mentions", total_label: str = "All mentions",
                       day_label: Callable[[date], str] = _default_day_label, max_series: int = 8,
                       show_spikes: bool = True) -> None:
    """Mentions per day, one line per watch term (term colours), spikes marked.

    Terms without mentions in the period are left out; beyond `max_series`
    terms only the busiest are drawn. Without any term series, the total is
    drawn. A spike is a ring in `theme.spike` around that day's point.
    """
    theme = theme or ChartTheme.light()
    rect = QRectF(rect)
    _begin(painter, rect, theme)
    days = kpis.days
    series = [s for s in kpis.daily_per_term if any(s.counts)]
    series.sort(key=lambda s: -sum(s.counts))
    series = series[:max_series]
    colors = _distinct_colors([s.color for s in series])
    lines: list[tuple[str, str, Sequence[int], int | None]] = [
        (s.name, c, s.counts, s.term_id) for s, c in zip(series, colors)]
    if not lines and any(kpis.daily_total):
        lines = [(total_label, theme.bar, kpis.daily_total, None)]
    if not lines or not days:
        _empty(painter, rect, theme, empty_text)
        return
    used = _legend(painter, rect, [(n, c) for n, c, _v, _t in lines], theme)
    peak = max(max(v) for _n, _c, v, _t in lines)
    plot, ticks = _plot_rect(painter, rect, peak, used)
    _y_axis(painter, plot, ticks, theme)
    n = len(days)
    top = ticks[-1] or 1.0

    def x_of(i: int) -> float:
        return plot.left() + (plot.width() * (i + 0.5) / n)

    def y_of(v: float) -> float:
        return plot.bottom() - plot.height() * v / top

    _x_labels(painter, plot, days, x_of, theme, day_label)
    spikes = {(s.term_id, s.day) for s in kpis.spikes} if show_spikes else set()
    day_index = {d: i for i, d in enumerate(days)}
    for name, color, values, term_id in lines:
        path = QPainterPath()
        path.moveTo(x_of(0), y_of(values[0]))
        for i in range(1, n):
            path.lineTo(x_of(i), y_of(values[i]))
        painter.setPen(QPen(QColor(color), 2 if n > 1 else 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if n <= 40:
            painter.setBrush(QColor(color))
            painter.setPen(Qt.PenStyle.NoPen)
            for i in range(n):
                painter.drawEllipse(QPointF(x_of(i), y_of(values[i])), 2.2, 2.2)
    if spikes:
        by_term = {t: v for _n, _c, v, t in lines if t is not None}
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(theme.spike), 2))
        for term_id, d in sorted(spikes, key=lambda x: (x[1], x[0])):
            if term_id in by_term and d in day_index:
                i = day_index[d]
                p = QPointF(x_of(i), y_of(by_term[term_id][i]))
                painter.drawEllipse(p, 6, 6)
                # a small flag above the point, so spikes show in print too
                painter.drawLine(QPointF(p.x(), p.y() - 6), QPointF(p.x(), p.y() - 14))
    painter.restore()


def _plain_percent(ratio: float, decimals: int) -> str:
    return f"{ratio * 100:.{decimals}f}%"


def paint_share_of_voice(painter: QPainter, rect: QRectF, sov: ShareOfVoice, *, theme: ChartTheme | None = None,
                         by: str = "mentions", empty_text: str = "No brand or competitor mentions",
                         percent: Callable[[float, int], str] = _plain_percent) -> None:
    """A 100 % bar split by brand and competitor terms, with names and shares below.

    ``by`` is "mentions" or "reach"; ``percent(ratio, decimals)`` writes a share
    in the reader's language ("12,5 %" in French).
    """
    theme = theme or ChartTheme.light()
    rect = QRectF(rect)
    _begin(painter, rect, theme)
    values = [(e.name, e.color, e.mentions if by == "mentions" else e.reach) for e in sov.entries]
    values = [(n, c, v) for n, c, v in values if v > 0]
    values = [(n, c, v) for (n, _c, v), c in zip(values, _distinct_colors([c for _n, c, _v in values]))]
    total = sum(v for _n, _c, v in values)
    if not values or total <= 0:
        _empty(painter, rect, theme, empty_text)
        return
    fm = QFontMetricsF(painter.font())
    bar_h = min(36.0, max(14.0, rect.height() * 0.3))
    bar = QRectF(rect.left() + 4, rect.top() + 4, rect.width() - 8, bar_h)
    x = bar.left()
    for i, (name, color, v) in enumerate(values):
        w = bar.width() * v / total
        seg = QRectF(x, bar.top(), w, bar.height())
        painter.fillRect(seg, QColor(color or SERIES_FALLBACK[i % len(SERIES_FALLBACK)]))
        pct = percent(v / total, 0)
        if fm.horizontalAdvance(pct) + 6 < w:
            painter.setPen(QColor("#ffffff"))
            painter.drawText(seg, Qt.AlignmentFlag.AlignCenter, pct)
        x += w
    legend = [(f"{n} {percent(v / total, 1)}", c or SERIES_FALLBACK[i % len(SERIES_FALLBACK)])
              for i, (n, c, v) in enumerate(values)]
    _legend(painter, QRectF(rect.left() + 4, bar.bottom() + 8, rect.width() - 8, rect.height() - bar_h - 12),
            legend, theme)
    painter.restore()


def paint_sentiment_chart(painter: QPainter, rect: QRectF, days: Sequence[SentimentDay], *,
                          theme: ChartTheme | None = None, empty_text: str = "No mentions",
                          labels: Mapping[str, str] | None = None,
                          day_label: Callable[[date], str] = _default_day_label) -> None:
    """Stacked bars per day: positive (bottom), neutral, negative (top)."""
    theme = theme or ChartTheme.light()
    labels = labels or {"positive": "positive", "neutral": "neutral", "negative": "negative"}
    rect = QRectF(rect)
    _begin(painter, rect, theme)
    if not days or not any(d.total for d in days):
        _empty(painter, rect, theme, empty_text)
        return
    colors = (("positive", theme.positive), ("neutral", theme.neutral), ("negative", theme.negative))
    used = _legend(painter, rect, [(labels[k], c) for k, c in colors], theme)
    peak = max(d.total for d in days)
    plot, ticks = _plot_rect(painter, rect, peak, used)
    _y_axis(painter, plot, ticks, theme)
    n = len(days)
    top = ticks[-1] or 1.0
    slot = plot.width() / n
    bw = max(1.0, slot * 0.7)

    def x_of(i: int) -> float:
        return plot.left() + slot * (i + 0.5)

    _x_labels(painter, plot, [d.day for d in days], x_of, theme, day_label)
    painter.setPen(Qt.PenStyle.NoPen)
    for i, d in enumerate(days):
        y = plot.bottom()
        for key, color in colors:
            v = getattr(d, key)
            if not v:
                continue
            h = plot.height() * v / top
            painter.fillRect(QRectF(x_of(i) - bw / 2, y - h, bw, h), QColor(color))
            y -= h
    painter.restore()


def paint_top_sources(painter: QPainter, rect: QRectF, items: Sequence[RankedCount], *,
                      theme: ChartTheme | None = None, empty_text: str = "No sources", max_items: int = 10) -> None:
    """Horizontal bars of the busiest sources (or authors), count at the end of each bar."""
    theme = theme or ChartTheme.light()
    rect = QRectF(rect)
    _begin(painter, rect, theme)
    items = list(items)[:max_items]
    if not items:
        _empty(painter, rect, theme, empty_text)
        return
    fm = QFontMetricsF(painter.font())
    label_w = min(rect.width() * 0.4, max(fm.horizontalAdvance(i.name) for i in items) + 8)
    count_w = max(fm.horizontalAdvance(_fmt(i.mentions)) for i in items) + 8
    row_h = min(rect.height() / len(items), fm.height() * 1.8)
    peak = max(i.mentions for i in items) or 1
    bar_area = rect.width() - label_w - count_w
    for k, it in enumerate(items):
        y = rect.top() + k * row_h
        painter.setPen(QColor(theme.text))
        name = fm.elidedText(it.name, Qt.TextElideMode.ElideMiddle, label_w - 8)
        painter.drawText(QRectF(rect.left(), y, label_w - 8, row_h),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, name)
        w = max(1.0, bar_area * it.mentions / peak)
        painter.fillRect(QRectF(rect.left() + label_w, y + row_h * 0.2, w, row_h * 0.6), QColor(theme.bar))
        painter.setPen(QColor(theme.muted))
        painter.drawText(QRectF(rect.left() + label_w + w + 4, y, count_w, row_h),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, _fmt(it.mentions))
    painter.restore()


# -- off-screen rendering ------------------------------------------------------------

def ensure_gui_application() -> QGuiApplication:
    """The running Q(Gui)Application, or a new one; off-screen when there is no display.

    Fonts and text layout need a QGuiApplication even to paint into a QImage
    or a PDF. On a machine without DISPLAY / WAYLAND_DISPLAY (a server, CI,
    `cmdesk report` over ssh) the "offscreen" platform is chosen first.
    """
    app = QGuiApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    if (os.name == "posix" and not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY") and not _is_macos()):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    global _APP
    # A QApplication, not a bare QGuiApplication: the same process may show
    # widgets later (the GUI, a test session), and widgets abort on a
    # QGuiApplication. QtWidgets ships with QtGui in every PySide6 wheel.
    from PySide6.QtWidgets import QApplication
    _APP = QApplication(["cmdesk"])
    atexit.register(_release_application)
    return _APP


_APP: QGuiApplication | None = None


def _release_application() -> None:
    """Destroy the application we created before the interpreter's final
    garbage collection: left to it, PySide6 can abort with "none_dealloc"."""
    global _APP
    app, _APP = _APP, None
    if app is not None:
        try:
            if hasattr(app, "shutdown"):
                app.shutdown()
        except RuntimeError:  # already destroyed by its owner
            pass
        del app
        gc.collect()


def _is_macos() -> bool:
    import sys
    return sys.platform == "darwin"


def render_png(paint: Callable[..., None], data, width: int, height: int, *, theme: ChartTheme | None = None,
               scale: float = 2.0, **kwargs) -> bytes:
    """PNG bytes of one chart painted at `width`×`height` logical pixels (×`scale` for print)."""
    ensure_gui_application()
    image = QImage(int(width * scale), int(height * scale), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(QColor((theme or ChartTheme.light()).background))
    painter = QPainter(image)
    try:
        paint(painter, QRectF(0, 0, width, height), data, theme=theme, **kwargs)
    finally:
        painter.end()
    if image.pixelColor(0, 0).alpha() == 255:  # an opaque background: RGB encodes faster and smaller
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(dev, "PNG")
    dev.close()
    return bytes(buf.data())
