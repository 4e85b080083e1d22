"""The monthly summary as a PDF (QTextDocument laid out on QPdfWriter pages).

Needs a QGuiApplication: `ensure_gui_application()` creates an off-screen
one when none runs and there is no display, so `cmdesk report` works over
ssh and in CI.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout, QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter,
    QTextCursor, QTextDocument, QTextFormat, QTextTable,
)

from cmdesk.core.kpis import MonthlySummary
from cmdesk.report.charts import ensure_gui_application
from cmdesk.report.html import chart_images, summary_html
from cmdesk.report.i18n import Catalog

__all__ = ["write_pdf", "QT_STYLESHEET"]

DPI = 96  # layout in CSS-like pixels; charts are embedded at 2x for print
FOOTER_PX = 28


# The report's look in QTextDocument (the PDF, and the export dialog's preview).
QT_STYLESHEET = (
    "h1 { font-size: 28px; } h2 { font-size: 17px; color: #111827; } h3 { font-size: 13px; }"
    " th { background-color: #f3f4f6; text-align: left; } .muted { color: #6b7280; }"
    " .missing { color: #b91c1c; font-style: italic; } .notice { background-color: #fef3c7; }"
    " .formula { background-color: #f3f4f6; }")
KEEP_MIN_PX = 110  # a heading keeps at least this much of what follows on its page


def _set_break_before(item, cursor: QTextCursor) -> None:
    """Start a top-level block or table on a new page."""
    if isinstance(item, QTextTable):
        f = item.frameFormat()
        f.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        item.setFrameFormat(f)
    else:
        f = item.blockFormat()
        f.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        cursor.setPosition(item.position())
        cursor.setBlockFormat(f)


def _top_level_items(doc: QTextDocument) -> list:
    items = []
    it = doc.rootFrame().begin()
    while not it.atEnd():
        frame = it.currentFrame()
        items.append(frame if frame is not None else it.currentBlock())
        it += 1
    return items


def _keep_together(doc: QTextDocument, page_h: float) -> None:
    """Paginate like a typesetter: QTextDocument ignores ``page-break-inside: avoid``.

    - a table, an image or a paragraph that fits on one page but would be cut
      by a page end moves to the next page (tables too tall for a page split
      between rows and repeat their header row, from ``<thead>``);
    - a heading never ends a page: it moves with what follows (all of it when
      it fits on a page, else the first KEEP_MIN_PX of it).

    Each round walks the laid-out document once, puts a page break before
    every unit that needs one (estimating how far later content moves), then
    lays the document out again to check; usually one or two rounds.
    """
    layout = doc.documentLayout()
    margin = doc.documentMargin()
    width, height = doc.pageSize().width(), doc.pageSize().height()
    toggle = [False]

    def relayout(final: bool = False) -> None:
        # A format change re-lays the document out lazily (the rest waits for an event loop
        # that a headless export does not run); a page size change lays it all out now. The
        # size alternates by a ten-thousandth of a pixel, so each round is one layout.
        toggle[0] = not toggle[0] and not final
        doc.setPageSize(QSizeF(width, height + (1e-4 if toggle[0] else 0.0)))
        doc.pageCount()

    def rect(item) -> QRectF:
        return layout.frameBoundingRect(item) if isinstance(item, QTextTable) else layout.blockBoundingRect(item)

    def is_heading(item) -> bool:
        return not isinstance(item, QTextTable) and item.blockFormat().headingLevel() > 0 and bool(item.text().strip())

    for _ in range(20):
        items = _top_level_items(doc)
        breaks = []
        shift = 0.0  # how far the breaks already chosen move what follows (an estimate)
        i = 0
        while i < len(items):
            j = i
            while j + 1 < len(items) and is_heading(items[j]):
                j += 1  # a heading goes with what follows it (a subheading, a table, an image)
            top, bottom = rect(items[i]).top() + shift, rect(items[j]).bottom() + shift
            if bottom - top > page_h - 2 * margin:
                # Too tall for one page (a long table): keep the heading with its start only.
                bottom = min(bottom, rect(items[j]).top() + shift + KEEP_MIN_PX)
            page = int(top // page_h)
            if bottom - top <= page_h and page != int((bottom - 1) // page_h) and top - page * page_h > margin + 1:
                breaks.append(items[i])
                shift += (page + 1) * page_h + margin - top
            i = j + 1
        if not breaks:
            break
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for item in breaks:
            _set_break_before(item, cursor)
        cursor.endEditBlock()
        relayout()
    if toggle[0]:
        relayout(final=True)


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
    doc.setDefaultStyleSheet(QT_STYLESHEET)
    for name, png in imgs.items():
        img = QImage.fromData(png, "PNG")
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), img)
    doc.setHtml(summary_html(summary, lang=lang, tz=tz, image_src=lambda n: f"chart:{n}", for_qt=True))

    page_rect = writer.pageLayout().paintRectPixels(DPI)
    body_h = page_rect.height() - FOOTER_PX
    doc.setPageSize(QSizeF(page_rect.width(), body_h))
    doc.documentLayout()  # lay out now, so pageCount is right
    _keep_together(doc, body_h)
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
