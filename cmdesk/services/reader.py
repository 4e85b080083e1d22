"""What the feed reader (Veille) needs: the folder/feed tree with counts, item
pages for lazy lists, reading state, feed properties and health.

Qt-free: the GUI and tests call it alike. One short-lived connection per call;
every write is one short transaction, so a mark-read never waits long on a
refresh (which also writes one feed per transaction).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from cmdesk.core.models import Feed, FeedListing, FetchLogEntry, Folder, Item
from cmdesk.net.credentials import CredentialsUnavailable, CredentialStore
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import FeedRepository
from cmdesk.store.items import ItemRepository, SearchSyntaxError

__all__ = ["ReaderService", "ReaderError", "ItemScope", "ItemPage", "FeedTree", "FeedHealth", "FeedProperties"]

_LOAD_IMAGES_KEY = "feed.{id}.load_images"  # per-feed preference, in the settings table


class ReaderError(Exception):
    """A user-facing failure; the message is one clear line."""


@dataclass(frozen=True, slots=True)
class ItemScope:
    """Which items a list shows. Exactly one of the selectors is used:
    `feed_ids` (a feed or a folder's feeds), `starred`, or neither (all items).
    `query` narrows any of them with a full-text search."""

    feed_ids: tuple[int, ...] | None = None
    starred: bool = False
    unread_only: bool = False
    query: str | None = None


@dataclass(frozen=True, slots=True)
class ItemPage:
    items: tuple[Item, ...]  # headers: summary/content/text are empty; `get_item` reads one whole
    next_cursor: tuple[int, int] | None  # pass back as `after`; None when this was the last page


@dataclass(frozen=True, slots=True)
class FeedTree:
    folders: tuple[Folder, ...]
    feeds: tuple[FeedListing, ...]
    total_items: int
    total_unread: int
    starred: int
    starred_unread: int
    folder_paths: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def feed_ids_under(self, folder_id: int) -> tuple[int, ...]:
        """Feeds in this folder and its sub-folders."""
        children: dict[int | None, list[int]] = {}
        for f in self.folders:
            children.setdefault(f.parent_id, []).append(f.id)
        wanted, stack = set(), [folder_id]
        while stack:
            fid = stack.pop()
            if fid in wanted:
                continue
            wanted.add(fid)
            stack.extend(children.get(fid, ()))
        return tuple(l.feed.id for l in self.feeds if l.feed.folder_id in wanted)


@dataclass(frozen=True, slots=True)
class FeedProperties:
    feed: Feed
    folder_path: str
    load_images: bool
    username: str | None  # None: no credentials, or the keyring cannot be read
    credentials_error: str | None = None


@dataclass(frozen=True, slots=True)
class FeedHealth:
    feed: Feed
    log: tuple[FetchLogEntry, ...]


_UNSET = object()


def _feed_or_error(repo: FeedRepository, feed_id: int) -> Feed:
    feed = repo.get_feed(feed_id)
    if feed is None:
        raise ReaderError(f"no feed with id {feed_id}")
    return feed


class ReaderService:
    def __init__(self, db_path: Path, *, credentials: CredentialStore | None = None,
                 clock: Callable[[], float] = time.time):
        self.db_path = Path(db_path)
        self.credentials = credentials or CredentialStore()
        self.clock = clock

    def _conn(self):
        return connect(self.db_path)

    # -- tree --------------------------------------------------------------
    def tree(self) -> FeedTree:
        conn = self._conn()
        try:
            feeds = FeedRepository(conn)
            items = ItemRepository(conn)
            listings = feeds.list_listings()
            starred, starred_unread = items.count_starred()
            return FeedTree(
                folders=tuple(feeds.list_folders()),
                feeds=tuple(listings),
                total_items=sum(l.items for l in listings),
                total_unread=sum(l.unread for l in listings),
                starred=starred,
                starred_unread=starred_unread,
                folder_paths=feeds.folder_paths(),
            )
        finally:
            conn.close()

    def folder_names(self) -> list[str]:
        """Every folder as a "Parent/Child" path, sorted, for folder pickers."""
        conn = self._conn()
        try:
            return sorted(("/".join(p) for p in FeedRepository(conn).folder_paths().values()), key=str.casefold)
        finally:
            conn.close()

    # -- items -------------------------------------------------------------
    def items_page(self, scope: ItemScope, *, after: tuple[int, int] | None = None, limit: int = 200) -> ItemPage:
        query = scope.query.strip() if scope.query else None
        conn = self._conn()
        try:
            rows = ItemRepository(conn).page(
                feed_ids=scope.feed_ids, starred=scope.starred, unread_only=scope.unread_only,
                query=query or None, after=after, limit=limit + 1,
            )
        except SearchSyntaxError as exc:
            raise ReaderError(str(exc)) from None
        finally:
            conn.close()
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = (rows[-1][1], rows[-1][0].id) if (more and rows) else None
        return ItemPage(items=tuple(r[0] for r in rows), next_cursor=cursor)

    def get_item(self, item_id: int) -> Item | None:
        conn = self._conn()
        try:
            return ItemRepository(conn).get(item_id)
        finally:
            conn.close()

    def set_read(self, item_ids: Sequence[int], read: bool = True) -> int:
        conn = self._conn()
        try:
            with write_transaction(conn):
                return ItemRepository(conn).set_read(list(item_ids), read)
        finally:
            conn.close()

    def set_starred(self, item_id: int, starred: bool = True) -> bool:
        conn = self._conn()
        try:
            with write_transaction(conn):
                return ItemRepository(conn).set_starred(item_id, starred)
        finally:
            conn.close()

    def mark_all_read(self, scope: ItemScope, *, until_id: int | None = None) -> int:
        """Mark every unread item of a feed, folder, of starred items or of everything read.

        `until_id` (the newest id the user saw) keeps items that arrived since unread.
        """
        conn = self._conn()
        try:
            repo = ItemRepository(conn)
            with write_transaction(conn):
                if scope.starred:
                    return repo.mark_starred_read()
                return repo.mark_feeds_read(scope.feed_ids, until_id=until_id)
        finally:
            conn.close()

    def unread_count(self, feed_ids: Sequence[int] | None = None) -> int:
        conn = self._conn()
        try:
            return ItemRepository(conn).count_unread(feed_ids)
        finally:
            conn.close()

    # -- feed properties ---------------------------------------------------
    def feed(self, feed_id: int) -> Feed:
        conn = self._conn()
        try:
            return _feed_or_error(FeedRepository(conn), feed_id)
        finally:
            conn.close()

    def load_images(self, feed_id: int) -> bool:
        conn = self._conn()
        try:
            return FeedRepository(conn).get_setting(_LOAD_IMAGES_KEY.format(id=feed_id)) == "true"
        finally:
            conn.close()

    def feed_properties(self, feed_id: int) -> FeedProperties:
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            feed = _feed_or_error(repo, feed_id)
            path = "/".join(repo.folder_paths().get(feed.folder_id, ())) if feed.folder_id else ""
            load_images = repo.get_setting(_LOAD_IMAGES_KEY.format(id=feed_id)) == "true"
        finally:
            conn.close()
        username, error = None, None
        if feed.auth_ref:
            try:
                creds = self.credentials.load(feed.auth_ref)
                username = creds[0] if creds else None
            except CredentialsUnavailable as exc:
                error = str(exc)
        return FeedProperties(feed, path, load_images, username, error)

    def update_feed(self, feed_id: int, *, title: str | None = None, folder: str | None = None,
                    interval_s: int | None = None, keep_items=_UNSET, keep_days=_UNSET,
                    load_images: bool | None = None, credentials=_UNSET) -> Feed:
        """Change what the user may change. `folder=""` moves the feed to the top level;
        `credentials=(user, password)` saves them in the keyring, `credentials=None` removes them;
        `keep_items`/`keep_days` = None go back to the default retention."""
        if interval_s is not None and interval_s < 60:
            raise ReaderError("the refresh interval must be at least one minute")
        for name, value in (("keep_items", keep_items), ("keep_days", keep_days)):
            if value is not _UNSET and value is not None and value < 1:
                raise ReaderError(f"{name.replace('_', ' ')} must be at least 1 (or unset for the default)")
        current = self.feed(feed_id)
        new_ref = _UNSET
        if credentials is not _UNSET:
            try:
                if credentials is None:
                    if current.auth_ref:
                        self.credentials.delete(current.auth_ref)
                    new_ref = None
                else:
                    user, password = credentials
                    if not user:
                        raise ReaderError("a user name is needed to save credentials")
                    ref = current.auth_ref or self.credentials.new_ref()
                    self.credentials.save(ref, user, password or "")
                    new_ref = ref
            except CredentialsUnavailable as exc:
                raise ReaderError(f"cannot keep the password: {exc}") from None
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            with write_transaction(conn):
                fields: dict = {}
                if title is not None:
                    fields["title"] = title.strip()
                if folder is not None:
                    parts = [p.strip() for p in folder.split("/") if p.strip()]
                    fields["folder_id"] = repo.ensure_folder_path(parts) if parts else None
                if interval_s is not None:
                    fields["interval_s"] = int(interval_s)
                if keep_items is not _UNSET:
                    fields["keep_items"] = keep_items
                if keep_days is not _UNSET:
                    fields["keep_days"] = keep_days
                if new_ref is not _UNSET:
                    fields["auth_ref"] = new_ref
                repo.set_feed_fields(feed_id, **fields)
                if load_images is not None:
                    key = _LOAD_IMAGES_KEY.format(id=feed_id)
                    if load_images:
                        repo.set_setting(key, "true")
                    else:
                        repo.delete_setting(key)
            return repo.get_feed(feed_id)
        finally:
            conn.close()

    def set_feed_enabled(self, feed_id: int, enabled: bool) -> Feed:
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            with write_transaction(conn):
                if enabled:
                    repo.set_feed_fields(feed_id, disabled=0, disabled_reason=None, next_due_at=int(self.clock()))
                else:
                    repo.set_feed_fields(feed_id, disabled=1, disabled_reason="disabled by the user")
            return repo.get_feed(feed_id)
        finally:
            conn.close()

    # -- health ------------------------------------------------------------
    def feed_health(self, feed_id: int) -> FeedHealth:
        conn = self._conn()
        try:
            repo = FeedRepository(conn)
            feed = _feed_or_error(repo, feed_id)
            return FeedHealth(feed, tuple(repo.fetch_log(feed_id)))
        finally:
            conn.close()
