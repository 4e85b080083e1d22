"""The main window: Veille, Mentions and Stats areas, menus, refresh in the status bar.

Areas follow one contract: `Area(services, parent=None)`; the window calls,
when present, `on_refresh_progress(FeedResult)`, `on_refresh_finished(
RefreshSummary)`, `save_state(QSettings)`, `restore_state(QSettings)`,
`area_actions() -> list[QAction]`. Mentions and Stats are imported lazily so
the window still opens (with a note) when one of them cannot load.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import time

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QDialog, QDialogButtonBox, QLabel, QMainWindow, QMessageBox, QProgressBar, QStackedWidget,
    QStyle, QTextBrowser, QToolBar, QToolButton, QVBoxLayout, QWidget,
)

from cmdesk.core.models import FeedResult, RefreshSummary
from cmdesk.ui.veille.area import VeilleArea
from cmdesk.workers.refresh import RefreshController

__all__ = ["MainWindow", "AREAS", "window_settings"]

log = logging.getLogger(__name__)

# name, module, class
AREAS = (
    ("veille", None, None),
    ("mentions", "cmdesk.ui.mentions.area", "MentionsArea"),
    ("stats", "cmdesk.ui.stats.area", "StatsArea"),
)


def window_settings(profile_dir) -> QSettings:
    """Per-profile window state (geometry, splitters, area, filters), in the user's config
    directory, keyed by the profile's path so two profiles keep their own layout."""
    key = hashlib.blake2b(str(profile_dir).encode("utf-8"), digest_size=6).hexdigest()
    org = QCoreApplication.organizationName() or "cmdesk"
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, org, f"cmdesk-window-{key}")


class _PlaceholderArea(QLabel):
    """Stands in for an area whose module is not available (told, not hidden)."""

    def __init__(self, text: str, parent=None):
        super().__init__(text, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setObjectName("placeholderArea")


class MainWindow(QMainWindow):
    areaChanged = Signal(str)

    def __init__(self, services, parent=None, *, settings: QSettings | None = None, auto_refresh: bool = True,
                 refresh_controller: RefreshController | None = None):
        super().__init__(parent)
        self.services = services
        self.settings = settings if settings is not None else window_settings(services.profile_dir)
        self.setObjectName("cmdeskMainWindow")
        self.resize(1280, 820)
        # The window's refreshes run in a child process: fetching, parsing, storing and
        # matching threads in this process kept the event loop waiting for the GIL.
        self.refresher = refresh_controller or RefreshController(services, self, auto=auto_refresh,
                                                                 out_of_process=True)
        self.refresher.setParent(self)
        self._closing = False

        # -- areas
        self.stack = QStackedWidget()
        self.areas: dict[str, QWidget] = {}
        self.area_errors: dict[str, str] = {}
        self.veille = VeilleArea(services)
        self._add_area("veille", self.veille)
        for name, module, cls in AREAS[1:]:
            self._add_area(name, self._load_area(name, module, cls))
        self.setCentralWidget(self.stack)

        # -- sidebar (area switcher)
        self.sidebar = QToolBar()
        self.sidebar.setObjectName("areaSidebar")
        self.sidebar.setMovable(False)
        self.sidebar.setFloatable(False)
        self.sidebar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.sidebar.setOrientation(Qt.Orientation.Vertical)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.sidebar)
        self.area_group = QActionGroup(self)
        self.area_group.setExclusive(True)
        self.area_actions: dict[str, QAction] = {}
        style = self.style()
        icons = {"veille": style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView),
                 "mentions": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
                 "stats": style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)}
        for n, (name, _m, _c) in enumerate(AREAS, 1):
            a = QAction(icons[name], "", self)
            a.setCheckable(True)
            a.setShortcut(QKeySequence(f"Ctrl+{n}"))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(lambda _=False, nm=name: self.show_area(nm))
            self.area_group.addAction(a)
            self.sidebar.addAction(a)
            self.area_actions[name] = a

        self._make_actions()
        self._make_menus()
        self._make_status_bar()
        self._wire_refresh()
        self.veille.statusMessage.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.veille.refreshRequested.connect(self.refresh)
        for area in self.areas.values():
            sig = getattr(area, "statusMessage", None)
            if sig is not None and area is not self.veille:
                sig.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.retranslate()
        self.restore_state()

    # -- areas -----------------------------------------------------------------------
    def _load_area(self, name: str, module: str, cls: str) -> QWidget:
        try:
            mod = importlib.import_module(module)
            area = getattr(mod, cls)(self.services)
        except Exception as exc:  # a missing or broken area must not take the window down
            log.exception("the %s area could not be loaded", name)
            self.area_errors[name] = f"{type(exc).__name__}: {exc}"
            return _PlaceholderArea("")
        return area

    def _add_area(self, name: str, widget: QWidget) -> None:
        widget.setObjectName(widget.objectName() or f"{name}Area")
        self.areas[name] = widget
        self.stack.addWidget(widget)

    def current_area(self) -> str:
        w = self.stack.currentWidget()
        return next((n for n, a in self.areas.items() if a is w), "veille")

    def show_area(self, name: str) -> None:
        if name not in self.areas:
            return
        self.stack.setCurrentWidget(self.areas[name])
        self.area_actions[name].setChecked(True)
        area = self.areas[name]
        # Keyboard-first: the area's list takes the focus so j/k, e, i... work at once.
        focus = getattr(area, "list", None)
        (focus if isinstance(focus, QWidget) else area).setFocus()
        self._rebuild_area_menu()
        self.areaChanged.emit(name)

    def _call_areas(self, method: str, *args) -> None:
        for name, area in self.areas.items():
            fn = getattr(area, method, None)
            if fn is None:
                continue
            try:
                fn(*args)
            except Exception:  # one area failing must not stop the others
                log.exception("%s.%s failed", name, method)

    # -- actions and menus -------------------------------------------------------------
    def _make_actions(self) -> None:
        def act(slot, shortcut=None, icon=None) -> QAction:
            a = QAction(self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                a.setIcon(self.style().standardIcon(icon))
            a.triggered.connect(slot)
            return a

        sp = QStyle.StandardPixmap
        self.act_add_feed = act(lambda: self.veille.add_feed(), "Ctrl+N")
        self.act_import = act(lambda: self.veille.import_opml())
        self.act_export = act(lambda: self.veille.export_opml())
        self.act_export_report = act(self.export_report, "Ctrl+E")
        self.act_quit = act(self.close, QKeySequence.StandardKey.Quit)
        self.act_refresh = act(lambda: self.refresh(None), "Ctrl+R", sp.SP_BrowserReload)
        self.act_refresh.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence("F5")])
        self.act_cancel = act(self.refresher.cancel, None, sp.SP_BrowserStop)
        self.act_cancel.setEnabled(False)
        self.act_terms = act(self.open_terms)
        self.act_templates = act(self.open_templates)
        self.act_settings = act(self.open_settings, QKeySequence.StandardKey.Preferences)
        self.act_shortcuts = act(self.show_shortcuts, "F1")
        self.act_about = act(self.show_about)
        self.act_feed_properties = self.veille.act_properties
        self.act_feed_health = self.veille.act_health

    def _make_menus(self) -> None:
        mb = self.menuBar()
        self.menu_file = mb.addMenu("")
        for a in (self.act_add_feed, self.act_import, self.act_export, None, self.act_export_report, None,
                  self.act_quit):
            self.menu_file.addSeparator() if a is None else self.menu_file.addAction(a)
        self.menu_edit = mb.addMenu("")
        self.menu_view = mb.addMenu("")
        for a in self.area_actions.values():
            self.menu_view.addAction(a)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_refresh)
        self.menu_view.addAction(self.act_cancel)
        self._view_area_separator = self.menu_view.addSeparator()
        self.menu_tools = mb.addMenu("")
        for a in (self.act_terms, self.act_templates, None, self.act_feed_properties, self.act_feed_health, None,
                  self.act_settings):
            self.menu_tools.addSeparator() if a is None else self.menu_tools.addAction(a)
        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(self.act_shortcuts)
        self.menu_help.addAction(self.act_about)

    def _rebuild_area_menu(self) -> None:
        """Edit menu: the current area's actions (shortcuts stay on the area itself)."""
        self.menu_edit.clear()
        area = self.stack.currentWidget()
        actions = []
        fn = getattr(area, "area_actions", None)
        if fn is not None:
            try:
                actions = list(fn())
            except Exception:
                log.exception("area_actions failed")
        for a in actions:
            self.menu_edit.addAction(a)
        self.menu_edit.setEnabled(bool(actions))

    def _make_status_bar(self) -> None:
        sb = self.statusBar()
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QToolButton()
        self.cancel_button.setDefaultAction(self.act_cancel)
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.last_result = QLabel()
        sb.addPermanentWidget(self.progress_label)
        sb.addPermanentWidget(self.progress_bar)
        sb.addPermanentWidget(self.cancel_button)
        sb.addPermanentWidget(self.last_result)
        self._set_progress_visible(False)

    def _set_progress_visible(self, visible: bool) -> None:
        for w in (self.progress_label, self.progress_bar, self.cancel_button):
            w.setVisible(visible)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("cmdesk"))
        names = {"veille": self.tr("Veille"), "mentions": self.tr("Mentions"), "stats": self.tr("Stats")}
        tips = {"veille": self.tr("Feed reader (Ctrl+1)"), "mentions": self.tr("Mention inbox (Ctrl+2)"),
                "stats": self.tr("Statistics (Ctrl+3)")}
        for name, a in self.area_actions.items():
            a.setText(names[name])
            a.setToolTip(tips[name])
        for name, area in self.areas.items():
            if isinstance(area, _PlaceholderArea):
                why = self.area_errors.get(name, "")
                area.setText(self.tr("The {area} area is not available in this build.").format(area=names[name])
                             + (f"\n\n{why}" if why else ""))
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_tools.setTitle(self.tr("&Tools"))
        self.menu_help.setTitle(self.tr("&Help"))
        for a, text in ((self.act_add_feed, self.tr("&Add feed…")), (self.act_import, self.tr("&Import OPML…")),
                        (self.act_export, self.tr("E&xport OPML…")),
                        (self.act_export_report, self.tr("Export &monthly summary…")),
                        (self.act_quit, self.tr("&Quit")), (self.act_refresh, self.tr("&Refresh all feeds")),
                        (self.act_cancel, self.tr("Cancel refresh")), (self.act_terms, self.tr("&Watch terms…")),
                        (self.act_templates, self.tr("Reply &templates…")), (self.act_settings, self.tr("&Settings…")),
                        (self.act_shortcuts, self.tr("&Keyboard shortcuts")), (self.act_about, self.tr("&About cmdesk"))):
            a.setText(text)
        self.act_cancel.setToolTip(self.tr("Stop the refresh after the feeds being fetched now"))
        if not self.refresher.running:
            self._show_last_result()

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- refresh -----------------------------------------------------------------------
    def _wire_refresh(self) -> None:
        self._latest_progress: tuple[int, int, str] | None = None
        self._progress_timer = QTimer(self, singleShot=True, interval=100)
        self._progress_timer.timeout.connect(self._show_progress)
        r = self.refresher
        r.started.connect(self._refresh_started)
        r.progress.connect(self._refresh_progress)
        r.finished.connect(self._refresh_finished)
        r.failed.connect(self._refresh_failed)
        r.idle.connect(self._refresh_idle)
        r.merged.connect(lambda: self.statusBar().showMessage(self.tr("Already refreshing: merged."), 3000))

    def refresh(self, feed_ids=None) -> bool:
        return self.refresher.request(feed_ids)

    def _refresh_started(self, _run: int) -> None:
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText(self.tr("Refreshing…"))
        self.act_cancel.setEnabled(True)
        self._set_progress_visible(True)

    def _refresh_progress(self, done: int, total: int, result: FeedResult) -> None:
        # A cold refresh reports ~100 feeds a second: the status bar is redrawn
        # on a short timer with the latest figures, not once per feed.
        self._latest_progress = (done, total, result.title)
        if not self._progress_timer.isActive():
            self._progress_timer.start()
        self._call_areas("on_refresh_progress", result)

    def _show_progress(self) -> None:
        if self._latest_progress is None:
            return
        done, total, title = self._latest_progress
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(f"{done}/{total}")
        title = title if len(title) <= 40 else title[:39] + "…"
        self.progress_label.setText(self.tr("Refreshing {done}/{total}: {feed}").format(done=done, total=total,
                                                                                       feed=title))

    def _refresh_finished(self, summary: RefreshSummary) -> None:
        self._progress_timer.stop()
        self._show_progress()
        self._call_areas("on_refresh_finished", summary)
        notifier = getattr(self, "notifier", None)
        if notifier is not None:
            try:
                notifier.on_refresh_finished(summary)
            except Exception:
                log.exception("tray notification failed")
        self._show_last_result()

    def _refresh_failed(self, message: str) -> None:
        self.last_result.setText(self.tr("Refresh failed: {why}").format(why=message))

    def _refresh_idle(self) -> None:
        self._set_progress_visible(False)
        self.act_cancel.setEnabled(False)

    def _show_last_result(self) -> None:
        s = self.refresher.last_summary
        if s is None:
            self.last_result.setText(self.tr("Not refreshed yet"))
            return
        when = time.strftime("%H:%M", time.localtime(self.refresher.last_finished_at or time.time()))
        parts = [self.tr("{n} new item(s)").format(n=s.new_items)]
        if s.new_mentions:
            parts.append(self.tr("{n} new mention(s)").format(n=s.new_mentions))
        if s.errors:
            parts.append(self.tr("{n} error(s)").format(n=s.errors))
        done = len(s.results)
        text = self.tr("Last refresh {when}: {what}").format(when=when, what=", ".join(parts))
        if done < s.total:
            text += self.tr(" (cancelled after {done} of {total} feeds)").format(done=done, total=s.total)
        self.last_result.setText(text)
        self.last_result.setToolTip(self.tr("{total} feeds: {ok} updated, {nm} unchanged, {err} failed, "
                                            "{deferred} deferred, {gone} gone, in {s:.1f} s").format(
            total=s.total, ok=s.ok, nm=s.not_modified, err=s.errors, deferred=s.deferred, gone=s.gone,
            s=s.duration_s))

    # -- tools ------------------------------------------------------------------------
    def _optional(self, module: str, name: str):
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            return None

    def open_terms(self) -> None:
        fn = self._optional("cmdesk.ui.mentions.area", "open_terms_dialog")
        if fn is None:
            QMessageBox.information(self, self.tr("Watch terms"), self.tr("The watch-term editor is not available."))
            return
        fn(self.services, self)
        self._after_mentions_change()

    def open_templates(self) -> None:
        fn = self._optional("cmdesk.ui.mentions.area", "open_templates_dialog")
        if fn is None:
            QMessageBox.information(self, self.tr("Templates"), self.tr("The template editor is not available."))
            return
        fn(self.services, self)
        self._after_mentions_change()

    def _after_mentions_change(self) -> None:
        for name in ("mentions", "stats"):
            area = self.areas.get(name)
            for method in ("reload", "on_refresh_finished"):
                fn = getattr(area, method, None)
                if fn is not None:
                    try:
                        fn() if method == "reload" else fn(None)
                    except Exception:
                        log.exception("%s.%s failed", name, method)
                    break

    def open_settings(self) -> None:
        cls = self._optional("cmdesk.ui.settings_dialog", "SettingsDialog")
        if cls is None:
            QMessageBox.information(self, self.tr("Settings"), self.tr("The settings dialog is not available."))
            return
        dlg = cls(self.services, self)
        dlg.exec()
        changed = list(getattr(dlg, "changed_keys", []) or [])
        self.apply_settings(changed)

    def apply_settings(self, changed: list[str]) -> None:
        if any(k.startswith("refresh.") for k in changed) or not changed:
            self.refresher.apply_settings()
        app = QApplication.instance()
        settings_of = self._optional("cmdesk.ui.settings_dialog", "settings_of")
        if settings_of is None:
            return
        svc = settings_of(self.services)
        if "ui.language" in changed:
            install = self._optional("cmdesk.ui.i18n", "install_translator")
            if install is not None:
                install(app, svc.get("ui.language"))
        if "ui.theme" in changed:
            apply_theme = self._optional("cmdesk.ui.theme", "apply_theme")
            if apply_theme is not None:
                apply_theme(app, svc.get("ui.theme"))

    def export_report(self) -> None:
        cls = self._optional("cmdesk.ui.widgets.report_export", "ReportExportDialog")
        if cls is None:
            QMessageBox.information(self, self.tr("Export monthly summary"),
                                    self.tr("The monthly summary export is not available in this build."))
            return
        cls(self.services, self).exec()

    def shortcuts_html(self) -> str:
        rows = [
            ("Ctrl+1 / Ctrl+2 / Ctrl+3", self.tr("Veille / Mentions / Stats")),
            ("Ctrl+R, F5", self.tr("refresh every feed")),
            ("Ctrl+N", self.tr("add a feed")),
            ("Ctrl+E", self.tr("export the monthly summary")),
        ]
        veille = [
            ("Space", self.tr("scroll the item, then go to the next unread item")),
            ("N", self.tr("next unread item (then the next feed with unread items)")),
            ("M", self.tr("toggle read / unread")),
            ("S", self.tr("star / unstar")),
            ("O, Enter", self.tr("open the item in the browser")),
            ("I", self.tr("load the item's images")),
            ("Shift+M", self.tr("mark every item of the feed or folder read")),
            ("Ctrl+F, /", self.tr("search items")),
        ]

        def table(title, entries):
            body = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in entries)
            return f"<h3>{title}</h3><table>{body}</table>"

        html = table(self.tr("Everywhere"), rows) + table(self.tr("Veille (feed reader)"), veille)
        mentions_help = self._optional("cmdesk.ui.mentions.area", "shortcuts_help")
        if mentions_help is not None:
            try:
                html += mentions_help()
            except Exception:
                log.exception("shortcuts_help failed")
        return html

    def show_shortcuts(self) -> QDialog:
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Keyboard shortcuts"))
        dlg.resize(560, 640)
        text = QTextBrowser()
        text.setHtml(self.shortcuts_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dlg.reject)
        layout = QVBoxLayout(dlg)
        layout.addWidget(text)
        layout.addWidget(buttons)
        dlg.open()
        self._shortcuts_dialog = dlg
        return dlg

    def show_about(self) -> None:
        from cmdesk import __version__

        QMessageBox.about(self, self.tr("About cmdesk"), self.tr(
            "<h3>cmdesk {version}</h3><p>The desk of a solo community manager: feed reader, mention inbox,"
            " statistics and monthly summary. Local-first: everything stays in your profile.</p>"
            "<p>Profile: {profile}</p>").format(version=__version__, profile=self.services.profile_dir))

    # -- state ------------------------------------------------------------------------
    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/area", self.current_area())
        for name, area in self.areas.items():
            fn = getattr(area, "save_state", None)
            if fn is None:
                continue
            try:
                fn(s)
            except Exception:
                log.exception("%s.save_state failed", name)
        s.sync()

    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        self._call_areas("restore_state", s)
        self.show_area(str(s.value("window/area", "veille") or "veille"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        self._closing = True
        self.refresher.shutdown()
        super().closeEvent(event)
