"""Subscriptions: adding feeds (with autodiscovery), OPML, listing, search."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

from cmdesk.core.discovery import COMMON_FEED_PATHS, find_feed_links, looks_like_html
from cmdesk.core.models import Feed, FeedListing, FetchLogEntry, Item
from cmdesk.core.opml import OpmlDocument, OpmlError, OpmlFeed, OpmlSkipped, parse_opml, write_opml
from cmdesk.net.credentials import CredentialsUnavailable, CredentialStore
from cmdesk.net.fetch import Fetcher, FetchError, FetchLimits, FetchRequest, FetchResponse, host_of, redact_url
from cmdesk.parsing.jobs import parse_and_prepare
from cmdesk.services.refresh import RefreshService, _http_message
from cmdesk.services.reader import _LOAD_IMAGES_KEY
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import DuplicateFeedError, FeedRepository
from cmdesk.store.items import ItemRepository, SearchSyntaxError


class FeedServiceError(Exception):
    """A user-facing failure; the message is one clear line."""


@dataclass(frozen=True)
class DiscoveredFeed:
    url: str
    kind: str
    title: str


@dataclass(frozen=True)
class AddFeedResult:
    feed: Feed
    discovered: tuple[DiscoveredFeed, ...]  # what the page announced, when a site URL was given
    new_items: int


@dataclass(frozen=True)
class OpmlImportResult:
    added: int
    already_subscribed: tuple[str, ...]
    skipped: tuple[OpmlSkipped, ...]
    folders: int
    # One line each about feeds that were added with a change the user should know of
    # (a login found in the URL: kept in the keyring, or dropped). Never a password.
    notes: tuple[str, ...] = ()


def normalise_url(raw: str) -> tuple[str, tuple[str, str] | None]:
    """A clean http(s) URL and the credentials that were embedded in it, if any."""
    url = raw.strip()
    if not url:
        raise FeedServiceError("no URL given")
    # "example.com/feed" and "example.com:8080/x" get https://; "javascript:…" keeps its scheme.
    if "://" not in url and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)", url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FeedServiceError(f"invalid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FeedServiceError(f"only http and https feeds can be added, not {parts.scheme}:")
    if not parts.hostname:
        raise FeedServiceError(f"invalid URL (no host): {redact_url(url)}")
    creds = None
    if parts.username is not None:
        from urllib.parse import unquote

        creds = (unquote(parts.username), unquote(parts.password or ""))
    host = parts.hostname
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port:
        host += f":{port}"
    clean = urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))
    return clean, creds


class FeedService:
    """Use cases about subscriptions. Opens a short-lived connection per call."""

    def __init__(self, db_path: Path, *, credentials: CredentialStore | None = None,
                 refresher: RefreshService | None = None, limits: FetchLimits | None = None,
                 clock: Callable[[], float] = time.time):
        self.db_path = Path(db_path)
        self.credentials = credentials or CredentialStore()
        self.refresher = refresher or RefreshService(self.db_path, credentials=self.credentials, clock=clock)
        self._limits = limits
        self.clock = clock

    @property
    def limits(self) -> FetchLimits:
        return self._limits or self.refresher.current_options().limits

    def _fetcher(self) -> Fetcher:
        """A fetcher for adding feeds, with the user's proxy and limits (as a refresh uses)."""
        options = self.refresher.current_options()
        return Fetcher(self._limits or options.limits, proxy=options.proxy)

    def _conn(self):
        return connect(self.db_path)

    # -- adding ----------------------------------------------------------
    def add_feed(self, url: str, *, folder: str | None = None, choose: str | None = None,
                 username: str | None = None, password: str | None = None) -> AddFeedResult:
        """Subscribe to a feed URL, or to the feed a site URL announces.

        When a page announces several feeds all are reported and the first is
        taken, unless `choose` names one. The feed's items are stored at once.
        """
        url, embedded = normalise_url(url)
        if username is None and embedded is not None:
            username, password = embedded
        auth = (username, password or "") if username else None
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            existing = repo.find_by_url(url)
            if existing is not None:
                raise FeedServiceError(f"already subscribed to {url} (feed {existing.id})")
        finally:
            conn.close()

        resp, discovered, feed_url = asyncio.run(self._discover(url, choose, auth))
        feed_url = resp.moved_to or feed_url
        if feed_url != url:
            conn = self._conn()
            try:
                existing = FeedRepository(conn).find_by_url(feed_url)
            finally:
                conn.close()
            if existing is not None:
                raise FeedServiceError(f"already subscribed to {feed_url} (feed {existing.id})")

        auth_ref = None
        if auth is not None:
            try:
                auth_ref = self.credentials.new_ref()
                self.credentials.save(auth_ref, *auth)
            except CredentialsUnavailable as exc:
                raise FeedServiceError(f"cannot keep the password: {exc}") from None
        try:
            feed = self._insert_feed(feed_url, folder=folder, auth_ref=auth_ref)
        except FeedServiceError:
            if auth_ref is not None:  # no feed points to the secret: do not leave it in the keyring
                self.credentials.delete(auth_ref)
            raise
        result = self.refresher.process_response(feed.id, resp)
        conn = self._conn()
        try:
            feed = FeedRepository(conn).get_feed(feed.id)
        finally:
            conn.close()
        return AddFeedResult(feed=feed, discovered=tuple(discovered), new_items=result.new_items)

    def discover(self, url: str, *, username: str | None = None,
                 password: str | None = None) -> list[DiscoveredFeed]:
        """The feeds a URL leads to, without subscribing: the URL itself when it is a feed
        (kind "feed", with the feed's title), else what the page announces with
        <link rel="alternate">, else the first common feed path that answers with a feed
        (kind "guess"). Raises FeedServiceError like `add_feed` when nothing is found."""
        url, embedded = normalise_url(url)
        if username is None and embedded is not None:
            username, password = embedded
        auth = (username, password or "") if username else None
        return asyncio.run(self._candidates(url, auth))

    async def _candidates(self, url: str, auth) -> list[DiscoveredFeed]:
        async with self._fetcher() as fetcher:
            resp = await self._get(fetcher, url, auth)
            verdict = parse_and_prepare(resp.body or b"", resp.url, resp.content_type)
            if verdict[0] == "ok":
                return [DiscoveredFeed(resp.moved_to or url, "feed", verdict[1] or "")]
            body = resp.body or b""
            if not looks_like_html(body):
                raise _not_a_feed(url, verdict[2])
            links = [DiscoveredFeed(*l) for l in find_feed_links(body, resp.url)]
            if links:
                return links
            for path in COMMON_FEED_PATHS:
                guess = urljoin(resp.url, path)
                try:
                    g = await self._get(fetcher, guess, auth)
                except FeedServiceError:
                    continue
                verdict = parse_and_prepare(g.body or b"", g.url, g.content_type)
                if verdict[0] == "ok":
                    return [DiscoveredFeed(g.moved_to or guess, "guess", verdict[1] or "")]
            raise FeedServiceError(f"{redact_url(url)} is a web page that announces no feed")

    async def _discover(self, url: str, choose: str | None, auth) -> tuple[FetchResponse, list[DiscoveredFeed], str]:
        async with self._fetcher() as fetcher:
            resp = await self._get(fetcher, url, auth)
            verdict = parse_and_prepare(resp.body or b"", resp.url, resp.content_type)
            if verdict[0] == "ok":
                return resp, [], url
            body = resp.body or b""
            if not looks_like_html(body):
                raise _not_a_feed(url, verdict[2])
            links = [DiscoveredFeed(*l) for l in find_feed_links(body, resp.url)]
            if choose is not None:
                target = urljoin(resp.url, choose)
            elif links:
                target = links[0].url
            else:
                # No <link rel="alternate">: try where sites usually put feeds.
                for path in COMMON_FEED_PATHS:
                    guess = urljoin(resp.url, path)
                    try:
                        g = await self._get(fetcher, guess, auth)
                    except FeedServiceError:
                        continue
                    if parse_and_prepare(g.body or b"", g.url, g.content_type)[0] == "ok":
                        return g, [DiscoveredFeed(guess, "guess", "")], guess
                raise FeedServiceError(f"{redact_url(url)} is a web page that announces no feed")
            fresp = await self._get(fetcher, target, auth)
            verdict = parse_and_prepare(fresp.body or b"", fresp.url, fresp.content_type)
            if verdict[0] != "ok":
                raise _not_a_feed(target, verdict[2])
            if not links:
                links = [DiscoveredFeed(target, "chosen", "")]
            return fresp, links, target

    async def _get(self, fetcher: Fetcher, url: str, auth) -> FetchResponse:
        try:
            resp = await fetcher.fetch(FetchRequest(url, auth=auth))
        except FetchError as exc:
            raise FeedServiceError(f"cannot fetch {redact_url(url)}: {exc.message}") from None
        if not 200 <= resp.status < 300:
            raise FeedServiceError(f"cannot fetch {redact_url(url)}: {_http_message(resp.status)}")
        return resp

    # -- OPML ------------------------------------------------------------
    def import_opml(self, data: bytes) -> OpmlImportResult:
        """Add every feed of an OPML document; existing URLs and bad entries are reported."""
        try:
            doc: OpmlDocument = parse_opml(data)
        except OpmlError as exc:
            raise FeedServiceError(str(exc)) from None
        now = int(self.clock())
        added = 0
        existing: list[str] = []
        skipped = list(doc.skipped)
        logins: list[tuple[int, str, tuple[str, str]]] = []  # (feed id, title or URL, (user, password))
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            with write_transaction(conn):
                before = len(repo.list_folders())
                for path in doc.folders:
                    repo.ensure_folder_path(path)
                for f in doc.feeds:
                    try:
                        url, creds = normalise_url(f.url)
                    except FeedServiceError as exc:
                        skipped.append(OpmlSkipped(f.title or redact_url(f.url), str(exc), None))
                        continue
                    if repo.find_by_url(url) is not None:
                        existing.append(url)
                        continue
                    folder_id = repo.ensure_folder_path(f.folder) if f.folder else None
                    feed = repo.add_feed(url, title=f.title, site_url=f.site_url, folder_id=folder_id, now=now)
                    if creds is not None:
                        logins.append((feed.id, f.title or url, creds))
                    added += 1
                folders = len(repo.list_folders()) - before
        finally:
            conn.close()
        # The keyring may be slow (D-Bus): talk to it after the import's transaction.
        notes = self._keep_opml_logins(logins) if logins else []
        return OpmlImportResult(added=added, already_subscribed=tuple(existing), skipped=tuple(skipped),
                                folders=folders, notes=tuple(notes))

    def _keep_opml_logins(self, logins: list[tuple[int, str, tuple[str, str]]]) -> list[str]:
        """Move logins found in imported URLs to the keyring, as `add_feed` does; the
        feeds are added either way. Returns a note per feed, never with the password."""
        notes, refs = [], {}
        for feed_id, name, (user, password) in logins:
            try:
                ref = self.credentials.new_ref()
                self.credentials.save(ref, user, password)
            except CredentialsUnavailable as exc:
                notes.append(f"feed {feed_id} {name}: login removed from the URL and not kept ({exc}); add it in the"
                             " feed's properties in the window, or remove the feed and add it again with"
                             " `cmdesk feeds add URL --username USER --password-stdin`")
                continue
            refs[feed_id] = ref
            notes.append(f"feed {feed_id} {name}: login removed from the URL and kept in the system keyring")
        if refs:
            conn = self._conn()
            try:
                repo = FeedRepository(conn)
                with write_transaction(conn):
                    for feed_id, ref in refs.items():
                        repo.set_feed_fields(feed_id, auth_ref=ref)
            finally:
                conn.close()
        return notes

    def subscribe(self, url: str, *, title: str = "", folder: str | None = None) -> Feed:
        """Add a feed without fetching it now (the next refresh reads it)."""
        url, _creds = normalise_url(url)
        return self._insert_feed(url, title=title, folder=folder)

    def _insert_feed(self, url: str, *, title: str = "", folder: str | None = None,
                     auth_ref: str | None = None) -> Feed:
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            with write_transaction(conn):
                folder_id = repo.ensure_folder_path(_split_folder(folder)) if folder else None
                try:
                    return repo.add_feed(url, title=title, folder_id=folder_id, auth_ref=auth_ref,
                                         now=int(self.clock()))
                except DuplicateFeedError as exc:
                    raise FeedServiceError(str(exc)) from None
        finally:
            conn.close()

    def export_opml(self, title: str = "cmdesk subscriptions") -> bytes:
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            paths = repo.folder_paths()
            feeds = [
                OpmlFeed(url=f.url, title=f.title, site_url=f.site_url,
                         folder=paths.get(f.folder_id, ()) if f.folder_id else ())
                for f in repo.list_feeds()
            ]
            # Folder by folder, subfolders before a folder's own feeds (subscription
            # order inside a folder), so each folder is written once: other readers
            # would show interleaved feeds as the same folder twice.
            feeds.sort(key=lambda f: (*((0, name) for name in f.folder), (1,)))
            folders = sorted(paths.values())
        finally:
            conn.close()
        return write_opml(title, folders, feeds, now=int(self.clock()))

    # -- reading ---------------------------------------------------------
    def list_feeds(self) -> list[FeedListing]:
        """Every feed with its counts; `deferred_until` set where its host asked (429/503) to wait."""
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            listings = repo.list_listings()
            backoffs = repo.host_backoffs(int(self.clock()))
        finally:
            conn.close()
        if not backoffs:
            return listings
        return [dataclasses.replace(l, deferred_until=backoffs.get(host_of(l.feed.url))) for l in listings]

    def fetch_log(self, feed_id: int) -> list[FetchLogEntry]:
        conn = self._conn()
        try:
            return FeedRepository(conn).fetch_log(feed_id)
        finally:
            conn.close()

    def remove_feed(self, feed_id: int) -> Feed:
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            feed = repo.get_feed(feed_id)
            if feed is None:
                raise FeedServiceError(f"no feed with id {feed_id}")
            with write_transaction(conn):
                repo.delete_feed(feed_id)
                # Feed ids are plain rowids and get reused: a later feed must not inherit this preference.
                repo.delete_setting(_LOAD_IMAGES_KEY.format(id=feed_id))
        finally:
            conn.close()
        if feed.auth_ref:
            try:
                self.credentials.delete(feed.auth_ref)
            except CredentialsUnavailable:
                pass  # nothing we can remove; the store no longer points to it
        return feed

    def search_items(self, query: str, *, limit: int = 50) -> list[Item]:
        conn = self._conn()
        try:
            return ItemRepository(conn).search(query, limit=limit)
        except SearchSyntaxError as exc:
            raise FeedServiceError(str(exc)) from None
        finally:
            conn.close()

    def feed_exists(self, feed_id: int) -> bool:
        conn = self._conn()
        try:
            return FeedRepository(conn).get_feed(feed_id) is not None
        finally:
            conn.close()


def _not_a_feed(url: str, reason: str) -> FeedServiceError:
    """The error 'URL is not a feed: why', without repeating the parser's own 'not a feed:'."""
    prefix = "not a feed:"
    if reason.lower().startswith(prefix):
        reason = reason[len(prefix):].strip()
    return FeedServiceError(f"{redact_url(url)} is not a feed: {reason}")


def _split_folder(folder: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in folder.split("/") if p.strip())
