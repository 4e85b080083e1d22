"""File ▸ Export monthly summary…: month, formats, language, folder, and a preview."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QTextBrowser, QVBoxLayout, QWidget,
)

from cmdesk.ui.widgets.tasks import run_in_background

__all__ = ["ReportExportDialog"]

log = logging.getLogger(__name__)

MONTHS_LISTED = 18


class ReportExportDialog(QDialog):
    """Exports a month as PDF/HTML/CSV through `cmdesk.report.export.export_month`, off the GUI thread.

    The preview is the report's own markup (the one the PDF lays out) with
    its charts, computed off the GUI thread too; a month's numbers are
    computed once and reused when only the language changes.
    """

    def __init__(self, services, parent=None, *, today: dt.date | None = None):
        super().__init__(parent)
        from cmdesk.core.kpis import Period

        self.services = services
        self.result = None  # the last ExportResult
        self.busy = False  # an export is running
        self._Period = Period
        self._summaries: dict[tuple[int, int], object] = {}  # (year, month) -> MonthlySummary
        self._preview_request = 0
        self.setWindowTitle(self.tr("Export monthly summary"))
        self.resize(860, 640)

        self.month = QComboBox()
        today = today or dt.date.today()
        locale = QLocale()
        y, m = today.year, today.month
        for i in range(MONTHS_LISTED):
            mm, yy = m - i, y
            while mm < 1:
                mm += 12
                yy -= 1
            name = locale.standaloneMonthName(mm, QLocale.FormatType.LongFormat)
            self.month.addItem(f"{name[:1].upper()}{name[1:]} {yy}", (yy, mm))
        self.month.setCurrentIndex(1)  # the previous month, as the CLI does
        self.lang = QComboBox()
        self.lang.addItem(self.tr("English"), "en")
        self.lang.addItem(self.tr("French"), "fr")
        lang = self._setting("report.lang", "en")
        self.lang.setCurrentIndex(max(0, self.lang.findData(lang)))
        self.formats = {f: QCheckBox(f.upper()) for f in ("pdf", "html", "csv")}
        fmt_row = QHBoxLayout()
        for c in self.formats.values():
            c.setChecked(True)
            c.toggled.connect(self._update_buttons)
            fmt_row.addWidget(c)
        fmt_row.addStretch(1)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        self.folder = QLineEdit(docs)
        self.folder.textChanged.connect(self._update_buttons)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.preview = QTextBrowser()
        self.preview.setOpenExternalLinks(True)  # the top mentions link to their pages
        self.preview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # tables follow the width
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.status.setOpenExternalLinks(True)
        form = QFormLayout()
        form.addRow(self.tr("Month:"), self.month)
        form.addRow(self.tr("Language:"), self.lang)
        form.addRow(self.tr("Formats:"), self._wrap(fmt_row))
        form.addRow(self.tr("Folder:"), self._wrap(folder_row))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
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

    def select_month(self, year: int, month: int) -> bool:
        """Choose a month of the list; False when it is not offered."""
        for i in range(self.month.count()):
            if tuple(self.month.itemData(i)) == (year, month):
                self.month.setCurrentIndex(i)
                return True
        return False

    def selected_formats(self) -> tuple[str, ...]:
        return tuple(f for f, c in self.formats.items() if c.isChecked())

    def _stats(self):
        stats = getattr(self.services, "stats", None)
        if stats is None:
            from cmdesk.services.stats import StatsService

            stats = StatsService(self.services.db_path)
        return stats

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(not self.busy and bool(self.selected_formats())
                                      and bool(self.folder.text().strip()))

    # -- preview ---------------------------------------------------------------
    def _update_preview(self) -> None:
        self._preview_request += 1
        number = self._preview_request
        period, lang, stats = self.period(), self.lang.currentData(), self._stats()
        key = (period.start.year, period.start.month)
        cached = self._summaries.get(key)
        self.preview.setHtml("<p style='color:gray'>" + self.tr("Computing the summary…") + "</p>")

        def build():
            from cmdesk.report.html import chart_images
            from cmdesk.report.i18n import Catalog

            summary = cached if cached is not None else stats.monthly_summary(*key)
            return summary, chart_images(summary, Catalog(lang))

        def shown(result):
            summary, images = result
            self._summaries[key] = summary
            if number == self._preview_request:
                self._show_preview(summary, images, lang)

        def failed(exc):
            if number == self._preview_request:
                self.preview.setPlainText(self.tr("No preview: {why}").format(why=exc))

        run_in_background(build, shown, failed, parent=self)

    def _show_preview(self, summary, images: dict[str, bytes], lang: str) -> None:
        from cmdesk.report.html import summary_html
        from cmdesk.report.pdf import QT_STYLESHEET

        doc = self.preview.document()
        doc.setDefaultStyleSheet(QT_STYLESHEET)
        for name, png in images.items():
            img = QImage.fromData(png, "PNG")
            img.setDevicePixelRatio(2.0)  # rendered at 2x: sharp on high-density screens
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), img)
        self.preview.setHtml(summary_html(summary, lang=lang, image_src=lambda n: f"chart:{n}", for_qt=True,
                                          paged=False))

    def preview_text(self) -> str:
        return self.preview.toPlainText()

    # -- export ----------------------------------------------------------------
    def _export(self) -> None:
        formats = self.selected_formats()
        if not formats:
            self.status.setText(self.tr("Choose at least one format."))
            return
        text = self.folder.text().strip()
        if not text:
            self.status.setText(self.tr("Choose a folder."))
            return
        folder = Path(text).expanduser()
        period, lang, stats = self.period(), self.lang.currentData(), self._stats()
        self.busy = True
        self._update_buttons()
        self.status.setText(self.tr("Exporting {month}…").format(month=self.month.currentText()))
        started = time.perf_counter()

        def run():
            from cmdesk.report.export import export_month

            folder.mkdir(parents=True, exist_ok=True)
            return export_month(stats, period, formats=formats, out=folder, lang=lang)

        def done(result):
            self.result = result
            self.busy = False
            self._update_buttons()
            self._summaries[(period.start.year, period.start.month)] = result.summary
            files = "<br>".join(f'<a href="{Path(f).as_uri()}">{_escape(str(f))}</a>' for f in result.files)
            took = self.tr("{n} files written in {s:.1f} s:").format(n=len(result.files),
                                                                     s=time.perf_counter() - started)
            self.status.setText(f"{_escape(took)}<br>{files}")

        def failed(exc):
            self.busy = False
            self._update_buttons()
            log.warning("monthly summary export failed: %s", exc)
            self.status.setText(_escape(self.tr("The export failed: {why}").format(why=exc)))

        run_in_background(run, done, failed, parent=self)

    def reject(self) -> None:
        # Closing during an export would leave it writing in the background with no report.
        if self.busy:
            self.status.setText(self.tr("Wait for the export to finish."))
            return
        super().reject()


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
