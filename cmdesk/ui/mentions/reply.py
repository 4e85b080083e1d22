"""The quick-reply panel: template picker, draft (auto-saved), live preview,
"Copy reply and open" and "Mark replied"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from cmdesk.core.models import Mention, ReplyTemplate
from cmdesk.ui.widgets.links import is_web_url, open_web_url


DRAFT_SAVE_DELAY_MS = 400
PREVIEW_DELAY_MS = 120


class QuickReplyPanel(QWidget):
    """Edits the draft reply of one mention. The draft is stored as written
    (variables such as {author} kept) and saved shortly after every change,
    when the mention changes and when the panel is flushed on close."""

    markRepliedRequested = Signal(int)
    replyCopied = Signal(int, str)
    draftSaved = Signal(int)

    def __init__(self, mentions_service, parent=None):
        super().__init__(parent)
        self._svc = mentions_service
        self._mention: Mention | None = None
        self._template_id: int | None = None
        self._saved_body = ""
        self._save_timer = QTimer(self, singleShot=True, interval=DRAFT_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_draft)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self.templates = QComboBox()
        self.templates.setObjectName("templatePicker")
        self.templates.setToolTip(self.tr("Start the draft from a template"))
        self.templates.activated.connect(self._template_chosen)
        self.draft = QPlainTextEdit(placeholderText=self.tr(
            "Write a reply (r). Variables: {author} {brand} {title} {link} {source} {term}. Esc: back to the list"))
        self.draft.setObjectName("draftEdit")
        self.draft.textChanged.connect(self._draft_changed)
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setObjectName("replyPreview")
        self.preview.setPlaceholderText(self.tr("Preview with the variables filled in"))
        self.status = QLabel()
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.copy_open = QPushButton(self.tr("Copy reply and open"))
        self.copy_open.setToolTip(self.tr("Copy the reply to the clipboard and open the mention's page"))
        self.copy_open.clicked.connect(self.copy_and_open)
        self.mark_replied = QPushButton(self.tr("Mark replied"))
        self.mark_replied.setToolTip(self.tr("Record the reply (response time) and move on"))
        self.mark_replied.clicked.connect(self._mark_replied)

        top = QHBoxLayout()
        self._title_label = QLabel(self.tr("Quick reply"))
        top.addWidget(self._title_label)
        top.addStretch(1)
        top.addWidget(self.templates)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.copy_open)
        buttons.addWidget(self.mark_replied)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 8)
        lay.addLayout(top)
        lay.addWidget(self.draft, 3)
        self._preview_label = QLabel(self.tr("Preview"))
        lay.addWidget(self._preview_label)
        lay.addWidget(self.preview, 2)
        lay.addLayout(buttons)
        self.reload_templates()
        self.set_mention(None)

    def retranslate(self) -> None:
        """Labels in the current language (called by the area on a language change)."""
        self.templates.setToolTip(self.tr("Start the draft from a template"))
        self.templates.setItemText(0, self.tr("Template\u2026"))
        self.draft.setPlaceholderText(self.tr(
            "Write a reply (r). Variables: {author} {brand} {title} {link} {source} {term}. Esc: back to the list"))
        self.preview.setPlaceholderText(self.tr("Preview with the variables filled in"))
        self.copy_open.setText(self.tr("Copy reply and open"))
        self.copy_open.setToolTip(self.tr("Copy the reply to the clipboard and open the mention's page"))
        self.mark_replied.setText(self.tr("Mark replied"))
        self.mark_replied.setToolTip(self.tr("Record the reply (response time) and move on"))
        self._title_label.setText(self.tr("Quick reply"))
        self._preview_label.setText(self.tr("Preview"))

    # -- templates -------------------------------------------------------
    def reload_templates(self) -> None:
        self.templates.blockSignals(True)
        self.templates.clear()
        self.templates.addItem(self.tr("Template\u2026"), None)
        try:
            templates: list[ReplyTemplate] = self._svc.list_templates()
        except Exception:
            templates = []
        for t in templates:
            label = f"{t.name} ({t.lang})" if t.lang else t.name
            self.templates.addItem(label, t)
        self.templates.blockSignals(False)

    def _template_chosen(self, index: int) -> None:
        t = self.templates.itemData(index)
        self.templates.setCurrentIndex(0)
        if t is None or self._mention is None:
            return
        self._template_id = t.id
        cursor = self.draft.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(t.body)  # one undo step: Ctrl+Z brings the previous draft back
        self.draft.setFocus()

    # -- mention ---------------------------------------------------------
    @property
    def mention(self) -> Mention | None:
        return self._mention

    def set_mention(self, m: Mention | None) -> None:
        if self._mention is not None and (m is None or m.id != self._mention.id):
            self.save_draft()
        elif m is not None and self._mention is not None and m.id == self._mention.id:
            self._mention = m
            return
        self._mention = m
        draft = None
        if m is not None:
            try:
                draft = self._svc.get_draft(m.id)
            except Exception:
                draft = None
        self._saved_body = draft.body if draft else ""
        self._template_id = draft.template_id if draft else None
        self.draft.blockSignals(True)
        self.draft.setPlainText(self._saved_body)
        self.draft.blockSignals(False)
        for w in (self.draft, self.templates, self.copy_open, self.mark_replied):
            w.setEnabled(m is not None)
        self.copy_open.setEnabled(m is not None)
        self.status.setText(self.tr("Draft saved") if draft else "")
        self.update_preview()

    # -- draft -----------------------------------------------------------
    def _draft_changed(self) -> None:
        if self._mention is None:
            return
        self._save_timer.start()
        self._preview_timer.start()
        self.status.setText(self.tr("Editing\u2026"))

    def save_draft(self) -> None:
        """Write the pending draft now, if it changed."""
        self._save_timer.stop()
        m = self._mention
        if m is None:
            return
        body = self.draft.toPlainText()
        if body == self._saved_body:
            return
        try:
            self._svc.save_draft(m.id, body, self._template_id)
        except Exception as exc:  # the mention vanished, or the disk is full: say so
            self.status.setText(self.tr("Draft not saved: %1").replace("%1", str(exc)))
            return
        self._saved_body = body
        self.status.setText(self.tr("Draft saved"))
        self.draftSaved.emit(m.id)

    def rendered(self) -> str:
        m = self._mention
        body = self.draft.toPlainText()
        if m is None or not body.strip():
            return ""
        try:
            return self._svc.render_reply(m.id, body)
        except Exception:
            return body

    def update_preview(self) -> None:
        self._preview_timer.stop()
        self.preview.setPlainText(self.rendered())

    # -- actions ---------------------------------------------------------
    def copy_and_open(self) -> None:
        m = self._mention
        if m is None:
            return
        self.save_draft()
        text = self.rendered()
        QGuiApplication.clipboard().setText(text)
        opened = open_web_url(m.url) if is_web_url(m.url) else False
        if opened:
            self.status.setText(self.tr("Reply copied; page opened"))
        elif m.url and not is_web_url(m.url):
            self.status.setText(self.tr("Reply copied; the link is not a web page, not opened"))
        elif m.url:
            self.status.setText(self.tr("Reply copied; the browser could not be opened"))
        else:
            self.status.setText(self.tr("Reply copied"))
        self.replyCopied.emit(m.id, text)

    def _mark_replied(self) -> None:
        if self._mention is not None:
            self.save_draft()
            self.markRepliedRequested.emit(self._mention.id)

    def focus_draft(self) -> None:
        self.draft.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.draft.moveCursor(self.draft.textCursor().MoveOperation.End)
