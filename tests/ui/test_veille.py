"""Veille: models checked with qtmodeltester, reading flows, link policy, sanitizer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QDesktopServices

from cmdesk.services.reader import ItemScope
from cmdesk.ui.veille.area import VeilleArea
from cmdesk.ui.veille.models import FeedTreeModel, ItemListModel
from cmdesk.ui.veille.sanitize import sanitize_html
from cmdesk.ui.widgets.links import open_external_link
from tests.services.test_reader import populate


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url.toString()) or True))
    return urls


@pytest.fixture
def area(qtbot, ui_services):
    ids = populate(ui_services.db_path, {"Tech/News": [("alpha", 30)], "": [("beta", 5)]})
    a = VeilleArea(ui_services)
    a.resize(1200, 700)
    qtbot.addWidget(a)
    a.show()
    a.ids = ids
    return a


def test_tree_model_passes_modeltester(qtbot, qtmodeltester, ui_services):
    populate(ui_services.db_path, {"A/B": [("x", 3)], "A": [("y", 2)], "": [("z", 1)]})
    model = FeedTreeModel()
    model.reload(ui_services.reader.tree())
    qtmodeltester.check(model)
    titles = [n.title for n in model.nodes()]
    assert titles[:2] == ["All items", "Starred"] and "B" in titles and "z" in titles
    model.reload(ui_services.reader.tree())  # same shape: in place
    qtmodeltester.check(model)


def test_lazy_item_model_fetches_pages(qtbot, qtmodeltester, ui_services):
    populate(ui_services.db_path, {"": [("big", 1050)]})
    model = ItemListModel(ui_services.reader)
    model.set_scope(ItemScope())
    assert model.rowCount() == ItemListModel.PAGE and model.canFetchMore()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 1050
    assert len({model.item(r).id for r in range(1050)}) == 1050


def test_open_item_marks_read_and_updates_counts(qtbot, area):
    assert area.select_key(("feed", area.ids["alpha"]))
    assert area.items.rowCount() == 30
    node = area.tree_model._by_key[("feed", area.ids["alpha"])]
    assert node.unread == 30
    area.list.setFocus()
    qtbot.keyClick(area.list, Qt.Key.Key_N)
    it = area.current_item()
    assert it is not None and it.read
    assert area.reader.get_item(it.id).read
    assert node.unread == 29 and area.tree_model._by_key[("all", None)].unread == 34
    assert area.view.item.id == it.id and "Text of alpha" in area.view.browser.toPlainText()
    qtbot.keyClick(area.list, Qt.Key.Key_M)  # toggle back to unread
    assert not area.reader.get_item(it.id).read and node.unread == 30
    qtbot.keyClick(area.list, Qt.Key.Key_S)
    assert area.reader.get_item(it.id).starred
    assert area.tree_model._by_key[("starred", None)].total == 1


def test_focus_alone_does_not_mark_read(qtbot, area):
    area.select_key(("feed", area.ids["beta"]))
    area.list.setFocus()
    qtbot.wait(10)
    assert area.reader.unread_count([area.ids["beta"]]) == 5


def test_next_unread_moves_to_next_feed(qtbot, area):
    area.select_key(("feed", area.ids["beta"]))
    for _ in range(5):
        assert area.next_unread()
    assert area.reader.unread_count([area.ids["beta"]]) == 0
    assert area.next_unread()  # on to alpha
    assert area.current_key() == ("feed", area.ids["alpha"])


def test_mark_all_read_in_folder(qtbot, area):
    folder = next(n for n in area.tree_model.nodes() if n.kind == "folder" and n.title == "Tech")
    area.select_key(folder.key)
    area.mark_all_read()
    assert area.reader.unread_count([area.ids["alpha"]]) == 0
    assert area.reader.unread_count([area.ids["beta"]]) == 5
    assert area.tree_model._by_key[folder.key].unread == 0
    assert not any(not it.read for it in area.items.items)


def test_search_narrows_the_list(qtbot, area):
    area.select_key(("all", None))
    area.search.setText("word7")
    area._apply_scope()
    titles = {area.items.item(r).title for r in range(area.items.rowCount())}
    assert titles == {"alpha item 7", "alpha item 17", "alpha item 27"}
    area.search.setText('"no such thing')
    area._apply_scope()
    assert area.items.rowCount() == 0 and area.empty_label.isVisibleTo(area)


def test_new_items_appear_during_refresh(qtbot, area, feed_server):
    from tests.support.feedserver import rss

    feed_server.route("/new.xml", rss("fresh", 4))
    fid = area.services.feeds.subscribe(feed_server.url("/new.xml"), title="fresh").id
    summary = area.services.refresh_feeds([fid])
    for r in summary.results:
        area.on_refresh_progress(r)
    qtbot.waitUntil(lambda: ("feed", fid) in area.tree_model._by_key, timeout=3000)
    assert area.tree_model._by_key[("feed", fid)].unread == 4
    assert area.items.rowCount() == 39  # "All items" was selected: the new ones are listed


def test_link_policy_refuses_javascript(qtbot, opened):
    assert not open_external_link("javascript:alert(1)")
    assert not open_external_link(QUrl("file:///etc/passwd"))
    assert not open_external_link("data:text/html,hi")
    assert open_external_link("https://example.com/a")
    assert open_external_link("mailto:someone@example.com")
    assert opened == ["https://example.com/a", "mailto:someone@example.com"]


def test_reader_view_links_go_through_policy(qtbot, area, opened):
    refused = []
    area.view.browser.linkRefused.connect(refused.append)
    area.view.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    area.view.browser.anchorClicked.emit(QUrl("https://example.org/"))
    assert opened == ["https://example.org/"] and refused == ["javascript:alert(1)"]


def test_sanitizer_strips_active_content():
    dirty = ('<p onclick="x()" style="color:red">Hi <b>there</b></p><script>alert(1)</script>'
             '<iframe src="https://evil"></iframe><form action="/x"><input name=a></form>'
             '<a href="javascript:alert(1)">bad</a> <a href=" java\nscript:alert(1)">bad2</a>'
             '<a href="/rel" onmouseover="x()">ok</a><style>p{}</style><img src="https://img/x.png" alt="pic">'
             '<svg><script>alert(2)</script></svg><object data="x"></object>tail')
    out = sanitize_html(dirty, base_url="https://site.example/post/1")
    h = out.html
    for bad in ("script", "iframe", "form", "input", "onclick", "onmouseover", "style", "javascript", "svg",
                "object", "<img"):
        assert bad not in h.lower(), bad
    assert '<a href="https://site.example/rel">ok</a>' in h
    assert "<b>there</b>" in h and "tail" in h and "[pic]" in h
    assert out.image_urls == ("https://img/x.png",) and out.blocked_images == 1
    loaded = sanitize_html(dirty, load_images=True)
    assert '<img src="https://img/x.png"' in loaded.html
    assert sanitize_html("<p>unclosed <b>bold").html == "<p>unclosed <b>bold</b></p>"


def test_images_not_loaded_until_asked(qtbot, area):
    from cmdesk.core.models import Item

    item = Item(id=999999, feed_id=area.ids["beta"], guid_hash="x", url="https://e.example/1", title="pic",
                author="", summary='<p>look <img src="https://127.0.0.1:9/p.png" alt="cat"></p>', content="",
                text="", published_at=1, fetched_at=1)
    area.view.show_item(item)
    assert "[cat]" in area.view.browser.toPlainText()
    assert area.view.images_button.isVisibleTo(area.view)
    area.view.load_images()
    assert area.view.images_loaded and "[cat]" not in area.view.browser.toPlainText()


def test_untitled_posts_show_the_start_of_their_text_in_the_list(qtbot, tmp_path, feed_server):
    from cmdesk.app import open_profile
    from cmdesk.ui.veille.models import ItemListModel
    from cmdesk.services.reader import ItemScope

    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>toots</title><link>https://m.example/</link>'
            '<item><guid>1</guid><description>&lt;p&gt;Packing for Iceland with the offline maps&lt;/p&gt;'
            '</description></item></channel></rss>')
    feed_server.route("/toots.xml", body)
    services = open_profile(tmp_path / "p")
    services.feeds.subscribe(feed_server.url("/toots.xml"))
    services.refresh_feeds()
    model = ItemListModel(services.reader)
    model.set_scope(ItemScope())
    title = model.data(model.index(0, ItemListModel.COL_TITLE))
    assert title.startswith("Packing for Iceland with the offline maps")
