"""Qt models of the feed reader: the folder/feed tree and the lazy item list."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from cmdesk.core.models import FeedListing, FeedStatus, Item
from cmdesk.services.reader import FeedTree, ItemScope, ReaderService

__all__ = ["FeedTreeModel", "ItemListModel", "TreeNode", "NODE_KEY_ROLE", "ITEM_ROLE", "ERROR_CODE_TEXT"]

NODE_KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # ("all"|"starred"|"folder"|"feed", id)
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 3

# Computed once: views call flags() for every cell they lay out, and Python enum
# flag arithmetic on each call showed up as GUI-thread time during refreshes.
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NODE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_BOLD: list[QFont] = []


def _bold_font() -> QFont:
    """One bold QFont for every unread row (made once a QApplication exists)."""
    if not _BOLD:
        f = QFont()
        f.setBold(True)
        _BOLD.append(f)
    return _BOLD[0]



_t = QCoreApplication.translate  # update.sh: lupdate reads _t("Context", "text") too


def ERROR_CODE_TEXT(code: str | None) -> str:  # noqa: N802 - reads like a table
    """A feed error code as the user reads it."""
    texts = {
        "network": _t("Veille", "Network error"),
        "timeout": _t("Veille", "Timed out"),
        "http": _t("Veille", "HTTP error"),
        "too_many_redirects": _t("Veille", "Too many redirects"),
        "bad_scheme": _t("Veille", "Unsupported address"),
        "too_large": _t("Veille", "Feed too large"),
        "not_a_feed": _t("Veille", "Not a feed"),
        "malformed": _t("Veille", "Malformed feed"),
        "auth": _t("Veille", "Login refused or needed"),
        "credentials_unavailable": _t("Veille", "Password unavailable"),
        "internal": _t("Veille", "Internal error"),
        "gone": _t("Veille", "Gone for good (HTTP 410)"),
    }
    return texts.get(code or "", _t("Veille", "Error"))


def display_title(item: Item, limit: int = 90) -> str:
    """The item's title; for untitled posts (Mastodon, Bluesky) the start of its text."""
    if item.title.strip():
        return item.title
    text = " ".join((item.text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


@dataclass(eq=False)
class TreeNode:
    kind: str  # "root", "all", "starred", "folder", "feed"
    id: int | None
    title: str
    parent: "TreeNode | None" = None
    children: list["TreeNode"] = field(default_factory=list)
    unread: int = 0
    total: int = 0
    listing: FeedListing | None = None
    pos: int = 0  # row under the parent, set when the tree is built

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.id)

    def row(self) -> int:
        return self.pos


@dataclass(frozen=True, eq=False)
class PreparedTree:
    """A feed tree turned into nodes, ready to show: built on any thread (it is
    plain Python over a FeedTree), so a refresh's updates cost the GUI thread
    only the comparison and the rows that changed."""

    tree: FeedTree
    root: TreeNode
    shape: tuple
    values: dict  # node key -> (unread, total, title, listing)
    feed_titles: dict  # feed id -> title shown in the item list


class FeedTreeModel(QAbstractItemModel):
    """All items, Starred, then folders (nested) and feeds, with unread counts.

    `reload(tree)` updates counts in place when the structure is unchanged
    (selection and expansion survive a refresh) and resets otherwise.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.root = TreeNode("root", None, "")
        self._by_key: dict[tuple[str, int | None], TreeNode] = {}
        self.tree: FeedTree | None = None
        self._shape_now: tuple = ()
        self._values: dict = {}

    # -- building (any thread) ---------------------------------------------------
    @classmethod
    def prepare(cls, tree: FeedTree) -> PreparedTree:
        root = cls._build(tree)
        values = {}
        stack = list(root.children)
        while stack:
            n = stack.pop()
            values[n.key] = (n.unread, n.total, n.title, n.listing)
            stack.extend(n.children)
        titles = {l.feed.id: (l.feed.title or l.feed.url) for l in tree.feeds}
        return PreparedTree(tree=tree, root=root, shape=cls._shape(root), values=values, feed_titles=titles)

    @staticmethod
    def _build(tree: FeedTree) -> TreeNode:
        root = TreeNode("root", None, "")
        root.children.append(TreeNode("all", None, _t("Veille", "All items"), root, unread=tree.total_unread,
                                      total=tree.total_items))
        root.children.append(TreeNode("starred", None, _t("Veille", "Starred"), root, unread=tree.starred_unread,
                                      total=tree.starred))
        folders = {f.id: TreeNode("folder", f.id, f.name) for f in tree.folders}
        for f in tree.folders:
            node = folders[f.id]
            parent = folders.get(f.parent_id, root) if f.parent_id is not None else root
            node.parent = parent
        # Folders first (alphabetically), then feeds, at every level.
        for node in sorted(folders.values(), key=lambda n: n.title.casefold()):
            node.parent.children.append(node)
        for listing in sorted(tree.feeds, key=lambda l: (l.feed.title or l.feed.url).casefold()):
            parent = folders.get(listing.feed.folder_id, root) if listing.feed.folder_id else root
            parent.children.append(TreeNode("feed", listing.feed.id, listing.feed.title or listing.feed.url, parent,
                                            unread=listing.unread, total=listing.items, listing=listing))

        def sums(node: TreeNode) -> tuple[int, int]:
            if node.kind == "folder":
                node.unread = node.total = 0
                for c in node.children:
                    u, t = sums(c)
                    node.unread += u
                    node.total += t
            return node.unread, node.total

        for c in root.children:
            if c.kind == "folder":
                sums(c)

        def number(node: TreeNode) -> None:
            for i, c in enumerate(node.children):
                c.pos = i
                number(c)

        number(root)
        return root

    @staticmethod
    def _shape(node: TreeNode) -> tuple:
        return tuple((c.key, FeedTreeModel._shape(c)) for c in node.children)

    def would_reset(self, prepared: PreparedTree) -> bool:
        """True when showing `prepared` changes the structure (not only counts)."""
        return prepared.shape != self._shape_now

    def reload(self, tree: FeedTree | PreparedTree) -> bool:
        """Show a new state of the tree; True when the model was reset."""
        prepared = tree if isinstance(tree, PreparedTree) else self.prepare(tree)
        self.tree = prepared.tree
        if self.would_reset(prepared):
            self.beginResetModel()
            self.root = prepared.root
            self._shape_now, self._values = prepared.shape, prepared.values
            self._index_nodes()
            self.endResetModel()
            return True
        # Same shape: copy the counts and feed states of the rows that changed.
        old_values = self._values
        for key, value in prepared.values.items():
            if old_values.get(key) != value:
                node = self._by_key.get(key)
                if node is None:
                    continue
                node.unread, node.total, node.title, node.listing = value
                idx = self.createIndex(node.pos, 0, node)
                self.dataChanged.emit(idx, idx)
        self._values = prepared.values
        return False

    def _index_nodes(self) -> None:
        self._by_key = {}
        stack = list(self.root.children)
        while stack:
            n = stack.pop()
            self._by_key[n.key] = n
            stack.extend(n.children)

    def index_for_key(self, key) -> QModelIndex:
        node = self._by_key.get(tuple(key) if key else None)
        return self.createIndex(node.row(), 0, node) if node is not None else QModelIndex()

    def node(self, index: QModelIndex) -> TreeNode | None:
        return index.internalPointer() if index.isValid() else None

    def nodes(self):
        """Every node, depth first, in display order."""
        def walk(n):
            for c in n.children:
                yield c
                yield from walk(c)
        yield from walk(self.root)

    def adjust_unread(self, feed_id: int, delta: int, *, starred: bool = False) -> None:
        """Local count change after the user read or unread items (no query)."""
        node = self._by_key.get(("feed", feed_id))
        changed = []
        while node is not None and node.kind != "root":
            node.unread = max(0, node.unread + delta)
            changed.append(node)
            node = node.parent
        for key in (("all", None),) + ((("starred", None),) if starred else ()):
            n = self._by_key.get(key)
            if n is not None:
                n.unread = max(0, n.unread + delta)
                changed.append(n)
        for n in changed:
            idx = self.createIndex(n.row(), 0, n)
            self.dataChanged.emit(idx, idx)

    def adjust_starred(self, delta_total: int, delta_unread: int) -> None:
        n = self._by_key.get(("starred", None))
        if n is not None:
            n.total = max(0, n.total + delta_total)
            n.unread = max(0, n.unread + delta_unread)
            idx = self.createIndex(n.row(), 0, n)
            self.dataChanged.emit(idx, idx)

    def scope_for(self, node: TreeNode | None) -> ItemScope:
        if node is None or node.kind == "all":
            return ItemScope()
        if node.kind == "starred":
            return ItemScope(starred=True)
        if node.kind == "feed":
            return ItemScope(feed_ids=(node.id,))
        assert self.tree is not None
        return ItemScope(feed_ids=self.tree.feed_ids_under(node.id))

    # -- QAbstractItemModel --------------------------------------------------------
    def index(self, row, column, parent=QModelIndex()):
        if column != 0 or row < 0:
            return QModelIndex()
        p = parent.internalPointer() if parent.isValid() else self.root
        if row >= len(p.children):
            return QModelIndex()
        return self.createIndex(row, column, p.children[row])

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        node: TreeNode = index.internalPointer()
        p = node.parent
        if p is None or p is self.root:
            return QModelIndex()
        return self.createIndex(p.row(), 0, p)

    def rowCount(self, parent=QModelIndex()):
        if parent.column() > 0:
            return 0
        p = parent.internalPointer() if parent.isValid() else self.root
        return len(p.children)

    def columnCount(self, parent=QModelIndex()):
        return 1

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _NODE_FLAGS

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        n: TreeNode = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{n.title} ({n.unread})" if n.unread else n.title
        if role == Qt.ItemDataRole.FontRole:
            if n.unread:
                f = QFont()
                f.setBold(True)
                return f
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(n)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(n)
        if role == Qt.ItemDataRole.ForegroundRole and n.listing is not None \
                and n.listing.feed.status == FeedStatus.DISABLED:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == NODE_KEY_ROLE:
            return n.key
        if role == UNREAD_ROLE:
            return n.unread
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{n.title}, {n.unread} unread"
        return None

    def _icon(self, n: TreeNode) -> QIcon:
        style = QApplication.style() if isinstance(QApplication.instance(), QApplication) else None
        if style is None:  # no widgets application (a model used headless)
            return QIcon()
        sp = QStyle.StandardPixmap
        if n.kind == "all":
            return style.standardIcon(sp.SP_FileDialogDetailedView)
        if n.kind == "starred":
            return QIcon.fromTheme("starred", style.standardIcon(sp.SP_DialogYesButton))
        if n.kind == "folder":
            return style.standardIcon(sp.SP_DirIcon)
        status = n.listing.feed.status if n.listing else FeedStatus.NEW
        if status == FeedStatus.ERROR:
            return style.standardIcon(sp.SP_MessageBoxWarning)
        if status == FeedStatus.DISABLED:
            return style.standardIcon(sp.SP_BrowserStop)
        return style.standardIcon(sp.SP_FileIcon)

    def _tooltip(self, n: TreeNode) -> str:
        if n.listing is None:
            return _t("Veille", "{title}: {unread} unread of {total}").format(title=n.title, unread=n.unread, total=n.total)
        feed = n.listing.feed
        lines = [feed.title or feed.url, feed.url]
        if feed.status == FeedStatus.ERROR:
            lines.append(_t("Veille", "Error: {what}").format(what=ERROR_CODE_TEXT(feed.last_error_code)))
            if feed.last_error:
                lines.append(feed.last_error)
            lines.append(_t("Veille", "Failed {n} time(s) in a row").format(n=feed.error_count))
        elif feed.status == FeedStatus.DISABLED:
            lines.append(_t("Veille", "Disabled: {why}").format(why=feed.disabled_reason or ""))
        elif feed.last_ok_at:
            lines.append(_t("Veille", "Last fetched {when}").format(
                when=time.strftime("%Y-%m-%d %H:%M", time.localtime(feed.last_ok_at))))
        else:
            lines.append(_t("Veille", "Not fetched yet"))
        lines.append(_t("Veille", "{unread} unread of {total}").format(unread=n.unread, total=n.total))
        return "\n".join(lines)


class ItemListModel(QAbstractTableModel):
    """Items of one scope, newest first, loaded a page at a time (`canFetchMore`/`fetchMore`).

    Opening a scope reads one page; scrolling reads the next by keyset, so a
    feed or a search with 100,000 items opens as fast as one with ten.
    """

    COL_STAR, COL_TITLE, COL_FEED, COL_DATE = range(4)
    PAGE = 200

    def __init__(self, reader: ReaderService, parent=None):
        super().__init__(parent)
        self.reader = reader
        self.scope = ItemScope()
        self.items: list[Item] = []
        self._row_of: dict[int, int] = {}
        self._cursor: tuple[int, int] | None = None
        self._more = False
        self.feed_titles: dict[int, str] = {}
        self.error: str | None = None
        self._fetching = False

    # -- loading -------------------------------------------------------------
    def set_scope(self, scope: ItemScope) -> None:
        self.beginResetModel()
        self.scope = scope
        self.items, self._row_of = [], {}
        self._cursor, self._more = None, True
        self.error = None
        self._load_page(notify=False)
        self.endResetModel()

    def reload(self) -> None:
        """Read again as many rows as are loaded (after a refresh or a bulk change)."""
        self.apply_reload(self.read_reload(self.scope, max(len(self.items), self.PAGE)))

    def read_reload(self, scope: ItemScope, want: int):
        """The reads `reload` does, without touching the model: safe on any thread (the
        reader opens its own connection). Returns what `apply_reload` takes."""
        from cmdesk.services.reader import ReaderError

        items, cursor, more, error = [], None, True, None
        while more and len(items) < want:
            try:
                page = self.reader.items_page(scope, after=cursor, limit=self.PAGE)
            except ReaderError as exc:
                error, more = str(exc), False
                break
            items.extend(page.items)
            cursor, more = page.next_cursor, page.next_cursor is not None
        return scope, items, cursor, more, error

    def apply_reload(self, read) -> bool:
        """Show rows read by `read_reload` (on the GUI thread); False when the scope changed since."""
        scope, items, cursor, more, error = read
        if scope != self.scope:
            return False
        self.beginResetModel()
        self.items, self._row_of = list(items), {it.id: i for i, it in enumerate(items)}
        self._cursor, self._more, self.error = cursor, more, error
        self.endResetModel()
        return True

    def _load_page(self, *, notify: bool) -> None:
        from cmdesk.services.reader import ReaderError

        try:
            page = self.reader.items_page(self.scope, after=self._cursor, limit=self.PAGE)
        except ReaderError as exc:
            self.error = str(exc)
            self._more = False
            return
        rows = list(page.items)
        # Cursor first: views (and model testers) may ask canFetchMore while rows are inserted.
        self._cursor = page.next_cursor
        self._more = page.next_cursor is not None
        if notify and rows:
            self.beginInsertRows(QModelIndex(), len(self.items), len(self.items) + len(rows) - 1)
        start = len(self.items)
        self.items.extend(rows)
        for i, it in enumerate(rows, start):
            self._row_of[it.id] = i
        if notify and rows:
            self.endInsertRows()

    def canFetchMore(self, parent=QModelIndex()):
        return not parent.isValid() and self._more

    def fetchMore(self, parent=QModelIndex()):
        if self.canFetchMore(parent) and not self._fetching:
            self._fetching = True
            try:
                self._load_page(notify=True)
            finally:
                self._fetching = False

    # -- access --------------------------------------------------------------
    def item(self, row: int) -> Item | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def row_of(self, item_id: int) -> int | None:
        return self._row_of.get(item_id)

    def update_item(self, item_id: int, **changes) -> Item | None:
        row = self._row_of.get(item_id)
        if row is None:
            return None
        self.items[row] = replace(self.items[row], **changes)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return self.items[row]

    def mark_all_loaded_read(self) -> None:
        for row, it in enumerate(self.items):
            if not it.read:
                self.items[row] = replace(it, read=True)
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, self.columnCount() - 1))

    # -- QAbstractTableModel --------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {self.COL_STAR: "★", self.COL_TITLE: _t("Veille", "Title"), self.COL_FEED: _t("Veille", "Feed"),
                self.COL_DATE: _t("Veille", "Date")}.get(section)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        it = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_STAR:
                return "★" if it.starred else ""
            if col == self.COL_TITLE:
                return display_title(it) or _t("Veille", "(no title)")
            if col == self.COL_FEED:
                return self.feed_titles.get(it.feed_id, "")
            if col == self.COL_DATE:
                ts = it.published_at or it.fetched_at
                if not ts:
                    return ""
                fmt = "%H:%M" if time.localtime(ts)[:3] == time.localtime()[:3] else "%Y-%m-%d"
                return time.strftime(fmt, time.localtime(ts))
            return None
        if role == Qt.ItemDataRole.FontRole and not it.read:
            return _bold_font()
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_TITLE:
            return it.title
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_DATE:
            ts = it.published_at or it.fetched_at
            return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_STAR:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STAR and it.starred:
            from PySide6.QtGui import QColor

            return QColor("#d9a400")
        if role == ITEM_ROLE:
            return it
        return None
