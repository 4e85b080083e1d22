"""Screenshots of the real window for the README, from the demo workspace.

    xvfb-run -s "-screen 0 1400x900x24" python docs/screenshots.py [--out docs] [--theme light]

Builds a throw-away demo profile (`cmdesk.services.demo.install_demo`: the
bundled demo feeds through the real fetch → parse → store → match path),
opens the main window at 1400×860 and saves three PNGs: the Veille area with
an item open, the Mentions inbox with a reply draft written from a template,
and the Stats area. Works without Xvfb too (offscreen platform), but fonts
and styles look most like a desktop under Xvfb.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _settle(app, ms: int = 400) -> None:
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Save README screenshots of the main window.")
    p.add_argument("--out", default=str(REPO / "docs"), help="folder for the PNG files (default: docs/)")
    p.add_argument("--theme", default="light", choices=("system", "light", "dark"))
    p.add_argument("--lang", default="en", choices=("en", "fr"))
    args = p.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings

    from cmdesk.app import open_profile
    from cmdesk.ui.app import create_application

    app = create_application()
    try:
        from cmdesk.ui.theme import apply_theme

        apply_theme(app, args.theme)
    except ImportError:
        pass
    try:
        from cmdesk.ui.i18n import install_translator

        install_translator(app, args.lang)
    except ImportError:
        pass

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cmdesk-shots-") as tmp:
        profile = Path(tmp) / "profile"
        services = open_profile(profile)
        try:
            from cmdesk.services.demo import install_demo
        except ImportError:
            print("cmdesk.services.demo is missing: cannot build the demo workspace", file=sys.stderr)
            return 1
        print("building the demo workspace…", flush=True)
        install_demo(services)

        from cmdesk.ui.main_window import MainWindow

        settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(services, settings=settings, auto_refresh=False)
        window.resize(1400, 860)
        window.show()
        _settle(app, 800)
        saved = []

        # 1. Veille: expand the folders, open the second unread item of the first feed with unread ones.
        veille = window.veille
        window.show_area("veille")
        veille.tree.expandAll()
        veille.splitter.setSizes([250, 600, 550])
        veille.next_unread()
        veille.next_unread()
        _settle(app)
        saved.append(_grab(window, out / "screenshot-veille.png"))

        # 2. Mentions: a mention to reply to, with a draft from the first template.
        window.show_area("mentions")
        _settle(app, 600)
        mentions = window.areas["mentions"]
        try:
            _prepare_mention_draft(mentions, services)
        except Exception as exc:  # the picture is still worth having
            print(f"note: could not prepare a draft: {type(exc).__name__}: {exc}", file=sys.stderr)
        _settle(app, 900)
        saved.append(_grab(window, out / "screenshot-mentions.png"))

        # 3. Stats: the default period (this month vs the previous one).
        window.show_area("stats")
        _settle(app, 2500)  # the stats load off the GUI thread
        saved.append(_grab(window, out / "screenshot-stats.png"))

        window.close()
    for path in saved:
        print(f"saved {path}")
    return 0


def _prepare_mention_draft(area, services) -> None:
    select_view = getattr(area, "select_view", None)
    if select_view is not None:
        try:
            select_view("to_reply")
        except Exception:
            pass
    if getattr(area, "model", None) is not None and area.model.rowCount() == 0 and select_view is not None:
        select_view("new")
    area.select_row(0)
    reply = getattr(area, "reply", None)
    if reply is None or reply.templates.count() < 2:
        return
    reply.templates.setCurrentIndex(1)
    reply.templates.activated.emit(1)
    reply.draft.setFocus()


def _grab(window, path: Path) -> Path:
    window.grab().save(str(path))
    return path


if __name__ == "__main__":
    sys.exit(main())
