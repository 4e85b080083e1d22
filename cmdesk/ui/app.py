"""Starting the GUI: QApplication, language, theme, single instance, first run, window."""

from __future__ import annotations

import logging
import multiprocessing
import sys
from pathlib import Path

__all__ = ["run_gui", "create_application", "app_icon"]

log = logging.getLogger(__name__)


def app_icon():
    """The application icon from resources/icons, or a null icon when there is none."""
    from PySide6.QtGui import QIcon

    from cmdesk.resources import resource_path

    icon = QIcon()
    try:
        folder = resource_path("icons")
    except FileNotFoundError:
        return icon
    if folder.is_dir():
        for f in sorted(folder.glob("cmdesk*.png")) + sorted(folder.glob("cmdesk*.svg")):
            icon.addFile(str(f))
    return icon


def create_application(argv: list[str] | None = None):
    """The QApplication (reused when one exists), named for QSettings and the desktop."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("cmdesk")
    app.setOrganizationName("cmdesk")
    app.setApplicationDisplayName("cmdesk")
    app.setDesktopFileName("cmdesk")
    try:
        from cmdesk import __version__

        app.setApplicationVersion(__version__)
    except Exception:
        pass
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    return app


def _apply_look(app, services) -> None:
    """Language and theme from the profile's settings; a failure leaves Qt's defaults."""
    from cmdesk.ui.i18n import install_translator
    from cmdesk.ui.theme import apply_theme

    values = services.settings.get_many(["ui.language", "ui.theme"])
    try:
        install_translator(app, values.get("ui.language"))
    except Exception:
        log.exception("could not install the translation")
    try:
        apply_theme(app, values.get("ui.theme"))
    except Exception:
        log.exception("could not apply the theme")


def _single_instance(profile_dir: Path):
    """The per-profile single-instance guard. Returns (guard, already_running)."""
    from cmdesk.workers.single_instance import SingleInstance

    try:
        guard = SingleInstance(profile_dir)
        return guard, not guard.claim()  # False: another instance has the profile (and was asked to come forward)
    except Exception:  # a broken local socket must not keep the user out
        log.exception("single-instance check failed; going on")
        return None, False


def run_gui(profile_dir: Path | str) -> int:
    """Open the main window on a profile and run the event loop; returns the exit code."""
    multiprocessing.freeze_support()  # a frozen app's parse workers re-enter here
    profile_dir = Path(profile_dir)
    app = create_application()

    guard, already = _single_instance(profile_dir)
    if already:
        print("cmdesk is already open on this profile: its window was raised.", file=sys.stderr)
        return 0

    from PySide6.QtWidgets import QMessageBox

    from cmdesk.app import open_profile

    try:
        services = open_profile(profile_dir)
    except Exception as exc:
        QMessageBox.critical(None, "cmdesk", f"The profile {profile_dir} cannot be opened:\n{exc}")
        return 1
    _apply_look(app, services)

    from cmdesk.ui.main_window import MainWindow

    window = MainWindow(services)
    if guard is not None:
        guard.activation_requested.connect(lambda: _raise(window))
    _attach_notifier(window, services)
    window.show()

    from cmdesk.ui.first_run import maybe_run_first_run

    changed = False
    try:
        changed = maybe_run_first_run(services, window)
    except Exception:
        log.exception("first-run dialog failed")
    if changed:
        window.veille.reload_tree()
        window._after_mentions_change()
        notifier = getattr(window, "notifier", None)
        if notifier is not None:
            notifier.snapshot()
    # A first refresh shortly after start, for the feeds that are due.
    from PySide6.QtCore import QTimer

    QTimer.singleShot(1500, window.refresher.refresh_due)
    # The daily automatic backup: checked at start and every hour while the app
    # runs, on a pool thread (the backup API copies the whole file).
    backup_timer = QTimer(window)
    backup_timer.setInterval(3600 * 1000)
    backup_timer.timeout.connect(lambda: _daily_backup(services))
    backup_timer.start()
    QTimer.singleShot(60 * 1000, lambda: _daily_backup(services))
    code = app.exec()
    if guard is not None:
        guard.release()
    return code


def _daily_backup(services) -> None:
    from PySide6.QtCore import QThreadPool

    def run():
        try:
            path = services.daily_backup()
            if path:
                log.info("daily backup written to %s", path)
        except Exception:
            log.exception("daily backup failed")

    QThreadPool.globalInstance().start(run)


def _attach_notifier(window, services) -> None:
    from cmdesk.ui.notifications import TrayNotifier

    try:
        window.notifier = TrayNotifier(services, window)
        window.notifier.activated.connect(lambda kind, term: (_raise(window), window.show_area("mentions")))
    except Exception:
        log.exception("tray notifications unavailable")


def _raise(window) -> None:
    from PySide6.QtCore import Qt

    window.show()
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.raise_()
    window.activateWindow()
