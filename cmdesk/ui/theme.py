"""Colour themes: the system's look, or Fusion with a light or a dark palette.

Widgets and chart painters read their colours from the application palette
(`QPalette`), so switching the theme repaints everything consistently.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

__all__ = ["THEMES", "apply_theme", "dark_palette", "light_palette", "is_dark", "current_theme"]

THEMES = ("system", "light", "dark")

_original: dict = {}
_current = "system"


def dark_palette() -> QPalette:
    """A calm dark palette (Fusion), readable text and a blue accent."""
    p = QPalette()
    window, base, alt, text = QColor(37, 38, 41), QColor(28, 29, 31), QColor(45, 46, 50), QColor(230, 231, 233)
    disabled = QColor(128, 130, 135)
    accent = QColor(76, 141, 246)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Window, window)
        p.setColor(group, QPalette.ColorRole.WindowText, text)
        p.setColor(group, QPalette.ColorRole.Base, base)
        p.setColor(group, QPalette.ColorRole.AlternateBase, alt)
        p.setColor(group, QPalette.ColorRole.ToolTipBase, QColor(55, 57, 61))
        p.setColor(group, QPalette.ColorRole.ToolTipText, text)
        p.setColor(group, QPalette.ColorRole.PlaceholderText, disabled)
        p.setColor(group, QPalette.ColorRole.Text, text)
        p.setColor(group, QPalette.ColorRole.Button, QColor(50, 52, 56))
        p.setColor(group, QPalette.ColorRole.ButtonText, text)
        p.setColor(group, QPalette.ColorRole.BrightText, QColor(255, 95, 95))
        p.setColor(group, QPalette.ColorRole.Link, QColor(110, 165, 250))
        p.setColor(group, QPalette.ColorRole.LinkVisited, QColor(170, 140, 240))
        p.setColor(group, QPalette.ColorRole.Highlight, accent)
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
        p.setColor(group, QPalette.ColorRole.Light, QColor(70, 72, 77))
        p.setColor(group, QPalette.ColorRole.Midlight, QColor(58, 60, 64))
        p.setColor(group, QPalette.ColorRole.Mid, QColor(44, 45, 49))
        p.setColor(group, QPalette.ColorRole.Dark, QColor(20, 20, 22))
        p.setColor(group, QPalette.ColorRole.Shadow, QColor(0, 0, 0))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.HighlightedText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor(45, 46, 50))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(70, 72, 77))
    return p


def light_palette() -> QPalette:
    """Fusion's own light palette with the same blue accent as the dark one."""
    style = QStyleFactory.create("Fusion")
    p = QPalette(style.standardPalette())
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, QPalette.ColorRole.Highlight, QColor(37, 99, 235))
        p.setColor(group, QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))
    return p


def apply_theme(app: QApplication, theme: str | None) -> str:
    """Apply "system", "light" or "dark" (anything else means "system"); returns the theme applied.

    The system theme restores the style and palette the application started with.
    """
    global _current
    if not _original:
        _original["style"] = app.style().name()
        _original["palette"] = QPalette(app.palette())
    theme = theme if theme in THEMES else "system"
    hints = QGuiApplication.styleHints()
    if theme == "system":
        app.setStyle(_original["style"])
        app.setPalette(_original["palette"])
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
    else:
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if theme == "dark" else light_palette())
        if hasattr(hints, "setColorScheme"):  # Qt 6.8+: native dialogs and title bars follow
            hints.setColorScheme(Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light)
    _current = theme
    # Qt posts the palette change to every widget; deliver it now so colours are right on return.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
    return theme


def current_theme() -> str:
    return _current


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether a palette (default: the application's) has light text on a dark window."""
    p = palette or QGuiApplication.palette()
    return p.color(QPalette.ColorRole.Window).lightness() < p.color(QPalette.ColorRole.WindowText).lightness()
