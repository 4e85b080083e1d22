"""Row painting for the inbox: two lines per mention, like a mail client.

Line 1: state marker, star, source, matched terms as coloured chips, age.
Line 2: title (bold while the mention is new), sentiment mark on the right.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from cmdesk.core.models import Mention, MentionState

from .model import MentionRole

SENTIMENT_COLORS = {"positive": "#16a34a", "neutral": "#6b7280", "negative": "#dc2626"}
SENTIMENT_MARKS = {"positive": "+", "neutral": "=", "negative": "\u2212"}
STATE_COLORS = {
    MentionState.NEW: "#2563eb", MentionState.TO_REPLY: "#d97706", MentionState.REPLIED: "#16a34a",
    MentionState.DONE: "#9ca3af", MentionState.IGNORED: "#d1d5db", MentionState.SPAM: "#7f1d1d",
}




def state_label(state: MentionState) -> str:
    return {
        MentionState.NEW: QCoreApplication.translate("MentionDelegate", "New"), MentionState.TO_REPLY: QCoreApplication.translate("MentionDelegate", "To reply"), MentionState.REPLIED: QCoreApplication.translate("MentionDelegate", "Replied"),
        MentionState.DONE: QCoreApplication.translate("MentionDelegate", "Done"), MentionState.IGNORED: QCoreApplication.translate("MentionDelegate", "Ignored"), MentionState.SPAM: QCoreApplication.translate("MentionDelegate", "Spam"),
    }[state]


def sentiment_label(label: str) -> str:
    return {"positive": QCoreApplication.translate("MentionDelegate", "Positive"), "neutral": QCoreApplication.translate("MentionDelegate", "Neutral"), "negative": QCoreApplication.translate("MentionDelegate", "Negative")}.get(label, label)


def age_text(seconds_ago: float) -> str:
    """"now", "5 min", "3 h", "2 d", "5 w", "4 mo", "2 y"."""
    s = max(0, int(seconds_ago))
    if s < 60:
        return QCoreApplication.translate("MentionDelegate", "now")
    if s < 3600:
        return QCoreApplication.translate("MentionDelegate", "%n min").replace("%n", str(s // 60))
    if s < 86400:
        return QCoreApplication.translate("MentionDelegate", "%n h").replace("%n", str(s // 3600))
    if s < 14 * 86400:
        return QCoreApplication.translate("MentionDelegate", "%n d").replace("%n", str(s // 86400))
    if s < 60 * 86400:
        return QCoreApplication.translate("MentionDelegate", "%n w").replace("%n", str(s // (7 * 86400)))
    if s < 365 * 86400:
        return QCoreApplication.translate("MentionDelegate", "%n mo").replace("%n", str(s // (30 * 86400)))
    return QCoreApplication.translate("MentionDelegate", "%n y").replace("%n", str(s // (365 * 86400)))


class MentionDelegate(QStyledItemDelegate):
    """Paints one mention per row; reads term names and colours from the model."""

    PAD = 6

    def __init__(self, parent=None, *, clock=time.time):
        super().__init__(parent)
        self.clock = clock

    def sizeHint(self, option, index) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(200, fm.height() * 2 + self.PAD * 3)

    def paint(self, painter, option, index) -> None:
        m: Mention | None = index.data(MentionRole)
        if m is None:
            return super().paint(painter, option, index)
        painter.save()
        style = option.widget.style() if option.widget else None
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        if selected:
            painter.fillRect(option.rect, pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight))
            text_color = pal.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
        else:
            if style is not None:
                style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, option.widget)
            text_color = pal.color(QPalette.ColorRole.Text)
        dim = QColor(text_color)
        dim.setAlphaF(0.65)
        r = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        fm = QFontMetrics(option.font)
        line_h = fm.height()

        # state bar on the left edge
        painter.fillRect(QRect(option.rect.left(), option.rect.top(), 4, option.rect.height()),
                         QColor(STATE_COLORS[m.state]))
        x = r.left() + 4
        top1 = r.top()
        top2 = r.top() + line_h + self.PAD

        # line 1: star, source, chips ... age, state
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.9))
        sfm = QFontMetrics(small)
        painter.setFont(small)
        right = r.right()
        age = age_text(self.clock() - m.published_at)
        state = state_label(m.state)
        meta = f"{state} \u00b7 {age}"
        w = sfm.horizontalAdvance(meta)
        painter.setPen(dim)
        painter.drawText(QRect(right - w, top1, w, line_h), Qt.AlignmentFlag.AlignVCenter, meta)
        right -= w + 8
        if m.starred:
            painter.setPen(QColor("#f59e0b"))
            star_w = sfm.horizontalAdvance("\u2605")
            painter.drawText(QRect(x, top1, star_w, line_h), Qt.AlignmentFlag.AlignVCenter, "\u2605")
            x += star_w + 4
        source = m.source or m.feed_title
        source = sfm.elidedText(source, Qt.TextElideMode.ElideRight, 180)
        painter.setPen(dim)
        sw = sfm.horizontalAdvance(source)
        painter.drawText(QRect(x, top1, sw, line_h), Qt.AlignmentFlag.AlignVCenter, source)
        x += sw + 8
        terms = getattr(index.model(), "terms", {})
        for tid in m.term_ids:
            t = terms.get(tid)
            if t is None:
                continue
            name = t.name
            cw = sfm.horizontalAdvance(name) + 10
            if x + cw > right:
                break
            chip = QRect(x, top1 + 1, cw, line_h - 2)
            color = QColor(t.color)
            fill = QColor(color)
            fill.setAlphaF(0.18 if not selected else 0.45)
            painter.setPen(QPen(color, 1))
            painter.setBrush(fill)
            painter.setRenderHint(painter.RenderHint.Antialiasing, True)
            painter.drawRoundedRect(chip, 6, 6)
            painter.setPen(text_color if selected else color.darker(130))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, name)
            x += cw + 4

        # line 2: title, sentiment at the right
        mark = SENTIMENT_MARKS.get(m.sentiment, "?")
        bold = QFont(option.font)
        bold.setBold(m.state is MentionState.NEW)
        bfm = QFontMetrics(bold)
        dot_d = line_h - 2
        dot = QRect(r.right() - dot_d, top2 + 1, dot_d, dot_d)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SENTIMENT_COLORS.get(m.sentiment, "#6b7280")))
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        painter.drawEllipse(dot)
        painter.setPen(QColor("white"))
        mark_font = QFont(small)
        mark_font.setBold(True)
        painter.setFont(mark_font)
        painter.drawText(dot, Qt.AlignmentFlag.AlignCenter, mark)
        painter.setFont(bold)
        painter.setPen(text_color)
        title = m.title or m.excerpt
        title = " ".join(title.split())
        avail = dot.left() - 8 - (r.left() + 4)
        painter.drawText(QRect(r.left() + 4, top2, avail, line_h), Qt.AlignmentFlag.AlignVCenter,
                         bfm.elidedText(title, Qt.TextElideMode.ElideRight, avail))
        # a thin separator between rows
        painter.setPen(QColor(128, 128, 128, 50))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()
