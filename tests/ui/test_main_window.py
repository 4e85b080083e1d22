"""The main window: areas, shortcuts, refresh in the status bar, state restored on the next launch."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cmdesk.ui import main_window as mw
from cmdesk.ui.main_window import MainWindow
from tests.services.test_reader import populate
from tests.support.feedserver import rss


@pytest.fixture
def make_window(qtbot, ui_services, window_state):
    made = []

    def make(**kw):
        w = MainWindow(ui_services, settings=window_state, auto_refresh=False, **kw)
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=3000)  # shortcuts need an active window
        made.append(w)
        return w

    yield make
    for w in made:
        w.refresher.shutdown()


def test_areas_switch_with_ctrl_numbers(qtbot, make_window):
    w = make_window()
    assert set(w.areas) == {"veille", "mentions", "stats"}
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert w.current_area() == "mentions"
    qtbot.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert w.current_area() == "stats"
    qtbot.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert w.current_area() == "veille"
    assert w.menu_edit.actions()  # the Veille actions are listed in Edit
    assert "next unread" in w.shortcuts_html().lower()


def test_missing_area_shows_a_placeholder(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(mw, "AREAS", mw.AREAS[:1] + (("mentions", "cmdesk.ui.no_such_module", "X"),) + mw.AREAS[2:])
    w = make_window()
    assert isinstance(w.areas["mentions"], mw._PlaceholderArea)
    assert "not available" in w.areas["mentions"].text()
    w.show_area("mentions")
    assert w.current_area() == "mentions"


def test_refresh_from_the_window_updates_status_and_areas(qtbot, make_window, ui_services, feed_server):
    feed_server.route("/a.xml", rss("a", 3), delay_s=0.1)
    feed_server.route("/b.xml", status=500, body="x", content_type="text/plain")
    ui_services.feeds.subscribe(feed_server.url("/a.xml"), title="A")
    ui_services.feeds.subscribe(feed_server.url("/b.xml"), title="B")
    w = make_window()
    w.veille.reload_tree()
    with qtbot.waitSignal(w.refresher.idle, timeout=30_000):
        qtbot.keyClick(w, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert w.refresher.running and w.act_cancel.isEnabled()
        assert not w.refresh()  # merged, not duplicated
    assert feed_server.hits("/a.xml") == 1
    assert "3 new item(s)" in w.last_result.text() and "1 error(s)" in w.last_result.text()
    assert not w.progress_bar.isVisible()
    tree = w.veille.tree_model
    assert tree._by_key[("all", None)].unread == 3
    broken = next(n for n in tree.nodes() if n.kind == "feed" and n.title == "B")
    tip = tree.data(tree.index_for_key(broken.key), Qt.ItemDataRole.ToolTipRole)
    assert "500" in tip and "Error" in tip
    assert w.veille.items.rowCount() == 3


def test_window_state_round_trip(qtbot, make_window, ui_services):
    ids = populate(ui_services.db_path, {"F": [("alpha", 10)], "": [("beta", 4)]})
    w = make_window()
    w.resize(960, 740)
    size = w.size()
    w.veille.splitter.setSizes([150, 200, 300])
    sizes = w.veille.splitter.sizes()
    w.veille.select_key(("feed", ids["alpha"]))
    w.veille.unread_only.setChecked(True)
    w.show_area("stats")
    w.close()

    w2 = make_window()
    assert w2.current_area() == "stats"
    assert w2.size().height() == size.height()  # (the offscreen screen is narrower than the window)
    assert w2.veille.current_key() == ("feed", ids["alpha"])
    assert w2.veille.unread_only.isChecked()
    assert w2.veille.items.scope.unread_only and w2.veille.items.scope.feed_ids == (ids["alpha"],)
    assert w2.veille.splitter.sizes()[0] == sizes[0]  # the tree keeps its width
