"""Folders, feeds, fetch results, the fetch log, host back-off and cascades."""

from __future__ import annotations

import sqlite3

import pytest

from cmdesk.core.models import FeedStatus, FetchLogEntry, ParsedItem, PreparedItem
from cmdesk.store.database import write_transaction
from cmdesk.store.feeds import FETCH_LOG_KEEP, DuplicateFeedError, FeedRepository
from cmdesk.store.items import ItemRepository

NOW = 1_780_000_000


def prep(guid: str, published: int | None = None) -> PreparedItem:
    parsed = ParsedItem(guid=guid, url=None, title=f"title {guid}", author="", summary="", content="",
                        published_at=published)
    return PreparedItem(guid_hash=f"hash-{guid}", parsed=parsed, text=f"title {guid}")


def log_entry(feed_id: int, at: int, outcome: str = "ok") -> FetchLogEntry:
    return FetchLogEntry(feed_id=feed_id, at=at, outcome=outcome, http_status=200, duration_ms=12, bytes=345,
                         new_items=0, error=None)


@pytest.fixture
def repo(conn):
    return FeedRepository(conn)


# -- folders -------------------------------------------------------------------

def test_ensure_folder_path_creates_nested_folders_once(repo):
    news = repo.ensure_folder_path(["Tech", "News"])
    assert news is not None
    assert repo.ensure_folder_path(["Tech", "News"]) == news  # idempotent
    assert repo.ensure_folder_path(["  Tech ", "News  "]) == news  # names are trimmed
    folders = {f.id: f for f in repo.list_folders()}
    assert len(folders) == 2
    tech = folders[news].parent_id
    assert folders[tech].name == "Tech" and folders[tech].parent_id is None
    assert repo.ensure_folder_path(["Tech"]) == tech


def test_same_name_under_different_parents(repo):
    tech_news = repo.ensure_folder_path(["Tech", "News"])
    sport_news = repo.ensure_folder_path(["Sport", "News"])
    top_news = repo.ensure_folder_path(["News"])
    assert len({tech_news, sport_news, top_news}) == 3
    assert len(repo.list_folders()) == 5


def test_top_level_names_are_unique(conn, repo):
    repo.ensure_folder_path(["Tech"])
    # NULL parents are distinct in a plain UNIQUE: the partial index must catch this
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO folders(name, parent_id) VALUES ('Tech', NULL)")
    parent = repo.ensure_folder_path(["Tech"])
    repo.ensure_folder_path(["Tech", "Child"])
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO folders(name, parent_id) VALUES ('Child', ?)", (parent,))


def test_empty_path_is_top_level(repo):
    assert repo.ensure_folder_path([]) is None
    assert repo.ensure_folder_path(["", "  "]) is None
    assert repo.list_folders() == []


def test_folder_paths(repo):
    deep = repo.ensure_folder_path(["A", "B", "C"])
    other = repo.ensure_folder_path(["Z"])
    paths = repo.folder_paths()
    assert paths[deep] == ("A", "B", "C")
    assert paths[other] == ("Z",)
    assert sorted(paths.values()) == [("A",), ("A", "B"), ("A", "B", "C"), ("Z",)]


def test_deleting_a_folder_moves_its_feeds_to_the_top(conn, repo):
    folder = repo.ensure_folder_path(["Gone"])
    feed = repo.add_feed("https://example.com/feed", folder_id=folder, now=NOW)
    conn.execute("DELETE FROM folders WHERE id = ?", (folder,))
    assert repo.get_feed(feed.id).folder_id is None


# -- feeds --------------------------------------------------------------------------

def test_add_feed_and_read_back(repo):
    feed = repo.add_feed("https://example.com/feed", title="Example", site_url="https://example.com/",
                         auth_ref="feed-abc", now=NOW)
    assert feed.url == "https://example.com/feed"
    assert feed.title == "Example"
    assert feed.auth_ref == "feed-abc"
    assert feed.created_at == NOW and feed.next_due_at == NOW
    assert feed.status is FeedStatus.NEW
    assert repo.find_by_url("https://example.com/feed") == feed
    assert repo.find_by_url("https://example.com/other") is None


def test_add_duplicate_feed_raises(repo):
    first = repo.add_feed("https://example.com/feed", now=NOW)
    with pytest.raises(DuplicateFeedError) as info:
        repo.add_feed("https://example.com/feed", title="again", now=NOW + 1)
    assert info.value.feed_id == first.id
    assert info.value.url == "https://example.com/feed"
    assert len(repo.list_feeds()) == 1


def test_list_listings_counts_and_sorts(conn, repo):
    items = ItemRepository(conn)
    tech = repo.ensure_folder_path(["tech"])
    news = repo.ensure_folder_path(["tech", "News"])
    a = repo.add_feed("https://a.example/feed", title="zeta", folder_id=tech, now=NOW)
    b = repo.add_feed("https://b.example/feed", title="Alpha", folder_id=tech, now=NOW)
    c = repo.add_feed("https://c.example/feed", title="", now=NOW)  # top level, untitled: sorts by URL
    d = repo.add_feed("https://d.example/feed", title="beta", folder_id=news, now=NOW)
    e = repo.add_feed("https://e.example/feed", title="Top", now=NOW)

    ids = items.insert_new(a.id, [prep("1"), prep("2"), prep("3")], NOW)
    items.set_read(ids[:2])
    items.insert_new(d.id, [prep("x")], NOW)

    listings = repo.list_listings()
    assert [l.feed.id for l in listings] == [c.id, e.id, b.id, a.id, d.id]
    by_id = {l.feed.id: l for l in listings}
    assert by_id[a.id].folder_path == "tech"
    assert by_id[d.id].folder_path == "tech/News"
    assert by_id[c.id].folder_path == ""
    assert (by_id[a.id].items, by_id[a.id].unread) == (3, 1)
    assert (by_id[d.id].items, by_id[d.id].unread) == (1, 1)
    assert (by_id[b.id].items, by_id[b.id].unread) == (0, 0)

    assert items.mark_feed_read(a.id) == 1
    assert {l.feed.id: l.unread for l in repo.list_listings()}[a.id] == 0


def test_set_feed_fields_refuses_unknown_fields(repo):
    feed = repo.add_feed("https://example.com/feed", now=NOW)
    repo.set_feed_fields(feed.id, title="Renamed", keep_items=10)
    assert repo.get_feed(feed.id).title == "Renamed"
    assert repo.get_feed(feed.id).keep_items == 10
    with pytest.raises(ValueError):
        repo.set_feed_fields(feed.id, url="https://evil.example/", title="x")
    assert repo.get_feed(feed.id).url == "https://example.com/feed"
    assert repo.get_feed(feed.id).title == "Renamed"


def test_error_then_success_status(repo):
    feed = repo.add_feed("https://example.com/feed", now=NOW)
    repo.record_error(feed.id, now=NOW, next_due_at=NOW + 600, code="timeout", message="no answer")
    f = repo.get_feed(feed.id)
    assert f.status is FeedStatus.ERROR
    assert (f.error_count, f.last_error_code, f.last_error) == (1, "timeout", "no answer")
    assert f.next_due_at == NOW + 600 and f.last_fetch_at == NOW
    repo.record_error(feed.id, now=NOW + 600, next_due_at=NOW + 1800, code="network", message="refused")
    f = repo.get_feed(feed.id)
    assert f.error_count == 2 and f.last_error_code == "network"
    assert f.last_ok_at is None

    repo.record_success(feed.id, now=NOW + 1800, next_due_at=NOW + 5400, etag='"v1"', last_modified="lm",
                        content_hash="h1", title="From the feed", site_url="https://example.com/")
    f = repo.get_feed(feed.id)
    assert f.status is FeedStatus.OK
    assert (f.error_count, f.last_error, f.last_error_code) == (0, None, None)
    assert (f.etag, f.last_modified, f.content_hash) == ('"v1"', "lm", "h1")
    assert f.title == "From the feed"  # an empty title is filled from the feed
    assert f.last_ok_at == NOW + 1800


def test_record_success_keeps_validators_and_user_title(repo):
    feed = repo.add_feed("https://example.com/feed", title="My name for it", now=NOW)
    repo.record_success(feed.id, now=NOW, next_due_at=NOW + 60, etag='"e"', last_modified="lm", content_hash="h")
    # a 304 brings no validators: the old ones are kept
    repo.record_success(feed.id, now=NOW + 60, next_due_at=NOW + 120, etag=None, last_modified=None,
                        content_hash=None, title="Feed's own title")
    f = repo.get_feed(feed.id)
    assert (f.etag, f.last_modified, f.content_hash) == ('"e"', "lm", "h")
    assert f.title == "My name for it"


def test_disable_gives_disabled_status(repo):
    feed = repo.add_feed("https://example.com/feed", now=NOW)
    repo.disable(feed.id, reason="410 Gone", now=NOW)
    f = repo.get_feed(feed.id)
    assert f.status is FeedStatus.DISABLED
    assert f.disabled_reason == "410 Gone"
    assert [x.id for x in repo.list_feeds(include_disabled=False)] == []
    assert [x.id for x in repo.list_feeds()] == [feed.id]


def test_move_url(repo):
    feed = repo.add_feed("https://old.example/feed", now=NOW)
    other = repo.add_feed("https://taken.example/feed", now=NOW)
    repo.record_success(feed.id, now=NOW, next_due_at=NOW, etag='"e"', last_modified="lm", content_hash=None)

    assert repo.move_url(feed.id, "https://taken.example/feed") is False
    assert repo.get_feed(feed.id).url == "https://old.example/feed"
    assert repo.get_feed(feed.id).etag == '"e"'
    assert repo.get_feed(other.id).url == "https://taken.example/feed"

    assert repo.move_url(feed.id, "https://new.example/feed") is True
    f = repo.get_feed(feed.id)
    assert f.url == "https://new.example/feed"
    assert (f.etag, f.last_modified) == (None, None)  # validators belonged to the old URL
    assert repo.find_by_url("https://old.example/feed") is None


def test_defer_never_brings_the_due_date_forward(repo):
    feed = repo.add_feed("https://example.com/feed", now=NOW)
    repo.defer(feed.id, NOW + 3600)
    assert repo.get_feed(feed.id).next_due_at == NOW + 3600
    repo.defer(feed.id, NOW + 60)
    assert repo.get_feed(feed.id).next_due_at == NOW + 3600


# -- fetch log ------------------------------------------------------------------------

def test_fetch_log_keeps_only_the_newest_per_feed(conn, repo):
    feed = repo.add_feed("https://example.com/feed", now=NOW)
    other = repo.add_feed("https://other.example/feed", now=NOW)
    for i in range(5):
        repo.log_fetch(log_entry(other.id, NOW + i))
    # logged out of time order, more than the cap
    order = list(range(FETCH_LOG_KEEP + 15))
    order = order[::2] + order[1::2]
    for i in order:
        repo.log_fetch(log_entry(feed.id, NOW + i, outcome=f"o{i}"))

    log = repo.fetch_log(feed.id)
    assert len(log) == FETCH_LOG_KEEP == 50
    assert [e.at for e in log] == [NOW + i for i in range(FETCH_LOG_KEEP + 14, 14, -1)]
    assert log[0] == log_entry(feed.id, NOW + FETCH_LOG_KEEP + 14, outcome=f"o{FETCH_LOG_KEEP + 14}")
    assert conn.execute("SELECT count(*) FROM fetch_log WHERE feed_id = ?", (feed.id,)).fetchone()[0] == 50
    assert len(repo.fetch_log(other.id)) == 5
    assert len(repo.fetch_log(feed.id, limit=3)) == 3


# -- host back-off ------------------------------------------------------------------

def test_host_backoff_set_max_and_expire(repo):
    repo.set_host_backoff("slow.example", NOW + 600)
    repo.set_host_backoff("slow.example", NOW + 60)  # a shorter wait does not shorten it
    repo.set_host_backoff("brief.example", NOW + 10)
    assert repo.host_backoffs(NOW) == {"slow.example": NOW + 600, "brief.example": NOW + 10}
    repo.set_host_backoff("slow.example", NOW + 900)
    assert repo.host_backoffs(NOW)["slow.example"] == NOW + 900

    assert repo.host_backoffs(NOW + 10) == {"slow.example": NOW + 900}  # until_at is exclusive
    repo.clear_expired_backoffs(NOW + 10)
    assert repo.host_backoffs(0) == {"slow.example": NOW + 900}
    repo.clear_expired_backoffs(NOW + 10_000)
    assert repo.host_backoffs(0) == {}


def test_settings_upsert(repo):
    assert repo.get_setting("theme") is None
    repo.set_setting("theme", "dark")
    repo.set_setting("theme", "light")
    assert repo.get_setting("theme") == "light"


# -- cascades -------------------------------------------------------------------------

def test_deleting_a_feed_cascades(conn, repo):
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    items = ItemRepository(conn)
    feed = repo.add_feed("https://example.com/feed", now=NOW)
    keep = repo.add_feed("https://keep.example/feed", now=NOW)
    for fid in (feed.id, keep.id):
        items.insert_new(fid, [prep(str(i), published=NOW - i * 86_400) for i in range(4)], NOW)
        items.apply_retention(fid, keep_items=2, keep_days=None, now=NOW)
        repo.log_fetch(log_entry(fid, NOW))

    def counts(fid):
        return tuple(conn.execute(f"SELECT count(*) FROM {t} WHERE feed_id = ?", (fid,)).fetchone()[0]
                     for t in ("items", "tombstones", "fetch_log"))

    assert counts(feed.id) == (2, 2, 1)
    with write_transaction(conn):
        assert repo.delete_feed(feed.id) is True
    assert counts(feed.id) == (0, 0, 0)
    assert counts(keep.id) == (2, 2, 1)
    assert repo.get_feed(feed.id) is None
    assert repo.delete_feed(feed.id) is False
    conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")


def test_write_transaction_rolls_back_on_error(conn, repo):
    with pytest.raises(RuntimeError):
        with write_transaction(conn):
            repo.add_feed("https://example.com/feed", now=NOW)
            raise RuntimeError("boom")
    assert repo.list_feeds() == []
    assert not conn.in_transaction
