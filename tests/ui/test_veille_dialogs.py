"""Veille dialogs driven as a user would: add feed (with autodiscovery choices), OPML import
summary and export, feed properties, feed health, the error badge, and keys typed in the
search box. Feeds come from the loopback server, OPML files from the shared data."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QStyle

from cmdesk.core.models import FeedStatus
from cmdesk.core.opml import parse_opml
from cmdesk.ui.veille.area import VeilleArea
from cmdesk.ui.veille.dialogs import AddFeedDialog, FeedHealthDialog, FeedPropertiesDialog
from tests.services.test_reader import populate
from tests.support.feedserver import rss

HTML = "text/html; charset=utf-8"


def page(*links: str) -> str:
    return f"<!DOCTYPE html><html><head><title>Site</title>{''.join(links)}</head><body>Hi</body></html>"


def alt(kind: str, title: str, href: str) -> str:
    return f'<link rel="alternate" type="application/{kind}+xml" title="{title}" href="{href}">'


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url.toString()) or True))
    return urls


@pytest.fixture
def area(qtbot, ui_services):
    a = VeilleArea(ui_services)
    a.resize(1200, 700)
    qtbot.addWidget(a)
    a.show()
    return a


def feed_urls(services) -> dict[str, str]:
    return {l.feed.url: l.folder_path for l in services.feeds.list_feeds()}


def type_address(qtbot, dlg: AddFeedDialog, url: str, folder: str = "") -> None:
    dlg.url.clear()
    qtbot.keyClicks(dlg.url, url)
    if folder:
        dlg.folder.lineEdit().clear()
        qtbot.keyClicks(dlg.folder.lineEdit(), folder)


def click_add(qtbot, dlg: AddFeedDialog) -> None:
    assert dlg.add_button.isEnabled()
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)


def click_box(qtbot, box) -> None:
    """Click a check box on its indicator (its centre may lie past the end of a short label)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def wait_idle(qtbot, dlg: AddFeedDialog) -> None:
    qtbot.waitUntil(lambda: not dlg.busy.isVisible(), timeout=10000)


# -- add feed -----------------------------------------------------------------------------------
def test_add_feed_url_subscribes_at_once_into_a_folder(qtbot, area, feed_server):
    feed_server.route("/feed.xml", rss("Acme blog", 3))
    dlg = area.add_feed()
    type_address(qtbot, dlg, feed_server.url("/feed.xml"), "Press/France")
    click_add(qtbot, dlg)
    wait_idle(qtbot, dlg)
    assert dlg._stage == "done", dlg.status.text()
    assert "Acme blog" in dlg.status.text() and "3 items" in dlg.status.text()
    assert feed_urls(area.services) == {feed_server.url("/feed.xml"): "Press/France"}
    [fid] = dlg.added_ids
    assert area.current_key() == ("feed", fid)  # the tree shows and selects the new feed
    assert area.items.rowCount() == 3
    assert dlg.add_button.text() == "Close"
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()


def test_add_site_with_several_feeds_asks_before_subscribing(qtbot, area, feed_server):
    feed_server.route("/", page(alt("rss", "Posts", "/posts.xml"), alt("atom", "Comments", "/comments.atom"),
                                alt("rss", "Podcast", "/podcast.xml")), content_type=HTML)
    feed_server.route("/posts.xml", rss("Posts", 2))
    feed_server.route("/comments.atom", rss("Comments", 1))
    feed_server.route("/podcast.xml", rss("Podcast", 4))
    dlg = area.add_feed()
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow, timeout=3000)  # keys go to the dialog, not the area behind it
    type_address(qtbot, dlg, feed_server.url("/"))
    qtbot.keyClick(dlg.url, Qt.Key.Key_Return)  # Return in the address field is "Add"
    wait_idle(qtbot, dlg)
    assert dlg._stage == "choices", dlg.status.text()
    # Nothing subscribed, no feed fetched yet: the user chooses first.
    assert area.services.feeds.list_feeds() == []
    assert sum(feed_server.hits(p) for p in ("/posts.xml", "/comments.atom", "/podcast.xml")) == 0
    assert dlg.choices.isVisible() and dlg.choices.count() == 3
    assert "Posts" in dlg.choices.item(0).text() and "Atom" in dlg.choices.item(1).text()
    assert dlg.checked_urls() == [feed_server.url("/posts.xml")]  # the first is pre-checked
    assert not dlg.url.isEnabled()
    # Uncheck the first, check the third, by clicking their check boxes.
    for row in (0, 2):
        rect = dlg.choices.visualItemRect(dlg.choices.item(row))
        qtbot.mouseClick(dlg.choices.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(rect.left() + 10, rect.center().y()))
    if dlg.checked_urls() != [feed_server.url("/podcast.xml")]:  # styles differ in where the box sits
        dlg.choices.item(0).setCheckState(Qt.CheckState.Unchecked)
        dlg.choices.item(2).setCheckState(Qt.CheckState.Checked)
    assert dlg.checked_urls() == [feed_server.url("/podcast.xml")]
    for row in (0, 1, 2):
        dlg.choices.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not dlg.add_button.isEnabled()  # nothing checked: nothing to subscribe to
    dlg.choices.item(1).setCheckState(Qt.CheckState.Checked)
    dlg.choices.item(2).setCheckState(Qt.CheckState.Checked)
    assert dlg.add_button.text() == "Subscribe"
    click_add(qtbot, dlg)
    wait_idle(qtbot, dlg)
    assert dlg._stage == "done", dlg.status.text()
    assert set(feed_urls(area.services)) == {feed_server.url("/comments.atom"), feed_server.url("/podcast.xml")}
    assert len(dlg.added_ids) == 2 and "Podcast" in dlg.status.text()
    assert feed_server.hits("/posts.xml") == 0


def test_add_site_marks_feeds_already_subscribed(qtbot, area, feed_server):
    feed_server.route("/", page(alt("rss", "Posts", "/posts.xml"), alt("atom", "Comments", "/c.atom")),
                      content_type=HTML)
    feed_server.route("/posts.xml", rss("Posts", 2))
    feed_server.route("/c.atom", rss("Comments", 1))
    area.services.feeds.subscribe(feed_server.url("/posts.xml"))
    dlg = area.add_feed()
    type_address(qtbot, dlg, feed_server.url("/"))
    click_add(qtbot, dlg)
    wait_idle(qtbot, dlg)
    first = dlg.choices.item(0)
    assert "Already subscribed" in first.text() and not first.flags() & Qt.ItemFlag.ItemIsEnabled
    assert dlg.checked_urls() == [feed_server.url("/c.atom")]


def test_add_site_with_one_feed_subscribes_without_asking(qtbot, area, feed_server):
    feed_server.route("/blog/", page(alt("rss", "Only", "/only.xml")), content_type=HTML)
    feed_server.route("/only.xml", rss("Only", 2))
    dlg = area.add_feed()
    type_address(qtbot, dlg, feed_server.url("/blog/"))
    click_add(qtbot, dlg)
    wait_idle(qtbot, dlg)
    assert dlg._stage == "done" and not dlg.choices.isVisible()
    assert set(feed_urls(area.services)) == {feed_server.url("/only.xml")}


@pytest.mark.parametrize("route,expected", [
    (dict(status=404, body="no", content_type="text/plain"), "HTTP 404"),
    (dict(body=page(), content_type=HTML), "announces no feed"),
    (dict(body=b"\x89PNG\r\n\x1a\n....", content_type="image/png"), "not a feed"),
])
def test_add_feed_failure_is_shown_and_the_user_can_retry(qtbot, area, feed_server, route, expected):
    feed_server.route("/x", **route)
    dlg = area.add_feed()
    type_address(qtbot, dlg, feed_server.url("/x"))
    click_add(qtbot, dlg)
    wait_idle(qtbot, dlg)
    assert dlg._stage == "input" and expected in dlg.status.text()
    assert "Could not add the feed" in dlg.status.text()
    assert area.services.feeds.list_feeds() == []
    assert dlg.url.isEnabled() and dlg.add_button.isEnabled() and dlg.isVisible()
    feed_server.route("/ok.xml", rss("Fine", 1))
    type_address(qtbot, dlg, feed_server.url("/ok.xml"))
    click_add(qtbot, dlg)
    wait_idle(qtbot, dlg)
    assert dlg._stage == "done"


def test_add_feed_empty_address_asks_for_one(qtbot, area):
    dlg = area.add_feed()
    click_add(qtbot, dlg)
    assert "Type the address" in dlg.status.text() and not dlg.busy.isVisible()


def test_add_feed_with_login_keeps_the_password_in_the_keyring(qtbot, area, feed_server, memory_keyring):
    feed_server.route("/private.xml", rss("Private", 1))
    dlg = area.add_feed()
    type_address(qtbot, dlg, feed_server.url("/private.xml"))
    dlg.login.setChecked(True)
    qtbot.keyClicks(dlg.username, "ann")
    qtbot.keyClicks(dlg.password, "s3cret")
    click_add(qtbot, dlg)
    wait_idle(qtbot, dlg)
    assert dlg._stage == "done", dlg.status.text()
    sent = {h.get("authorization") for p, h in feed_server.requests if p == "/private.xml"}
    assert sent == {"Basic " + base64.b64encode(b"ann:s3cret").decode()}
    [secret] = memory_keyring.secrets.values()
    assert "s3cret" in secret and "s3cret" not in area.services.db_path.read_bytes().decode("latin-1")
    props = area.services.reader.feed_properties(dlg.added_ids[0])
    assert props.username == "ann"


# -- OPML ---------------------------------------------------------------------------------------
def test_opml_import_summary_from_shared_file(qtbot, area, shared_data):
    path = shared_data / "opml" / "countries" / "with_category" / "France.opml"
    expected = parse_opml(path.read_bytes())
    emitted = []
    area.refreshRequested.connect(emitted.append)
    area.import_opml(str(path))
    qtbot.waitUntil(lambda: getattr(area, "_import_dialog", None) is not None, timeout=10000)
    dlg = area._import_dialog
    assert dlg.isVisible()
    n = len({f.url for f in expected.feeds})
    assert area.last_import.added == n > 0
    assert dlg.summary.text().startswith(f"{n} feed(s) added, 0 already subscribed")
    assert len(area.services.feeds.list_feeds()) == n
    assert emitted == [None]  # the new feeds are fetched by a refresh
    folder_titles = {node.title for node in area.tree_model.nodes() if node.kind == "folder"}
    assert "France" in folder_titles
    dlg.accept()

    area._import_dialog = None
    area.import_opml(str(path))  # the same file again: all already there
    qtbot.waitUntil(lambda: area._import_dialog is not None, timeout=10000)
    again = area._import_dialog
    assert again.summary.text().startswith(f"0 feed(s) added, {n} already subscribed")
    from PySide6.QtWidgets import QPlainTextEdit
    text = again.findChild(QPlainTextEdit).toPlainText()
    assert "Already subscribed:" in text and expected.feeds[0].url.split("://")[1][:20] in text
    assert len(emitted) == 1  # nothing new: no refresh


def test_opml_import_summary_lists_skipped_entries(qtbot, area, tmp_path):
    opml = tmp_path / "mixed.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="Tech"><outline type="rss" text="Good" xmlUrl="https://good.example/feed"/></outline>'
        '<outline type="rss" text="Evil" xmlUrl="javascript:alert(1)"/>'
        '<outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>'
        '</body></opml>', encoding="utf-8")
    area.import_opml(str(opml))
    qtbot.waitUntil(lambda: getattr(area, "_import_dialog", None) is not None, timeout=10000)
    from PySide6.QtWidgets import QPlainTextEdit
    dlg = area._import_dialog
    assert dlg.summary.text().startswith("1 feed(s) added, 0 already subscribed, 2 skipped")
    text = dlg.findChild(QPlainTextEdit).toPlainText()
    assert "Skipped:" in text and "Evil" in text and "Local" in text
    assert list(feed_urls(area.services)) == ["https://good.example/feed"]


def test_opml_import_of_a_broken_file_warns(qtbot, area, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warnings.append(a[2])))
    bad = tmp_path / "bad.opml"
    bad.write_text("<html>not opml</html>")
    area.import_opml(str(bad))
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "could not be imported" in warnings[0]
    area.import_opml(str(tmp_path / "missing.opml"))
    assert "Cannot read" in warnings[1]


def test_opml_export_round_trips_feeds_and_folders(qtbot, area, tmp_path, monkeypatch):
    ids = populate(area.services.db_path, {"Press/France": [("lemonde", 1)], "": [("blog", 1)]})
    area.services.reader.update_feed(ids["blog"], title="My blog")
    area.reload_tree()
    messages = []
    area.statusMessage.connect(messages.append)
    out = tmp_path / "subs.opml"
    assert area.export_opml(str(out))
    doc = parse_opml(out.read_bytes())
    assert {(f.url, f.title, f.folder) for f in doc.feeds} == {
        ("http://127.0.0.1:9/lemonde.xml", "lemonde", ("Press", "France")),
        ("http://127.0.0.1:9/blog.xml", "My blog", ()),
    }
    assert messages == [f"2 feed(s) exported to {out}."]
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warnings.append(a[2])))
    assert not area.export_opml(str(tmp_path / "no" / "such" / "dir.opml"))
    assert warnings and "Cannot write" in warnings[0]


# -- properties ---------------------------------------------------------------------------------
def test_feed_properties_edit_everything(qtbot, area, feed_server, memory_keyring):
    feed_server.route("/p.xml", rss("Props", 2, extra=""))
    fid = area.services.feeds.add_feed(feed_server.url("/p.xml")).feed.id
    area.reload_tree()
    area.select_key(("feed", fid))
    dlg = area.feed_properties()
    assert isinstance(dlg, FeedPropertiesDialog) and dlg.isVisible()
    assert dlg.title.text() == "Props" and dlg.folder.currentText() == ""
    assert not dlg.load_images.isChecked() and not dlg.remove_login.isVisible()

    dlg.title.clear()
    qtbot.keyClicks(dlg.title, "Renamed")
    qtbot.keyClicks(dlg.folder.lineEdit(), "Clients/Acme")
    dlg.interval.setValue(45)
    dlg.keep_items.setValue(500)
    dlg.keep_days.setValue(30)
    click_box(qtbot, dlg.load_images)
    assert dlg.load_images.isChecked()
    qtbot.keyClicks(dlg.username, "bob")
    qtbot.keyClicks(dlg.password, "pw1")
    qtbot.mouseClick(dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()

    props = area.services.reader.feed_properties(fid)
    f = props.feed
    assert (f.title, props.folder_path, f.interval_s, f.keep_items, f.keep_days) == \
        ("Renamed", "Clients/Acme", 45 * 60, 500, 30)
    assert props.load_images and props.username == "bob"
    [secret] = memory_keyring.secrets.values()
    assert '"bob"' in secret and '"pw1"' in secret
    node = area.tree_model._by_key[("feed", fid)]  # the tree was reloaded
    assert node.title == "Renamed" and node.parent.title == "Acme"

    # Reopen: the dialog shows what was saved; the password field stays empty ("unchanged").
    dlg2 = area.feed_properties(fid)
    assert dlg2.title.text() == "Renamed" and dlg2.folder.currentText() == "Clients/Acme"
    assert dlg2.interval.value() == 45 and dlg2.keep_items.value() == 500 and dlg2.keep_days.value() == 30
    assert dlg2.load_images.isChecked() and dlg2.username.text() == "bob" and dlg2.password.text() == ""
    assert dlg2.remove_login.isVisible()
    assert not dlg2.remove_login.isChecked()
    dlg2.keep_items.setValue(0)  # back to "Default"
    assert dlg2.keep_items.text() == "Default"
    click_box(qtbot, dlg2.remove_login)
    click_box(qtbot, dlg2.load_images)
    dlg2._save()
    props = area.services.reader.feed_properties(fid)
    assert props.feed.keep_items is None and props.username is None and not props.feed.auth_ref
    assert memory_keyring.secrets == {} and not props.load_images


def test_feed_properties_password_change_keeps_the_user(qtbot, area, feed_server, memory_keyring):
    feed_server.route("/p.xml", rss("P", 1))
    fid = area.services.feeds.add_feed(feed_server.url("/p.xml"), username="ann", password="old").feed.id
    dlg = area.feed_properties(fid)
    assert dlg.username.text() == "ann" and dlg.password.placeholderText() == "unchanged"
    dlg._save()  # nothing typed: the password is kept
    assert ['"old"' in v for v in memory_keyring.secrets.values()] == [True]
    dlg = area.feed_properties(fid)
    qtbot.keyClicks(dlg.password, "new")
    dlg._save()
    assert ['"new"' in v and '"ann"' in v for v in memory_keyring.secrets.values()] == [True]
    area.services.refresh_feeds([fid])
    assert {h.get("authorization") for p, h in feed_server.requests if p == "/p.xml"} >= {
        "Basic " + base64.b64encode(b"ann:new").decode()}


def test_feed_load_images_flag_loads_images_in_the_reader(qtbot, area, feed_server):
    img = '&lt;p&gt;look &lt;img src="http://127.0.0.1:9/cat.png" alt="cat"&gt;&lt;/p&gt;'
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Pics</title><link>https://e.example/</link>'
            f'<item><title>pic</title><link>https://e.example/1</link><guid>p1</guid><description>{img}'
            '</description></item></channel></rss>')
    feed_server.route("/pics.xml", body)
    fid = area.services.feeds.add_feed(feed_server.url("/pics.xml")).feed.id
    area.reload_tree()
    area.select_key(("feed", fid))
    area.list.selectionModel().select(area.items.index(0, 1), area.list.selectionModel().SelectionFlag.ClearAndSelect
                                      | area.list.selectionModel().SelectionFlag.Rows)
    assert "[cat]" in area.view.browser.toPlainText() and not area.view.images_loaded
    dlg = area.feed_properties(fid)
    click_box(qtbot, dlg.load_images)
    dlg._save()
    area.select_key(("all", None))
    area.select_key(("feed", fid))
    area.list.selectionModel().select(area.items.index(0, 1), area.list.selectionModel().SelectionFlag.ClearAndSelect
                                      | area.list.selectionModel().SelectionFlag.Rows)
    assert area.view.images_loaded and "[cat]" not in area.view.browser.toPlainText()


# -- health and error badge ---------------------------------------------------------------------
def _failing_feed(area, feed_server, route):
    feed_server.route("/f.xml", rss("Flaky", 2))
    fid = area.services.feeds.add_feed(feed_server.url("/f.xml")).feed.id
    feed_server.route("/f.xml", **route)
    area.services.refresh_feeds([fid])
    area.on_refresh_finished(None)
    return fid


@pytest.mark.parametrize("route,code_text,detail", [
    (dict(status=500, body="boom", content_type="text/plain"), "HTTP error", "500"),
    (dict(body=b"<<<garbage \x00\x01 not xml", content_type="application/rss+xml"), None, None),
])
def test_failing_feed_shows_error_badge_tooltip_and_health(qtbot, area, feed_server, route, code_text, detail):
    fid = _failing_feed(area, feed_server, route)
    feed = area.services.reader.feed(fid)
    assert feed.status == FeedStatus.ERROR, feed
    idx = area.tree_model.index_for_key(("feed", fid))
    icon = area.tree_model.data(idx, Qt.ItemDataRole.DecorationRole)
    warning = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    assert icon.pixmap(16).toImage() == warning.pixmap(16).toImage()
    tip = area.tree_model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert "Error:" in tip and "Failed 1 time(s) in a row" in tip and feed.last_error in tip
    if code_text:
        assert code_text in tip and detail in tip

    area.select_key(("feed", fid))
    asked = []
    area.refreshRequested.connect(asked.append)
    dlg = area.feed_health()
    assert isinstance(dlg, FeedHealthDialog) and dlg.isVisible()
    status = dlg.status.text()
    assert "Status: Failing" in status and "Last error" in status and "1 in a row" in status
    assert dlg.table.rowCount() == 2
    outcomes = [dlg.table.item(r, 1).text() for r in range(2)]
    assert "Error" in outcomes and "OK" in outcomes
    err_row = outcomes.index("Error")
    assert dlg.table.item(err_row, 6).text() and dlg.table.item(err_row, 6).toolTip()
    if detail:
        assert dlg.table.item(err_row, 2).text() == "500"

    refresh_button = next(b for b in dlg.findChild(QDialogButtonBox).buttons() if b.text() == "Refresh this feed now")
    qtbot.mouseClick(refresh_button, Qt.MouseButton.LeftButton)
    assert asked == [(fid,)]
    feed_server.route("/f.xml", rss("Flaky", 3))
    area.services.refresh_feeds([fid])
    dlg.reload()
    assert "Status: Working" in dlg.status.text() and "Last error" not in dlg.status.text()
    assert dlg.table.rowCount() == 3


def test_health_of_a_new_feed(qtbot, area, feed_server):
    fid = area.services.feeds.subscribe(feed_server.url("/later.xml"), title="Later <img src=x> & co")
    area.reload_tree()
    dlg = area.feed_health(fid.id)
    assert "Not fetched yet" in dlg.status.text() and "Last fetch: never" in dlg.status.text()
    assert "Later &lt;img src=x&gt; &amp; co" in dlg.status.text()  # feed text is shown, not rendered
    assert dlg.table.rowCount() == 0
    props = area.feed_properties(fid.id)
    assert props.title.text() == "Later <img src=x> & co"


# -- keys in the search box -----------------------------------------------------------------------
@pytest.fixture
def reading(qtbot, area):
    area.ids = populate(area.services.db_path, {"": [("alpha", 30)]})
    area.reload_tree()
    area.select_key(("feed", area.ids["alpha"]))
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow, timeout=3000)  # shortcuts need an active window
    area.list.setFocus()
    qtbot.keyClick(area.list, Qt.Key.Key_N)  # open the first item
    assert area.current_item() is not None
    return area


def test_return_in_search_box_searches_and_does_not_open(qtbot, reading, opened):
    area = reading
    area.search.setFocus()
    qtbot.keyClicks(area.search, "word7")
    qtbot.keyClick(area.search, Qt.Key.Key_Return)
    # Searched at once (no need to wait for the typing timer) and nothing opened in a browser.
    titles = {area.items.item(r).title for r in range(area.items.rowCount())}
    assert titles == {"alpha item 7", "alpha item 17", "alpha item 27"}
    assert opened == []
    qtbot.keyClick(area.search, Qt.Key.Key_Enter)
    assert opened == []
    # In the list, Return still opens the selected item.
    area.list.setFocus()
    qtbot.keyClick(area.list, Qt.Key.Key_N)
    qtbot.keyClick(area.list, Qt.Key.Key_Return)
    assert opened == [area.current_item().url]


def test_reading_shortcuts_do_not_fire_while_typing_in_search(qtbot, reading, opened):
    area = reading
    it = area.current_item()
    before = area.reader.get_item(it.id)
    unread_before = area.reader.unread_count()
    area.search.setFocus()
    qtbot.keyClicks(area.search, "nmso i")
    qtbot.keyClick(area.search, Qt.Key.Key_Space)
    assert area.search.text() == "nmso i "
    after = area.reader.get_item(it.id)
    assert (after.read, after.starred) == (before.read, before.starred)
    assert area.reader.unread_count() == unread_before
    assert opened == [] and not area.view.images_loaded
    # The same keys in the list do act.
    area.search.clear()
    area._apply_scope()
    area.list.setFocus()
    qtbot.keyClick(area.list, Qt.Key.Key_N)
    cur = area.current_item()
    qtbot.keyClick(area.list, Qt.Key.Key_S)
    assert area.reader.get_item(cur.id).starred
    qtbot.keyClick(area.list, Qt.Key.Key_O)
    assert opened == [cur.url]
