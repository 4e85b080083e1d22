"""The Mentions area: saved views, filter bar, the lazy inbox list, the
detail pane and the quick-reply panel, all driven from the keyboard.

Keys (active while the list has focus; never while typing in an editor):
j/k next/previous, Enter open the page, r reply, e done, i ignore, ! spam,
s star, t tag, u undo, / search, Esc back to the list; Ctrl+A then a state
key changes every selected mention at once.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QItemSelectionModel, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QListView, QListWidget,
    QListWidgetItem, QPlainTextEdit, QSplitter, QTextEdit, QToolButton, QVBoxLayout, QWidget,
)

from cmdesk.core.models import FeedResult, MentionFilter, MentionState, RefreshSummary
from cmdesk.ui.widgets.links import open_web_url

from .delegate import MentionDelegate, sentiment_label, state_label
from .detail import MentionDetail
from .model import MentionIdRole, MentionInboxModel
from .reply import QuickReplyPanel

PERIODS = ("any", "today", "7d", "30d", "month", "custom")
SEARCH_DELAY_MS = 250
REFRESH_COALESCE_MS = 1500  # new mentions join the list at most this often during a refresh
TEXT_EDITORS = (QLineEdit, QTextEdit, QPlainTextEdit)


def shortcuts_help() -> str:
    """The keyboard triage keys, as rich text for the Help menu."""
    t = QCoreApplication.translate
    rows = [
        ("j / k", t("MentionsArea", "next / previous mention")),
        (t("MentionsArea", "Enter"), t("MentionsArea", "open the mention's page in the browser")),
        ("r", t("MentionsArea", "reply: focus the draft")),
        ("e", t("MentionsArea", "done")),
        ("i", t("MentionsArea", "ignore")),
        ("!", t("MentionsArea", "spam")),
        ("s", t("MentionsArea", "star / unstar")),
        ("t", t("MentionsArea", "tag")),
        ("u", t("MentionsArea", "undo the last state change")),
        ("/", t("MentionsArea", "search")),
        ("Esc", t("MentionsArea", "back to the list from an editor")),
        ("Ctrl+A", t("MentionsArea", "select all loaded mentions; then e, i, ! or s acts on all of them")),
    ]
    body = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
    title = t("MentionsArea", "Mentions inbox keys")
    note = t("MentionsArea", "Keys work while the mention list has the focus, never while you type in a text box.")
    return f"<h3>{title}</h3><table>{body}</table><p>{note}</p>"


def period_bounds(period: str, today: dt.date, custom: tuple[dt.date, dt.date] | None = None
                  ) -> tuple[int | None, int | None]:
    """(since, until) epoch seconds in local time for a period code."""
    def at(d: dt.date) -> int:
        return int(dt.datetime.combine(d, dt.time()).timestamp())
    if period == "today":
        return at(today), None
    if period == "7d":
        return at(today - dt.timedelta(days=6)), None
    if period == "30d":
        return at(today - dt.timedelta(days=29)), None
    if period == "month":
        return at(today.replace(day=1)), None
    if period == "custom" and custom:
        start, end = custom
        return at(start), at(end + dt.timedelta(days=1))
    return None, None


class _KeyFilter(QObject):
    """Esc in an editor returns to the list; triage keys on the list."""

    def __init__(self, area: "MentionsArea"):
        super().__init__(area)
        self.area = area

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.KeyPress:
            if obj is self.area.list and self.area.handle_list_key(event):
                return True
            if obj is not self.area.list and event.key() == Qt.Key.Key_Escape:
                self.area.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return False


class MentionsArea(QWidget):
    """The mention inbox. `services` is the `cmdesk.app.Services` object."""

    statusMessage = Signal(str)

    def __init__(self, services, parent=None, *, clock=time.time):
        super().__init__(parent)
        self.services = services
        self.svc = services.mentions
        self.clock = clock
        self._applying = False
        self._counts: dict[str, int] = {}

        # -- saved views ---------------------------------------------------
        self.views = QListWidget()
        self.views.setObjectName("savedViews")
        self.views.setMaximumWidth(240)
        self.views.setStyleSheet("QListWidget#savedViews::item { padding: 3px 4px; }")
        self.views.currentItemChanged.connect(self._view_chosen)

        # -- filter bar ----------------------------------------------------
        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("Any state"), None)
        for s in MentionState:
            self.state_combo.addItem(state_label(s), s.value)
        self.term_combo = QComboBox()
        self.sentiment_combo = QComboBox()
        self.sentiment_combo.addItem(self.tr("Any sentiment"), None)
        for label in ("positive", "neutral", "negative"):
            self.sentiment_combo.addItem(sentiment_label(label), label)
        self.lang_combo = QComboBox()
        self.source_combo = QComboBox()
        self.source_combo.setMaximumWidth(200)
        self.period_combo = QComboBox()
        for code, label in zip(PERIODS, self._period_labels()):
            self.period_combo.addItem(label, code)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-7), calendarPopup=True)
        self.date_to = QDateEdit(today, calendarPopup=True)
        self.starred_check = QCheckBox(self.tr("Starred"))
        self.search = QLineEdit(placeholderText=self.tr("Search mentions (/)"))
        self.search.setObjectName("mentionSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(self.tr("Full-text search in the mentions (/); Esc goes back to the list"))
        self.clear_filters = QToolButton(text=self.tr("Clear"))
        self.clear_filters.setToolTip(self.tr("Show every mention"))
        self.clear_filters.clicked.connect(lambda: self.select_view("all"))
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.state_combo, self.term_combo, self.sentiment_combo, self.lang_combo, self.source_combo,
                      self.period_combo):
            combo.currentIndexChanged.connect(self._filters_edited)
        self.starred_check.toggled.connect(self._filters_edited)
        self.date_from.dateChanged.connect(self._filters_edited)
        self.date_to.dateChanged.connect(self._filters_edited)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.state_combo, self.term_combo, self.sentiment_combo, self.lang_combo, self.source_combo,
                  self.period_combo, self.date_from, self.date_to, self.starred_check):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.clear_filters)

        # -- list ----------------------------------------------------------
        self.model = MentionInboxModel(self.svc, self)
        self.list = QListView()
        self.list.setObjectName("mentionList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(MentionDelegate(self.list, clock=clock))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setToolTip("")
        self.list.doubleClicked.connect(lambda _i: self.open_current())
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._update_selection_label())
        self.empty_label = QLabel()
        self.empty_label.setObjectName("inboxStatus")
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")

        # -- detail and reply ------------------------------------------------
        self.detail = MentionDetail(self.svc)
        self.detail.target_ids = self.selected_ids
        self.detail.mentionEdited.connect(lambda mid: self.model.update_in_place([mid]))
        self.detail.tagAdded.connect(lambda _t: self.list.setFocus())
        self.detail.sourceWeightChanged.connect(self._source_weight_changed)
        self.reply = QuickReplyPanel(self.svc)
        self.reply.markRepliedRequested.connect(lambda _mid: self.set_state(MentionState.REPLIED))

        center = QWidget()
        cl = QVBoxLayout(center)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.list, 1)
        cl.addWidget(self.empty_label)
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self.detail)
        self.right_split.addWidget(self.reply)
        self.right_split.setStretchFactor(0, 3)
        self.right_split.setStretchFactor(1, 2)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.views)
        self.split.addWidget(center)
        self.split.addWidget(self.right_split)
        self.split.setStretchFactor(0, 0)
        self.split.setStretchFactor(1, 3)
        self.split.setStretchFactor(2, 3)
        self.split.setSizes([180, 520, 520])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.split, 1)

        self._actions = self._make_actions()
        self._key_filter = _KeyFilter(self)
        self.list.installEventFilter(self._key_filter)
        for w in (self.search, self.reply.draft, self.detail.note, self.detail.tag_edit):
            w.installEventFilter(self._key_filter)

        self._stale = False  # new mentions arrived while the area was hidden
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_COALESCE_MS)
        self._refresh_timer.timeout.connect(self.show_new_mentions)

        self.reload_terms()
        self.reload_facets()
        self._set_period_widgets()
        self.select_view("new")

    # -- actions and keys ----------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        texts = self._action_texts()
        specs = [
            ("next", "J", lambda: self.move(1)),
            ("previous", "K", lambda: self.move(-1)),
            ("open", "Return", self.open_current),
            ("reply", "R", self.focus_reply),
            ("done", "E", lambda: self.set_state(MentionState.DONE)),
            ("ignore", "I", lambda: self.set_state(MentionState.IGNORED)),
            ("spam", "!", lambda: self.set_state(MentionState.SPAM)),
            ("to_reply", None, lambda: self.set_state(MentionState.TO_REPLY)),
            ("replied", None, lambda: self.set_state(MentionState.REPLIED)),
            ("star", "S", self.toggle_star),
            ("tag", "T", self.focus_tag),
            ("undo", "U", self.undo),
            ("search", "/", self.focus_search),
        ]
        actions = {}
        for key, shortcut, slot in specs:
            text = texts[key]
            a = QAction(text, self)
            a.setObjectName(f"mentions_{key}")
            if shortcut:
                # Shown in menus; the keys themselves are read by the list (see
                # handle_list_key) so they never fire while the user types.
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                a.setToolTip(f"{text} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
            a.triggered.connect(slot)
            actions[key] = a
        self.list.addActions([a for a in actions.values() if not a.shortcut().isEmpty()])
        self._set_list_tooltip()
        return actions

    def _action_texts(self) -> dict[str, str]:
        return {
            "next": self.tr("Next mention"), "previous": self.tr("Previous mention"),
            "open": self.tr("Open mention page"), "reply": self.tr("Reply (focus the draft)"),
            "done": self.tr("Mark done"), "ignore": self.tr("Ignore"), "spam": self.tr("Mark as spam"),
            "to_reply": self.tr("Mark to reply"), "replied": self.tr("Mark replied"),
            "star": self.tr("Star / unstar"), "tag": self.tr("Tag\u2026"), "undo": self.tr("Undo last triage"),
            "search": self.tr("Search mentions"),
        }

    def _set_list_tooltip(self) -> None:
        self.list.setToolTip(self.tr(
            "j/k next/previous · Enter open · r reply · e done · i ignore · ! spam · s star · t tag · u undo"
            " · / search · Ctrl+A then a key for all"))

    def _period_labels(self) -> tuple[str, ...]:
        return (self.tr("Any time"), self.tr("Today"), self.tr("Last 7 days"), self.tr("Last 30 days"),
                self.tr("This month"), self.tr("Custom\u2026"))

    def retranslate(self) -> None:
        """Every label of the inbox in the current language (live language switch)."""
        self.state_combo.setItemText(0, self.tr("Any state"))
        for i in range(1, self.state_combo.count()):
            self.state_combo.setItemText(i, state_label(MentionState(self.state_combo.itemData(i))))
        self.sentiment_combo.setItemText(0, self.tr("Any sentiment"))
        for i in range(1, self.sentiment_combo.count()):
            self.sentiment_combo.setItemText(i, sentiment_label(self.sentiment_combo.itemData(i)))
        for i, label in enumerate(self._period_labels()):
            self.period_combo.setItemText(i, label)
        self.starred_check.setText(self.tr("Starred"))
        self.search.setPlaceholderText(self.tr("Search mentions (/)"))
        self.search.setToolTip(self.tr("Full-text search in the mentions (/); Esc goes back to the list"))
        self.clear_filters.setText(self.tr("Clear"))
        self.clear_filters.setToolTip(self.tr("Show every mention"))
        texts = self._action_texts()
        for key, a in self._actions.items():
            a.setText(texts[key])
            if not a.shortcut().isEmpty():
                native = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                a.setToolTip(f"{texts[key]} ({native})")
        self._set_list_tooltip()
        self.reload_terms()  # "Any term" and the saved views
        self.reload_facets()  # "Any language", "Any source"
        self.detail.retranslate()
        self.reply.retranslate()
        self.list.viewport().update()  # state and age labels in the rows

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def area_actions(self) -> list[QAction]:
        """Actions for the window's menus (Edit/View)."""
        return list(self._actions.values())

    def shortcuts_help(self) -> str:
        return shortcuts_help()

    def handle_list_key(self, event) -> bool:
        """Triage keys pressed while the list has focus; True when handled."""
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                   | Qt.KeyboardModifier.MetaModifier):
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return True
        name = {"j": "next", "k": "previous", "r": "reply", "e": "done", "i": "ignore", "!": "spam",
                "s": "star", "t": "tag", "u": "undo", "/": "search"}.get(event.text())
        if name is None:
            return False
        self._actions[name].trigger()
        return True

    # -- terms, facets, counts -------------------------------------------------
    def reload_terms(self) -> None:
        try:
            self._terms = self.svc.list_terms()
        except Exception:
            self._terms = []
        terms = [t for t, _n in self._terms]
        self.model.set_terms(terms)
        self.detail.terms = {t.id: t for t in terms}
        current = self.term_combo.currentData()
        self.term_combo.blockSignals(True)
        self.term_combo.clear()
        self.term_combo.addItem(self.tr("Any term"), None)
        for t in terms:
            self.term_combo.addItem(t.name, t.id)
        i = self.term_combo.findData(current)
        self.term_combo.setCurrentIndex(max(0, i))
        self.term_combo.blockSignals(False)
        self.reload_views()

    def reload_facets(self) -> None:
        try:
            facets = self.svc.mention_facets()
        except Exception:
            return
        for combo, first, values in (
                (self.lang_combo, self.tr("Any language"), [(lang, lang) for lang in facets.langs]),
                (self.source_combo, self.tr("Any source"), [(f"{s} ({n})", s) for s, n in facets.sources])):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for label, data in values:
                combo.addItem(label, data)
            if current is not None and combo.findData(current) < 0:
                combo.addItem(str(current), current)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def _view_specs(self) -> list[tuple[str, str, MentionFilter]]:
        specs = [
            ("new", self.tr("New"), MentionFilter(states=(MentionState.NEW,))),
            ("to_reply", self.tr("To reply"), MentionFilter(states=(MentionState.TO_REPLY,))),
            ("starred", self.tr("Starred"), MentionFilter(starred=True)),
            ("all", self.tr("All"), MentionFilter()),
        ]
        return specs

    def reload_views(self) -> None:
        """Saved views with their counts; keeps the current choice."""
        current = self.views.currentItem().data(Qt.ItemDataRole.UserRole) if self.views.currentItem() else None
        self.views.blockSignals(True)
        self.views.clear()
        for key, label, f in self._view_specs():
            n = self.svc.count_mentions(f)
            it = QListWidgetItem(f"{label}  ({n})")
            it.setData(Qt.ItemDataRole.UserRole, key)
            self.views.addItem(it)
        if self._terms:
            sep = QListWidgetItem(self.tr("Watch terms"))
            sep.setFlags(Qt.ItemFlag.NoItemFlags)
            self.views.addItem(sep)
        for t, n in self._terms:
            it = QListWidgetItem(f"\u25cf {t.name}  ({n})" + ("" if t.active else " " + self.tr("(paused)")))
            it.setForeground(self._color(t.color))
            it.setData(Qt.ItemDataRole.UserRole, f"term:{t.id}")
            self.views.addItem(it)
        self._highlight_view(current)
        self.views.blockSignals(False)

    @staticmethod
    def _color(name: str):
        from PySide6.QtGui import QBrush, QColor
        return QBrush(QColor(name))

    def _highlight_view(self, key: str | None) -> None:
        if key is None:  # no saved view matches; never make the "Watch terms" header current
            self.views.setCurrentRow(-1)
            return
        for i in range(self.views.count()):
            if self.views.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.views.setCurrentRow(i)
                return
        self.views.setCurrentRow(-1)

    # -- views and filters -------------------------------------------------------
    def select_view(self, key: str) -> None:
        """Apply a saved view: it sets the state, term and star filters and
        clears the others."""
        self._applying = True
        try:
            state = {"new": MentionState.NEW.value, "to_reply": MentionState.TO_REPLY.value}.get(key)
            self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(state)))
            term = int(key.split(":", 1)[1]) if key.startswith("term:") else None
            self.term_combo.setCurrentIndex(max(0, self.term_combo.findData(term)))
            self.starred_check.setChecked(key == "starred")
            if key == "all":
                for combo in (self.sentiment_combo, self.lang_combo, self.source_combo, self.period_combo):
                    combo.setCurrentIndex(0)
                self.search.clear()
                self._search_timer.stop()
        finally:
            self._applying = False
        self.apply_filters()

    def _view_chosen(self, item, _previous=None) -> None:
        if item is not None and item.data(Qt.ItemDataRole.UserRole):
            self.select_view(item.data(Qt.ItemDataRole.UserRole))

    def _filters_edited(self, *_args) -> None:
        self._set_period_widgets()
        if not self._applying:
            self.apply_filters()

    def _set_period_widgets(self) -> None:
        custom = self.period_combo.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)

    def current_filter(self) -> MentionFilter:
        state = self.state_combo.currentData()
        term = self.term_combo.currentData()
        today = dt.datetime.fromtimestamp(self.clock()).date()
        custom = (self.date_from.date().toPython(), self.date_to.date().toPython())
        since, until = period_bounds(self.period_combo.currentData() or "any", today, custom)
        text = self.search.text().strip() or None
        return MentionFilter(
            states=(MentionState(state),) if state else (),
            term_ids=(term,) if term is not None else (),
            sentiment=self.sentiment_combo.currentData(),
            lang=self.lang_combo.currentData(),
            source=self.source_combo.currentData(),
            since=since, until=until, text=text,
            starred=True if self.starred_check.isChecked() else None,
        )

    def _matching_view(self, f: MentionFilter) -> str | None:
        if f.sentiment or f.lang or f.source or f.since or f.until or f.text:
            return None
        if f.starred and not f.states and not f.term_ids:
            return "starred"
        if f.starred:
            return None
        if f.term_ids and not f.states:
            return f"term:{f.term_ids[0]}"
        if f.term_ids:
            return None
        if not f.states:
            return "all"
        return {MentionState.NEW: "new", MentionState.TO_REPLY: "to_reply"}.get(f.states[0])

    def apply_filters(self) -> None:
        """Load the list for the filter bar's current values."""
        self._search_timer.stop()
        f = self.current_filter()
        self.views.blockSignals(True)
        self._highlight_view(self._matching_view(f))
        self.views.blockSignals(False)
        self.model.set_filter(f)
        self._update_selection_label()
        if self.model.rowCount():
            self.select_row(0)
        else:
            self._show(None)

    def _update_selection_label(self) -> None:
        if self.model.error:
            self.empty_label.setText(self.tr("Search error: %1").replace("%1", self.model.error))
            return
        n = self.model.rowCount()
        if n == 0:
            self.empty_label.setText(self.tr("No mentions here. Change the view or the filters."))
            return
        selected = len(self.list.selectionModel().selectedRows())
        more = "+" if self.model.canFetchMore() else ""
        text = self.tr("%1%2 mentions").replace("%1", str(n)).replace("%2", more)
        if selected > 1:
            text += " \u00b7 " + self.tr("%1 selected").replace("%1", str(selected))
        self.empty_label.setText(text)

    # -- selection -------------------------------------------------------------
    def current_row(self) -> int:
        idx = self.list.currentIndex()
        return idx.row() if idx.isValid() else -1

    def current_mention(self):
        return self.model.mention_at(self.current_row())

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.list.selectionModel().selectedRows())
        ids = [self.model.mention_at(r).id for r in rows if self.model.mention_at(r) is not None]
        if not ids and self.current_mention() is not None:
            ids = [self.current_mention().id]
        return ids

    def select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self._show(None)
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        idx = self.model.index(row)
        self.list.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.list.scrollTo(idx)

    def select_mention(self, mention_id: int) -> bool:
        row = self.model.row_of(mention_id)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def _source_weight_changed(self, source: str) -> None:
        ids = [m.id for m in (self.model.mention_at(r) for r in range(self.model.rowCount()))
               if m is not None and m.source == source]
        self.model.update_in_place(ids)
        self._say(self.tr("Reach weight of %1 saved").replace("%1", source))

    def _current_changed(self, current, _previous) -> None:
        self._show(self.model.mention_at(current.row()) if current.isValid() else None)

    def _show(self, m) -> None:
        self.detail.set_mention(m)
        self.reply.set_mention(m)

    def move(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        self.select_row(max(0, target) if row >= 0 else 0)

    # -- triage ----------------------------------------------------------------
    def set_state(self, state: MentionState) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        row = self.current_row()
        bulk = len(ids) > 1
        changed = self.svc.set_state(ids, state)
        self._after_change(ids, row, bulk)
        self._say(self.tr("%1 mention(s) marked %2 \u2014 u to undo").replace("%1", str(changed))
                  .replace("%2", state_label(state).lower()))

    def toggle_star(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = [self.model.mention_at(self.model.row_of(i)) for i in ids]
        star = not all(m is not None and m.starred for m in rows)
        row = self.current_row()
        self.svc.set_starred(ids, star)
        self.model.sync_ids(ids)
        self.detail.set_mention(self.model.mention_at(self.model.row_of(ids[0])) or self.detail.mention)
        if self.model.row_of(ids[0]) < 0:
            self.select_row(row)
        self.reload_views()
        self._say(self.tr("Starred") if star else self.tr("Unstarred"))

    def _after_change(self, ids: list[int], row: int, bulk: bool) -> None:
        current_id = self.current_mention().id if self.current_mention() else None
        self.model.sync_ids(ids)
        self.reload_views()
        if bulk:
            self.list.clearSelection()
            self.select_row(min(row, self.model.rowCount() - 1) if row >= 0 else 0)
            return
        still = self.model.row_of(current_id) if current_id is not None else -1
        if still >= 0:
            self.select_row(still + 1 if still + 1 < self.model.rowCount() else still)
            if self.model.mention_at(still) is not None and self.current_row() == still:
                self._show(self.model.mention_at(still))
        else:
            if row >= self.model.rowCount() and self.model.canFetchMore():
                self.model.fetchMore()
            self.select_row(row)
        self._update_selection_label()

    def undo(self) -> None:
        ids = self.svc.undo()
        if not ids:
            self._say(self.tr("Nothing to undo"))
            return
        self.model.sync_ids(ids)
        self.reload_views()
        self.select_mention(ids[-1])
        if self.current_mention() is not None and self.current_mention().id in ids:
            self._show(self.current_mention())
        self._say(self.tr("Undone (%1 mention(s))").replace("%1", str(len(ids))))

    def open_current(self) -> None:
        m = self.current_mention()
        if m is not None and not open_web_url(m.url):
            self._say(self.tr("This mention has no web page to open"))

    def focus_reply(self) -> None:
        if self.current_mention() is not None:
            self.reply.focus_draft()

    def focus_tag(self) -> None:
        if self.current_mention() is not None:
            self.detail.tag_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _say(self, text: str) -> None:
        self.empty_label.setText(text)
        self.statusMessage.emit(text)

    # -- refresh integration -----------------------------------------------------
    def on_refresh_progress(self, result: FeedResult) -> None:
        if not getattr(result, "new_mentions", 0):
            return
        if not self.isVisible():
            self._stale = True  # read once when the area is shown, not on every feed
        elif not self._refresh_timer.isActive():
            self._refresh_timer.start()  # at most one update per interval during a burst

    def on_refresh_finished(self, summary: RefreshSummary) -> None:
        if not getattr(summary, "new_mentions", 0):
            return
        self._refresh_timer.stop()
        if self.isVisible():
            self.show_new_mentions()
            self.reload_facets()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            QTimer.singleShot(0, self._catch_up)

    def _catch_up(self) -> None:
        self.show_new_mentions()
        self.reload_facets()

    def show_new_mentions(self) -> int:
        """Insert mentions found since the last look, keeping selection and scroll."""
        bar = self.list.verticalScrollBar()
        at_top = bar.value() == 0
        anchor = self.list.indexAt(QPoint(2, 2))
        anchor_id = anchor.data(MentionIdRole) if anchor.isValid() else None
        anchor_offset = self.list.visualRect(anchor).top() if anchor.isValid() else 0
        shown = self.model.insert_newer()
        if shown and not at_top and anchor_id is not None:
            row = self.model.row_of(anchor_id)
            if row >= 0:
                self.list.scrollTo(self.model.index(row), QAbstractItemView.ScrollHint.PositionAtTop)
                bar.setValue(bar.value() - anchor_offset)
        self.reload_views()
        self._update_selection_label()
        if self.current_row() < 0 and self.model.rowCount():
            self.select_row(0)
        return shown

    # -- dialogs -----------------------------------------------------------------
    def open_terms_dialog(self, parent=None) -> None:
        from .terms_dialog import WatchTermsDialog
        dlg = WatchTermsDialog(self.services, parent or self)
        dlg.exec()
        self.after_terms_changed()

    def reload(self) -> None:
        """Re-read terms, templates and the list (after the Tools menu's editors)."""
        self.reply.reload_templates()
        self.after_terms_changed()

    def after_terms_changed(self) -> None:
        self.flush()
        self.reload_terms()
        self.reload_facets()
        keep = self.current_mention().id if self.current_mention() else None
        self.model.reload()
        if keep is None or not self.select_mention(keep):
            self.select_row(0)

    def open_templates_dialog(self, parent=None) -> None:
        from .templates_dialog import ReplyTemplatesDialog
        m = self.current_mention()
        dlg = ReplyTemplatesDialog(self.services, parent or self, mention_id=m.id if m else None)
        dlg.exec()
        self.reply.reload_templates()

    # -- state -------------------------------------------------------------------
    def save_state(self, settings) -> None:
        self.flush()
        state = {
            "state": self.state_combo.currentData(), "term": self.term_combo.currentData(),
            "sentiment": self.sentiment_combo.currentData(), "lang": self.lang_combo.currentData(),
            "source": self.source_combo.currentData(), "period": self.period_combo.currentData(),
            "from": self.date_from.date().toString(Qt.DateFormat.ISODate),
            "to": self.date_to.date().toString(Qt.DateFormat.ISODate),
            "starred": self.starred_check.isChecked(), "text": self.search.text(),
        }
        settings.setValue("mentions/filters", json.dumps(state))
        settings.setValue("mentions/split", self.split.saveState())
        settings.setValue("mentions/right_split", self.right_split.saveState())

    def restore_state(self, settings) -> None:
        raw = settings.value("mentions/filters")
        try:
            state = json.loads(raw) if raw else {}
        except (TypeError, ValueError):
            state = {}
        for key in ("mentions/split", "mentions/right_split"):
            value = settings.value(key)
            if value is not None:
                (self.split if key == "mentions/split" else self.right_split).restoreState(value)
        if not isinstance(state, dict) or not state:
            return
        self._applying = True
        try:
            for combo, key in ((self.state_combo, "state"), (self.term_combo, "term"),
                               (self.sentiment_combo, "sentiment"), (self.lang_combo, "lang"),
                               (self.source_combo, "source"), (self.period_combo, "period")):
                value = state.get(key)
                i = combo.findData(value)
                if i < 0 and value is not None and combo in (self.lang_combo, self.source_combo):
                    combo.addItem(str(value), value)
                    i = combo.count() - 1
                combo.setCurrentIndex(max(0, i))
            for edit, key in ((self.date_from, "from"), (self.date_to, "to")):
                d = QDate.fromString(str(state.get(key) or ""), Qt.DateFormat.ISODate)
                if d.isValid():
                    edit.setDate(d)
            self.starred_check.setChecked(bool(state.get("starred")))
            self.search.setText(str(state.get("text") or ""))
        finally:
            self._applying = False
        self._set_period_widgets()
        self.apply_filters()

    def flush(self) -> None:
        """Save what is being typed (draft, note) now."""
        self.reply.save_draft()
        self.detail.save_note()

    def closeEvent(self, event) -> None:
        self.flush()
        super().closeEvent(event)

    def hideEvent(self, event) -> None:
        self.flush()
        super().hideEvent(event)


def open_terms_dialog(services, parent=None) -> None:
    """The watch-term editor, for the window's Tools menu (when no area is at hand)."""
    from .terms_dialog import WatchTermsDialog
    WatchTermsDialog(services, parent).exec()


def open_templates_dialog(services, parent=None, mention_id: int | None = None) -> None:
    from .templates_dialog import ReplyTemplatesDialog
    ReplyTemplatesDialog(services, parent, mention_id=mention_id).exec()
