"""Normalising parsed items before they are stored."""

from __future__ import annotations

import hashlib
from typing import Collection

from cmdesk.core.dedup import unwrap_redirect
from cmdesk.core.models import ParsedFeed, ParsedItem, PreparedItem
from cmdesk.core.text import html_to_text

# An item ready to store, as a plain tuple: what a refresh ships back from its
# parse worker processes. Tuples pickle several times faster than (slotted,
# frozen) dataclasses, and a refresh moves tens of thousands of them.
ITEM_ROW_FIELDS = ("guid_hash", "url", "title", "author", "summary", "content", "text", "published_at")
ItemRow = tuple  # (guid_hash, url, title, author, summary, content, text, published_at)


def guid_hash(guid: str) -> str:
    """Stable per-feed key of an item (the feed's GUID may be long or odd)."""
    return hashlib.sha1(guid.strip().encode("utf-8", "surrogatepass")).hexdigest()


def _may_be_wrapped(url: str) -> bool:
    """False when `unwrap_redirect` certainly returns the URL unchanged (stripped).

    Every wrapper it knows carries its target in the query string, except
    Google News article links and AMP viewers (Google hosts, ampproject.org).
    Checked first because almost no link is a wrapper and urlsplit is costly.
    """
    if "?" in url:
        return True
    lowered = url.lower()
    return "google" in lowered or "ampproject" in lowered


def item_row(it: ParsedItem, key: str | None = None) -> ItemRow:
    """The stored form of one parsed item: key, real link, plain text."""
    url = it.url
    if url:
        # Google Alerts, Talkwalker and friends wrap every link in a redirect:
        # store the article's own address.
        url = unwrap_redirect(url) if _may_be_wrapped(url) else url.strip()
    body = it.content if len(it.content) > len(it.summary) else it.summary
    if it.content and it.summary and it.summary not in it.content:
        body = it.summary + "\n" + it.content
    return (key or guid_hash(it.guid), url, it.title, it.author, it.summary, it.content, html_to_text(body),
            it.published_at)


def prepare_rows(feed: ParsedFeed, known: Collection[str] = ()) -> list[ItemRow]:
    """Rows (see ITEM_ROW_FIELDS) of the feed's items whose key is not in `known`.

    Items already stored or purged are left out, so a refresh that finds 3
    new items among 50 converts and ships only those.
    """
    out = []
    for it in feed.items:
        key = guid_hash(it.guid)
        if key in known:
            continue
        out.append(item_row(it, key))
    return out


def prepared_item(row: ItemRow, guid: str = "") -> PreparedItem:
    """A row as a PreparedItem (the ParsedItem's guid is not kept in rows)."""
    key, url, title, author, summary, content, text, published = row
    return PreparedItem(guid_hash=key, parsed=ParsedItem(guid=guid, url=url, title=title, author=author,
                                                         summary=summary, content=content, published_at=published),
                        text=text)


def prepare_items(feed: ParsedFeed, known: Collection[str] = ()) -> list[PreparedItem]:
    """Items with their key and plain text (title, summary, content) for search and matching."""
    out = []
    for it in feed.items:
        key = guid_hash(it.guid)
        if key in known:
            continue
        out.append(prepared_item(item_row(it, key), it.guid))
    return out


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
