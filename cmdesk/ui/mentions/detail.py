"""The detail pane of the inbox: the mention's text with its terms
highlighted, sentiment and why, duplicates, tags and note."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget,
)

from cmdesk.core.models import Mention, WatchTerm
from cmdesk.ui.widgets.links import is_web_url, open_web_url

from .delegate import SENTIMENT_COLORS, sentiment_label, state_label

NOTE_SAVE_DELAY_MS = 600


def highlight_html(text: str, spans: list[tuple[int, int, int]], terms: dict[int, WatchTerm]) -> str:
    """Escaped HTML of `text` with each (term id, start, end) span marked in
    the term's colour; where spans overlap the earlier term wins."""
    owner: list[int | None] = [None] * len(text)
    for tid, start, end in spans:
        for i in range(max(0, start), min(end, len(text))):
            if owner[i] is None:
                owner[i] = tid
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and owner[j] == owner[i]:
            j += 1
        chunk = html.escape(text[i:j])
        tid = owner[i]
        if tid is None:
            out.append(chunk)
        else:
            color = terms[tid].color if tid in terms else "#f59e0b"
            # Qt reads 8-digit hex colours as #AARRGGBB, so the translucent
            # background is written as rgba() to keep the term's own hue.
            c = QColor(color)
            tint = f"rgba({c.red()},{c.green()},{c.blue()},51)"
            out.append(f'<span style="background-color:{tint}; border-bottom:2px solid {color};'
                       f' font-weight:600">{chunk}</span>')
        i = j
    return "".join(out).replace("\n", "<br>")


class MentionDetail(QWidget):
    """Shows one mention; edits its sentiment, tags and note through the service."""

    mentionEdited = Signal(int)  # the mention's row should be re-read
    tagAdded = Signal(str)
    sourceWeightChanged = Signal(str)  # every mention of that source changed reach

    def __init__(self, mentions_service, parent=None):
        super().__init__(parent)
        self._svc = mentions_service
        self._mention: Mention | None = None
        self.terms: dict[int, WatchTerm] = {}
        self.target_ids = None  # callable giving the mentions a new tag goes to (the selection)
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(self.save_note)

        self.title = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText,
                            textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.meta = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.meta.setOpenExternalLinks(False)
        self.meta.linkActivated.connect(open_web_url)
        self.body = QTextBrowser(openLinks=False, openExternalLinks=False)
        self.body.setObjectName("mentionBody")
        self.body.setMinimumHeight(120)

        self.sentiment = QLabel(textFormat=Qt.TextFormat.RichText)
        self.sentiment_fix = QComboBox()
        self.sentiment_fix.setToolTip(self.tr("Correct the sentiment by hand; your choice always wins"))
        self.sentiment_fix.addItem(self.tr("Automatic"), None)
        for label in ("positive", "neutral", "negative"):
            self.sentiment_fix.addItem(sentiment_label(label), label)
        self.sentiment_fix.activated.connect(self._sentiment_chosen)
        self.why = QLabel(wordWrap=True)
        self.why.setStyleSheet("color: palette(placeholder-text);")

        # Reach: the weight of the mention's source domain (all its mentions share it).
        self.reach = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=1_000_000.0, singleStep=0.5)
        self.reach.setObjectName("reachWeight")
        self.reach.setKeyboardTracking(False)
        self.reach.editingFinished.connect(self._reach_edited)
        self.reach_hint = QLabel()
        self.reach_hint.setStyleSheet("color: palette(placeholder-text);")

        self.duplicates = QListWidget()
        self.duplicates.setMaximumHeight(70)
        self.duplicates.itemActivated.connect(lambda it: open_web_url(it.data(Qt.ItemDataRole.UserRole)))
        self.tags = QLabel(textFormat=Qt.TextFormat.RichText)
        self.tags.setToolTip(self.tr("Click a tag to remove it"))
        self.tags.linkActivated.connect(self._remove_tag)
        self.tag_edit = QLineEdit(placeholderText=self.tr("Add a tag and press Enter (t)"))
        self.tag_edit.setObjectName("tagEdit")
        self.tag_edit.returnPressed.connect(self._add_tag_from_edit)
        self.note = QPlainTextEdit(placeholderText=self.tr("Private note, saved as you type"))
        self.note.setObjectName("noteEdit")
        self.note.setMaximumHeight(70)
        self.note.textChanged.connect(self._note_changed)

        sent_row = QHBoxLayout()
        sent_row.addWidget(self.sentiment, 1)
        self._correct_label = QLabel(self.tr("Correct:"))
        sent_row.addWidget(self._correct_label)
        sent_row.addWidget(self.sentiment_fix)
        reach_row = QHBoxLayout()
        reach_row.addWidget(self.reach)
        reach_row.addWidget(self.reach_hint, 1)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.tags, 1)
        tag_row.addWidget(self.tag_edit, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._sentiment_label = QLabel(self.tr("Sentiment"))
        form.addRow(self._sentiment_label, sent_row)
        form.addRow("", self.why)
        self._reach_label = QLabel(self.tr("Reach"))
        form.addRow(self._reach_label, reach_row)
        self._dup_label = QLabel(self.tr("Duplicates"))
        form.addRow(self._dup_label, self.duplicates)
        self._tags_label = QLabel(self.tr("Tags"))
        form.addRow(self._tags_label, tag_row)
        self._note_label = QLabel(self.tr("Note"))
        form.addRow(self._note_label, self.note)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.title)
        lay.addWidget(self.meta)
        lay.addWidget(self.body, 1)
        lay.addLayout(form)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_mention(None)

    # -- showing ---------------------------------------------------------
    @property
    def mention(self) -> Mention | None:
        return self._mention

    def retranslate(self) -> None:
        """Labels in the current language (called by the area on a language change)."""
        self.sentiment_fix.setToolTip(self.tr("Correct the sentiment by hand; your choice always wins"))
        self.sentiment_fix.setItemText(0, self.tr("Automatic"))
        for i in range(1, self.sentiment_fix.count()):
            self.sentiment_fix.setItemText(i, sentiment_label(self.sentiment_fix.itemData(i)))
        self.tags.setToolTip(self.tr("Click a tag to remove it"))
        self.tag_edit.setPlaceholderText(self.tr("Add a tag and press Enter (t)"))
        self.note.setPlaceholderText(self.tr("Private note, saved as you type"))
        self._correct_label.setText(self.tr("Correct:"))
        self._sentiment_label.setText(self.tr("Sentiment"))
        self._dup_label.setText(self.tr("Duplicates"))
        self._reach_label.setText(self.tr("Reach"))
        self._tags_label.setText(self.tr("Tags"))
        self._note_label.setText(self.tr("Note"))
        self.set_mention(self._mention)

    def set_mention(self, m: Mention | None) -> None:
        if self._note_timer.isActive():
            self.save_note()
        same = m is not None and self._mention is not None and m.id == self._mention.id
        self._mention = m
        enabled = m is not None
        for w in (self.sentiment_fix, self.tag_edit, self.note, self.duplicates, self.reach):
            w.setEnabled(enabled)
        if m is None:
            self.title.setText(self.tr("No mention selected"))
            self.meta.clear()
            self.body.clear()
            self.sentiment.clear()
            self.why.clear()
            self.duplicates.clear()
            self.tags.clear()
            self._set_note("")
            return
        when = dt.datetime.fromtimestamp(m.published_at).strftime("%Y-%m-%d %H:%M")
        bits = [html.escape(m.source or m.feed_title)]
        if m.author:
            bits.append(self.tr("by %1").replace("%1", html.escape(m.author)))
        bits.append(when)
        bits.append(html.escape(state_label(m.state)))
        if is_web_url(m.url):
            label = self.tr("Open page")
            bits.append(f'<a href="{html.escape(m.url, quote=True)}">{label}</a>')
        self.meta.setText(" \u00b7 ".join(bits))
        if not same:
            self._show_text(m)
            self._show_duplicates(m)
            self._set_note(m.note)
        self._show_sentiment(m)
        self._show_reach(m)
        self._show_tags(m)

    def _show_text(self, m: Mention) -> None:
        try:
            mt = self._svc.mention_text(m.id)
            text, spans = mt.text, [(t, s, e) for t, fld, s, e in mt.spans if fld == "text"]
            title_spans = [(t, s, e) for t, fld, s, e in mt.spans if fld == "title"]
        except Exception:
            text, spans, title_spans = m.excerpt, [], []
        if m.title:
            self.title.setText(highlight_html(m.title, title_spans, self.terms))
        else:
            words = " ".join(text.split())
            self.title.setText(html.escape(words[:90] + ("\u2026" if len(words) > 90 else "")
                                           if words else self.tr("(untitled)")))
        self.body.setHtml(f'<div style="white-space: pre-wrap">{highlight_html(text, spans, self.terms)}</div>')

    def _show_sentiment(self, m: Mention) -> None:
        color = SENTIMENT_COLORS.get(m.sentiment, "#6b7280")
        text = (f'<b style="color:{color}">{html.escape(sentiment_label(m.sentiment))}</b>'
                f" ({m.sentiment_score:+.2f})")
        if m.sentiment_override:
            text += " " + self.tr("— corrected by hand (analyser said %1)").replace(
                "%1", html.escape(sentiment_label(m.sentiment_auto)))
        self.sentiment.setText(text)
        i = self.sentiment_fix.findData(m.sentiment_override)
        self.sentiment_fix.setCurrentIndex(max(0, i))
        self.why.setText(self.explain(m))

    def explain(self, m: Mention) -> str:
        if not m.sentiment_cues:
            return self.tr("No sentiment words found.")
        reasons = {
            "lexicon": self.tr("word"), "negated": self.tr("negation"), "intensified": self.tr("intensifier"),
            "dampened": self.tr("dampener"), "emoji": self.tr("emoji"), "exclamation": self.tr("exclamation"),
            "but_clause": self.tr("contrast"), "question": self.tr("question"),
        }
        parts = [f"\u201c{text}\u201d {weight:+.1f} ({reasons.get(reason, reason)})"
                 for text, weight, reason in m.sentiment_cues[:12]]
        return self.tr("Why: %1").replace("%1", ", ".join(parts))

    def _show_duplicates(self, m: Mention) -> None:
        self.duplicates.clear()
        try:
            dups = self._svc.duplicates_of(m.id) if m.dup_group is not None else []
        except Exception:
            dups = []
        for d in dups:
            it = QListWidgetItem(f"{d.source or d.feed_title} \u2014 {d.title}")
            it.setData(Qt.ItemDataRole.UserRole, d.url)
            it.setToolTip(d.url or "")
            self.duplicates.addItem(it)
        self.duplicates.setVisible(bool(dups))
        self._dup_label.setVisible(bool(dups))

    def _show_tags(self, m: Mention) -> None:
        if not m.tags:
            self.tags.setText("<i>" + self.tr("no tags") + "</i>")
            return
        self.tags.setText(" ".join(
            f'<a href="{html.escape(t, quote=True)}" style="text-decoration:none">'
            f'<span style="background:#e5e7eb; color:#111827">&nbsp;{html.escape(t)} \u00d7&nbsp;</span></a>'
            for t in m.tags))

    def _set_note(self, text: str) -> None:
        self.note.blockSignals(True)
        self.note.setPlainText(text)
        self.note.blockSignals(False)

    # -- editing ---------------------------------------------------------
    def _reload(self) -> None:
        if self._mention is None:
            return
        mid = self._mention.id
        try:
            self.set_mention(self._svc.get_mention(mid))
        except Exception:
            return
        self.mentionEdited.emit(mid)

    def _show_reach(self, m: Mention) -> None:
        self.reach.blockSignals(True)
        self.reach.setValue(m.reach)
        self.reach.blockSignals(False)
        self.reach.setEnabled(bool(m.source))
        tip = self.tr("Weight of %1 in reach figures; every mention from it gets it").replace("%1", m.source or "?")
        self.reach.setToolTip(tip)
        self.reach_hint.setText(self.tr("for every mention from %1").replace("%1", m.source) if m.source else "")

    def _reach_edited(self) -> None:
        m = self._mention
        if m is None or not m.source or abs(self.reach.value() - m.reach) < 1e-9:
            return
        self._svc.set_source_weight(m.source, self.reach.value())
        self._reload()
        self.sourceWeightChanged.emit(m.source)

    def _sentiment_chosen(self, index: int) -> None:
        if self._mention is None:
            return
        self._svc.set_sentiment(self._mention.id, self.sentiment_fix.itemData(index))
        self._reload()

    def add_tags(self, mention_ids: list[int], tag: str) -> None:
        tag = tag.strip()
        if tag and mention_ids:
            self._svc.add_tags(mention_ids, [tag])

    def _add_tag_from_edit(self) -> None:
        tag = self.tag_edit.text().strip()
        if not tag or self._mention is None:
            return
        self.tag_edit.clear()
        ids = list(self.target_ids()) if self.target_ids is not None else [self._mention.id]
        self.add_tags(ids, tag)
        self._reload()
        for mid in ids:
            if mid != self._mention.id:
                self.mentionEdited.emit(mid)
        self.tagAdded.emit(tag)

    def _remove_tag(self, tag: str) -> None:
        if self._mention is None:
            return
        self._svc.remove_tags([self._mention.id], [tag])
        self._reload()

    def _note_changed(self) -> None:
        if self._mention is not None:
            self._note_timer.start()

    def save_note(self) -> None:
        """Write the note now (also called when the mention changes or the area closes)."""
        self._note_timer.stop()
        m = self._mention
        if m is None:
            return
        text = self.note.toPlainText()
        if text != m.note:
            try:
                self._svc.set_note(m.id, text)
            except Exception:
                return
            self._mention = self._svc.get_mention(m.id)
            self.mentionEdited.emit(m.id)
