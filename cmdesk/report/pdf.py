"""The monthly summary as a PDF (QTextDocument laid out on QPdfWriter pages).

Needs a QGuiApplication: `ensure_gui_application()` creates an off-screen
one when none runs and there is no display, so `cmdesk report` works over
ssh and in CI.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout, QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter,
    QTextDocument,
)

from cmdesk.core.kpis import MonthlySummary
from cmdesk.report.charts import ensure_gui_application
from cmdesk.report.html import chart_images, summary_html
from cmdesk.report.i18n import Catalog

__all__ = ["write_pdf"]

DPI = 96  # layout in CSS-like pixels; charts are embedded at 2x for print
FOOTER_PX = 28


def write_pdf(summary: MonthlySummary, path: Path, *, lang: str = "en", tz: tzinfo | None = None,
              images: dict[str, bytes] | None = None) -> Path:
    """Write the PDF report (A4, page numbers in the footer); returns its path."""
    ensure_gui_application()
    cat = Catalog(lang)
    path = Path(path)
    imgs = images if images is not None else chart_images(summary, cat)

    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    brand = summary.brand or "cmdesk"
    writer.setTitle(f"{brand} — {cat.t('report_title')} — {summary.period.label()}")
    writer.setCreator("cmdesk")

    doc = QTextDocument()
    font = QFont()
    font.setPixelSize(11)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(
        "h1 { font-size: 28px; } h2 { font-size: 17px; color: #111827; } h3 { font-size: 13px; }"
        " th { background-color: #f3f4f6; text-align: left; } .muted { color: #6b7280; }"
        " .missing { color: #b91c1c; font-style: italic; } .notice { background-color: #fef3c7; }"
        " .formula { background-color: #f3f4f6; }")
    for name, png in imgs.items():
        img = QImage.fromData(png, "PNG")
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), img)
    doc.setHtml(summary_html(summary, lang=lang, tz=tz, image_src=lambda n: f"chart:{n}", for_qt=True))

    page_rect = writer.pageLayout().paintRectPixels(DPI)
    body_h = page_rect.height() - FOOTER_PX
    doc.setPageSize(QSizeF(page_rect.width(), body_h))
    doc.documentLayout()  # lay out now, so pageCount is right
    pages = doc.pageCount()

    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF to {path}")
    try:
        footer_font = QFont(font)
        footer_font.setPixelSize(9)
        for i in range(pages):
            if i:
                writer.newPage()
            painter.save()
            painter.translate(0, -i * body_h)
            clip = QRectF(0, i * body_h, page_rect.width(), body_h)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = clip
            painter.setClipRect(clip)
            doc.documentLayout().draw(painter, ctx)
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#6b7280"))
            painter.drawText(QRectF(0, body_h + 6, page_rect.width(), FOOTER_PX - 6),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             f"{cat.t('page', n=i + 1)} / {pages}")
            if i:
                painter.drawText(QRectF(0, body_h + 6, page_rect.width(), FOOTER_PX - 6),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                                 f"{brand} — {summary.period.label()}")
    finally:
        painter.end()
    return path
