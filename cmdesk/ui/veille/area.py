"""Veille: the feed reader area (folder/feed tree, lazy item list, reader pane)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QMessageBox, QSplitter,
    QToolButton, QTreeView, QVBoxLayout, QWidget,
)

from cmdesk.core.models import FeedResult, RefreshSummary
from cmdesk.services.reader import ItemScope
from cmdesk.ui.veille.dialogs import AddFeedDialog, FeedHealthDialog, FeedPropertiesDialog, OpmlImportSummaryDialog
from cmdesk.ui.veille.models import FeedTreeModel, ItemListModel, PreparedTree
from cmdesk.ui.veille.reader_view import ReaderView
from cmdesk.ui.widgets.links import open_external_link
from cmdesk.ui.widgets.tasks import run_in_background

__all__ = ["VeilleArea"]

log = logging.getLogger(__name__)
NEXT_UNREAD_SCAN = 5000  # rows read ahead in one list when looking for the next unread item


class VeilleArea(QWidget):
    """The feed reader. Follows the area contract of the main window."""

    refreshRequested = Signal(object)  # feed ids (tuple) or None for every feed
    statusMessage = Signal(str)

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.reader = services.reader
        self._current_item_id: int | None = None
        self._pending_new: set[int] = set()
        self._reading = 0  # generation of the refresh update being read off the GUI thread (0: none)
        self._generation = 0

        # -- tree
        self.tree_model = FeedTreeModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("veilleTree")
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.setExpandsOnDoubleClick(True)

        # -- item list
        self.items = ItemListModel(self.reader, self)
        self.list = QTreeView()
        self.list.setObjectName("veilleItems")
        self.list.setModel(self.items)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._list_menu)
        self.list.doubleClicked.connect(lambda _: self.open_in_browser())
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ItemListModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ItemListModel.COL_STAR, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ItemListModel.COL_STAR, 28)
        header.resizeSection(ItemListModel.COL_FEED, 130)
        header.resizeSection(ItemListModel.COL_DATE, 88)

        self.search = QLineEdit()
        self.search.setObjectName("veilleSearch")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=300)
        self._search_timer.timeout.connect(self._apply_scope)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_scope)
        self.unread_only = QToolButton()
        self.unread_only.setCheckable(True)
        self.unread_only.toggled.connect(lambda _: self._apply_scope())
        self.mark_all_button = QToolButton()
        self.mark_all_button.clicked.connect(self.mark_all_read)
        self.scope_label = QLabel()
        self.scope_label.setObjectName("veilleScopeLabel")
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 4)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.unread_only)
        bar.addWidget(self.mark_all_button)
        list_box = QWidget()
        lv = QVBoxLayout(list_box)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(0)
        lv.addLayout(bar)
        lv.addWidget(self.scope_label)
        lv.addWidget(self.list, 1)
        lv.addWidget(self.empty_label)

        # -- reader
        self.view = ReaderView()
        self.view.toggleStarRequested.connect(self.toggle_star)
        self.view.toggleReadRequested.connect(self.toggle_read)
        self.view.openRequested.connect(self.open_in_browser)
        self.view.browser.linkRefused.connect(
            lambda url: self.statusMessage.emit(self.tr("Link not opened (only http, https and mailto): {url}")
                                                .format(url=url[:80])))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("veilleSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(list_box)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([240, 520, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._make_actions()
        self.retranslate()

        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        # Selection, not the current index: a view gives itself a current row when it gets the
        # focus, and that must not open (and mark read) an item nobody chose.
        self.list.selectionModel().selectionChanged.connect(self._item_selection_changed)
        self._refresh_timer = QTimer(self, singleShot=True, interval=700)  # coalesces refresh progress
        self._refresh_timer.timeout.connect(self._apply_new_items)

        self.reload_tree()
        self.select_key(("all", None))

    # -- actions -------------------------------------------------------------------
    def _action(self, shortcuts, slot) -> QAction:
        a = QAction(self)
        if shortcuts:
            a.setShortcuts([QKeySequence(s) for s in shortcuts])
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _make_actions(self) -> None:
        self.act_next_unread = self._action(["N"], self.next_unread)
        self.act_space = self._action(["Space"], self.space)
        self.act_toggle_read = self._action(["M"], self.toggle_read)
        self.act_star = self._action(["S"], self.toggle_star)
        self.act_open = self._action(["O", "Return", "Enter"], self.open_in_browser)
        self.act_mark_all = self._action(["Shift+M"], self.mark_all_read)
        self.act_search = self._action(["Ctrl+F", "/"], self.focus_search)
        self.act_unread_only = QAction(self)
        self.act_unread_only.setCheckable(True)
        self.act_unread_only.toggled.connect(self.unread_only.setChecked)
        self.unread_only.toggled.connect(self.act_unread_only.setChecked)
        self.act_load_images = self._action(["I"], self.view.load_images)
        self.act_add_feed = QAction(self)
        self.act_add_feed.triggered.connect(lambda: self.add_feed())
        self.act_properties = QAction(self)
        self.act_properties.triggered.connect(lambda: self.feed_properties())
        self.act_health = QAction(self)
        self.act_health.triggered.connect(lambda: self.feed_health())
        # Space in the list is "next unread"; Qt's views would otherwise use it to select.
        self.list.installEventFilter(self)
        # Return in the search box runs the search: QLineEdit leaves Return/Enter to shortcuts,
        # which would "open in browser" the selected item instead.
        self.search.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802
        from PySide6.QtCore import QEvent

        if obj is self.list and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Space \
                and not event.modifiers():
            self.space()
            return True
        if obj is self.search and event.type() == QEvent.Type.ShortcutOverride \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # the line edit gets the key press: returnPressed -> search now
            return True
        return super().eventFilter(obj, event)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F) — words, \"phrases\", prefix*"))
        self.unread_only.setText(self.tr("Unread only"))
        self.unread_only.setToolTip(self.tr("Show only unread items"))
        self.mark_all_button.setText(self.tr("Mark all read"))
        self.mark_all_button.setToolTip(self.tr("Mark every item of the selected feed or folder read (Shift+M)"))
        for action, text in (
            (self.act_next_unread, self.tr("Next unread item")),
            (self.act_space, self.tr("Scroll, then next unread")),
            (self.act_toggle_read, self.tr("Toggle read")),
            (self.act_star, self.tr("Star / unstar")),
            (self.act_open, self.tr("Open in browser")),
            (self.act_mark_all, self.tr("Mark all read in feed/folder")),
            (self.act_search, self.tr("Search items")),
            (self.act_unread_only, self.tr("Unread items only")),
            (self.act_load_images, self.tr("Load images of this item")),
            (self.act_add_feed, self.tr("Add feed…")),
            (self.act_properties, self.tr("Feed properties…")),
            (self.act_health, self.tr("Feed health…")),
        ):
            action.setText(text)
        self.view.retranslate()
        self._update_scope_label()

    def changeEvent(self, event):  # noqa: N802
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def area_actions(self) -> list[QAction]:
        return [self.act_next_unread, self.act_toggle_read, self.act_star, self.act_open, self.act_load_images,
                self.act_mark_all, self.act_search, self.act_unread_only]

    # -- tree ----------------------------------------------------------------------
    def reload_tree(self, tree=None) -> None:
        """Show the feed tree again: `tree` (a PreparedTree) as read off the GUI thread, else read it now."""
        prepared = tree if isinstance(tree, PreparedTree) else FeedTreeModel.prepare(self.reader.tree())
        self.items.feed_titles = prepared.feed_titles
        if not self.tree_model.would_reset(prepared):
            self.tree_model.reload(prepared)  # counts only: selection and expansion stay
            return
        key = self.current_key()
        expanded = self._expanded_keys()
        self.tree_model.reload(prepared)
        self._restore_expanded(expanded)
        if key is not None and not self.tree.currentIndex().isValid():
            self.select_key(key, quiet=True)

    def _expanded_keys(self) -> list:
        return [n.key for n in self.tree_model.nodes()
                if n.kind == "folder" and self.tree.isExpanded(self.tree_model.index_for_key(n.key))]

    def _restore_expanded(self, keys) -> None:
        for k in keys:
            idx = self.tree_model.index_for_key(tuple(k))
            if idx.isValid():
                self.tree.setExpanded(idx, True)

    def current_key(self):
        node = self.tree_model.node(self.tree.currentIndex())
        return node.key if node else None

    def select_key(self, key, *, quiet: bool = False) -> bool:
        idx = self.tree_model.index_for_key(tuple(key))
        if not idx.isValid():
            return False
        if quiet:
            self.tree.selectionModel().blockSignals(True)
        self.tree.setCurrentIndex(idx)
        if quiet:
            self.tree.selectionModel().blockSignals(False)
            self.tree.viewport().update()
        return True

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._apply_scope()

    def current_scope(self) -> ItemScope:
        node = self.tree_model.node(self.tree.currentIndex())
        base = self.tree_model.scope_for(node)
        q = self.search.text().strip() or None
        return ItemScope(feed_ids=base.feed_ids, starred=base.starred, unread_only=self.unread_only.isChecked(),
                         query=q)

    def _apply_scope(self) -> None:
        self._search_timer.stop()
        scope = self.current_scope()
        node = self.tree_model.node(self.tree.currentIndex())
        self._current_item_id = None
        self.items.set_scope(scope)
        self.list.setColumnHidden(ItemListModel.COL_FEED, node is not None and node.kind == "feed")
        self.view.show_item(None)
        self._update_scope_label()

    def _update_scope_label(self) -> None:
        node = self.tree_model.node(self.tree.currentIndex()) if hasattr(self, "tree_model") else None
        if node is None:
            self.scope_label.setText("")
            return
        text = node.title
        if self.search.text().strip():
            text = self.tr("Search in {where}").format(where=node.title)
        self.scope_label.setText(f"  {text}")
        err = self.items.error
        if err:
            self.empty_label.setText(err)
        elif not self.items.rowCount():
            if self.search.text().strip():
                self.empty_label.setText(self.tr("No item matches this search."))
            elif self.unread_only.isChecked():
                self.empty_label.setText(self.tr("No unread items here."))
            elif not self.tree_model.tree or not self.tree_model.tree.feeds:
                self.empty_label.setText(self.tr("No feeds yet. Add one with File ▸ Add feed… or import an OPML"
                                                 " file."))
            else:
                self.empty_label.setText(self.tr("No items here yet."))
        self.empty_label.setVisible(bool(err) or not self.items.rowCount())

    # -- items ---------------------------------------------------------------------
    def _item_selection_changed(self, *_args) -> None:
        rows = self.list.selectionModel().selectedRows()
        it = self.items.item(rows[0].row()) if rows else None
        if it is None:
            return
        if it.id == self._current_item_id:
            return
        self._current_item_id = it.id
        full = self.reader.get_item(it.id)
        if full is None:  # purged meanwhile
            self.view.show_item(None)
            return
        if not full.read:
            self._set_read(it.id, True)
            full = self.reader.get_item(it.id) or full
        self.view.show_item(full, feed_title=self.items.feed_titles.get(full.feed_id, ""),
                            load_images=self.reader.load_images(full.feed_id))

    def current_item(self):
        rows = self.list.selectionModel().selectedRows()
        return self.items.item(rows[0].row()) if rows else None

    def _set_read(self, item_id: int, read: bool) -> None:
        it = self.items.item(self.items.row_of(item_id)) if self.items.row_of(item_id) is not None else None
        if it is not None and it.read == read:
            return
        if self.reader.set_read([item_id], read):
            if it is not None:
                self.items.update_item(item_id, read=read)
                self.tree_model.adjust_unread(it.feed_id, -1 if read else 1, starred=it.starred)
            else:
                self.reload_tree()
        updated = self.items.item(self.items.row_of(item_id)) if self.items.row_of(item_id) is not None else None
        if updated is not None:
            self.view.update_flags(updated)

    def toggle_read(self) -> None:
        it = self.current_item()
        if it is not None:
            self._set_read(it.id, not it.read)

    def toggle_star(self) -> None:
        it = self.current_item()
        if it is None:
            return
        star = not it.starred
        if self.reader.set_starred(it.id, star):
            updated = self.items.update_item(it.id, starred=star)
            self.tree_model.adjust_starred(1 if star else -1, (0 if it.read else 1) * (1 if star else -1))
            if updated is not None:
                self.view.update_flags(updated)

    def open_in_browser(self) -> None:
        it = self.current_item()
        if it is None or not it.url:
            return
        if not open_external_link(it.url):
            self.statusMessage.emit(self.tr("This item's address is not a web link: not opened."))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def space(self) -> None:
        bar = self.view.browser.verticalScrollBar()
        if self.current_item() is not None and bar.value() < bar.maximum():
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            return
        self.next_unread()

    def next_unread(self) -> bool:
        """Select the next unread item: further down this list, else in the next feed that has some."""
        cur = self.current_item()
        start = self.items.row_of(cur.id) + 1 if cur is not None else 0
        row = start
        scanned = 0
        while scanned < NEXT_UNREAD_SCAN:
            if row >= self.items.rowCount():
                if not self.items.canFetchMore():
                    break
                self.items.fetchMore()
                continue
            it = self.items.item(row)
            if it is not None and not it.read:
                self._select_row(row)
                return True
            row += 1
            scanned += 1
        # Next feed with unread items, after the current node, wrapping around.
        feeds = [n for n in self.tree_model.nodes() if n.kind == "feed"]
        current = self.current_key()
        pos = next((i for i, n in enumerate(feeds) if n.key == current), -1)
        for n in feeds[pos + 1:] + feeds[:pos + 1]:
            if n.unread and n.key != current:
                idx = self.tree_model.index_for_key(n.key)
                self.tree.expand(idx.parent())
                self.tree.setCurrentIndex(idx)
                return self.next_unread() if self.items.rowCount() else False
        self.statusMessage.emit(self.tr("No more unread items."))
        return False

    def _select_row(self, row: int) -> None:
        idx = self.items.index(row, ItemListModel.COL_TITLE)
        self.list.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.list.scrollTo(idx)

    def mark_all_read(self) -> None:
        node = self.tree_model.node(self.tree.currentIndex())
        if node is None:
            return
        scope = self.tree_model.scope_for(node)
        newest = max((it.id for it in self.items.items), default=None)
        if node.kind == "all":
            answer = QMessageBox.question(self, self.tr("Mark all read"),
                                          self.tr("Mark every item of every feed read?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        n = self.reader.mark_all_read(scope, until_id=newest if not scope.starred else None)
        self.items.mark_all_loaded_read()
        self.reload_tree()
        cur = self.current_item()
        if cur is not None:
            self.view.update_flags(cur)
        self.statusMessage.emit(self.tr("{n} item(s) marked read.").format(n=n))

    # -- context menus ---------------------------------------------------------------
    def _tree_menu(self, pos) -> None:
        node = self.tree_model.node(self.tree.indexAt(pos))
        menu = QMenu(self)
        if node is not None:
            self.tree.setCurrentIndex(self.tree.indexAt(pos))
            scope = self.tree_model.scope_for(node)
            if node.kind in ("feed", "folder", "all"):
                ids = scope.feed_ids
                menu.addAction(self.tr("Refresh"), lambda: self.refreshRequested.emit(ids))
            menu.addAction(self.act_mark_all)
            if node.kind == "feed":
                menu.addSeparator()
                menu.addAction(self.act_properties)
                menu.addAction(self.act_health)
                feed = node.listing.feed if node.listing else None
                if feed is not None:
                    if feed.disabled:
                        menu.addAction(self.tr("Enable"), lambda: self._set_enabled(feed.id, True))
                    else:
                        menu.addAction(self.tr("Disable"), lambda: self._set_enabled(feed.id, False))
                    if feed.site_url:
                        menu.addAction(self.tr("Open site in browser"), lambda: open_external_link(feed.site_url))
                    menu.addSeparator()
                    menu.addAction(self.tr("Unsubscribe…"), lambda: self.remove_feed(feed.id))
            menu.addSeparator()
        menu.addAction(self.act_add_feed)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _list_menu(self, pos) -> None:
        it = self.current_item()
        if it is None:
            return
        menu = QMenu(self)
        menu.addAction(self.act_open)
        menu.addAction(self.act_toggle_read)
        menu.addAction(self.act_star)
        if it.url:
            menu.addAction(self.tr("Copy link"), lambda: QGuiApplication.clipboard().setText(it.url))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    # -- feeds -----------------------------------------------------------------------
    def _selected_feed_id(self) -> int | None:
        node = self.tree_model.node(self.tree.currentIndex())
        return node.id if node is not None and node.kind == "feed" else None

    def _selected_folder_path(self) -> str:
        node = self.tree_model.node(self.tree.currentIndex())
        if node is None or self.tree_model.tree is None:
            return ""
        if node.kind == "folder":
            return "/".join(self.tree_model.tree.folder_paths.get(node.id, ()))
        if node.kind == "feed" and node.listing is not None:
            return node.listing.folder_path
        return ""

    def add_feed(self, url: str = "") -> AddFeedDialog:
        dlg = AddFeedDialog(self.services, self, url=url, folder=self._selected_folder_path())
        dlg.feedAdded.connect(self._feed_added)
        dlg.open()
        return dlg

    def _feed_added(self, feed_id: int) -> None:
        self.reload_tree()
        self.select_key(("feed", feed_id))

    def feed_properties(self, feed_id: int | None = None) -> FeedPropertiesDialog | None:
        feed_id = feed_id or self._selected_feed_id()
        if feed_id is None:
            return None
        dlg = FeedPropertiesDialog(self.services, feed_id, self)
        dlg.accepted.connect(self.reload_tree)
        dlg.open()
        return dlg

    def feed_health(self, feed_id: int | None = None) -> FeedHealthDialog | None:
        feed_id = feed_id or self._selected_feed_id()
        if feed_id is None:
            return None
        dlg = FeedHealthDialog(self.services, feed_id, self)
        dlg.refreshRequested.connect(lambda fid: self.refreshRequested.emit((fid,)))
        self._health = dlg
        dlg.open()
        return dlg

    def _set_enabled(self, feed_id: int, enabled: bool) -> None:
        self.reader.set_feed_enabled(feed_id, enabled)
        self.reload_tree()

    def remove_feed(self, feed_id: int) -> None:
        feed = self.reader.feed(feed_id)
        answer = QMessageBox.question(
            self, self.tr("Unsubscribe"),
            self.tr("Unsubscribe from “{title}”? Its stored items are deleted; starred items and mentions too.")
            .format(title=feed.title or feed.url))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.services.feeds.remove_feed(feed_id)
        self.reload_tree()
        self.select_key(("all", None))

    def import_opml(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Import OPML"), "",
                                                  self.tr("OPML files (*.opml *.xml);;All files (*)"))
            if not path:
                return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Import OPML"), self.tr("Cannot read {path}: {why}").format(
                path=path, why=exc.strerror))
            return
        feeds = self.services.feeds
        self.statusMessage.emit(self.tr("Importing {name}…").format(name=Path(path).name))

        def done(result):
            self.reload_tree()
            self.last_import = result
            dlg = OpmlImportSummaryDialog(result, self)
            dlg.open()
            self._import_dialog = dlg
            if result.added:
                self.refreshRequested.emit(None)

        def failed(exc):
            QMessageBox.warning(self, self.tr("Import OPML"), self.tr("The file could not be imported: {why}")
                                .format(why=exc))

        run_in_background(lambda: feeds.import_opml(data), done, failed, parent=self)

    def export_opml(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export OPML"), "cmdesk-subscriptions.opml",
                                                  self.tr("OPML files (*.opml)"))
            if not path:
                return False
        try:
            Path(path).write_bytes(self.services.feeds.export_opml())
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export OPML"), self.tr("Cannot write {path}: {why}").format(
                path=path, why=exc.strerror))
            return False
        n = len(self.tree_model.tree.feeds) if self.tree_model.tree else 0
        self.statusMessage.emit(self.tr("{n} feed(s) exported to {path}.").format(n=n, path=path))
        return True

    # -- refresh (area contract) -------------------------------------------------------
    def on_refresh_progress(self, result: FeedResult) -> None:
        if result.new_items or result.error_code is not None or result.outcome.value in ("gone", "error"):
            self._pending_new.add(result.feed_id)
            if not self._refresh_timer.isActive():
                self._refresh_timer.start()

    def on_refresh_finished(self, summary: RefreshSummary) -> None:
        self._refresh_timer.stop()
        self._generation += 1  # a read still running for a progress update is stale now
        self._reading = 0
        self._pending_new.add(-1)  # the tree's error badges may have changed anywhere
        changed, self._pending_new = self._pending_new, set()
        # The refresh is over, so the store is quiet: read here, and the window is up to date
        # when `finished` has been handled.
        self.reload_tree()
        if self._items_affected(changed):
            self._reload_items_keeping_place()

    def _items_affected(self, changed: set[int]) -> bool:
        scope = self.items.scope
        return not scope.starred and (scope.feed_ids is None or bool(changed & set(scope.feed_ids))
                                      or -1 in changed)

    def _apply_new_items(self) -> None:
        """The coalesced update while a refresh runs. The reads (unread counts of every feed,
        the listed items) go to a pool thread: on the GUI thread they would take hundreds of
        ms while the refresh writes, and freeze the window. One read at a time."""
        if self._reading:
            return  # picked up when the running read is shown
        changed, self._pending_new = self._pending_new, set()
        if not changed:
            return
        self._generation += 1
        generation = self._reading = self._generation
        reader, model = self.reader, self.items
        scope = model.scope if self._items_affected(changed) else None
        want = max(len(model.items), model.PAGE)

        def read():
            tree = FeedTreeModel.prepare(reader.tree())
            return tree, (model.read_reload(scope, want) if scope is not None else None)

        def show(result) -> None:
            if generation != self._generation:
                return
            self._reading = 0
            tree, items = result
            self.reload_tree(tree)
            if items is not None:
                self._reload_items_keeping_place(items)
            if self._pending_new and not self._refresh_timer.isActive():
                self._refresh_timer.start()

        def failed(exc) -> None:
            if generation == self._generation:
                self._reading = 0
                log.warning("could not read the new items: %s", exc)

        run_in_background(read, show, failed, parent=self)

    def _reload_items_keeping_place(self, read=None) -> None:
        """Reload the item list (`read`: rows from `ItemListModel.read_reload`), keeping the
        current item and the scroll position."""
        item_id = self._current_item_id
        scroll = self.list.verticalScrollBar().value()
        at_top = scroll == 0
        first_visible = self.items.item(self.list.indexAt(self.list.viewport().rect().topLeft()).row())
        if read is None:
            self.items.reload()
        elif not self.items.apply_reload(read):
            return  # the user opened another scope meanwhile: its rows are already fresh
        if item_id is not None:
            row = self.items.row_of(item_id)
            if row is not None:
                self.list.selectionModel().blockSignals(True)
                idx = self.items.index(row, ItemListModel.COL_TITLE)
                self.list.selectionModel().setCurrentIndex(
                    idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.list.selectionModel().blockSignals(False)
        if not at_top and first_visible is not None and self.items.row_of(first_visible.id) is not None:
            self.list.scrollTo(self.items.index(self.items.row_of(first_visible.id), 0),
                               QAbstractItemView.ScrollHint.PositionAtTop)
        self._update_scope_label()

    # -- state (area contract) -------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("veille/splitter", self.splitter.saveState())
        settings.setValue("veille/header", self.list.header().saveState())
        key = self.current_key()
        settings.setValue("veille/selected", f"{key[0]}:{'' if key[1] is None else key[1]}" if key else "")
        settings.setValue("veille/unreadOnly", self.unread_only.isChecked())
        settings.setValue("veille/search", self.search.text())
        settings.setValue("veille/expanded", [str(k[1]) for k in self._expanded_keys()])

    def restore_state(self, settings: QSettings) -> None:
        splitter = settings.value("veille/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = settings.value("veille/header")
        if header is not None:
            self.list.header().restoreState(header)
        expanded = settings.value("veille/expanded") or []
        if isinstance(expanded, str):
            expanded = [expanded]
        self._restore_expanded([("folder", int(x)) for x in expanded if str(x).isdigit()])
        self.unread_only.blockSignals(True)
        self.unread_only.setChecked(str(settings.value("veille/unreadOnly", False)).lower() == "true")
        self.unread_only.blockSignals(False)
        self.act_unread_only.setChecked(self.unread_only.isChecked())
        self.search.blockSignals(True)
        self.search.setText(settings.value("veille/search", "") or "")
        self.search.blockSignals(False)
        sel = settings.value("veille/selected", "") or ""
        kind, _, ident = str(sel).partition(":")
        key = (kind, int(ident) if ident.isdigit() else None)
        if not kind or not self.select_key(key, quiet=True):
            self.select_key(("all", None), quiet=True)
        self._apply_scope()
