"""Feed autodiscovery: the feeds a web page announces with <link rel="alternate">."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/rdf+xml": "rdf",
    "application/feed+json": "json",
    "application/json": "json",
    "text/xml": "rss",
    "application/xml": "rss",
}

# Where sites without <link> tags usually put their feed; tried in order.
COMMON_FEED_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json")


class _LinkCollector(HTMLParser):
    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base = base_url
        self.links: list[tuple[str, str, str]] = []  # (url, type, title)

    def handle_starttag(self, tag, attrs):
        if tag == "base":
            href = dict(attrs).get("href")
            if href:
                self.base = urljoin(self.base, href.strip())
            return
        if tag not in ("link", "a"):
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        typ = a.get("type", "").lower().split(";")[0].strip()
        href = a.get("href", "").strip()
        if not href or "alternate" not in rels or typ not in FEED_TYPES:
            return
        if typ == "application/json" and "feed" not in (a.get("title", "") + href).lower():
            return  # plain JSON links are usually APIs, not feeds
        self.links.append((urljoin(self.base, href), FEED_TYPES[typ], a.get("title", "").strip()))


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith(b"<!doctype html") or b"<html" in head or b"<head" in head


def find_feed_links(html: bytes | str, base_url: str) -> list[tuple[str, str, str]]:
    """Feed links announced by a page, in page order, without duplicates.

    Returns (absolute URL, kind, title) tuples; only http(s) URLs are kept.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    parser = _LinkCollector(base_url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser is lenient, but never let a page break discovery
        pass
    seen = set()
    out = []
    for url, kind, title in parser.links:
        if url in seen or not url.lower().startswith(("http://", "https://")):
            continue
        seen.add(url)
        out.append((url, kind, title))
    return out
