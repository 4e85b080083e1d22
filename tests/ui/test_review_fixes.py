"""Regressions found by driving the real window (GUI review)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from cmdesk.core.models import MentionState
from cmdesk.ui.mentions.area import MentionsArea
from tests.ui.mentions_fixtures import make_profile


@pytest.fixture
def services(profile_dir, feed_server):
    return make_profile(profile_dir, feed_server, n=12)


@pytest.fixture
def area(qtbot, services):
    a = MentionsArea(services)
    qtbot.addWidget(a)
    a.resize(1200, 700)
    a.show()
    qtbot.waitExposed(a)
    return a


def test_term_highlight_keeps_the_terms_hue():
    """Qt reads "#RRGGBBAA" as ARGB: a red term used to get a near-black background."""
    from cmdesk.core.models import WatchTerm
    from cmdesk.ui.mentions.detail import highlight_html

    term = WatchTerm(id=1, name="Wayfolio", query="wayfolio", kind="competitor", color="#dc2626")
    doc = QTextDocument()
    doc.setHtml(highlight_html("say Wayfolio now", [(1, 4, 12)], {1: term}))
    cur = QTextCursor(doc)
    cur.setPosition(6)
    bg = cur.charFormat().background().color()
    assert (bg.red(), bg.green(), bg.blue()) == (0xdc, 0x26, 0x26)
    assert 0 < bg.alpha() < 128  # a light tint, the text stays readable


def test_copy_and_open_says_when_the_browser_could_not_open(qtbot, area, monkeypatch):
    import cmdesk.ui.mentions.reply as reply

    monkeypatch.setattr(reply, "open_web_url", lambda url: False)
    monkeypatch.setattr(reply, "is_web_url", lambda url: True)
    area.list.setCurrentIndex(area.model.index(0, 0))
    qtbot.waitUntil(lambda: area.reply._mention is not None)
    area.reply.draft.setPlainText("Thanks!")
    area.reply.copy_and_open()
    assert "could not" in area.reply.status.text()


def test_no_matching_view_never_makes_the_terms_header_current(qtbot, area):
    area.select_view("to_reply")
    area.sentiment_combo.setCurrentIndex(area.sentiment_combo.findData("negative"))
    area.reload_views()
    item = area.views.currentItem()
    assert item is None or item.data(Qt.ItemDataRole.UserRole) is not None


def test_first_run_dialog_grows_instead_of_squashing_its_hints(qtbot, profile_dir, monkeypatch):
    from cmdesk.app import open_profile
    from cmdesk.ui.first_run import DemoInstaller, FirstRunDialog

    monkeypatch.setattr(DemoInstaller, "start", lambda self: None)
    d = FirstRunDialog(open_profile(profile_dir))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.open_demo()
    qtbot.wait(50)
    for label in (d.demo_hint, d.wizard_hint, d.status):
        assert label.height() >= label.heightForWidth(label.width()), label.text()


def test_mentions_area_follows_a_language_change(qtbot, area):
    """The other areas retranslate live; the inbox kept its English labels until a restart."""
    from PySide6.QtCore import QCoreApplication, QEvent

    calls = []
    area.tr = lambda text, *a: calls.append(text) or f"<{text}>"  # a translator that marks every string
    area.detail.tr = area.tr
    area.reply.tr = area.tr
    QCoreApplication.sendEvent(area, QEvent(QEvent.Type.LanguageChange))
    assert area.search.placeholderText().startswith("<")
    assert area.sentiment_combo.itemText(0).startswith("<")
    assert area.views.item(0).text().startswith("<New>")
    assert area._actions["done"].text().startswith("<")
    assert area.reply.copy_open.text().startswith("<") and area.detail._note_label.text().startswith("<")
    assert area.state_combo.currentData() == MentionState.NEW.value  # the filters are kept
