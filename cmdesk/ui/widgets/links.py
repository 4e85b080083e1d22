"""The link policy of the reader: only http, https and mailto leave the application."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from cmdesk.ui.veille.sanitize import is_safe_link

__all__ = ["is_web_url", "open_external_link", "open_web_url"]


def open_external_link(url: QUrl | str | None) -> bool:
    """Open a link in the system browser (or mail client) when its scheme is allowed.

    javascript:, file:, data: and anything else are refused (returns False).
    """
    if url is None:
        return False
    text = url.toString() if isinstance(url, QUrl) else str(url)
    if not is_safe_link(text):
        return False
    q = QUrl(text.strip())
    if not q.isValid() or (q.scheme().lower() != "mailto" and not q.host()):
        return False
    return bool(QDesktopServices.openUrl(q))


def is_web_url(url: str | None) -> bool:
    """An http(s) address with a host: a page the browser can show (a mention's page)."""
    if not url:
        return False
    q = QUrl(url)
    return q.isValid() and q.scheme().lower() in ("http", "https") and bool(q.host())


def open_web_url(url: str | None) -> bool:
    """Open a web page (http or https only) in the system browser; anything else is refused."""
    return is_web_url(url) and open_external_link(url)

