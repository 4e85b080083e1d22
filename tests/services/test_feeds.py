"""Adding feeds (autodiscovery), OPML import/export, search."""

from __future__ import annotations

import pytest

from cmdesk.app import open_profile
from cmdesk.services.feeds import FeedServiceError, normalise_url
from cmdesk.services.refresh import RefreshOptions
from tests.support.feedserver import rss


@pytest.fixture
def svc(profile_dir):
    return open_profile(profile_dir, options=RefreshOptions(parse_workers=0))


def page(*links: str) -> str:
    tags = "".join(links)
    return f"<!DOCTYPE html><html><head><title>Site</title>{tags}</head><body>Hello</body></html>"


def test_add_feed_url_stores_items_at_once(feed_server, svc):
    feed_server.route("/feed.xml", rss("Acme blog", 3))
    res = svc.feeds.add_feed(feed_server.url("/feed.xml"), folder="Press/France")
    assert res.new_items == 3 and res.discovered == ()
    assert res.feed.title == "Acme blog"
    [listing] = svc.feeds.list_feeds()
    assert listing.folder_path == "Press/France" and listing.items == 3


def test_add_site_url_discovers_all_feeds_and_takes_the_first(feed_server, svc):
    feed_server.route("/", page('<link rel="alternate" type="application/rss+xml" title="Posts" href="/posts.xml">',
                                '<link rel="alternate" type="application/atom+xml" title="Comments" href="comments.atom">'),
                      content_type="text/html; charset=utf-8")
    feed_server.route("/posts.xml", rss("Posts", 2))
    feed_server.route("/comments.atom", rss("Comments", 1))
    res = svc.feeds.add_feed(feed_server.url("/"))
    assert [d.url for d in res.discovered] == [feed_server.url("/posts.xml"), feed_server.url("/comments.atom")]
    assert res.feed.url == feed_server.url("/posts.xml") and res.new_items == 2

    res2 = svc.feeds.add_feed(feed_server.url("/"), choose=feed_server.url("/comments.atom"))
    assert res2.feed.url == feed_server.url("/comments.atom")


def test_add_site_without_links_tries_common_paths(feed_server, svc):
    feed_server.route("/blog/", page(), content_type="text/html")
    feed_server.route("/rss.xml", rss("Guessed", 1))
    res = svc.feeds.add_feed(feed_server.url("/blog/"))
    assert res.feed.url == feed_server.url("/rss.xml")


@pytest.mark.parametrize("path,kw,message", [
    ("/missing", {}, "HTTP 404"),
    ("/page", dict(body=page(), content_type="text/html"), "announces no feed"),
    ("/bin", dict(body=b"\x89PNG\r\n\x1a\n....", content_type="image/png"), "is not a feed"),
])
def test_add_feed_errors_are_clear_and_store_nothing(feed_server, svc, path, kw, message):
    if kw:
        feed_server.route(path, **kw)
    with pytest.raises(FeedServiceError, match=message):
        svc.feeds.add_feed(feed_server.url(path))
    assert svc.feeds.list_feeds() == []


def test_add_duplicate_is_refused(feed_server, svc):
    feed_server.route("/f.xml", rss("F", 1))
    svc.feeds.add_feed(feed_server.url("/f.xml"))
    with pytest.raises(FeedServiceError, match="already subscribed"):
        svc.feeds.add_feed(feed_server.url("/f.xml"))


@pytest.mark.parametrize("raw,expected", [
    ("example.com/feed", "https://example.com/feed"),
    ("HTTP://Example.com", "http://example.com/"),
    ("https://u:p@example.com/x?y=1#frag", "https://example.com/x?y=1"),
])
def test_normalise_url(raw, expected):
    assert normalise_url(raw)[0] == expected


@pytest.mark.parametrize("raw", ["", "ftp://example.com/feed", "javascript:alert(1)", "file:///etc/passwd"])
def test_normalise_url_refuses(raw):
    with pytest.raises(FeedServiceError):
        normalise_url(raw)


OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="Press"><outline text="France">
     <outline type="rss" text="Le Monde" xmlUrl="https://lemonde.example/rss" htmlUrl="https://lemonde.example/"/>
  </outline></outline>
  <outline text="Tech">
     <outline type="rss" text="HN" xmlUrl="https://hn.example/rss"/>
     <outline type="rss" text="HN again" xmlUrl="https://hn.example/rss"/>
     <outline type="rss" text="An entry without a feed URL" htmlUrl="https://x.example/"/>
  </outline>
  <outline type="rss" text="Top" xmlUrl="https://top.example/atom"/>
  <outline text="Empty folder"></outline>
</body></opml>"""


def test_opml_import_export_import_is_stable(svc, profile_dir, tmp_path):
    res = svc.feeds.import_opml(OPML)
    assert res.added == 3
    assert any("without a feed URL" in s.title for s in res.skipped)
    before = {(l.feed.url, l.folder_path, l.feed.title) for l in svc.feeds.list_feeds()}
    assert ("https://lemonde.example/rss", "Press/France", "Le Monde") in before

    exported = svc.feeds.export_opml()
    other = open_profile(tmp_path / "other", options=RefreshOptions(parse_workers=0))
    assert other.feeds.import_opml(exported).added == 3
    after = {(l.feed.url, l.folder_path, l.feed.title) for l in other.feeds.list_feeds()}
    assert after == before
    # importing again adds nothing and says so
    again = svc.feeds.import_opml(exported)
    assert again.added == 0 and len(again.already_subscribed) == 3


def test_opml_that_is_not_opml_is_a_clear_error(svc):
    with pytest.raises(FeedServiceError):
        svc.feeds.import_opml(b"<html><body>nope</body></html>")
    assert svc.feeds.list_feeds() == []


def test_every_shared_opml_file_imports(shared_data, tmp_path):
    files = sorted((shared_data / "opml").rglob("*.opml"))
    assert files
    total = 0
    for i, path in enumerate(files):
        svc = open_profile(tmp_path / f"p{i}", options=RefreshOptions(parse_workers=0))
        res = svc.feeds.import_opml(path.read_bytes())
        assert res.added > 0, path.name
        exported = svc.feeds.export_opml()
        again = open_profile(tmp_path / f"q{i}", options=RefreshOptions(parse_workers=0))
        assert again.feeds.import_opml(exported).added == res.added, path.name
        total += res.added
    assert total > 100


def test_search_is_accent_insensitive_and_newest_first(feed_server, svc):
    feed_server.route("/f.xml", """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
      <item><title>Le café d'Acme</title><guid>1</guid><pubDate>Mon, 01 Jun 2026 10:00:00 GMT</pubDate></item>
      <item><title>Cafe reopening</title><guid>2</guid><pubDate>Tue, 02 Jun 2026 10:00:00 GMT</pubDate></item>
      </channel></rss>""")
    svc.feeds.add_feed(feed_server.url("/f.xml"))
    assert [i.title for i in svc.feeds.search_items("cafe")] == ["Cafe reopening", "Le café d'Acme"]
    assert svc.feeds.search_items('"NEAR(" AND -') == []


def test_discover_lists_the_announced_feeds_and_subscribes_to_nothing(feed_server, svc):
    feed_server.route("/", page('<link rel="alternate" type="application/rss+xml" title="Posts" href="/posts.xml">',
                                '<link rel="alternate" type="application/atom+xml" title="Comments" href="c.atom">',
                                '<link rel="alternate" type="application/feed+json" title="JSON feed" href="/f.json">'),
                      content_type="text/html; charset=utf-8")
    found = svc.feeds.discover(feed_server.url("/"))
    assert [(d.url, d.title, d.kind) for d in found] == [
        (feed_server.url("/posts.xml"), "Posts", "rss"),
        (feed_server.url("/c.atom"), "Comments", "atom"),
        (feed_server.url("/f.json"), "JSON feed", "json"),
    ]
    assert svc.feeds.list_feeds() == []
    assert feed_server.hits("/posts.xml") == 0  # discovery reads the page only


def test_discover_a_feed_url_returns_itself_with_its_title(feed_server, svc):
    feed_server.route("/feed.xml", rss("Acme blog", 2))
    [d] = svc.feeds.discover(feed_server.url("/feed.xml"))
    assert (d.url, d.title, d.kind) == (feed_server.url("/feed.xml"), "Acme blog", "feed")
    assert svc.feeds.list_feeds() == []


def test_discover_guesses_common_paths_and_reports_failures(feed_server, svc):
    feed_server.route("/blog/", page(), content_type="text/html")
    feed_server.route("/rss.xml", rss("Guessed", 1))
    [d] = svc.feeds.discover(feed_server.url("/blog/"))
    assert (d.url, d.kind, d.title) == (feed_server.url("/rss.xml"), "guess", "Guessed")
    feed_server.route("/empty", page(), content_type="text/html")
    feed_server.routes.pop("/rss.xml")
    with pytest.raises(FeedServiceError, match="announces no feed"):
        svc.feeds.discover(feed_server.url("/empty"))
    feed_server.route("/broken", status=500, body="oops", content_type="text/plain")
    with pytest.raises(FeedServiceError, match="500"):
        svc.feeds.discover(feed_server.url("/broken"))


def test_remove_feed_drops_its_load_images_flag(feed_server, svc):
    """Feed ids are reused after a delete: a new feed must not inherit the old one's image choice."""
    feed_server.route("/a.xml", rss("A", 1))
    feed_server.route("/b.xml", rss("B", 1))
    a = svc.feeds.add_feed(feed_server.url("/a.xml")).feed
    svc.reader.update_feed(a.id, load_images=True)
    assert svc.reader.load_images(a.id)
    svc.feeds.remove_feed(a.id)
    b = svc.feeds.add_feed(feed_server.url("/b.xml")).feed
    assert b.id == a.id  # the rowid came back
    assert not svc.reader.load_images(b.id)


def test_opml_export_writes_each_folder_once(svc):
    for url, folder in (("https://a.example/f", "Clients/Acme"), ("https://b.example/f", "France"),
                        ("https://c.example/f", "Clients"), ("https://d.example/f", None),
                        ("https://e.example/f", "Clients/Acme/Sub")):
        svc.feeds.subscribe(url, folder=folder)
    xml = svc.feeds.export_opml().decode()
    assert xml.count('text="Clients"') == 1 and xml.count('text="Acme"') == 1 and xml.count('text="France"') == 1
    from cmdesk.core.opml import parse_opml

    doc = parse_opml(xml.encode())
    assert {(f.url, f.folder) for f in doc.feeds} == {
        ("https://a.example/f", ("Clients", "Acme")), ("https://b.example/f", ("France",)),
        ("https://c.example/f", ("Clients",)), ("https://d.example/f", ()),
        ("https://e.example/f", ("Clients", "Acme", "Sub"))}


def test_not_a_feed_is_said_once(feed_server, svc):
    feed_server.route("/notxml", "just some words, no markup at all", content_type="text/plain")
    with pytest.raises(FeedServiceError) as info:
        svc.feeds.add_feed(feed_server.url("/notxml"))
    message = str(info.value)
    assert message.startswith(f"{feed_server.url('/notxml')} is not a feed: ")
    assert message.lower().count("not a feed") == 1
    with pytest.raises(FeedServiceError) as info:
        svc.feeds.discover(feed_server.url("/notxml"))
    assert str(info.value).lower().count("not a feed") == 1


def _opml_with_login(url: str) -> bytes:
    return (f'<?xml version="1.0"?><opml version="2.0"><body>'
            f'<outline type="rss" text="Private" xmlUrl="{url}"/></body></opml>').encode()


def test_opml_login_moves_to_the_keyring_and_is_reported(feed_server, profile_dir, memory_keyring):
    from cmdesk.net.credentials import CredentialStore

    feed_server.route("/private.xml", rss("Private", 2))
    svc = open_profile(profile_dir, options=RefreshOptions(parse_workers=0),
                       credentials=CredentialStore(memory_keyring))
    url = feed_server.url("/private.xml").replace("http://", "http://ann:pw-secret-1@")
    res = svc.feeds.import_opml(_opml_with_login(url))
    assert res.added == 1
    [listing] = svc.feeds.list_feeds()
    assert listing.feed.url == feed_server.url("/private.xml") and listing.feed.auth_ref
    assert svc.credentials.load(listing.feed.auth_ref) == ("ann", "pw-secret-1")
    [note] = res.notes
    assert "login removed from the URL" in note and "keyring" in note and "pw-secret-1" not in note
    assert svc.refresh_feeds().ok == 1
    assert feed_server.requests[-1][1].get("authorization")  # the login is used


def test_opml_login_without_a_keyring_is_reported_never_printed(profile_dir):
    from keyring.backends import fail

    from cmdesk.net.credentials import CredentialStore

    svc = open_profile(profile_dir, options=RefreshOptions(parse_workers=0),
                       credentials=CredentialStore(backend=fail.Keyring()))
    res = svc.feeds.import_opml(_opml_with_login("https://ann:pw-secret-2@example.com/feed"))
    assert res.added == 1
    [listing] = svc.feeds.list_feeds()
    assert listing.feed.url == "https://example.com/feed" and listing.feed.auth_ref is None
    [note] = res.notes
    assert "login removed from the URL and not kept" in note and "feed's properties" in note
    assert "pw-secret-2" not in note and "ann" not in note
