"""Profiles with real mentions for the Mentions area tests: feeds served on
loopback, watch terms added through the service, a real refresh."""

from __future__ import annotations

import time
from email.utils import formatdate
from xml.sax.saxutils import escape

from cmdesk.app import open_profile
from cmdesk.services.refresh import RefreshOptions

POSTS = [
    ("J'adore l'appli d'Acme, bravo à l'équipe !", "Franchement super, l'application d'Acme est au top. Merci !",
     "Julie"),
    ("Acme support is terrible", "Waiting three weeks for a refund from Acme. Worst customer service ever.", "bob"),
    ("Globex opens a new office", "The competitor Globex announced an office in Lyon.", ""),
    ("Acme launches a new app", "Acme released version 2 of its mobile app today.", "news desk"),
    ("Question about Acme pricing", "Does anyone know if Acme has a student discount?", "carla"),
    ("Globex vs Acme: which one?", "I compared Globex and Acme for a week, both are fine.", "dan"),
]


def feed_xml(n: int, *, start: int = 0, now: float | None = None, host: str = "forum.example") -> str:
    """An RSS feed of n posts cycling through POSTS, one hour apart, newest first."""
    now = time.time() if now is None else now
    items = []
    for k in range(start, start + n):
        title, text, author = POSTS[k % len(POSTS)]
        when = formatdate(now - 3600 * (k + 1), usegmt=True)
        items.append(
            f"<item><title>{escape(title)} #{k}</title><link>https://{host}/t/{k}</link><guid>{host}-{k}</guid>"
            f"<dc:creator>{escape(author or 'anon')}</dc:creator>"
            f"<pubDate>{when}</pubDate><description>{escape(text)}</description></item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>{host}</title>'
            f"<link>https://{host}/</link>{''.join(items)}</channel></rss>")


def make_profile(profile_dir, feed_server, n: int = 12, *, path: str = "/forum.xml"):
    """Open a profile, add two watch terms, serve and refresh one feed of n posts."""
    feed_server.route(path, feed_xml(n))
    services = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))
    services.mentions.add_term("Acme", "acme", kind="brand")
    services.mentions.add_term("Globex", "globex", kind="competitor")
    services.feeds.subscribe(feed_server.url(path))
    services.refresh_feeds()
    return services
