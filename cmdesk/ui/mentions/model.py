"""The inbox list model: mentions loaded lazily, one keyset page at a time.

`MentionInboxModel` holds the mentions loaded so far, newest first, and asks
`MentionService.list_mentions` for the next page only when the view scrolls
there (`canFetchMore`/`fetchMore`), so 100,000 mentions open at once. After
a triage change, an undo or a refresh it updates just the rows concerned
(`sync_ids`, `insert_newer`) instead of reloading.
"""

from __future__ import annotations

import bisect
from typing import Iterable

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt

from cmdesk.core.models import Mention, MentionFilter, WatchTerm

PAGE_SIZE = 200

MentionRole = Qt.ItemDataRole.UserRole + 1
MentionIdRole = Qt.ItemDataRole.UserRole + 2

# Computed once: views call flags() for every cell they lay out, and Python enum
# flag arithmetic on each call showed up as GUI-thread time during refreshes.
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _key(m: Mention) -> tuple[int, int]:
    """Sort key: rows are ordered by this key, descending."""
    return (m.published_at, m.id)


def mention_matches(m: Mention, f: MentionFilter) -> bool:
    """Whether a (re-read) mention still belongs in a view, for the fields
    triage can change; the text filter is assumed to still hold."""
    if f.states and m.state not in f.states:
        return False
    if f.term_ids and not set(f.term_ids) & set(m.term_ids):
        return False
    if f.sentiment and m.sentiment != f.sentiment:
        return False
    if f.lang and m.lang != f.lang:
        return False
    if f.source and m.source != f.source:
        return False
    if f.since is not None and m.published_at < f.since:
        return False
    if f.until is not None and m.published_at >= f.until:
        return False
    if f.starred is not None and m.starred != f.starred:
        return False
    if f.tag and f.tag not in m.tags:
        return False
    return True


class MentionInboxModel(QAbstractListModel):
    """A lazy list of `Mention` objects for one `MentionFilter`."""

    def __init__(self, mentions_service, parent=None, *, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self._svc = mentions_service
        self._page_size = page_size
        self._filter = MentionFilter()
        self._rows: list[Mention] = []
        self._neg_keys: list[tuple[int, int]] = []  # negated keys, ascending, for bisect
        self._cursor: tuple[int, int] | None = None
        self._exhausted = True
        self._max_id = 0
        self.terms: dict[int, WatchTerm] = {}
        self.error: str | None = None

    # -- loading ---------------------------------------------------------
    @property
    def filter(self) -> MentionFilter:
        return self._filter

    def set_terms(self, terms: Iterable[WatchTerm]) -> None:
        self.terms = {t.id: t for t in terms}
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def set_filter(self, f: MentionFilter) -> None:
        """Show another view: drops the loaded rows and loads the first page."""
        self.beginResetModel()
        self._filter = f
        self._rows, self._neg_keys = [], []
        self._cursor, self._exhausted, self.error = None, False, None
        self._load_page()
        self.endResetModel()

    def reload(self) -> None:
        self.set_filter(self._filter)

    def _load_page(self) -> list[Mention]:
        try:
            page = self._svc.list_mentions(self._filter, limit=self._page_size, cursor=self._cursor)
        except Exception as exc:  # a bad search expression: show it, keep the app alive
            self.error = str(exc)
            self._exhausted = True
            return []
        rows = list(page.mentions)
        self._rows += rows
        self._neg_keys += [(-m.published_at, -m.id) for m in rows]
        self._max_id = max([self._max_id] + [m.id for m in rows])
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        return rows

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        if parent.isValid():
            return False
        return not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        try:
            page = self._svc.list_mentions(self._filter, limit=self._page_size, cursor=self._cursor)
        except Exception as exc:
            self.error = str(exc)
            self._exhausted = True
            return
        rows = [m for m in page.mentions if not self._contains(m)]
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows += rows
            self._neg_keys += [(-m.published_at, -m.id) for m in rows]
            self._max_id = max([self._max_id] + [m.id for m in rows])
            self.endInsertRows()

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    # -- Qt model API ----------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        m = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return m.title or m.excerpt[:120]
        if role == Qt.ItemDataRole.ToolTipRole:
            return m.url or m.title
        if role == MentionRole:
            return m
        if role == MentionIdRole:
            return m.id
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    # -- row access --------------------------------------------------------
    def mention_at(self, row: int) -> Mention | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, mention_id: int) -> int:
        for i, m in enumerate(self._rows):
            if m.id == mention_id:
                return i
        return -1

    def _contains(self, m: Mention) -> bool:
        i = bisect.bisect_left(self._neg_keys, (-m.published_at, -m.id))
        return i < len(self._rows) and self._rows[i].id == m.id

    def _row_by_key(self, m: Mention) -> int:
        i = bisect.bisect_left(self._neg_keys, (-m.published_at, -m.id))
        return i if i < len(self._rows) and self._rows[i].id == m.id else -1

    def _insert_sorted(self, m: Mention) -> int:
        """Insert a mention at its place; -1 when it lies past the loaded rows
        (the next `fetchMore` will bring it)."""
        k = (-m.published_at, -m.id)
        i = bisect.bisect_left(self._neg_keys, k)
        if i == len(self._rows) and not self._exhausted:
            return -1
        self.beginInsertRows(QModelIndex(), i, i)
        self._rows.insert(i, m)
        self._neg_keys.insert(i, k)
        self._max_id = max(self._max_id, m.id)
        self.endInsertRows()
        return i

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._neg_keys[row]
        self.endRemoveRows()

    # -- incremental updates -------------------------------------------------
    def sync_ids(self, mention_ids: Iterable[int]) -> None:
        """Re-read these mentions: update their rows, drop the ones that left
        the view, insert the ones that entered it (after an undo)."""
        for mid in dict.fromkeys(mention_ids):
            row = self.row_of(mid)
            try:
                m = self._svc.get_mention(mid)
            except Exception:
                m = None
            if m is None or not mention_matches(m, self._filter):
                if row >= 0:
                    self._remove_row(row)
                continue
            if row >= 0:
                self._rows[row] = m
                self.dataChanged.emit(self.index(row), self.index(row))
            else:
                self._insert_sorted(m)

    def update_in_place(self, mention_ids: Iterable[int]) -> None:
        """Re-read these mentions and repaint their rows, never removing them
        (a star or tag change should not make the row jump away)."""
        for mid in dict.fromkeys(mention_ids):
            row = self.row_of(mid)
            if row < 0:
                continue
            try:
                self._rows[row] = self._svc.get_mention(mid)
            except Exception:
                continue
            self.dataChanged.emit(self.index(row), self.index(row))

    def insert_newer(self) -> int:
        """Add the mentions found since the newest one loaded; returns how many were shown."""
        try:
            newer = self._svc.newer_mentions(self._filter, self._max_id)
        except Exception:
            return 0
        shown = 0
        for m in sorted(newer, key=_key, reverse=True):
            self._max_id = max(self._max_id, m.id)
            if self._contains(m):
                continue
            if self._insert_sorted(m) >= 0:
                shown += 1
        return shown
