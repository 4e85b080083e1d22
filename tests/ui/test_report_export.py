"""File ▸ Export monthly summary: month, formats and language choices, preview, export off the GUI thread."""

from __future__ import annotations

import csv
import datetime as dt
import re
import time

import pytest
from PySide6.QtCore import Qt
from pypdf import PdfReader

from cmdesk.app import open_profile
from cmdesk.net.credentials import CredentialStore
from cmdesk.store.database import db_path_for
from cmdesk.ui.widgets.report_export import ReportExportDialog
from tests.report.fixture_store import build_fixture_store

TODAY = dt.date(2024, 4, 15)  # the dialog lists the months before this day; March 2024 is the default


@pytest.fixture
def utc(monkeypatch):
    """Local days in UTC, as the fixture store's times are (the dialog uses the local time zone)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def services(tmp_path, memory_keyring, utc):
    profile = tmp_path / "profile"
    profile.mkdir()
    build_fixture_store(db_path_for(profile))
    svc = open_profile(profile, credentials=CredentialStore(memory_keyring))
    svc.stats.settings.set("brand.name", "Acme Corp")
    svc.stats.settings.set("roi.hourly_cost", 40)
    svc.stats.settings.set("roi.hours_per_month", 20)
    return svc


@pytest.fixture
def dialog(qtbot, services):
    d = ReportExportDialog(services, today=TODAY)
    qtbot.addWidget(d)
    d.show()
    return d


def _wait_preview(qtbot, d, *needles):
    qtbot.waitUntil(lambda: all(n in d.preview_text() for n in needles), timeout=15000)


def _choose_month(d, year, month):
    assert d.select_month(year, month), f"{year}-{month:02d} not offered"
    assert d.month.currentData() == (year, month)


def _pdf_text(path) -> str:
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(str(path)).pages))


def test_defaults_to_previous_month_and_previews_its_kpis(qtbot, dialog):
    assert dialog.month.currentData() == (2024, 3)
    assert dialog.month.count() == 18 and dialog.month.itemData(0) == (2024, 4)
    _wait_preview(qtbot, dialog, "Key figures", "March 2024", "February 2024")
    text = dialog.preview_text()
    assert re.search(r"Mentions\s+9\s+3\s+\+6 \(\+200\.0%\)", text), text[:600]
    # charts are in the preview, as resources of its document
    assert dialog.preview.document().resource(2, "chart:volume") is not None  # 2: ImageResource


def test_month_and_language_change_the_preview(qtbot, dialog):
    _wait_preview(qtbot, dialog, "March 2024")
    _choose_month(dialog, 2024, 2)
    _wait_preview(qtbot, dialog, "Monthly summary — February 2024")
    assert re.search(r"Mentions\s+3\s+0\s+\+3", dialog.preview_text())
    dialog.lang.setCurrentIndex(dialog.lang.findData("fr"))
    _wait_preview(qtbot, dialog, "Chiffres clés", "février 2024")


def test_export_chosen_month_and_formats(qtbot, dialog, tmp_path):
    _choose_month(dialog, 2024, 3)
    dialog.formats["html"].setChecked(False)
    out = tmp_path / "exports"
    dialog.folder.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.export_button.isEnabled()  # the export runs on a pool thread
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    assert not dialog.busy and dialog.export_button.isEnabled()
    files = sorted(p.name for p in out.iterdir())
    assert files == ["acme-corp-report-2024-03-kpis.csv", "acme-corp-report-2024-03-mentions.csv",
                     "acme-corp-report-2024-03.pdf"]
    assert all(str(f) in dialog.status.text() for f in dialog.result.files)

    text = _pdf_text(out / "acme-corp-report-2024-03.pdf")
    assert "Acme Corp" in text and "March 2024" in text
    assert "Mentions 9 3 +6 (+200.0%)" in text
    assert "ROI % = (value − cost) / cost × 100" in text
    with open(out / "acme-corp-report-2024-03-mentions.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 9 and rows[0]["Date"] == "2024-03-01 09:00"
    with open(out / "acme-corp-report-2024-03-kpis.csv", encoding="utf-8-sig", newline="") as fh:
        kpis = {(r[0], r[1]): r for r in csv.reader(fh)}
    assert kpis[("kpi", "mentions")][3:6] == ["9", "3", "6"]
    assert kpis[("roi_line", "labour")][3] == "800"


def test_french_export(qtbot, dialog, tmp_path):
    dialog.lang.setCurrentIndex(dialog.lang.findData("fr"))
    for f in ("pdf", "csv"):
        dialog.formats[f].setChecked(False)
    dialog.folder.setText(str(tmp_path))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    (html_file,) = dialog.result.files
    page = html_file.read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "Chiffres clés" in page and "mars 2024" in page


def test_no_format_or_folder_disables_export(qtbot, dialog):
    assert dialog.export_button.isEnabled()
    for c in dialog.formats.values():
        c.setChecked(False)
    assert not dialog.export_button.isEnabled()
    dialog.formats["csv"].setChecked(True)
    assert dialog.export_button.isEnabled()
    dialog.folder.setText("  ")
    assert not dialog.export_button.isEnabled()
