"""Monitoring feed recipes and alert feed recognition."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

import pytest

from cmdesk.core.query import parse_query
from cmdesk.core.recipes import (
    KIND_BLUESKY,
    KIND_GOOGLE_ALERTS,
    KIND_GOOGLE_NEWS,
    KIND_HACKER_NEWS,
    KIND_MASTODON,
    KIND_REDDIT,
    KIND_TALKWALKER_ALERTS,
    KIND_YOUTUBE,
    RecipeFeed,
    bluesky_profile_feed,
    classify_alert_feed,
    google_news_feed,
    hacker_news_feed,
    mastodon_hashtag_feed,
    recipe_query,
    recipe_query_any,
    recipes_for,
    reddit_search_feed,
    youtube_channel_feed,
)

CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"  # Google for Developers


def test_recipe_feed_is_frozen():
    feed = RecipeFeed("k", "t", "https://example.com/")
    with pytest.raises(dataclasses.FrozenInstanceError):
        feed.url = "x"  # type: ignore[misc]


def test_query_quotes_phrases_only():
    assert recipe_query(["acme"]) == "acme"
    assert recipe_query(["acme corp", "widget"]) == '"acme corp" widget'
    assert recipe_query(['"acme corp"', "  ", "caf\u00e9"]) == '"acme corp" caf\u00e9'
    assert recipe_query(["  acme   corp "]) == '"acme corp"'
    with pytest.raises(ValueError):
        recipe_query([])
    with pytest.raises(ValueError):
        recipe_query(["", '""'])


def test_google_news_url():
    feed = google_news_feed(["acme corp", "lancement"], lang="fr", country="FR")
    assert feed.kind == KIND_GOOGLE_NEWS
    assert feed.url == (
        "https://news.google.com/rss/search?q=%22acme+corp%22+lancement&hl=fr&gl=FR&ceid=FR:fr"
    )
    q = parse_qs(urlsplit(feed.url).query)
    assert q == {"q": ['"acme corp" lancement'], "hl": ["fr"], "gl": ["FR"], "ceid": ["FR:fr"]}


def test_google_news_defaults_and_normalises_codes():
    assert google_news_feed(["acme"]).url.endswith("?q=acme&hl=en&gl=US&ceid=US:en")
    assert google_news_feed(["acme"], lang="DE", country="de").url.endswith("&hl=de&gl=DE&ceid=DE:de")
    for lang, country in [("french", "FR"), ("fr", "FRA"), ("f", "FR"), ("fr", "F1"), ("fr&x=1", "FR")]:
        with pytest.raises(ValueError):
            google_news_feed(["acme"], lang=lang, country=country)


def test_special_characters_are_encoded():
    feed = reddit_search_feed(["AT&T", "caf\u00e9 cr\u00e8me", "50%"])
    assert feed.url == (
        "https://www.reddit.com/search.rss?q=AT%26T+%22caf%C3%A9+cr%C3%A8me%22+50%25&sort=new"
    )
    assert parse_qs(urlsplit(feed.url).query)["q"] == ['AT&T "caf\u00e9 cr\u00e8me" 50%']
    hn = hacker_news_feed(["c++", "#rust"])
    assert hn.url == "https://hnrss.org/newest?q=c%2B%2B+%23rust"
    assert hn.kind == KIND_HACKER_NEWS


def test_reddit_and_hacker_news_shapes():
    assert reddit_search_feed(["acme"]).url == "https://www.reddit.com/search.rss?q=acme&sort=new"
    assert reddit_search_feed(["acme"]).kind == KIND_REDDIT
    assert hacker_news_feed(["acme corp"]).url == "https://hnrss.org/newest?q=%22acme+corp%22"


@pytest.mark.parametrize(
    "instance, tag, url",
    [
        ("mastodon.social", "acme", "https://mastodon.social/tags/acme.rss"),
        ("https://Mastodon.Social/", "#Acme", "https://mastodon.social/tags/acme.rss"),
        ("https://piaille.fr/explore", "acme corp", "https://piaille.fr/tags/acmecorp.rss"),
        ("@someone@fosstodon.org", "open-source!", "https://fosstodon.org/tags/opensource.rss"),
        ("mastodon.social", "Caf\u00e9", "https://mastodon.social/tags/caf%C3%A9.rss"),
        ("mastodon.social", "acme_2024", "https://mastodon.social/tags/acme_2024.rss"),
    ],
)
def test_mastodon_hashtag(instance, tag, url):
    feed = mastodon_hashtag_feed(instance, tag)
    assert feed.kind == KIND_MASTODON
    assert feed.url == url


@pytest.mark.parametrize("instance", ["", "localhost", "exa mple.com", "javascript:alert(1)", "http://", "-bad-.com"])
def test_mastodon_bad_instance(instance):
    with pytest.raises(ValueError):
        mastodon_hashtag_feed(instance, "acme")


@pytest.mark.parametrize("tag", ["", "#", "!!!", "2024", "  "])
def test_mastodon_bad_tag(tag):
    with pytest.raises(ValueError):
        mastodon_hashtag_feed("mastodon.social", tag)


@pytest.mark.parametrize(
    "channel",
    [
        CHANNEL,
        f"  {CHANNEL} ",
        f"https://www.youtube.com/channel/{CHANNEL}",
        f"https://youtube.com/channel/{CHANNEL}/videos",
        f"youtube.com/channel/{CHANNEL}",
        f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}",
    ],
)
def test_youtube_channel(channel):
    feed = youtube_channel_feed(channel)
    assert feed.kind == KIND_YOUTUBE
    assert feed.url == f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"


@pytest.mark.parametrize(
    "channel",
    [
        "",
        "@GoogleDevelopers",  # a handle needs a lookup
        "UC_x5XG1OV2P6uZZ5FSM9Tt",  # 21 characters after UC
        "UC_x5XG1OV2P6uZZ5FSM9Ttww",  # 23
        "UX_x5XG1OV2P6uZZ5FSM9Ttw",  # wrong prefix
        "UC_x5XG1OV2P6uZZ5FSM9T!w",
        "https://evil.example/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "https://www.youtube.com/@GoogleDevelopers",
    ],
)
def test_youtube_bad_channel(channel):
    with pytest.raises(ValueError):
        youtube_channel_feed(channel)


@pytest.mark.parametrize(
    "handle, actor",
    [
        ("acme.bsky.social", "acme.bsky.social"),
        ("@Acme.bsky.social", "acme.bsky.social"),
        ("acme.com", "acme.com"),
        ("https://bsky.app/profile/acme.bsky.social", "acme.bsky.social"),
        ("bsky.app/profile/acme.bsky.social/", "acme.bsky.social"),
        ("did:plc:z72i7hdynmk6r22z27h6tvur", "did:plc:z72i7hdynmk6r22z27h6tvur"),
    ],
)
def test_bluesky_profile(handle, actor):
    feed = bluesky_profile_feed(handle)
    assert feed.kind == KIND_BLUESKY
    assert feed.url == f"https://bsky.app/profile/{actor}/rss"


@pytest.mark.parametrize(
    "handle", ["", "acme", "@acme", "acme..bsky.social", "acme bsky.social", "https://evil.example/profile/a.b",
               "did:plc:short", "acme.bsky.social/../x"],
)
def test_bluesky_bad_handle(handle):
    with pytest.raises(ValueError):
        bluesky_profile_feed(handle)


def test_recipes_for_words_only():
    feeds = recipes_for(["acme corp"])
    assert [f.kind for f in feeds] == [KIND_GOOGLE_NEWS, KIND_REDDIT, KIND_HACKER_NEWS]
    assert all(f.url.startswith("https://") for f in feeds)
    assert all(f.title for f in feeds)
    assert "%22acme+corp%22" in feeds[0].url


def test_recipes_for_everything():
    feeds = recipes_for(
        ["Acme", "cloud desk"],
        lang="fr",
        country="BE",
        mastodon_instance="mastodon.social",
        youtube_channel=CHANNEL,
        bluesky_handle="@acme.bsky.social",
    )
    by_kind = {f.kind: f.url for f in feeds}
    assert list(by_kind) == [KIND_GOOGLE_NEWS, KIND_REDDIT, KIND_HACKER_NEWS, KIND_MASTODON, KIND_YOUTUBE, KIND_BLUESKY]
    assert by_kind[KIND_GOOGLE_NEWS].endswith("hl=fr&gl=BE&ceid=BE:fr")
    assert by_kind[KIND_MASTODON] == "https://mastodon.social/tags/acme.rss"  # first word or phrase
    assert by_kind[KIND_BLUESKY] == "https://bsky.app/profile/acme.bsky.social/rss"


def test_recipes_for_without_words_keeps_account_feeds():
    feeds = recipes_for([], mastodon_instance="mastodon.social", youtube_channel=CHANNEL)
    assert [f.kind for f in feeds] == [KIND_YOUTUBE]
    assert recipes_for(["  "]) == []


def test_recipes_for_reports_bad_explicit_arguments():
    with pytest.raises(ValueError):
        recipes_for(["acme"], youtube_channel="not-a-channel")
    with pytest.raises(ValueError):
        recipes_for(["acme"], lang="french")


# -- alert feeds --------------------------------------------------------------

@pytest.mark.parametrize(
    "url, kind",
    [
        # the feed URL of the real fixture
        ("https://www.google.com/alerts/feeds/04175468913983673025/4428013283581841004", KIND_GOOGLE_ALERTS),
        ("https://www.google.fr/alerts/feeds/17804356194972672813/1216134778087352017", KIND_GOOGLE_ALERTS),
        ("https://www.google.com.br/alerts/feeds/17804356194972672813/16104795190635819439", KIND_GOOGLE_ALERTS),
        ("http://google.com/alerts/feeds/1/2", KIND_GOOGLE_ALERTS),
        (
            "https://alerts.talkwalker.com/alerts/rss/OPBCI5UQ3FZZB3KO7OUH7LAPOCBZGXY6IM2FKBURYTKFECKCTATLUBJ2VMPY",
            KIND_TALKWALKER_ALERTS,
        ),
        ("https://www.talkwalker.com/alerts/rss/YJOKITOAE6MRGBCKK7ZPOARQSR7XVFFNZNAH", KIND_TALKWALKER_ALERTS),
        ("https://www.google.com/alerts", None),  # the management page, not a feed
        ("https://www.google.com/alerts/feeds/abc/123", None),
        ("https://www.google.com/alerts/feeds/123", None),
        ("https://evil.example/alerts/feeds/1/2", None),
        ("https://www.google.com.evil.example/alerts/feeds/1/2", None),
        ("https://alerts.talkwalker.com/alerts/manage", None),
        ("https://talkwalker.evil.example/alerts/rss/ABC", None),
        ("ftp://www.google.com/alerts/feeds/1/2", None),
        ("https://news.google.com/rss/search?q=acme", None),
        ("", None),
        ("not a url", None),
    ],
)
def test_classify_alert_feed(url, kind):
    assert classify_alert_feed(url) == kind


def test_alternatives_become_or_searches_and_one_hacker_news_feed_each():
    feeds = recipes_for([["acme corp"], ["acme", "offline"]], mastodon_instance="mastodon.social")
    by_kind: dict[str, list[str]] = {}
    for f in feeds:
        by_kind.setdefault(f.kind, []).append(f.url)
    # Google News and Reddit read OR and parentheses: one search finds either.
    assert by_kind[KIND_GOOGLE_NEWS] == [
        "https://news.google.com/rss/search?q=%22acme+corp%22+OR+%28acme+offline%29&hl=en&gl=US&ceid=US:en"]
    assert by_kind[KIND_REDDIT][0].startswith("https://www.reddit.com/search.rss?q=%22acme+corp%22+OR+%28acme+offline%29")
    # hnrss has no OR: one feed per alternative.
    assert by_kind[KIND_HACKER_NEWS] == ["https://hnrss.org/newest?q=%22acme+corp%22",
                                         "https://hnrss.org/newest?q=acme+offline"]
    assert recipe_query_any([["a"], ["a"], ["b", "c"]]) == "a OR (b c)"
    assert recipe_query_any(["acme corp", "widget"]) == '"acme corp" widget'  # plain words: all required


@pytest.mark.parametrize("query, expected", [
    ("acme", [["acme"]]),
    ("zentrix OR zentrixville", [["zentrix"], ["zentrixville"]]),
    ('"cartavo maps" OR cartavo offline', [["cartavo maps"], ["cartavo", "offline"]]),
    ("(acme OR globex) avis -jobs lang:fr site:example.com", [["acme", "avis"], ["globex", "avis"]]),
    ("title:acme corp", [["acme", "corp"]]),
    ("#acme OR @acme_fr", [["#acme"], ["@acme_fr"]]),
])
def test_query_search_alternatives(query, expected):
    assert parse_query(query).search_alternatives() == expected


def test_too_many_alternatives_fall_back_to_each_word():
    q = parse_query("(a1 OR a2 OR a3) (b1 OR b2 OR b3) c")
    assert q.search_alternatives(limit=8) == [["a1"], ["a2"], ["a3"], ["b1"], ["b2"], ["b3"], ["c"]]
