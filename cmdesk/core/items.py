"""Normalising parsed items before they are stored."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Collection

from cmdesk.core.dedup import unwrap_redirect
from cmdesk.core.models import ParsedFeed, PreparedItem
from cmdesk.core.text import html_to_text


def guid_hash(guid: str) -> str:
    """Stable per-feed key of an item (the feed's GUID may be long or odd)."""
    return hashlib.sha1(guid.strip().encode("utf-8", "surrogatepass")).hexdigest()


def prepare_items(feed: ParsedFeed, known: Collection[str] = ()) -> list[PreparedItem]:
    """Items with their key and plain text (title, summary, content) for search and matching.

    Items whose key is in `known` (already stored or purged) are left out, so
    a refresh that finds 3 new items among 50 converts and ships only those.
    """
    out = []
    for it in feed.items:
        key = guid_hash(it.guid)
        if key in known:
            continue
        if it.url:
            # Google Alerts, Talkwalker and friends wrap every link in a redirect:
            # store the article's own address.
            real = unwrap_redirect(it.url)
            if real != it.url:
                it = replace(it, url=real)
        body = it.content if len(it.content) > len(it.summary) else it.summary
        if it.content and it.summary and it.summary not in it.content:
            body = it.summary + "\n" + it.content
        text = html_to_text(body)
        out.append(PreparedItem(guid_hash=key, parsed=it, text=text))
    return out


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
