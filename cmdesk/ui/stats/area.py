"""The Stats area: a period picker, six KPI cards with deltas, and four charts.

Numbers come from `StatsService.period_report` (SQL aggregates) computed on
a `QThreadPool` thread so a big store never freezes the window; the result (a
frozen `PeriodComparison`) comes back to the GUI thread by signal, and a
result for a request that was superseded is dropped.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QRunnable, QSettings, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout,
    QWidget,
)

from cmdesk.core.kpis import Period, PeriodComparison
from cmdesk.ui.stats.cards import KpiCard, Panel, card_view, format_percent
from cmdesk.ui.stats.chart_widgets import (
    ChartWidget, SentimentChart, ShareOfVoiceChart, TopSourcesChart, VolumeChart,
)
from cmdesk.ui.stats.periods import PERIOD_KEYS, period_for

__all__ = ["StatsArea", "CARD_KEYS"]

log = logging.getLogger(__name__)

CARD_KEYS = ("mentions", "brand_share", "net_sentiment", "response_rate", "median_response_s", "backlog")


class _ReportSignals(QObject):
    done = Signal(int, object)  # request number, PeriodComparison
    failed = Signal(int, str)


class _ReportTask(QRunnable):
    """One `period_report` call on a pool thread (the service opens its own connection)."""

    def __init__(self, stats, period: Period, number: int, signals: _ReportSignals):
        super().__init__()
        self.stats, self.period, self.number, self.signals = stats, period, number, signals

    def run(self):
        try:
            result = self.stats.period_report(self.period.start, self.period.end)
        except Exception as exc:  # reported in the area, never lost in a thread
            log.exception("statistics could not be computed")
            self.signals.failed.emit(self.number, str(exc) or type(exc).__name__)
        else:
            self.signals.done.emit(self.number, result)


class _ChartPanel(Panel):
    def __init__(self, chart: ChartWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.subtitle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(head)
        layout.addWidget(chart, 1)


class StatsArea(QWidget):
    """KPIs and charts of a period compared with the previous one (area contract)."""

    loaded = Signal(object)  # PeriodComparison, after the cards and charts show it
    failed = Signal(str)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.stats = getattr(services, "stats", None)
        if self.stats is None:
            from cmdesk.services.stats import StatsService

            self.stats = StatsService(services.db_path)
        self.setObjectName("statsArea")
        self.comparison: PeriodComparison | None = None
        self.period: Period | None = None
        self._request = 0
        self._dirty = True
        self._columns = 0
        # No parent: a task still running when the area is deleted keeps its own reference
        # and emits into nothing, instead of into a deleted object.
        self._signals = _ReportSignals()
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self.pool = QThreadPool.globalInstance()

        # -- header: period picker ---------------------------------------------------
        self.period_label = QLabel()
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        for key in PERIOD_KEYS:
            self.period_combo.addItem("", key)
        self.period_label.setBuddy(self.period_combo)
        today = self.today()
        self.from_edit = QDateEdit(QDate(today.year, today.month, 1))
        self.to_edit = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.from_edit, "fromDate"), (self.to_edit, "toDate")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._custom_changed)
        self.dash = QLabel("–")
        self.range_label = QLabel()
        self.range_label.setObjectName("rangeLabel")
        self.compare_label = QLabel()
        self.compare_label.setObjectName("compareLabel")
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.reload_button = QPushButton()
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.clicked.connect(self.reload)

        header = QHBoxLayout()
        header.addWidget(self.period_label)
        header.addWidget(self.period_combo)
        header.addWidget(self.from_edit)
        header.addWidget(self.dash)
        header.addWidget(self.to_edit)
        header.addSpacing(12)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(self.range_label)
        texts.addWidget(self.compare_label)
        header.addLayout(texts)
        header.addStretch(1)
        header.addWidget(self.status)
        header.addWidget(self.reload_button)

        # -- cards ---------------------------------------------------------------------
        self.cards = {key: KpiCard(key) for key in CARD_KEYS}
        self.cards_grid = QGridLayout()
        self.cards_grid.setSpacing(10)

        # -- charts --------------------------------------------------------------------
        self.volume = VolumeChart()
        self.volume.setObjectName("volumeChart")
        self.share = ShareOfVoiceChart()
        self.share.setObjectName("shareChart")
        self.sentiment = SentimentChart()
        self.sentiment.setObjectName("sentimentChart")
        self.sources = TopSourcesChart()
        self.sources.setObjectName("sourcesChart")
        self.panels = {name: _ChartPanel(chart) for name, chart in
                       (("volume", self.volume), ("share", self.share), ("sentiment", self.sentiment),
                        ("sources", self.sources))}
        charts = QGridLayout()
        charts.setSpacing(10)
        charts.addWidget(self.panels["volume"], 0, 0, 1, 2)
        charts.addWidget(self.panels["sentiment"], 1, 0)
        charts.addWidget(self.panels["sources"], 1, 1)
        charts.addWidget(self.panels["share"], 2, 0, 1, 2)
        self.panels["share"].setFixedHeight(130)
        charts.setRowStretch(0, 3)
        charts.setRowStretch(1, 2)
        charts.setRowStretch(2, 0)
        charts.setColumnStretch(0, 3)
        charts.setColumnStretch(1, 2)

        content = QWidget()
        content.setObjectName("statsContent")
        body = QVBoxLayout(content)
        body.setContentsMargins(12, 10, 12, 12)
        body.setSpacing(12)
        body.addLayout(header)
        body.addLayout(self.cards_grid)
        body.addLayout(charts, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        # No fixed minimum: the layout's own (the charts' minimum heights) decides when to scroll.
        content.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        self.reload_action = QAction(self)
        self.reload_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_R))
        self.reload_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reload_action.triggered.connect(self.reload)
        self.addAction(self.reload_action)

        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self._layout_cards(6)
        self.retranslate()
        self._sync_custom_visibility()

    # -- contract ------------------------------------------------------------------
    def area_actions(self) -> list[QAction]:
        return [self.reload_action]

    def on_refresh_finished(self, summary=None) -> None:
        """New mentions may have arrived: recompute now if visible, else when shown."""
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("stats/period", self.period_key())
        settings.setValue("stats/from", self.from_edit.date().toString(Qt.DateFormat.ISODate))
        settings.setValue("stats/to", self.to_edit.date().toString(Qt.DateFormat.ISODate))

    def restore_state(self, settings: QSettings) -> None:
        for name, edit in (("stats/from", self.from_edit), ("stats/to", self.to_edit)):
            d = QDate.fromString(str(settings.value(name, "")), Qt.DateFormat.ISODate)
            if d.isValid():
                edit.blockSignals(True)
                edit.setDate(d)
                edit.blockSignals(False)
        key = settings.value("stats/period", "this_month")
        i = self.period_combo.findData(key)
        if i >= 0:
            self.set_period_key(key)
        self._dirty = True

    # -- period -----------------------------------------------------------------
    def today(self) -> date:
        return date.fromtimestamp(self.stats.clock())

    def period_key(self) -> str:
        return self.period_combo.currentData()

    def set_period_key(self, key: str) -> None:
        i = self.period_combo.findData(key)
        if i < 0:
            raise ValueError(f"unknown period {key!r}")
        if i == self.period_combo.currentIndex():
            self.reload()
        else:
            self.period_combo.setCurrentIndex(i)

    def set_custom_range(self, first: date, last: date) -> None:
        """Show the custom period [first, last] (both days included)."""
        for edit, d in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(d.year, d.month, d.day))
            edit.blockSignals(False)
        self.set_period_key("custom")

    def current_period(self) -> Period:
        custom = (self.from_edit.date().toPython(), self.to_edit.date().toPython())
        return period_for(self.period_key(), self.today(), custom)

    def _period_changed(self, _index: int) -> None:
        self._sync_custom_visibility()
        self.reload()

    def _custom_changed(self, _d) -> None:
        if self.period_key() == "custom":
            self.reload()

    def _sync_custom_visibility(self) -> None:
        custom = self.period_key() == "custom"
        for w in (self.from_edit, self.dash, self.to_edit):
            w.setVisible(custom)

    # -- loading -------------------------------------------------------------------
    def reload(self) -> None:
        """Compute the KPIs of the current period on a pool thread (when shown; else on show)."""
        self.period = self.current_period()
        if not self.isVisible():
            self._dirty = True
            self._show_range()
            return
        self._dirty = False
        self._request += 1
        self.status.setText(self.tr("Computing…"))
        self._show_range()
        self.pool.start(_ReportTask(self.stats, self.period, self._request, self._signals))

    def _on_done(self, number: int, comparison: PeriodComparison) -> None:
        if number != self._request:
            return  # an older request finished after a newer one started
        self.comparison = comparison
        self.status.setText("")
        self._show()
        self.loaded.emit(comparison)

    def _on_failed(self, number: int, message: str) -> None:
        if number != self._request:
            return
        self.status.setText(self.tr("Statistics could not be computed: %1").replace("%1", message))
        self.failed.emit(message)

    def showEvent(self, event):
        super().showEvent(event)
        if self._dirty:
            self.reload()

    # -- display ---------------------------------------------------------------------
    def _range_text(self, p: Period) -> str:
        loc = QLocale()
        first, last = p.start, p.end - timedelta(days=1)
        fmt = "d MMM yyyy"
        a = loc.toString(QDate(first.year, first.month, first.day), fmt)
        b = loc.toString(QDate(last.year, last.month, last.day), fmt)
        if first == last:
            return a
        return self.tr("%1 – %2").replace("%1", a).replace("%2", b)

    def _show_range(self) -> None:
        if self.period is None:
            return
        self.range_label.setText(f"<b>{self._range_text(self.period)}</b>")
        self.compare_label.setText(self.tr("compared with %1").replace("%1", self._range_text(self.period.previous())))

    def card_titles(self) -> dict[str, str]:
        return {"mentions": self.tr("Mentions"), "brand_share": self.tr("Share of voice"),
                "net_sentiment": self.tr("Net sentiment"), "response_rate": self.tr("Response rate"),
                "median_response_s": self.tr("Median response time"), "backlog": self.tr("Backlog")}

    def _show(self) -> None:
        c = self.comparison
        if c is None:
            return
        self._show_range()
        previous_empty = not c.previous.has_activity
        titles = self.card_titles()
        previous_label = self.tr("Previous period: %1")
        for key, card in self.cards.items():
            card.set_view(card_view(key, titles[key], c.delta(key), previous_empty), previous_label)
        for chart in (self.volume, self.share, self.sentiment, self.sources):
            chart.set_kpis(c.current)
        spikes = len(c.current.spikes)
        self.panels["volume"].subtitle.setText(self.tr("Spikes: %1").replace("%1", str(spikes)) if spikes else "")
        sov = c.current.share_of_voice
        self.panels["share"].subtitle.setText(
            self.tr("Brand: %1 of brand + competitor mentions").replace("%1", format_percent(sov.brand_share, 1))
            if sov.brand_share is not None else "")
        net = c.current.sentiment.net
        self.panels["sentiment"].subtitle.setText(
            self.tr("Positive: %1 · Negative: %2").replace("%1", QLocale().toString(c.current.sentiment.positive))
            .replace("%2", QLocale().toString(c.current.sentiment.negative)) if net is not None else "")
        self.panels["sources"].subtitle.setText(
            self.tr("Sources: %1").replace("%1", QLocale().toString(c.current.unique_sources))
            if c.current.unique_sources else "")

    def retranslate(self) -> None:
        self.period_label.setText(self.tr("Period:"))
        names = {"this_month": self.tr("This month"), "last_month": self.tr("Last month"),
                 "last_7_days": self.tr("Last 7 days"), "last_30_days": self.tr("Last 30 days"),
                 "custom": self.tr("Custom range")}
        for i in range(self.period_combo.count()):
            self.period_combo.setItemText(i, names[self.period_combo.itemData(i)])
        self.reload_button.setText(self.tr("Reload"))
        self.reload_action.setText(self.tr("Reload statistics"))
        self.reload_button.setToolTip(self.tr("Compute the statistics again (Ctrl+R)"))
        titles = self.card_titles()
        for key, card in self.cards.items():
            card.title.setText(titles[key])
        self.panels["volume"].title.setText(self.tr("Mentions per day"))
        self.panels["share"].title.setText(self.tr("Share of voice"))
        self.panels["sentiment"].title.setText(self.tr("Sentiment over time"))
        self.panels["sources"].title.setText(self.tr("Top sources"))
        for d in (self.from_edit, self.to_edit):
            d.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        self._show_range()
        self._show()  # numbers and dates are formatted in the interface language
        for chart in (self.volume, self.share, self.sentiment, self.sources):
            chart.update()

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _layout_cards(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards.values():
            self.cards_grid.removeWidget(card)
        for i, key in enumerate(CARD_KEYS):
            self.cards_grid.addWidget(self.cards[key], i // columns, i % columns)
        for c in range(6):
            self.cards_grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event):
        self._layout_cards(6 if event.size().width() >= 1020 else 3)
        super().resizeEvent(event)
