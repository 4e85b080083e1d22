"""The reply-template editor: list, add, edit, delete; problems (unknown
variables, stray braces) reported with their place; a preview filled in
for a chosen mention."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from cmdesk.core.models import MentionFilter, ReplyTemplate
from cmdesk.core.templates import KNOWN_VARIABLES, TemplateProblemCode, validate_template

PREVIEW_DELAY_MS = 200


class ReplyTemplatesDialog(QDialog):
    """Edit quick-reply templates. `mention_id` picks the mention the preview uses."""

    templatesChanged = Signal()

    def __init__(self, services, parent=None, *, mention_id: int | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reply templates"))
        self.resize(820, 520)
        self.svc = services.mentions
        self._template: ReplyTemplate | None = None
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.currentItemChanged.connect(self._chosen)
        self.new_button = QPushButton(self.tr("New template"))
        self.new_button.clicked.connect(self.new_template)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_template)

        self.name = QLineEdit()
        self.name.setObjectName("templateName")
        self.lang = QComboBox()
        self.lang.addItem(self.tr("Any language"), None)
        self.lang.addItem(self.tr("French"), "fr")
        self.lang.addItem(self.tr("English"), "en")
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body.setPlaceholderText(self.tr("Hi {author}, thanks for your post about {brand}!"))
        self.body.textChanged.connect(lambda: self._preview_timer.start())
        self.variables = QLabel(self.tr("Variables: %1").replace(
            "%1", " ".join("{" + v + "}" for v in KNOWN_VARIABLES)))
        self.variables.setStyleSheet("color: palette(placeholder-text);")
        self.problems = QLabel(textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.problems.setObjectName("templateProblems")
        self.mention_pick = QComboBox()
        self.mention_pick.setObjectName("previewMention")
        self.mention_pick.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setObjectName("templatePreview")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.result = QLabel()
        self.result.setObjectName("templateSaveResult")

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Language"), self.lang)
        form.addRow(self.tr("Body"), self.body)
        form.addRow("", self.variables)
        form.addRow("", self.problems)
        form.addRow(self.tr("Preview for"), self.mention_pick)
        form.addRow(self.tr("Preview"), self.preview)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        ll.addLayout(row)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(form, 1)
        srow = QHBoxLayout()
        srow.addWidget(self.result, 1)
        srow.addWidget(self.save_button)
        rl.addLayout(srow)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([220, 600])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(close)

        self._fill_mentions(mention_id)
        self.reload()
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.new_template()

    def _fill_mentions(self, mention_id: int | None) -> None:
        self.mention_pick.blockSignals(True)
        self.mention_pick.addItem(self.tr("(no mention)"), None)
        picks = []
        try:
            if mention_id is not None:
                picks.append(self.svc.get_mention(mention_id))
            picks += [m for m in self.svc.list_mentions(MentionFilter(), limit=20).mentions if m.id != mention_id]
        except Exception:
            pass
        for m in picks:
            self.mention_pick.addItem(f"{m.source} \u2014 {m.title[:60]}", m.id)
        self.mention_pick.setCurrentIndex(1 if picks else 0)
        self.mention_pick.blockSignals(False)

    def reload(self, select_id: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for t in self.svc.list_templates():
            it = QListWidgetItem(f"{t.name} ({t.lang})" if t.lang else t.name)
            it.setData(Qt.ItemDataRole.UserRole, t)
            self.list.addItem(it)
            if t.id == select_id:
                self.list.setCurrentItem(it)
        self.list.blockSignals(False)

    def _chosen(self, item, _prev=None) -> None:
        if item is not None:
            self.edit(item.data(Qt.ItemDataRole.UserRole))

    def edit(self, t: ReplyTemplate | None) -> None:
        self._template = t
        self.name.setText(t.name if t else "")
        self.lang.setCurrentIndex(max(0, self.lang.findData(t.lang if t else None)))
        self.body.setPlainText(t.body if t else "")
        self.delete_button.setEnabled(t is not None)
        self.result.clear()
        self.update_preview()

    def new_template(self) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        self.edit(None)
        self.name.setFocus()

    # -- checking and preview --------------------------------------------------
    def problem_texts(self, body: str) -> list[str]:
        out = []
        for p in validate_template(body):
            where = self.tr("at %1").replace("%1", str(p.position + 1))
            if p.code is TemplateProblemCode.UNKNOWN_VARIABLE:
                out.append(self.tr("unknown variable {%1} %2").replace("%1", p.name).replace("%2", where))
            elif p.code is TemplateProblemCode.INVALID_VARIABLE:
                out.append(self.tr("{%1} is not a variable name %2").replace("%1", p.name).replace("%2", where))
            elif p.code is TemplateProblemCode.UNCLOSED_BRACE:
                out.append(self.tr("'{' never closed %1 (write {{ for a brace)").replace("%1", where))
            else:
                out.append(self.tr("'}' closes nothing %1 (write }} for a brace)").replace("%1", where))
        return out

    def update_preview(self) -> None:
        self._preview_timer.stop()
        body = self.body.toPlainText()
        problems = self.problem_texts(body)
        if problems:
            self.problems.setText('<span style="color:#b91c1c">' + html.escape("; ".join(problems)) + "</span>")
        else:
            self.problems.setText("")
        mid = self.mention_pick.currentData()
        if mid is None or not body.strip():
            self.preview.setPlainText("")
            return
        try:
            self.preview.setPlainText(self.svc.render_reply(mid, body))
        except Exception as exc:
            self.preview.setPlainText(str(exc))

    # -- saving ------------------------------------------------------------------
    def save(self) -> bool:
        name = self.name.text().strip()
        body = self.body.toPlainText()
        if not name:
            self.result.setText(self.tr("A template needs a name."))
            return False
        problems = self.problem_texts(body)
        if problems:
            self.update_preview()
            self.result.setText(self.tr("Not saved: fix the problems above."))
            return False
        try:
            if self._template is None:
                t = self.svc.add_template(name, body, self.lang.currentData())
            else:
                t = self.svc.update_template(self._template.id, name, body, self.lang.currentData())
        except Exception as exc:
            self.result.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
            return False
        self._template = t
        self.reload(select_id=t.id)
        self.result.setText(self.tr("Saved."))
        self.templatesChanged.emit()
        return True

    def delete_template(self) -> None:
        if self._template is None:
            return
        answer = QMessageBox.question(self, self.tr("Delete template"),
                                      self.tr("Delete the template %1?").replace("%1", self._template.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.svc.delete_template(self._template.id)
        self.reload()
        self.templatesChanged.emit()
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.new_template()
