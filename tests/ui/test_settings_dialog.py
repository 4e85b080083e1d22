"""The settings dialog: values typed in it are stored, typed, and shown again."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from cmdesk.app import open_profile
from cmdesk.ui import i18n, theme
from cmdesk.ui.settings_dialog import SettingsDialog


@pytest.fixture
def services(profile_dir):
    return open_profile(profile_dir)


@pytest.fixture(autouse=True)
def restore_look():
    yield
    app = QApplication.instance()
    theme.apply_theme(app, "system")
    i18n.install_translator(app, "en")


def ok(dialog):
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_round_trip_through_the_store(qtbot, services):
    d = SettingsDialog(services)
    qtbot.addWidget(d)
    f = d.fields
    assert f["roi.hourly_cost"].widget.text() == ""  # missing, not 0
    assert f["refresh.interval_minutes"].widget.value() == 30
    f["refresh.interval_minutes"].widget.setValue(45)
    f["refresh.auto"].widget.setChecked(False)
    f["network.proxy"].widget.setText("http://proxy.local:3128")
    f["retention.keep_days"].widget.setText("90")
    f["roi.hourly_cost"].widget.setText("42,5")  # a French decimal comma
    f["roi.value_per_lead"].widget.setText("150")
    f["roi.lead_tag"].widget.setText("prospect")
    f["notify.spikes"].widget.setChecked(False)
    f["ui.theme"].widget.setCurrentIndex(f["ui.theme"].widget.findData("dark"))
    with qtbot.waitSignal(d.settings_changed) as sig:
        ok(d)
    assert set(sig.args[0]) >= {"refresh.interval_minutes", "roi.hourly_cost", "ui.theme", "network.proxy"}
    s = services.settings
    assert s.get("refresh.interval_minutes") == 45 and s.get("refresh.auto") is False
    assert s.get("network.proxy") == "http://proxy.local:3128" and s.get("retention.keep_days") == 90
    assert s.get("roi.hourly_cost") == 42.5 and s.get("roi.value_per_lead") == 150.0
    assert s.get("roi.tool_costs") is None  # left empty: stays missing
    assert s.get("roi.lead_tag") == "prospect" and s.get("notify.spikes") is False
    assert s.get("ui.theme") == "dark" and theme.is_dark()  # applied at once

    again = SettingsDialog(services)
    qtbot.addWidget(again)
    g = again.fields
    assert g["refresh.interval_minutes"].widget.value() == 45
    assert not g["refresh.auto"].widget.isChecked()
    assert g["roi.hourly_cost"].value() == 42.5 and g["roi.hourly_cost"].widget.text() in ("42.50", "42.5")
    assert g["roi.tool_costs"].widget.text() == ""
    assert g["ui.theme"].widget.currentData() == "dark"
    # clearing a field unsets it
    g["roi.hourly_cost"].widget.setText("")
    g["retention.keep_days"].widget.clear()
    ok(again)
    assert s.get("roi.hourly_cost") is None and s.get("retention.keep_days") is None


def test_invalid_values_are_refused_with_a_message(qtbot, services, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    d = SettingsDialog(services)
    qtbot.addWidget(d)
    d.show()
    d.fields["roi.cpm"].widget.setText("lots")
    ok(d)
    assert d.isVisible() and warnings and "lots" in warnings[0]
    assert services.settings.get("roi.cpm") is None
    d.fields["roi.cpm"].widget.setText("-3")
    ok(d)
    assert len(warnings) == 2 and services.settings.get("roi.cpm") is None
    d.fields["roi.cpm"].widget.setText("")
    d.fields["network.proxy"].widget.setText("proxy without scheme")
    ok(d)
    assert len(warnings) == 3 and services.settings.get("network.proxy") is None


def test_terms_that_notify_are_ticked_and_saved(qtbot, services):
    acme = services.mentions.add_term("Acme", "acme", notify=True).term
    globex = services.mentions.add_term("Globex", "globex", kind="competitor").term
    d = SettingsDialog(services)
    qtbot.addWidget(d)
    from PySide6.QtCore import Qt

    items = {d.term_list.item(i).data(Qt.ItemDataRole.UserRole): d.term_list.item(i)
             for i in range(d.term_list.count())}
    assert items[acme.id].checkState() == Qt.CheckState.Checked
    assert items[globex.id].checkState() == Qt.CheckState.Unchecked
    items[acme.id].setCheckState(Qt.CheckState.Unchecked)
    items[globex.id].setCheckState(Qt.CheckState.Checked)
    ok(d)
    terms = {t.id: t for t, _n in services.mentions.list_terms()}
    assert not terms[acme.id].notify and terms[globex.id].notify


def test_restore_defaults_fills_the_current_page(qtbot, services):
    services.settings.set("refresh.interval_minutes", 90)
    d = SettingsDialog(services)
    qtbot.addWidget(d)
    d.tabs.setCurrentWidget(d.pages["refresh"])
    assert d.fields["refresh.interval_minutes"].widget.value() == 90
    d.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert d.fields["refresh.interval_minutes"].widget.value() == 30
    assert services.settings.get("refresh.interval_minutes") == 90  # nothing saved before OK
