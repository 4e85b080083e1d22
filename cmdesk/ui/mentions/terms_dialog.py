"""The watch-term editor: terms, their query with live preview of the stored
items it matches, syntax errors shown where they are, and the re-scan of the
history run off the GUI thread when a term is saved."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontDatabase, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QMessageBox, QProgressBar, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from cmdesk.core.models import TERM_KINDS, TERM_PALETTES, WatchTerm, term_color
from cmdesk.core.query import QuerySyntaxError, parse_query

from .tasks import BackgroundCalls

PREVIEW_DELAY_MS = 300
PREVIEW_LIMIT = 50


def _swatch(color: str) -> QIcon:
    pm = QPixmap(12, 12)
    pm.fill(QColor(color))
    return QIcon(pm)


class WatchTermsDialog(QDialog):
    """Add, edit and delete watch terms."""

    termsChanged = Signal()

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Watch terms"))
        self.resize(900, 560)
        self.svc = services.mentions
        self._term: WatchTerm | None = None
        self._color = TERM_PALETTES["brand"][0]
        self._preview_ticket = 0
        self._save_ticket = 0
        self.calls = BackgroundCalls(self, threads=2)
        self.calls.done.connect(self._call_done)
        self.calls.failed.connect(self._call_failed)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)

        self.terms = QListWidget()
        self.terms.setObjectName("termList")
        self.terms.currentItemChanged.connect(self._term_chosen)
        self.new_button = QPushButton(self.tr("New term"))
        self.new_button.clicked.connect(self.new_term)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_term)

        self.name = QLineEdit(placeholderText=self.tr("Acme"))
        self.name.setObjectName("termName")
        self.kind = QComboBox()
        kind_labels = {"brand": self.tr("Brand"), "product": self.tr("Product"), "competitor": self.tr("Competitor"),
                       "person": self.tr("Person"), "topic": self.tr("Topic")}
        for k in TERM_KINDS:
            self.kind.addItem(kind_labels.get(k, k), k)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.query = QLineEdit(placeholderText='"acme corp" OR acme -jobs lang:fr')
        self.query.setObjectName("termQuery")
        self.query.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.query.setToolTip(self.tr(
            'Words, "exact phrases", OR, -exclusion, (groups), lang:fr, site:example.com, title:word'))
        self.query.textChanged.connect(self._query_changed)
        self.query_error = QLabel(textFormat=Qt.TextFormat.RichText)
        self.query_error.setObjectName("termQueryError")
        self.query_error.setWordWrap(True)
        self.color_button = QPushButton()
        self.color_button.clicked.connect(self._pick_color)
        self.active = QCheckBox(self.tr("Active (match new items)"))
        self.notify = QCheckBox(self.tr("Notify me of new mentions (tray)"))

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Query"), self.query)
        form.addRow("", self.query_error)
        form.addRow(self.tr("Colour"), self.color_button)
        form.addRow("", self.active)
        form.addRow("", self.notify)

        self.preview_label = QLabel()
        self.preview_label.setObjectName("termPreviewLabel")
        self.preview = QListWidget()
        self.preview.setObjectName("termPreview")

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the re-scan reports no steps
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(160)
        self.result = QLabel()
        self.result.setObjectName("termSaveResult")
        self.result.setWordWrap(True)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.terms, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        ll.addLayout(row)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(form)
        rl.addWidget(self.preview_label)
        rl.addWidget(self.preview, 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.result, 1)
        save_row.addWidget(self.progress)
        save_row.addWidget(self.save_button)
        rl.addLayout(save_row)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([250, 650])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(close)

        self.reload()
        if self.terms.count():
            self.terms.setCurrentRow(0)
        else:
            self.new_term()

    # -- list ------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        self.terms.blockSignals(True)
        self.terms.clear()
        for t, n in self.svc.list_terms():
            label = self.tr("%1 (%2)").replace("%1", t.name).replace("%2", str(n))
            if not t.active:
                label += " " + self.tr("(paused)")
            it = QListWidgetItem(_swatch(t.color), label)
            it.setData(Qt.ItemDataRole.UserRole, t)
            self.terms.addItem(it)
            if select_id == t.id:
                self.terms.setCurrentItem(it)
        self.terms.blockSignals(False)

    def _term_chosen(self, item, _prev=None) -> None:
        if item is not None:
            self.edit(item.data(Qt.ItemDataRole.UserRole))

    def edit(self, term: WatchTerm | None) -> None:
        self._term = term
        self.name.setText(term.name if term else "")
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(term.kind if term else "brand")))
        self.kind.blockSignals(False)
        self._set_color(term.color if term else self._free_color(self.kind.currentData()))
        self.active.setChecked(term.active if term else True)
        self.notify.setChecked(term.notify if term else False)
        self.query.setText(term.query if term else "")
        self.delete_button.setEnabled(term is not None)
        self.result.clear()
        self.update_preview()

    def new_term(self) -> None:
        self.terms.blockSignals(True)
        self.terms.setCurrentRow(-1)
        self.terms.clearSelection()
        self.terms.blockSignals(False)
        self.edit(None)
        self.name.setFocus()

    def _free_color(self, kind: str) -> str:
        return term_color(kind, [t.color for t, _n in self.svc.list_terms()])

    def _kind_changed(self, _i) -> None:
        auto = {c for shades in TERM_PALETTES.values() for c in shades}
        if self._term is None and self._color in auto:  # not chosen by hand: follow the kind
            self._set_color(self._free_color(self.kind.currentData()))

    def _set_color(self, color: str) -> None:
        self._color = color
        self.color_button.setIcon(_swatch(color))
        self.color_button.setText(color)

    def _pick_color(self) -> None:
        c = QColorDialog.getColor(QColor(self._color), self, self.tr("Term colour"))
        if c.isValid():
            self._set_color(c.name())

    # -- query check and preview --------------------------------------------
    def _query_changed(self, _text: str) -> None:
        self._preview_timer.start()

    def check_query(self) -> bool:
        """Show the syntax error (with where it is) or clear it; True when valid."""
        text = self.query.text()
        if not text.strip():
            hint = self.tr("Type a query to see what it matches.")
            self.query_error.setText(f'<span style="color:#6b7280">{hint}</span>')
            return False
        try:
            parse_query(text)
        except QuerySyntaxError as exc:
            pos = max(0, min(exc.position, len(text)))
            shown = (html.escape(text[:pos]) + '<span style="background:#fecaca; color:#991b1b">'
                     + (html.escape(text[pos]) if pos < len(text) else "&nbsp;") + "</span>"
                     + html.escape(text[pos + 1:]))
            msg = self.tr("Syntax error at position %1: expected %2").replace("%1", str(pos + 1)).replace(
                "%2", html.escape(exc.expected))
            self.query_error.setText(f'<span style="color:#b91c1c">{msg}</span><br><code>{shown}</code>')
            return False
        self.query_error.setText("")
        return True

    def update_preview(self) -> None:
        self._preview_timer.stop()
        ok = self.check_query()
        if not ok:
            self.preview.clear()
            self.preview_label.setText("")
            self._preview_ticket = 0
            return
        query = self.query.text()
        self.preview_label.setText(self.tr("Looking for matches\u2026"))
        svc = self.svc
        def fn():
            rows = svc.preview_term(query, limit=PREVIEW_LIMIT)
            snippets = svc.item_snippets([i for i, title in rows if not title.strip()])
            return [(i, title.strip() or snippets.get(i, "")) for i, title in rows]
        self._preview_ticket = self.calls.submit(fn)

    # -- save and delete ------------------------------------------------------
    def save(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.result.setText(self.tr("A watch term needs a name."))
            self.name.setFocus()
            return
        if not self.check_query():
            self.query.setFocus()
            return
        fields = dict(name=name, query=self.query.text(), kind=self.kind.currentData(), color=self._color,
                      active=self.active.isChecked(), notify=self.notify.isChecked())
        svc, term = self.svc, self._term
        def fn():
            if term is None:
                rest = {k: v for k, v in fields.items() if k not in ("name", "query")}
                return svc.add_term(fields["name"], fields["query"], **rest)
            return svc.edit_term(term.id, **fields)
        self.save_button.setEnabled(False)
        self.progress.setVisible(True)
        self.result.setText(self.tr("Saving and scanning the stored items\u2026"))
        self._save_ticket = self.calls.submit(fn)

    def delete_term(self) -> None:
        if self._term is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete watch term"),
            self.tr("Delete %1? Mentions only it matched go too, unless you worked on them.").replace(
                "%1", self._term.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.svc.remove_term(self._term.id)
        self.reload()
        self.termsChanged.emit()
        if self.terms.count():
            self.terms.setCurrentRow(0)
        else:
            self.new_term()

    # -- background results --------------------------------------------------
    def _call_done(self, ticket: int, result) -> None:
        if ticket == self._preview_ticket:
            self.preview.clear()
            for _item_id, title in result:
                self.preview.addItem(title or self.tr("(untitled)"))
            n = len(result)
            if n >= PREVIEW_LIMIT:
                self.preview_label.setText(self.tr("At least %1 stored items match (newest shown)").replace(
                    "%1", str(n)))
            else:
                self.preview_label.setText(self.tr("%1 stored item(s) match").replace("%1", str(n)))
        elif ticket == self._save_ticket:
            self.progress.setVisible(False)
            self.save_button.setEnabled(True)
            self._term = result.term
            self.reload(select_id=result.term.id)
            text = self.tr("Saved. %1 stored item(s) match: %2 new mention(s)").replace(
                "%1", str(result.matched)).replace("%2", str(result.new_mentions))
            if result.removed:
                text += self.tr(", %1 removed").replace("%1", str(result.removed))
            self.result.setText(text + ".")
            self.termsChanged.emit()

    def _call_failed(self, ticket: int, message: str) -> None:
        if ticket == self._preview_ticket:
            self.preview.clear()
            self.preview_label.setText(self.tr("Preview failed: %1").replace("%1", message))
        elif ticket == self._save_ticket:
            self.progress.setVisible(False)
            self.save_button.setEnabled(True)
            self.result.setText(self.tr("Not saved: %1").replace("%1", message))

    def done(self, r: int) -> None:
        self.calls.wait(30000)  # let a running re-scan finish writing before the dialog goes
        super().done(r)
