"""Monitoring feed recipes: a watch term's words turned into feed URLs.

Search recipes take the positive words of a term, in the query language's
sense: several entries mean all of them (implicit AND); an entry with spaces
is a phrase and is sent in double quotes. Each search engine receives
``"acme corp" widget`` URL-encoded (``%22acme+corp%22+widget``).

Decisions:

- A Mastodon instance exposes one hashtag per feed: the tag is made from the
  *first* word or phrase, spaces and punctuation removed, lower-cased (accents
  kept: Mastodon tags are Unicode words).
- A YouTube channel is given as its id (``UC`` + 22 characters) or a
  ``youtube.com/channel/UC...`` URL; handles (``@name``) need a network lookup
  and are refused.
- A Bluesky profile is a handle (``name.bsky.social``, a custom domain, with
  or without ``@``), a ``did:plc:``/``did:web:`` identifier, or a
  ``bsky.app/profile/...`` URL.
- Explicit arguments that are malformed raise ``ValueError``; the UI or CLI
  turns that into a message.
- Google Alerts (``https://www.google.com/alerts/feeds/<digits>/<digits>``,
  any Google country domain) and Talkwalker Alerts
  (``https://alerts.talkwalker.com/alerts/rss/<TOKEN>``) feeds cannot be built
  from words; ``classify_alert_feed`` recognises them so they are accepted as
  pasted. Their item links are unwrapped by ``cmdesk.core.dedup``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urlsplit

__all__ = [
    "KIND_BLUESKY",
    "KIND_GOOGLE_ALERTS",
    "KIND_GOOGLE_NEWS",
    "KIND_HACKER_NEWS",
    "KIND_MASTODON",
    "KIND_REDDIT",
    "KIND_TALKWALKER_ALERTS",
    "KIND_YOUTUBE",
    "RecipeFeed",
    "bluesky_profile_feed",
    "classify_alert_feed",
    "google_news_feed",
    "hacker_news_feed",
    "mastodon_hashtag_feed",
    "SearchWords",
    "recipe_query",
    "recipe_query_any",
    "recipes_for",
    "reddit_search_feed",
    "youtube_channel_feed",
]

KIND_GOOGLE_NEWS = "google_news"
KIND_REDDIT = "reddit"
KIND_HACKER_NEWS = "hacker_news"
KIND_MASTODON = "mastodon"
KIND_YOUTUBE = "youtube"
KIND_BLUESKY = "bluesky"
KIND_GOOGLE_ALERTS = "google_alerts"
KIND_TALKWALKER_ALERTS = "talkwalker_alerts"


@dataclass(frozen=True)
class RecipeFeed:
    """A feed to subscribe to; ``kind`` is one of the KIND_* codes."""

    kind: str
    title: str
    url: str


_LANG_RE = re.compile(r"[a-z]{2,3}")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_HOST_RE = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}[a-z0-9]")
_CHANNEL_ID_RE = re.compile(r"UC[A-Za-z0-9_-]{22}")
_HANDLE_RE = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}[a-z0-9]")
_DID_RE = re.compile(r"did:(?:plc:[a-z2-7]{24}|web:[a-z0-9.-]+)")
_TAG_DROP_RE = re.compile(r"[\W]+")
_GOOGLE_ALERTS_RE = re.compile(r"/alerts/feeds/\d+/\d+/?")
_GOOGLE_HOST_RE = re.compile(r"(?:www\.)?google\.(?:[a-z]{2,3}|com?\.[a-z]{2})")
_TALKWALKER_HOSTS = frozenset({"alerts.talkwalker.com", "www.talkwalker.com", "talkwalker.com"})
_TALKWALKER_RE = re.compile(r"/alerts/rss/[A-Za-z0-9_-]+/?")


def _clean_words(words: Sequence[str]) -> list[str]:
    """Entries without quotes or extra spaces; empty ones dropped."""
    cleaned = []
    for w in words:
        w = " ".join(str(w).replace('"', " ").replace("\u201c", " ").replace("\u201d", " ").split())
        if w:
            cleaned.append(w)
    return cleaned


def recipe_query(query_words: Sequence[str]) -> str:
    """The search text: entries joined by spaces, phrases in double quotes."""
    words = _clean_words(query_words)
    if not words:
        raise ValueError("no words to search for")
    return " ".join(f'"{w}"' if " " in w else w for w in words)


# What a recipe searches for: either the words of one search (all required:
# ["acme corp", "widget"]) or alternatives, each a list of words
# ([["acme corp"], ["acme", "offline"]]), as `Query.search_alternatives()` gives.
SearchWords = Sequence[str] | Sequence[Sequence[str]]
MAX_ALTERNATIVES = 8


def _alternatives(search: SearchWords) -> list[list[str]]:
    """The alternatives of a search, cleaned; empty ones dropped, duplicates once."""
    if isinstance(search, str):
        search = [search]
    groups = [[w] if isinstance(w, str) else list(w) for w in search]
    if all(isinstance(w, str) for w in search):
        groups = [list(search)]  # type: ignore[arg-type]
    out: list[list[str]] = []
    for g in groups:
        words = _clean_words(g)
        if words and words not in out:
            out.append(words)
    return out[:MAX_ALTERNATIVES]


def recipe_query_any(search: SearchWords) -> str:
    """The search text for engines that understand OR: `a OR (b c) OR "d e"`."""
    alts = _alternatives(search)
    if not alts:
        raise ValueError("no words to search for")
    if len(alts) == 1:
        return recipe_query(alts[0])
    return " OR ".join(recipe_query(a) if len(a) == 1 else f"({recipe_query(a)})" for a in alts)


def google_news_feed(query_words: SearchWords, lang: str = "en", country: str = "US") -> RecipeFeed:
    """Google News search RSS in one language and country edition."""
    lang = lang.strip().lower()
    country = country.strip().upper()
    if not _LANG_RE.fullmatch(lang):
        raise ValueError(f"not a language code: {lang!r}")
    if not _COUNTRY_RE.fullmatch(country):
        raise ValueError(f"not a country code: {country!r}")
    q = recipe_query_any(query_words)
    url = f"https://news.google.com/rss/search?q={quote_plus(q)}&hl={lang}&gl={country}&ceid={country}:{lang}"
    return RecipeFeed(KIND_GOOGLE_NEWS, f"Google News: {q} ({lang}-{country})", url)


def reddit_search_feed(query_words: SearchWords) -> RecipeFeed:
    """Reddit search RSS, newest first (Reddit's search understands OR)."""
    q = recipe_query_any(query_words)
    return RecipeFeed(KIND_REDDIT, f"Reddit: {q}", f"https://www.reddit.com/search.rss?q={quote_plus(q)}&sort=new")


def hacker_news_feed(query_words: Sequence[str]) -> RecipeFeed:
    """New Hacker News stories mentioning all the words, through hnrss.org
    (its search has no OR: `recipes_for` makes one feed per alternative)."""
    q = recipe_query(query_words)
    return RecipeFeed(KIND_HACKER_NEWS, f"Hacker News: {q}", f"https://hnrss.org/newest?q={quote_plus(q)}")


def _mastodon_host(instance: str) -> str:
    s = instance.strip()
    if "://" in s:
        try:
            s = urlsplit(s).hostname or ""
        except ValueError:
            s = ""
    else:
        s = s.split("/", 1)[0]
        s = s.rsplit("@", 1)[-1]  # "@someone@mastodon.social" or "mastodon.social"
    s = s.lower().rstrip(".")
    try:
        s = s.encode("idna").decode("ascii") if s and not s.isascii() else s
    except UnicodeError:
        s = ""
    if not _HOST_RE.fullmatch(s):
        raise ValueError(f"not a Mastodon instance host: {instance!r}")
    return s


def _hashtag(tag: str) -> str:
    t = _TAG_DROP_RE.sub("", tag.strip().lstrip("#")).lower()
    if not t or t.isdigit():
        # Mastodon refuses all-digit tags.
        raise ValueError(f"not usable as a hashtag: {tag!r}")
    return t


def mastodon_hashtag_feed(instance: str, tag: str) -> RecipeFeed:
    """Public posts with a hashtag on one Mastodon instance (what it knows of the fediverse)."""
    host = _mastodon_host(instance)
    t = _hashtag(tag)
    return RecipeFeed(KIND_MASTODON, f"Mastodon #{t} ({host})", f"https://{host}/tags/{quote(t)}.rss")


def _channel_id(channel: str) -> str:
    s = channel.strip()
    if "://" in s or s.startswith(("youtube.com/", "www.youtube.com/")):
        try:
            parts = urlsplit(s if "://" in s else "https://" + s)
            path = parts.path
            host = (parts.hostname or "").lower()
        except ValueError:
            raise ValueError(f"not a YouTube channel: {channel!r}") from None
        m = re.fullmatch(r"/channel/([^/]+)/?.*", path)
        if host.endswith("youtube.com") and m:
            s = m.group(1)
        elif host.endswith("youtube.com") and "channel_id=" in parts.query:
            s = parts.query.split("channel_id=", 1)[1].split("&", 1)[0]
    if not _CHANNEL_ID_RE.fullmatch(s):
        raise ValueError(f"not a YouTube channel id (UC + 22 characters): {channel!r}")
    return s


def youtube_channel_feed(channel: str) -> RecipeFeed:
    """The latest videos of a YouTube channel, from its id or channel URL."""
    cid = _channel_id(channel)
    return RecipeFeed(KIND_YOUTUBE, f"YouTube: {cid}", f"https://www.youtube.com/feeds/videos.xml?channel_id={cid}")


def _bluesky_actor(handle: str) -> str:
    s = handle.strip()
    if "://" in s or s.startswith("bsky.app/"):
        try:
            parts = urlsplit(s if "://" in s else "https://" + s)
        except ValueError:
            raise ValueError(f"not a Bluesky profile: {handle!r}") from None
        m = re.fullmatch(r"/profile/([^/]+)/?(?:rss)?", parts.path)
        if (parts.hostname or "").lower() != "bsky.app" or not m:
            raise ValueError(f"not a Bluesky profile: {handle!r}")
        s = m.group(1)
    s = s.lstrip("@").lower()
    if not (_HANDLE_RE.fullmatch(s) or _DID_RE.fullmatch(s)):
        raise ValueError(f"not a Bluesky handle: {handle!r}")
    return s


def bluesky_profile_feed(handle: str) -> RecipeFeed:
    """A Bluesky profile's posts as RSS."""
    actor = _bluesky_actor(handle)
    return RecipeFeed(KIND_BLUESKY, f"Bluesky: @{actor}", f"https://bsky.app/profile/{actor}/rss")


def recipes_for(
    query_words: SearchWords,
    *,
    lang: str = "en",
    country: str = "US",
    mastodon_instance: str | None = None,
    youtube_channel: str | None = None,
    bluesky_handle: str | None = None,
) -> list[RecipeFeed]:
    """Every recipe that applies: searches from the words or alternatives
    (none when there are no words; Hacker News once per alternative), then the Mastodon hashtag, YouTube channel and Bluesky profile
    when they are given."""
    feeds: list[RecipeFeed] = []
    alts = _alternatives(query_words)
    if alts:
        feeds.append(google_news_feed(alts, lang, country))
        feeds.append(reddit_search_feed(alts))
        feeds.extend(hacker_news_feed(a) for a in alts)
        if mastodon_instance:
            feeds.append(mastodon_hashtag_feed(mastodon_instance, alts[0][0]))
    if youtube_channel:
        feeds.append(youtube_channel_feed(youtube_channel))
    if bluesky_handle:
        feeds.append(bluesky_profile_feed(bluesky_handle))
    return feeds


def classify_alert_feed(url: str) -> str | None:
    """``KIND_GOOGLE_ALERTS`` or ``KIND_TALKWALKER_ALERTS`` for an alert service's
    feed URL, else None. The URL is to be subscribed as it is."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except (ValueError, AttributeError):
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if _GOOGLE_HOST_RE.fullmatch(host) and _GOOGLE_ALERTS_RE.fullmatch(parts.path):
        return KIND_GOOGLE_ALERTS
    if host in _TALKWALKER_HOSTS and _TALKWALKER_RE.fullmatch(parts.path):
        return KIND_TALKWALKER_ALERTS
    return None
