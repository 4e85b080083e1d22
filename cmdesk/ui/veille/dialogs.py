"""Dialogs of the feed reader: add feed, OPML import summary, feed properties, feed health."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QProgressBar,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from cmdesk.core.models import FeedStatus
from cmdesk.ui.veille.models import ERROR_CODE_TEXT
from cmdesk.ui.widgets.tasks import run_in_background

__all__ = ["AddFeedDialog", "OpmlImportSummaryDialog", "FeedPropertiesDialog", "FeedHealthDialog"]


def _when(ts: int | None, never: str) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else never


def _folder_combo(folders: list[str], current: str = "") -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItem("")
    combo.addItems(folders)
    combo.setCurrentText(current)
    return combo


class AddFeedDialog(QDialog):
    """Feed or site URL, folder, optional login. Network work runs off the GUI thread.

    The address is first only looked at (`FeedService.discover`): a feed, or a
    site announcing one feed, is subscribed to at once; a site announcing
    several lists them with the first checked, and nothing is subscribed to
    until the user picks.
    """

    feedAdded = Signal(int)  # feed id

    def __init__(self, services, parent=None, *, url: str = "", folder: str = ""):
        super().__init__(parent)
        self.services = services
        self.added_ids: list[int] = []
        self.setWindowTitle(self.tr("Add feed"))
        self.setMinimumWidth(520)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText(self.tr("https://example.com/feed.xml or https://example.com"))
        self.folder = _folder_combo(services.reader.folder_names(), folder)
        self.folder.lineEdit().setPlaceholderText(self.tr("No folder"))
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        login = QGroupBox(self.tr("Login (only for feeds that need one)"))
        login.setCheckable(True)
        login.setChecked(False)
        lf = QFormLayout(login)
        lf.addRow(self.tr("User name:"), self.username)
        lf.addRow(self.tr("Password:"), self.password)
        self.login = login

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # URLs and server messages, never markup
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choices_label = QLabel(self.tr("This site announces several feeds. Subscribe to:"))
        self.choices = QListWidget()
        self.choices.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.choices.itemChanged.connect(lambda _: self._update_add_button())
        self.choices_label.setVisible(False)
        self.choices.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton(self.tr("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Feed or site address:"), self.url)
        form.addRow(self.tr("Folder:"), self.folder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(login)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.choices_label)
        layout.addWidget(self.choices, 1)
        layout.addWidget(self.buttons)
        # Only now is the button inside the dialog: set earlier, QDialog forgets it on show and
        # makes Cancel the default, so Return in the address field closed the dialog.
        self.add_button.setDefault(True)
        self._stage = "input"  # -> "choices" (several feeds announced) -> "done"

    def _credentials(self) -> tuple[str | None, str | None]:
        if not self.login.isChecked() or not self.username.text().strip():
            return None, None
        return self.username.text().strip(), self.password.text()

    def _go(self) -> None:
        if self._stage == "choices":
            self._subscribe(self.checked_urls())
            return
        if self._stage == "done":
            self.accept()
            return
        url = self.url.text().strip()
        if not url:
            self.status.setText(self.tr("Type the address of a feed or of a site."))
            return
        user, password = self._credentials()
        feeds = self.services.feeds

        def look():
            found = feeds.discover(url, username=user, password=password)
            subscribed = {listing.feed.url for listing in feeds.list_feeds()}
            return found, subscribed

        self._set_busy(True, self.tr("Looking for feeds at this address…"))
        run_in_background(look, self._discovered, self._failed, parent=self)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy.setVisible(busy)
        self.add_button.setEnabled(not busy)
        for w in (self.url, self.folder, self.login):
            w.setEnabled(not busy and self._stage == "input")
        self.choices.setEnabled(not busy and self._stage == "choices")
        self.status.setText(text)
        if not busy:
            self._update_add_button()

    def _update_add_button(self) -> None:
        if self._stage == "choices":
            self.add_button.setEnabled(bool(self.checked_urls()) and not self.busy.isVisible())

    def _discovered(self, result) -> None:
        found, subscribed = result
        fresh = [d for d in found if d.url not in subscribed]
        if not fresh:
            self._set_busy(False, self.tr("You are already subscribed to {url}.").format(
                url=", ".join(d.url for d in found)))
            return
        if len(found) == 1:
            self._subscribe([found[0].url])
            return
        self._stage = "choices"
        self.choices.blockSignals(True)
        self.choices.clear()
        first = True
        for d in found:
            kind = {"rss": "RSS", "atom": "Atom", "rdf": "RDF", "json": "JSON Feed"}.get(d.kind, d.kind)
            entry = QListWidgetItem(f"{d.title or d.url}  ({kind})\n{d.url}")
            entry.setData(Qt.ItemDataRole.UserRole, d.url)
            entry.setToolTip(d.url)
            if d.url in subscribed:
                entry.setText(entry.text() + "\n" + self.tr("Already subscribed"))
                entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                entry.setCheckState(Qt.CheckState.Unchecked)
            else:
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                entry.setCheckState(Qt.CheckState.Checked if first else Qt.CheckState.Unchecked)
                first = False
            self.choices.addItem(entry)
        self.choices.blockSignals(False)
        self.choices_label.setVisible(True)
        self.choices.setVisible(True)
        self.add_button.setText(self.tr("Subscribe"))
        self._set_busy(False, self.tr("{n} feeds found. Check the ones you want.").format(n=len(found)))
        self.choices.setFocus()  # the address field is disabled now; keep Return on "Subscribe"
        self.choices.setCurrentRow(0)

    def checked_urls(self) -> list[str]:
        return [self.choices.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.choices.count())
                if self.choices.item(i).checkState() == Qt.CheckState.Checked]

    def _failed(self, exc) -> None:
        self._set_busy(False, self.tr("Could not add the feed: {why}").format(why=str(exc)))
        if self._stage == "input":
            self.url.setFocus()

    def _subscribe(self, urls: list[str]) -> None:
        if not urls:
            return
        folder = self.folder.currentText().strip() or None
        user, password = self._credentials()
        feeds = self.services.feeds

        def add_all():
            done, errors = [], []
            for u in urls:
                try:
                    r = feeds.add_feed(u, folder=folder, username=user, password=password)
                    done.append((r.feed.id, r.feed.title or r.feed.url, r.new_items))
                except Exception as exc:  # report each, keep going
                    errors.append(f"{u}: {exc}")
            return done, errors

        self._set_busy(True, self.tr("Subscribing…"))
        run_in_background(add_all, self._subscribed, self._failed, parent=self)

    def _subscribed(self, result) -> None:
        done, errors = result
        lines = []
        for fid, title, n in done:
            self.added_ids.append(fid)
            self.feedAdded.emit(fid)
            lines.append(self.tr("Subscribed to “{title}”: {n} items.").format(title=title, n=n))
        if errors:
            lines.append(self.tr("Could not add the feed: {why}").format(why="\n".join(errors)))
        if done:
            self._stage = "done"
            self.choices.setEnabled(False)
            self.add_button.setText(self.tr("Close"))
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setVisible(False)
        self._set_busy(False, "\n".join(lines))
        if self._stage == "done":
            self.add_button.setFocus()


class OpmlImportSummaryDialog(QDialog):
    """What an OPML import did: added, already subscribed, skipped (with reasons)."""

    def __init__(self, result, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("OPML import"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr(
            "{added} feed(s) added, {existing} already subscribed, {skipped} skipped, {folders} new folder(s)."
        ).format(added=result.added, existing=len(result.already_subscribed), skipped=len(result.skipped),
                 folders=result.folders))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        if result.skipped or result.already_subscribed:
            details = QPlainTextEdit()
            details.setReadOnly(True)
            lines = []
            if result.skipped:
                lines.append(self.tr("Skipped:"))
                for s in result.skipped:
                    where = self.tr(" (line {n})").format(n=s.line) if s.line else ""
                    lines.append(f"  • {s.title}{where}: {s.reason}")
            if result.already_subscribed:
                lines.append(self.tr("Already subscribed:"))
                lines += [f"  • {u}" for u in result.already_subscribed]
            details.setPlainText("\n".join(lines))
            layout.addWidget(details)
        if result.added:
            note = QLabel(self.tr("The new feeds are being fetched now."))
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


class FeedPropertiesDialog(QDialog):
    """Title, folder, refresh interval, retention, images, login of one feed."""

    def __init__(self, services, feed_id: int, parent=None):
        super().__init__(parent)
        self.services = services
        self.feed_id = feed_id
        props = services.reader.feed_properties(feed_id)
        self.props = props
        feed = props.feed
        self.setWindowTitle(self.tr("Feed properties"))
        self.setMinimumWidth(520)
        self.title = QLineEdit(feed.title)
        self.title.setPlaceholderText(feed.url)
        url = QLabel(feed.url)
        url.setTextFormat(Qt.TextFormat.PlainText)
        url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        url.setWordWrap(True)
        self.folder = _folder_combo(services.reader.folder_names(), props.folder_path)
        self.interval = QSpinBox()
        self.interval.setRange(1, 7 * 24 * 60)
        self.interval.setSuffix(self.tr(" min"))
        self.interval.setValue(max(1, feed.interval_s // 60))
        self.keep_items = QSpinBox()
        self.keep_items.setRange(0, 1_000_000)
        self.keep_items.setSpecialValueText(self.tr("Default"))
        self.keep_items.setValue(feed.keep_items or 0)
        self.keep_days = QSpinBox()
        self.keep_days.setRange(0, 36500)
        self.keep_days.setSpecialValueText(self.tr("Default"))
        self.keep_days.setSuffix(self.tr(" days"))
        self.keep_days.setValue(feed.keep_days or 0)
        self.load_images = QCheckBox(self.tr("Load remote images of this feed's items"))
        self.load_images.setChecked(props.load_images)
        self.username = QLineEdit(props.username or "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged") if props.username else "")
        self.remove_login = QCheckBox(self.tr("Remove the login"))
        self.remove_login.setVisible(bool(feed.auth_ref))
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        if props.credentials_error:
            self.error.setText(props.credentials_error)

        form = QFormLayout()
        form.addRow(self.tr("Title:"), self.title)
        form.addRow(self.tr("Address:"), url)
        form.addRow(self.tr("Folder:"), self.folder)
        form.addRow(self.tr("Refresh every:"), self.interval)
        form.addRow(self.tr("Keep at most (items):"), self.keep_items)
        form.addRow(self.tr("Drop items older than:"), self.keep_days)
        form.addRow("", self.load_images)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow("", self.remove_login)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _save(self) -> None:
        from cmdesk.services.reader import ReaderError

        kw = dict(title=self.title.text(), folder=self.folder.currentText().strip(),
                  interval_s=self.interval.value() * 60, keep_items=self.keep_items.value() or None,
                  keep_days=self.keep_days.value() or None, load_images=self.load_images.isChecked())
        user = self.username.text().strip()
        if self.remove_login.isChecked():
            kw["credentials"] = None
        elif user and (self.password.text() or user != (self.props.username or "")):
            kw["credentials"] = (user, self.password.text())
        try:
            self.services.reader.update_feed(self.feed_id, **kw)
        except ReaderError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class FeedHealthDialog(QDialog):
    """Status, last error and the fetch log of one feed."""

    refreshRequested = Signal(int)

    def __init__(self, services, feed_id: int, parent=None):
        super().__init__(parent)
        self.services = services
        self.feed_id = feed_id
        self.setWindowTitle(self.tr("Feed health"))
        self.resize(760, 460)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)  # every piece from the feed is escaped below
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("Outcome"), self.tr("HTTP"),
                                              self.tr("Time (ms)"), self.tr("Bytes"), self.tr("New items"),
                                              self.tr("Error")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        refresh = QPushButton(self.tr("Refresh this feed now"))
        refresh.clicked.connect(lambda: self.refreshRequested.emit(self.feed_id))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        health = self.services.reader.feed_health(self.feed_id)
        feed = health.feed
        never = self.tr("never")
        status_text = {FeedStatus.OK: self.tr("Working"), FeedStatus.NEW: self.tr("Not fetched yet"),
                       FeedStatus.ERROR: self.tr("Failing"), FeedStatus.DISABLED: self.tr("Disabled")}[feed.status]
        esc = html.escape
        lines = [f"<b>{esc(feed.title or feed.url)}</b>", esc(feed.url),
                 self.tr("Status: {s}").format(s=status_text),
                 self.tr("Last fetch: {a} · last success: {b} · next: {c}").format(
                     a=_when(feed.last_fetch_at, never), b=_when(feed.last_ok_at, never),
                     c=_when(feed.next_due_at, never))]
        if feed.status == FeedStatus.ERROR:
            lines.append(self.tr("Last error ({what}, {n} in a row): {msg}").format(
                what=ERROR_CODE_TEXT(feed.last_error_code), n=feed.error_count, msg=esc(feed.last_error or "")))
        if feed.disabled:
            lines.append(self.tr("Disabled: {why}").format(why=esc(feed.disabled_reason or "")))
        self.status.setText("<br>".join(lines))
        outcomes = {"ok": self.tr("OK"), "not_modified": self.tr("Not modified"), "error": self.tr("Error"),
                    "gone": self.tr("Gone"), "deferred": self.tr("Deferred")}
        self.table.setRowCount(len(health.log))
        for r, e in enumerate(health.log):
            values = [_when(e.at, ""), outcomes.get(e.outcome, e.outcome),
                      "" if e.http_status is None else str(e.http_status), str(e.duration_ms), f"{e.bytes:,}",
                      str(e.new_items), e.error or ""]
            for c, v in enumerate(values):
                cell = QTableWidgetItem(v)
                if 2 <= c <= 5:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 6 and v:
                    cell.setToolTip(v)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
