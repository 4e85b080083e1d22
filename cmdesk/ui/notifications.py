"""Tray notifications after a refresh: new mentions of chosen terms, and spikes.

What to say is decided by pure functions over counts and alerts
(`mention_notices`, `spike_notices`), so it is tested without a tray. The
`TrayNotifier` keeps the counts it last saw, asks the services after each
refresh, and shows the notices through a `QSystemTrayIcon` when the platform
has a tray (otherwise the `notices` signal still carries them).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from cmdesk.core.models import Alert, WatchTerm
from cmdesk.ui.settings_dialog import settings_of

translate = QCoreApplication.translate  # lupdate reads literal translate("Context", "text") calls

__all__ = ["Notice", "TrayNotifier", "mention_notices", "spike_notices"]

log = logging.getLogger(__name__)

MESSAGE_MS = 8000


@dataclass(frozen=True)
class Notice:
    kind: str  # "mentions" or "spike"
    term_id: int
    term_name: str
    count: int  # new mentions, or the spike day's count
    mean: float = 0.0  # spike: the usual daily count


def mention_notices(before: dict[int, int], terms: Iterable[tuple[WatchTerm, int]], *, enabled: bool) -> list[Notice]:
    """One notice per active term marked `notify` whose mention count grew since `before`.

    Terms absent from `before` (created since) give no notice: their first
    count comes from scanning old items, not from new mentions."""
    if not enabled:
        return []
    out = []
    for term, count in terms:
        if not (term.notify and term.active) or term.id not in before:
            continue
        grown = count - before[term.id]
        if grown > 0:
            out.append(Notice("mentions", term.id, term.name, grown))
    return out


def spike_notices(alerts: Iterable[Alert], known_ids: set[int], terms: dict[int, WatchTerm], *,
                  enabled: bool) -> list[Notice]:
    """One notice per alert not seen before (and not yet marked seen) of a known term."""
    if not enabled:
        return []
    out = []
    for a in alerts:
        if a.id in known_ids or a.seen:
            continue
        term = terms.get(a.term_id)
        if term is None:
            continue
        out.append(Notice("spike", a.term_id, term.name, a.count, a.mean))
    return out


def notice_text(n: Notice) -> tuple[str, str]:
    """(title, message) of a notice, translated."""
    if n.kind == "spike":
        return (translate("TrayNotifier", "Spike: %1").replace("%1", n.term_name),
                translate("TrayNotifier", "Mentions of %1 today: %2 (usually about %3 a day)")
                .replace("%1", n.term_name).replace("%2", str(n.count)).replace("%3", f"{n.mean:.0f}"))
    return (translate("TrayNotifier", "New mentions: %1").replace("%1", n.term_name),
            translate("TrayNotifier", "New mentions of %1: %2").replace("%1", n.term_name).replace("%2", str(n.count)))


class TrayNotifier(QObject):
    """Shows tray messages for new mentions of terms marked `notify` and for spikes.

    Wire `on_refresh_finished(summary)` to the refresh worker's `finished`.
    `notices(list)` is emitted with every batch (even without a tray);
    `activated(kind, term_id)` when the user clicks a message.
    """

    notices = Signal(list)  # list[Notice]
    activated = Signal(str, int)  # kind, term id of the last message shown

    def __init__(self, services, window: QWidget | None = None, *, icon: QIcon | None = None):
        super().__init__(window)
        self.services = services
        self.window = window
        self._counts: dict[int, int] = {}
        self._known_alerts: set[int] = set()
        self._last: Notice | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            app_icon = icon if icon is not None else (window.windowIcon() if window is not None else QIcon())
            if app_icon.isNull():
                app_icon = QApplication.windowIcon()
            self.tray = QSystemTrayIcon(app_icon, self)
            self.tray.setToolTip("cmdesk")
            self.tray.messageClicked.connect(self._clicked)
            self.tray.activated.connect(self._tray_activated)
            self._menu = QMenu(window)
            self._show_action = self._menu.addAction("")
            self._show_action.triggered.connect(self._raise_window)
            self.tray.setContextMenu(self._menu)
            self.retranslate()
            self.tray.show()
        self.snapshot()

    def retranslate(self):
        if self.tray is not None:
            self._show_action.setText(translate("TrayNotifier", "Show cmdesk"))

    def snapshot(self) -> None:
        """Remember the current counts and alerts: what exists now is not news."""
        try:
            self._counts = {t.id: c for t, c in self.services.mentions.list_terms()}
            self._known_alerts = {a.id for a in self.services.mentions.list_alerts()}
        except Exception:
            log.exception("could not read the mention counts for notifications")

    def check(self) -> list[Notice]:
        """What is new since the last check, per the settings; updates the snapshot."""
        settings = settings_of(self.services)
        values = settings.get_many(["notify.mentions", "notify.spikes"])
        terms = self.services.mentions.list_terms()
        alerts = self.services.mentions.list_alerts()
        found = mention_notices(self._counts, terms, enabled=bool(values["notify.mentions"]))
        by_id = {t.id: t for t, _c in terms}
        found += spike_notices(alerts, self._known_alerts, by_id, enabled=bool(values["notify.spikes"]))
        self._counts = {t.id: c for t, c in terms}
        self._known_alerts |= {a.id for a in alerts}
        return found

    def on_refresh_progress(self, result) -> None:
        """Nothing per feed: notices are grouped at the end of a refresh."""

    def on_refresh_finished(self, summary=None) -> None:
        try:
            found = self.check()
        except Exception:
            log.exception("could not check for notifications")
            return
        if not found:
            return
        self.notices.emit(found)
        self.show(found)

    def show(self, found: Sequence[Notice]) -> None:
        if self.tray is None or not found:
            return
        if len(found) == 1:
            title, message = notice_text(found[0])
        else:
            # Several at once: one message listing them (a burst of bubbles hides each other).
            title = translate("TrayNotifier", "cmdesk: %1 notifications").replace("%1", str(len(found)))
            message = "\n".join(notice_text(n)[1] for n in found)
        self._last = found[0]
        icon = (QSystemTrayIcon.MessageIcon.Warning if any(n.kind == "spike" for n in found)
                else QSystemTrayIcon.MessageIcon.Information)
        self.tray.showMessage(title, message, icon, MESSAGE_MS)

    def _clicked(self):
        self._raise_window()
        if self._last is not None:
            self.activated.emit(self._last.kind, self._last.term_id)

    def _tray_activated(self, reason):
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._raise_window()

    def _raise_window(self):
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
