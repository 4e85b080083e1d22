"""File ▸ Export monthly summary…: month, formats, language, folder, and a preview."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QTextBrowser, QVBoxLayout, QWidget,
)

from cmdesk.ui.widgets.tasks import run_in_background

__all__ = ["ReportExportDialog"]

log = logging.getLogger(__name__)


class ReportExportDialog(QDialog):
    """Exports a month as PDF/HTML/CSV through `cmdesk.report.export.export_month`, off the GUI thread."""

    def __init__(self, services, parent=None):
        super().__init__(parent)
        from cmdesk.core.kpis import Period

        self.services = services
        self.result = None
        self.setWindowTitle(self.tr("Export monthly summary"))
        self.resize(860, 640)
        self.month = QComboBox()
        today = dt.date.today()
        y, m = today.year, today.month
        for i in range(18):
            mm, yy = m - i, y
            while mm < 1:
                mm += 12
                yy -= 1
            self.month.addItem(f"{yy}-{mm:02d}", (yy, mm))
        self.month.setCurrentIndex(1)  # the previous month, as the CLI does
        self.lang = QComboBox()
        self.lang.addItem(self.tr("English"), "en")
        self.lang.addItem(self.tr("French"), "fr")
        lang = self._setting("report.lang", "en")
        self.lang.setCurrentIndex(max(0, self.lang.findData(lang)))
        self.formats = {f: QCheckBox(f.upper()) for f in ("pdf", "html", "csv")}
        for c in self.formats.values():
            c.setChecked(True)
        fmt_row = QHBoxLayout()
        for c in self.formats.values():
            fmt_row.addWidget(c)
        fmt_row.addStretch(1)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.folder = QLineEdit(docs)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Month:"), self.month)
        form.addRow(self.tr("Language:"), self.lang)
        form.addRow(self.tr("Formats:"), self._wrap(fmt_row))
        form.addRow(self.tr("Folder:"), self._wrap(folder_row))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Preview:")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.month.currentIndexChanged.connect(self._update_preview)
        self.lang.currentIndexChanged.connect(self._update_preview)
        self._preview_request = 0
        self._Period = Period
        self._update_preview()

    @staticmethod
    def _wrap(layout) -> QWidget:
        w = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        w.setLayout(layout)
        return w

    def _setting(self, key, default):
        try:
            from cmdesk.services.settings import SettingsService

            return SettingsService(self.services.db_path).get(key) or default
        except Exception:
            return default

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export to"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def period(self):
        y, m = self.month.currentData()
        return self._Period.month(y, m)

    def _stats(self):
        stats = getattr(self.services, "stats", None)
        if stats is None:
            from cmdesk.services.stats import StatsService

            stats = StatsService(self.services.db_path)
        return stats

    def _update_preview(self) -> None:
        self._preview_request += 1
        number = self._preview_request
        period, lang, stats = self.period(), self.lang.currentData(), self._stats()
        self.preview.setHtml("<p style='color:gray'>" + self.tr("Computing the summary…") + "</p>")

        def build():
            from cmdesk.report.html import summary_html

            summary = stats.monthly_summary(period.start.year, period.start.month)
            return summary_html(summary, lang=lang)

        def shown(html):
            if number == self._preview_request:
                self.preview.setHtml(html)

        def failed(exc):
            if number == self._preview_request:
                self.preview.setPlainText(self.tr("No preview: {why}").format(why=exc))

        run_in_background(build, shown, failed, parent=self)

    def _export(self) -> None:
        formats = tuple(f for f, c in self.formats.items() if c.isChecked())
        if not formats:
            self.status.setText(self.tr("Choose at least one format."))
            return
        folder = Path(self.folder.text().strip() or ".")
        period, lang, stats = self.period(), self.lang.currentData(), self._stats()
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))

        def run():
            from cmdesk.report.export import export_month

            folder.mkdir(parents=True, exist_ok=True)
            return export_month(stats, period, formats=formats, out=folder, lang=lang)

        def done(result):
            self.result = result
            self.export_button.setEnabled(True)
            files = "<br>".join(f'<a href="{Path(f).as_uri()}">{f}</a>' for f in result.files)
            self.status.setText(self.tr("Written:") + "<br>" + files)
            self.status.setOpenExternalLinks(True)

        def failed(exc):
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("The export failed: {why}").format(why=exc))

        run_in_background(run, done, failed, parent=self)
