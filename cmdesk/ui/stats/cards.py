"""KPI cards: a headline number and its change against the previous period.

Formatting follows the interface language (`QLocale()` default, set by
`cmdesk.ui.i18n.install_translator`): "1 234" and "42,5 %" in French.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QLocale, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from cmdesk.core.kpis import KpiDelta

translate = QCoreApplication.translate  # lupdate reads literal translate("Context", "text") calls

__all__ = ["KpiCard", "CardView", "card_view", "format_value", "format_duration", "format_delta"]


# Which way is good for each headline KPI the stats area shows.
HIGHER_IS_BETTER = {"mentions": True, "brand_share": True, "net_sentiment": True, "response_rate": True,
                    "median_response_s": False, "backlog": False}



def _number(value: float, decimals: int = 0) -> str:
    return QLocale().toString(float(value), "f", decimals)


def format_duration(seconds: float | None) -> str:
    """"45 s", "12 min", "3 h 05", "2 d 4 h" (translated units)."""
    if seconds is None:
        return translate("StatsFormat", "n/a")
    s = int(round(abs(seconds)))
    if s < 60:
        text = translate("StatsFormat", "%1 s").replace("%1", str(s))
    elif s < 3600:
        text = translate("StatsFormat", "%1 min").replace("%1", str(round(s / 60)))
    elif s < 86400:
        h, m = divmod(round(s / 60), 60)
        text = translate("StatsFormat", "%1 h %2").replace("%1", str(h)).replace("%2", f"{m:02d}") if m else \
            translate("StatsFormat", "%1 h").replace("%1", str(h))
    else:
        d, h = divmod(round(s / 3600), 24)
        text = translate("StatsFormat", "%1 d %2 h").replace("%1", str(d)).replace("%2", str(h)) if h else \
            translate("StatsFormat", "%1 d").replace("%1", str(d))
    return ("−" + text) if seconds < 0 else text


def format_percent(ratio: float, decimals: int = 0, signed: bool = False) -> str:
    number = _number(ratio * 100, decimals)
    if signed and ratio > 0:
        number = "+" + number
    return translate("StatsFormat", "%1%").replace("%1", number.replace("-", "−"))


def format_value(key: str, unit: str, value) -> str:
    """The headline value of a KPI as a card shows it."""
    if value is None:
        return translate("StatsFormat", "n/a")
    if unit == "ratio":
        return format_percent(value, 0, signed=key == "net_sentiment")
    if unit == "seconds":
        return format_duration(value)
    if unit == "reach":
        return _number(value, 0 if value >= 100 else 1)
    return QLocale().toString(int(value))


def format_delta(d: KpiDelta, previous_empty: bool) -> tuple[str, int]:
    """(text, direction) where direction is +1 up, -1 down, 0 none/no change.

    Counts change in %, ratios in points, durations in time. "n/a" when the
    previous period had no activity or a value is missing."""
    if previous_empty or d.change is None:
        return translate("StatsFormat", "n/a"), 0
    change = d.change
    if d.unit == "ratio":
        pts = change * 100
        if round(pts, 1) == 0:
            return translate("StatsFormat", "no change"), 0
        text = translate("StatsFormat", "%1 pts").replace("%1", ("+" if pts > 0 else "−") + _number(abs(pts), 1))
        return text, 1 if pts > 0 else -1
    if d.unit == "seconds":
        if round(change) == 0:
            return translate("StatsFormat", "no change"), 0
        return ("+" if change > 0 else "") + format_duration(change), 1 if change > 0 else -1
    if change == 0:
        return translate("StatsFormat", "no change"), 0
    pct = d.change_pct
    if pct is None:  # previous value 0 (backlog was empty): show the count difference
        return ("+" if change > 0 else "−") + QLocale().toString(int(abs(change))), 1 if change > 0 else -1
    text = translate("StatsFormat", "%1%").replace("%1", _number(abs(pct), 0))
    return ("+" if pct > 0 else "−") + text, 1 if pct > 0 else -1


@dataclass(frozen=True)
class CardView:
    """What one card displays (kept for tests and accessibility)."""

    key: str
    title: str
    value: str
    delta: str
    direction: int  # +1, -1, 0
    good: bool | None  # None when there is no direction
    previous: str


def card_view(key: str, title: str, d: KpiDelta, previous_empty: bool) -> CardView:
    delta, direction = format_delta(d, previous_empty)
    good = None if direction == 0 else (direction > 0) == HIGHER_IS_BETTER.get(key, True)
    return CardView(key, title, format_value(key, d.unit, d.current), delta, direction, good,
                    format_value(key, d.unit, d.previous))


def good_bad_colors(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """(good, bad, neutral) text colours readable on the palette's base colour."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    if dark:
        return QColor("#4ade80"), QColor("#f87171"), palette.color(QPalette.ColorRole.PlaceholderText)
    return QColor("#15803d"), QColor("#b91c1c"), palette.color(QPalette.ColorRole.PlaceholderText)


class Panel(QWidget):
    """A rounded surface in the palette's base colour (cards and chart panels)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        border = QColor(pal.color(QPalette.ColorRole.Text))
        border.setAlphaF(0.14)
        p.setPen(QPen(border, 1))
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        p.end()


class KpiCard(Panel):
    """Title, big value, and the change against the previous period (coloured)."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"kpi_{key}")
        self.view: CardView | None = None
        self.title = QLabel()
        self.title.setObjectName("title")
        self.value = QLabel("–")
        self.value.setObjectName("value")
        self.delta = QLabel()
        self.delta.setObjectName("delta")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        small = self.title.font()
        small.setPointSizeF(small.pointSizeF() * 0.92)
        self.title.setFont(small)
        self.delta.setFont(small)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.delta)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(150)

    def set_view(self, view: CardView, previous_label: str) -> None:
        self.view = view
        self.title.setText(view.title)
        self.value.setText(view.value)
        arrow = {1: "▲ ", -1: "▼ ", 0: ""}[view.direction]
        self.delta.setText(arrow + view.delta)
        self.setToolTip(previous_label.replace("%1", view.previous))
        self._color_delta()

    def _color_delta(self):
        good, bad, neutral = good_bad_colors(self.palette())
        color = neutral if self.view is None or self.view.good is None else good if self.view.good else bad
        pal = self.delta.palette()
        pal.setColor(QPalette.ColorRole.WindowText, color)
        self.delta.setPalette(pal)
        muted = self.title.palette()
        muted.setColor(QPalette.ColorRole.WindowText, self.palette().color(QPalette.ColorRole.PlaceholderText))
        self.title.setPalette(muted)

    def changeEvent(self, event):
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange:
            self._color_delta()
        super().changeEvent(event)
