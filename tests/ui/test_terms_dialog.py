"""The watch-term editor: syntax errors where they are, live preview, save with re-scan."""

from __future__ import annotations

import pytest

from tests.ui.mentions_fixtures import make_profile
from cmdesk.ui.mentions.terms_dialog import WatchTermsDialog


@pytest.fixture
def services(profile_dir, feed_server):
    return make_profile(profile_dir, feed_server, n=12)


@pytest.fixture
def dialog(qtbot, services):
    d = WatchTermsDialog(services)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    yield d
    d.calls.wait(5000)


def test_lists_terms_with_counts(dialog):
    labels = [dialog.terms.item(i).text() for i in range(dialog.terms.count())]
    assert labels == ["Acme (10)", "Globex (4)"]
    assert dialog.name.text() == "Acme" and dialog.query.text() == "acme"


def test_syntax_error_is_shown_with_its_position(qtbot, dialog):
    dialog.new_term()
    qtbot.keyClicks(dialog.query, "acme OR (globex")
    qtbot.waitUntil(lambda: "Syntax error at position" in dialog.query_error.text(), timeout=3000)
    assert "expected" in dialog.query_error.text()
    assert dialog.preview.count() == 0
    dialog.name.setText("Broken")
    dialog.save()
    assert "Broken" not in [t.name for t, _n in dialog.svc.list_terms()]


def test_preview_updates_as_the_user_types(qtbot, dialog):
    dialog.new_term()
    qtbot.keyClicks(dialog.query, "refund")
    qtbot.waitUntil(lambda: dialog.preview.count() == 2, timeout=5000)
    assert all("Acme support is terrible" in dialog.preview.item(i).text() for i in range(2))
    assert dialog.preview_label.text() == "2 stored item(s) match"
    qtbot.keyClicks(dialog.query, " -nothing OR discount")
    qtbot.waitUntil(lambda: dialog.preview.count() == 4, timeout=5000)
    assert dialog.query_error.text() == ""


def test_save_new_term_rescans_in_the_background(qtbot, dialog, services):
    dialog.new_term()
    dialog.name.setText("Pricing")
    dialog.kind.setCurrentIndex(dialog.kind.findData("topic"))
    dialog.query.setText("pricing OR discount")
    dialog.notify.setChecked(True)
    with qtbot.waitSignal(dialog.termsChanged, timeout=10000):
        dialog.save()
    assert "4 new mention(s)" not in dialog.result.text()  # they were mentions already
    assert dialog.result.text().startswith("Saved. 2 stored item(s) match")
    term = services.mentions.get_term("Pricing")
    assert term.kind == "topic" and term.notify and term.color == "#d97706"
    assert dialog.terms.currentItem().text() == "Pricing (2)"


def test_duplicate_name_is_refused_with_a_message(qtbot, dialog):
    dialog.new_term()
    dialog.name.setText("Acme")
    dialog.query.setText("acme corp")
    with qtbot.waitSignal(dialog.calls.failed, timeout=10000):
        dialog.save()
    assert dialog.result.text().startswith("Not saved:") and "already exists" in dialog.result.text()
