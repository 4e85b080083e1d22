"""ReaderService: tree with counts, keyset item pages, reading state, feed properties."""

from __future__ import annotations

import pytest

from cmdesk.app import open_profile
from cmdesk.core.models import ParsedItem, PreparedItem
from cmdesk.net.credentials import CredentialStore
from cmdesk.services.reader import ItemScope, ReaderError
from cmdesk.services.refresh import RefreshOptions
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import FeedRepository
from cmdesk.store.items import ItemRepository


def populate(db_path, layout: dict[str, list[tuple[str, int]]], *, start: int = 1_750_000_000) -> dict[str, int]:
    """Store feeds and items directly: {folder path or "": [(feed title, n items)]} -> {title: feed id}.

    Item i of a feed is published at start + i*60 and titled "<feed> item <i>";
    its text mentions "word<i % 10>" so searches have something to find.
    """
    ids = {}
    conn = connect(db_path)
    try:
        feeds, items = FeedRepository(conn), ItemRepository(conn)
        with write_transaction(conn):
            for folder, entries in layout.items():
                folder_id = feeds.ensure_folder_path(folder.split("/")) if folder else None
                for title, n in entries:
                    f = feeds.add_feed(f"http://127.0.0.1:9/{title}.xml", title=title, folder_id=folder_id, now=0)
                    ids[title] = f.id
                    prepared = [
                        PreparedItem(f"{title}-{i}", ParsedItem(
                            guid=f"{title}-{i}", url=f"https://example.com/{title}/{i}", title=f"{title} item {i}",
                            author="Alice", summary=f"<p>Text of {title} {i} word{i % 10}</p>", content="",
                            published_at=start + i * 60), f"{title} item {i} Text of {title} {i} word{i % 10}")
                        for i in range(n)
                    ]
                    items.insert_new(f.id, prepared, now=start + n * 60)
    finally:
        conn.close()
    return ids


@pytest.fixture
def svc(profile_dir, memory_keyring):
    s = open_profile(profile_dir, options=RefreshOptions(parse_workers=0), credentials=CredentialStore(memory_keyring))
    return s


def test_tree_counts_folders_and_virtual_totals(svc):
    ids = populate(svc.db_path, {"Tech/News": [("alpha", 5)], "": [("beta", 3)], "Tech": [("gamma", 0)]})
    svc.reader.set_read([svc.reader.items_page(ItemScope(feed_ids=(ids["alpha"],))).items[0].id])
    svc.reader.set_starred(svc.reader.items_page(ItemScope(feed_ids=(ids["beta"],))).items[0].id)
    tree = svc.reader.tree()
    by = {l.feed.title: l for l in tree.feeds}
    assert (by["alpha"].items, by["alpha"].unread) == (5, 4)
    assert by["alpha"].folder_path == "Tech/News"
    assert tree.total_items == 8 and tree.total_unread == 7
    assert (tree.starred, tree.starred_unread) == (1, 1)
    tech = next(f.id for f in tree.folders if f.name == "Tech")
    assert set(tree.feed_ids_under(tech)) == {ids["alpha"], ids["gamma"]}
    assert svc.reader.folder_names() == ["Tech", "Tech/News"]


def test_keyset_pages_cover_everything_once_newest_first(svc):
    ids = populate(svc.db_path, {"": [("a", 250), ("b", 120)]})
    seen, cursor, pages = [], None, 0
    while True:
        page = svc.reader.items_page(ItemScope(), after=cursor, limit=100)
        seen += [i.id for i in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 4 and len(seen) == 370 and len(set(seen)) == 370
    one = svc.reader.items_page(ItemScope(feed_ids=(ids["b"],)), limit=1000)
    assert len(one.items) == 120 and one.next_cursor is None
    times = [svc.reader.get_item(i).published_at for i in seen[:5]]
    assert times == sorted(times, reverse=True)
    # headers only in pages; the whole item from get_item
    assert one.items[0].summary == "" and "Text of b" in svc.reader.get_item(one.items[0].id).summary


def test_search_starred_unread_scopes(svc):
    ids = populate(svc.db_path, {"": [("a", 30), ("b", 30)]})
    hits = svc.reader.items_page(ItemScope(query="word3"))
    assert len(hits.items) == 6
    assert {i.title for i in svc.reader.items_page(ItemScope(feed_ids=(ids["a"],), query="word3")).items} == {
        "a item 3", "a item 13", "a item 23"}
    assert svc.reader.items_page(ItemScope(query='"unbalanced')).items == ()  # never a syntax error
    target = hits.items[0].id
    svc.reader.set_starred(target)
    assert [i.id for i in svc.reader.items_page(ItemScope(starred=True)).items] == [target]
    svc.reader.set_read([target])
    assert target not in {i.id for i in svc.reader.items_page(ItemScope(unread_only=True), limit=100).items}
    svc.reader.set_read([target], False)
    assert svc.reader.get_item(target).read is False


def test_mark_all_read_feed_folder_until(svc):
    ids = populate(svc.db_path, {"F": [("a", 10), ("b", 10)], "": [("c", 10)]})
    tree = svc.reader.tree()
    folder = tree.folders[0].id
    newest_a = svc.reader.items_page(ItemScope(feed_ids=(ids["a"],))).items[3].id  # "seen" up to the 4th newest
    assert svc.reader.mark_all_read(ItemScope(feed_ids=(ids["a"],)), until_id=newest_a) == 7
    assert svc.reader.unread_count([ids["a"]]) == 3
    assert svc.reader.mark_all_read(ItemScope(feed_ids=tree.feed_ids_under(folder))) == 13
    assert svc.reader.unread_count() == 10
    assert svc.reader.mark_all_read(ItemScope()) == 10


def test_feed_properties_round_trip_with_credentials(svc, memory_keyring):
    ids = populate(svc.db_path, {"": [("a", 1)]})
    fid = ids["a"]
    svc.reader.update_feed(fid, title="Renamed", folder="Work/Press", interval_s=900, keep_items=50, keep_days=None,
                           load_images=True, credentials=("bob", "s3cret"))
    p = svc.reader.feed_properties(fid)
    assert (p.feed.title, p.folder_path, p.feed.interval_s, p.feed.keep_items) == ("Renamed", "Work/Press", 900, 50)
    assert p.load_images is True and p.username == "bob"
    assert "s3cret" not in str(p)  # the password never leaves the keyring in a model
    ref = p.feed.auth_ref
    assert ("cmdesk", ref) in memory_keyring.secrets
    svc.reader.update_feed(fid, folder="", load_images=False, credentials=None, keep_items=None)
    p = svc.reader.feed_properties(fid)
    assert (p.folder_path, p.load_images, p.username, p.feed.auth_ref, p.feed.keep_items) == ("", False, None, None,
                                                                                             None)
    assert ("cmdesk", ref) not in memory_keyring.secrets
    with pytest.raises(ReaderError):
        svc.reader.update_feed(fid, interval_s=5)
    with pytest.raises(ReaderError):
        svc.reader.feed_properties(9999)


def test_feed_health_and_enable(svc, feed_server):
    feed_server.route("/broken.xml", status=500, body="oops", content_type="text/plain")
    svc.feeds.subscribe(feed_server.url("/broken.xml"))
    fid = svc.reader.tree().feeds[0].feed.id
    svc.refresh_feeds()
    health = svc.reader.feed_health(fid)
    assert health.feed.error_count == 1 and "500" in health.feed.last_error
    assert len(health.log) == 1 and health.log[0].http_status == 500
    assert svc.reader.set_feed_enabled(fid, False).disabled
    assert not svc.reader.set_feed_enabled(fid, True).disabled
