"""Opening a mention's page: only web links leave the application."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

SAFE_SCHEMES = ("http", "https")


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    q = QUrl(url)
    return q.isValid() and q.scheme().lower() in SAFE_SCHEMES and bool(q.host())


def open_web_url(url: str | None) -> bool:
    """Open an http(s) URL in the system browser; anything else is refused."""
    if not is_web_url(url):
        return False
    return QDesktopServices.openUrl(QUrl(url))
