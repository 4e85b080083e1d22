"""Interface language: choosing it, compiling catalogues, switching live to French."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from cmdesk.app import open_profile
from cmdesk.resources import resource_path
from cmdesk.ui import i18n
from cmdesk.ui.i18n import catalogue_path, find_lrelease, install_translator, resolve_language

TS = resource_path("translations", "cmdesk_fr.ts")


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    install_translator(QApplication.instance(), "en")


def test_language_setting_wins_over_the_system(monkeypatch):
    assert resolve_language("fr") == "fr" and resolve_language("en") == "en"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("fr_FR")))
    assert resolve_language("system") == "fr" and resolve_language(None) == "fr"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("de_DE")))
    assert resolve_language("system") == "en"  # not a language cmdesk speaks


@pytest.mark.skipif(find_lrelease() is None, reason="Qt's lrelease is not installed")
def test_a_missing_catalogue_is_compiled_into_the_cache(tmp_path):
    src = tmp_path / "tr"
    src.mkdir()
    (src / "cmdesk_fr.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="fr_FR"><context>'
        "<name>X</name><message><source>Hello</source><translation>Bonjour</translation></message>"
        "</context></TS>", encoding="utf-8")
    cache = tmp_path / "cache"
    first = catalogue_path("fr", translations_dir=src, cache_dir=cache)
    assert first is not None and first.parent == cache and first.stat().st_size > 0
    assert catalogue_path("fr", translations_dir=src, cache_dir=cache) == first  # compiled once
    # a .qm newer than its .ts (a built wheel) is used as it is
    built = src / "cmdesk_fr.qm"
    built.write_bytes(first.read_bytes())
    assert catalogue_path("fr", translations_dir=src, cache_dir=cache) == built
    assert catalogue_path("de", translations_dir=src, cache_dir=cache) is None


def test_every_french_message_is_translated():
    root = ET.parse(TS).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 300
    unfinished = [m.find("source").text for m in messages
                  if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")]
    assert unfinished == []
    empty = [m.find("source").text for m in messages
             if not (m.find("translation").text or "").strip() and m.find("translation").find("numerusform") is None]
    assert empty == []


def test_switching_to_french_changes_the_visible_texts(qtbot, profile_dir):
    from cmdesk.ui.settings_dialog import SettingsDialog
    from cmdesk.ui.stats.area import StatsArea

    services = open_profile(profile_dir)
    app = QApplication.instance()
    area = StatsArea(services)
    dialog = SettingsDialog(services)
    qtbot.addWidget(area)
    qtbot.addWidget(dialog)
    assert area.panels["volume"].title.text() == "Mentions per day"
    assert area.period_combo.itemText(0) == "This month"
    assert dialog.windowTitle() == "Settings"
    assert install_translator(app, "fr") == "fr" and i18n.current_language() == "fr"
    assert area.panels["volume"].title.text() == "Mentions par jour"
    assert area.period_combo.itemText(0) == "Ce mois-ci"
    assert area.cards["backlog"].title.text() == "En attente"
    assert dialog.windowTitle() == "Paramètres"
    assert dialog.tabs.tabText(3) == "Bilan mensuel et ROI"
    assert QLocale().decimalPoint() == ","
    install_translator(app, "en")
    assert area.period_combo.itemText(0) == "This month"
    assert dialog.windowTitle() == "Settings"


def test_the_main_window_menus_follow_the_language(qtbot, profile_dir):
    main_window = pytest.importorskip("cmdesk.ui.main_window")
    services = open_profile(profile_dir)
    window = main_window.MainWindow(services, auto_refresh=False)
    qtbot.addWidget(window)
    app = QApplication.instance()
    menus = lambda: [a.text() for a in window.menuBar().actions()]  # noqa: E731
    assert "&File" in menus()
    try:
        install_translator(app, "fr")
        assert "&Fichier" in menus() and "&Aide" in menus()
    finally:
        install_translator(app, "en")
        shutdown = getattr(getattr(window, "refresher", None), "shutdown", None)
        if shutdown:
            shutdown(5000)
