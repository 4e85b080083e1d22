"""Items: only new keys stored, tombstones, retention, full-text search kept in sync."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdesk.core.models import ParsedItem, PreparedItem
from cmdesk.store.database import write_transaction
from cmdesk.store.feeds import FeedRepository
from cmdesk.store.items import ItemRepository, fts_query

NOW = 1_780_000_000  # a fixed "now" (2026)
DAY = 86_400


def prep(guid: str, title: str = "", *, author: str = "", text: str | None = None,
         published: int | None = None, url: str | None = None) -> PreparedItem:
    title = title or f"item {guid}"
    parsed = ParsedItem(guid=guid, url=url or f"https://example.com/{guid}", title=title, author=author,
                        summary=f"<p>{title}</p>", content="", published_at=published)
    return PreparedItem(guid_hash=f"hash-{guid}", parsed=parsed, text=text if text is not None else title)


@pytest.fixture
def feeds(conn):
    return FeedRepository(conn)


@pytest.fixture
def items(conn):
    return ItemRepository(conn)


@pytest.fixture
def feed_id(feeds):
    return feeds.add_feed("https://example.com/feed", title="Example", now=NOW).id


def fts_integrity(conn: sqlite3.Connection) -> None:
    """Raises if the FTS index disagrees with the items table."""
    conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")


def guids(found) -> list[str]:
    return [i.guid_hash.removeprefix("hash-") for i in found]


# -- storing only new items ----------------------------------------------------

def test_insert_new_stores_each_key_once(items, feed_id):
    ids = items.insert_new(feed_id, [prep("a"), prep("a", "same key, other title"), prep("b")], NOW)
    assert len(ids) == 2
    assert items.count_for_feed(feed_id) == 2
    stored = {i.guid_hash: i for i in items.list_for_feed(feed_id)}
    assert stored["hash-a"].title == "item a"  # the first one wins
    assert stored["hash-a"].fetched_at == NOW
    assert not stored["hash-a"].read and not stored["hash-a"].starred


def test_second_insert_of_same_items_adds_nothing(items, feed_id):
    batch = [prep("a"), prep("b"), prep("c")]
    first = items.insert_new(feed_id, batch, NOW)
    assert len(first) == 3
    assert items.insert_new(feed_id, batch, NOW + 60) == []
    assert items.insert_new(feed_id, batch + [prep("d")], NOW + 120) != []
    assert items.count_for_feed(feed_id) == 4
    assert items.insert_new(feed_id, [], NOW) == []


def test_same_key_in_two_feeds_is_two_items(items, feeds, feed_id):
    other = feeds.add_feed("https://other.example/feed", now=NOW).id
    assert len(items.insert_new(feed_id, [prep("a")], NOW)) == 1
    assert len(items.insert_new(other, [prep("a")], NOW)) == 1
    assert items.count_all() == 2


def test_ids_are_returned_in_item_order_and_indexed_across_insert_chunks(conn, items, feed_id):
    batch = [prep(f"g{i}", f"zebra number {i}") for i in range(150)]  # several multi-row INSERTs
    ids = items.insert_new(feed_id, batch, NOW)
    assert len(ids) == 150
    assert [items.get(i).guid_hash for i in ids] == [p.guid_hash for p in batch]
    fts_integrity(conn)
    assert len(items.search("zebra", limit=500)) == 150


def test_ids_stay_right_when_sqlite_picks_random_rowids(conn, items, feed_id):
    # Once the largest rowid is taken, SQLite picks new rowids at random: the
    # insert must then read the ids back instead of counting on max(id) + 1.
    conn.execute("INSERT INTO items(id, feed_id, guid_hash, fetched_at, sort_at) VALUES (?, ?, 'top', 0, 0)",
                 (2**63 - 1, feed_id))
    conn.execute("INSERT INTO items_fts(rowid, title, author, text) VALUES (?, '', '', '')", (2**63 - 1,))
    batch = [prep(f"r{i}", f"quokka {i}") for i in range(5)]
    ids = items.insert_new(feed_id, batch, NOW)
    assert len(set(ids)) == 5
    assert [items.get(i).guid_hash for i in ids] == [p.guid_hash for p in batch]
    assert sorted(i.id for i in items.search("quokka")) == sorted(ids)
    conn.execute("DELETE FROM items WHERE guid_hash = 'top'")
    fts_integrity(conn)


def test_retention_skips_feeds_within_their_limits_and_still_purges_beyond(items, feed_id):
    items.insert_new(feed_id, [prep(f"k{i}", published=NOW - i * DAY) for i in range(3)], NOW)
    assert items.apply_retention(feed_id, keep_items=3, keep_days=5, now=NOW) == 0
    assert items.apply_retention(feed_id, keep_items=2, keep_days=None, now=NOW) == 1
    assert items.apply_retention(feed_id, keep_items=None, keep_days=1, now=NOW + 60) == 1
    assert guids(items.list_for_feed(feed_id)) == ["k0"]


def test_known_keys_works_beyond_one_chunk(items, feed_id):
    batch = [prep(f"g{i}") for i in range(600)]
    assert len(items.insert_new(feed_id, batch, NOW)) == 600
    assert items.known_keys(feed_id, [p.guid_hash for p in batch] + ["hash-new"]) == {p.guid_hash for p in batch}
    assert items.insert_new(feed_id, batch, NOW) == []


# -- retention and tombstones -----------------------------------------------------

def test_purged_items_do_not_come_back(conn, items, feed_id):
    batch = [prep(f"g{i}", published=NOW - i * 3600) for i in range(5)]
    items.insert_new(feed_id, batch, NOW)
    assert items.apply_retention(feed_id, keep_items=2, keep_days=None, now=NOW) == 3
    assert conn.execute("SELECT count(*) FROM tombstones WHERE feed_id = ?", (feed_id,)).fetchone()[0] == 3

    # the feed still lists all five: the purged three stay purged
    assert items.insert_new(feed_id, batch, NOW + 60) == []
    assert sorted(guids(items.list_for_feed(feed_id))) == ["g0", "g1"]
    # a genuinely new item still gets in
    assert len(items.insert_new(feed_id, batch + [prep("g9", published=NOW + 30)], NOW + 60)) == 1


def test_keep_items_keeps_the_newest_by_sort_date(items, feed_id):
    # inserted out of date order, in two batches, one undated
    items.insert_new(feed_id, [prep("mid", published=NOW - 2 * DAY), prep("old", published=NOW - 9 * DAY),
                               prep("undated", published=None)], NOW - DAY)
    items.insert_new(feed_id, [prep("new", published=NOW - 60), prep("older", published=NOW - 5 * DAY)], NOW)
    # the undated item sorts by its fetch time (NOW - 1 day): between "new" and "mid"
    assert guids(items.list_for_feed(feed_id)) == ["new", "undated", "mid", "older", "old"]
    assert items.apply_retention(feed_id, keep_items=3, keep_days=None, now=NOW) == 2
    assert guids(items.list_for_feed(feed_id)) == ["new", "undated", "mid"]


def test_keep_days_drops_older_items(items, feed_id):
    items.insert_new(feed_id, [prep("d10", published=NOW - 10 * DAY), prep("d6", published=NOW - 6 * DAY),
                               prep("h1", published=NOW - 3600)], NOW)
    assert items.apply_retention(feed_id, keep_items=None, keep_days=7, now=NOW) == 1
    assert guids(items.list_for_feed(feed_id)) == ["h1", "d6"]
    # nothing to do when neither limit is set
    assert items.apply_retention(feed_id, keep_items=None, keep_days=None, now=NOW) == 0
    assert items.count_for_feed(feed_id) == 2


def test_retention_only_touches_its_own_feed(items, feeds, feed_id):
    other = feeds.add_feed("https://other.example/feed", now=NOW).id
    items.insert_new(feed_id, [prep(f"a{i}", published=NOW - i) for i in range(4)], NOW)
    items.insert_new(other, [prep(f"b{i}", published=NOW - i) for i in range(4)], NOW)
    assert items.apply_retention(feed_id, keep_items=1, keep_days=None, now=NOW) == 3
    assert items.count_for_feed(other) == 4
    assert items.known_keys(other, ["hash-b3"]) == {"hash-b3"}


def test_starred_items_are_always_kept(items, feed_id):
    items.insert_new(feed_id, [prep("ancient", published=NOW - 400 * DAY), prep("recent", published=NOW - 60),
                               prep("old", published=NOW - 30 * DAY)], NOW)
    ancient = next(i for i in items.list_for_feed(feed_id) if i.guid_hash == "hash-ancient")
    assert items.set_starred(ancient.id)
    items.apply_retention(feed_id, keep_items=0, keep_days=1, now=NOW)
    assert guids(items.list_for_feed(feed_id)) == ["ancient"]
    assert items.get(ancient.id).starred


def test_future_dated_items_sort_as_now(items, feed_id):
    items.insert_new(feed_id, [prep("future", published=NOW + 30 * DAY)], NOW)
    # fetched a day later, dated before that fetch but after the first fetch
    items.insert_new(feed_id, [prep("later", published=NOW + DAY - 60)], NOW + DAY)
    found = items.list_for_feed(feed_id)
    assert guids(found) == ["later", "future"]
    future = found[1]
    assert future.published_at == NOW + 30 * DAY  # the feed's date is kept as published
    # and the future item does not dodge retention by sitting "in the future"
    assert items.apply_retention(feed_id, keep_items=1, keep_days=None, now=NOW + DAY) == 1
    assert guids(items.list_for_feed(feed_id)) == ["later"]


# -- full-text search -------------------------------------------------------------

@pytest.fixture
def corpus(items, feed_id):
    items.insert_new(feed_id, [
        prep("cafe", "Le Café de la gare", author="Zoé Martin", text="un café serré", published=NOW - 50),
        prep("apple", "Apple releases a phone", author="Tim", text="the apple keynote", published=NOW - 40),
        prep("apps", "Applications of graph theory", author="Ada", text="graphs everywhere", published=NOW - 30),
        prep("phrase", "Quote", author="Bob", text="this is the exact phrase we want", published=NOW - 20),
        prep("reversed", "Other", author="Eve", text="phrase exact but reversed", published=NOW - 10),
        prep("acme", "Acme corp earnings", author="Reporter", text="acme corp grew", published=NOW - 5),
    ], NOW)
    return items


def test_search_by_title_author_and_text(corpus):
    assert guids(corpus.search("earnings")) == ["acme"]  # title
    assert guids(corpus.search("Zoé")) == ["cafe"]  # author
    assert guids(corpus.search("keynote")) == ["apple"]  # text
    assert corpus.search("nothingmatchesthis") == []
    assert corpus.search("") == []
    assert corpus.search("   ") == []


def test_search_is_accent_and_case_insensitive(corpus):
    assert guids(corpus.search("cafe")) == ["cafe"]
    assert guids(corpus.search("CAFÉ")) == ["cafe"]
    assert guids(corpus.search("zoe")) == ["cafe"]


def test_prefix_search(corpus):
    assert set(guids(corpus.search("appl*"))) == {"apple", "apps"}
    assert guids(corpus.search("appl")) == []  # without the star it is a whole word


def test_phrase_search(corpus):
    assert guids(corpus.search('"exact phrase"')) == ["phrase"]
    assert set(guids(corpus.search("exact phrase"))) == {"phrase", "reversed"}  # words are ANDed


def test_words_are_anded(corpus):
    assert guids(corpus.search("acme grew")) == ["acme"]
    assert corpus.search("acme keynote") == []


def test_search_newest_first_and_limit(items, feed_id):
    # inserted in neither date nor id order
    dates = {"n3": NOW - 300, "n1": NOW - 100, "n5": NOW - 500, "n2": NOW - 200, "n4": NOW - 400}
    for guid, when in dates.items():
        items.insert_new(feed_id, [prep(guid, f"common word {guid}", published=when)], NOW)
    items.insert_new(feed_id, [prep("unrelated", "something else", published=NOW)], NOW)
    assert guids(items.search("common")) == ["n1", "n2", "n3", "n4", "n5"]
    assert guids(items.search("common", limit=2)) == ["n1", "n2"]


def test_search_can_be_limited_to_one_feed(corpus, feeds, items, feed_id):
    other = feeds.add_feed("https://other.example/feed", now=NOW).id
    items.insert_new(other, [prep("o", "acme in another feed", published=NOW)], NOW)
    assert guids(items.search("acme")) == ["o", "acme"]
    assert guids(items.search("acme", feed_id=feed_id)) == ["acme"]
    assert guids(items.search("acme", feed_id=other)) == ["o"]


def test_fts_in_sync_after_purge_and_rowid_reuse(conn, items, feed_id):
    items.insert_new(feed_id, [prep("keep", "keeper", published=NOW), prep("zebra", "zebra crossing",
                                                                         published=NOW - 10 * DAY)], NOW)
    zebra_id = max(i.id for i in items.list_for_feed(feed_id))
    assert guids(items.search("zebra")) == ["zebra"]
    assert items.apply_retention(feed_id, keep_items=None, keep_days=1, now=NOW) == 1
    assert items.search("zebra") == []
    fts_integrity(conn)
    # SQLite reuses the freed rowid: a stale index entry would now point at this new item
    new_ids = items.insert_new(feed_id, [prep("giraffe", "giraffe neck", published=NOW)], NOW)
    assert new_ids == [zebra_id]
    assert items.search("zebra") == []
    assert guids(items.search("giraffe")) == ["giraffe"]
    fts_integrity(conn)


def test_fts_in_sync_after_update_of_title(conn, items, feed_id):
    (iid,) = items.insert_new(feed_id, [prep("x", "original headline", text="body words")], NOW)
    conn.execute("UPDATE items SET title = 'corrected headline' WHERE id = ?", (iid,))
    assert items.search("original") == []
    assert [i.id for i in items.search("corrected")] == [iid]
    # updating other columns leaves the index alone and correct
    items.set_read([iid])
    assert [i.id for i in items.search("headline")] == [iid]
    fts_integrity(conn)


def test_fts_in_sync_after_feed_delete(conn, feeds, items, feed_id):
    items.insert_new(feed_id, [prep("q", "quokka")], NOW)
    with write_transaction(conn):
        feeds.delete_feed(feed_id)
    assert items.search("quokka") == []
    assert conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'quokka'").fetchone()[0] == 0
    fts_integrity(conn)


# -- hostile search input ---------------------------------------------------------

HOSTILE = ["AND", "OR", "NOT", '"', '""', '"""', "-foo", "NEAR(a b)", "NEAR", "title:x", "author:Tim", "*",
           "**", "(", ")", "()", "a AND", "OR b", "^start", "a + b", "{title author}: x", "'", "\\", "a'b",
           '"unclosed phrase', "acme*corp", "-", "--", ":", "-*", "\x00", "a\x00b", '"\x00"', "col:*",
           "x OR", "NOT NOT", "😀", "AND*", "\t\n", "café*"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(corpus, query):
    assert isinstance(corpus.search(query), list)


def test_operators_are_searched_as_words(items, feed_id):
    items.insert_new(feed_id, [prep("ops", "AND OR NOT near", published=NOW), prep("plain", "and so on")], NOW)
    # "NOT" is a word to find, not an operator that would exclude everything
    assert set(guids(items.search("NOT"))) == {"ops"}
    assert set(guids(items.search("and"))) == {"ops", "plain"}
    assert guids(items.search("title:AND")) == []  # no column filters sneak through


def test_fts_query_shapes():
    assert fts_query("foo bar") == '"foo" "bar"'
    assert fts_query('"exact phrase" word') == '"exact phrase" "word"'
    assert fts_query("appl*") == '"appl"*'
    assert fts_query('x"y') == '"x""y"'
    assert fts_query("*") == ""
    assert fts_query("   ") == ""


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40) | st.lists(
    st.sampled_from(['"', "*", "AND", "OR", "NOT", "NEAR(", ")", "(", ":", "-", "^", "+", "a", "café", " ",
                     "\x00", "title", "{", "}", ",", "'"]), max_size=12).map("".join))
def test_random_queries_never_make_fts5_fail(corpus, query):
    q = fts_query(query)
    # the produced query is valid FTS5 on its own ...
    if q:
        corpus.conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", (q,)).fetchone()
    # ... and search never raises
    assert isinstance(corpus.search(query), list)
