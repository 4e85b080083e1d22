"""Composition root: where the profile lives and which services run on it.

Only this module wires layers together; the CLI (and later the GUI) ask it
for ready-made services.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from cmdesk.net.credentials import CredentialStore
from cmdesk.services.feeds import FeedService
from cmdesk.services.demo import with_demo_file_root
from cmdesk.services.mentions import MentionIngest, MentionService
from cmdesk.services.reader import ReaderService
from cmdesk.services.refresh import RefreshOptions, RefreshService
from cmdesk.services.settings import SettingsService
from cmdesk.services.stats import StatsService
from cmdesk.store.backup import daily_backup_if_due
from cmdesk.store.database import connect, db_path_for

APP_NAME = "cmdesk"
PROFILE_ENV = "CMDESK_PROFILE"


def default_profile_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_profile_dir(explicit: str | os.PathLike | None = None) -> Path:
    """`--profile` wins, then $CMDESK_PROFILE, then the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(PROFILE_ENV)
    if env:
        return Path(env).expanduser()
    return default_profile_dir()


@dataclass
class Services:
    profile_dir: Path
    db_path: Path
    credentials: CredentialStore
    refresh: RefreshService
    feeds: FeedService
    mentions: MentionService
    reader: ReaderService | None = None  # the feed reader's queries (Veille)
    settings: SettingsService | None = None  # typed user settings (cmdesk.core.settings)
    stats: StatsService | None = None  # KPIs, comparisons, ROI (stats tab and monthly report)

    def refresh_feeds(self, feed_ids=None, **kw):
        """Refresh, then look for spikes in the mention counts."""
        summary = self.refresh.refresh(feed_ids, **kw)
        if summary.new_mentions:
            self.mentions.check_spikes()
        return summary

    def daily_backup(self):
        """Today's automatic backup if there is none yet (the last 7 are kept); its path or None."""
        return daily_backup_if_due(self.profile_dir)


def open_profile(profile_dir: Path, *, options: RefreshOptions | None = None,
                 credentials: CredentialStore | None = None) -> Services:
    """Open (creating and migrating if needed) a profile and build its services."""
    db_path = db_path_for(profile_dir)
    connect(db_path).close()  # create / migrate once, up front, with a clear error if it fails
    creds = credentials or CredentialStore()
    # The demo workspace's feeds are files inside the profile: let the fetcher read them.
    options = with_demo_file_root(options or RefreshOptions(), profile_dir)
    settings = SettingsService(db_path)
    # The user's refresh settings (concurrency, retention, proxy) are applied over
    # `options` at every refresh, whoever asks for it (CLI, feeds add, the window).
    refresh = RefreshService(db_path, credentials=creds, options=options, ingest=MentionIngest, settings=settings)
    feeds = FeedService(db_path, credentials=creds, refresher=refresh)
    mentions = MentionService(db_path)
    return Services(profile_dir=profile_dir, db_path=db_path, credentials=creds, refresh=refresh, feeds=feeds,
                    mentions=mentions, reader=ReaderService(db_path, credentials=creds),
                    settings=settings, stats=StatsService(db_path, settings=settings))


def refresh_in_child(profile_dir: str, options: RefreshOptions | None, feed_ids, due_only: bool, conn,
                     cancel) -> None:
    """Entry point of the refresh process the GUI starts (spawn): refresh the
    profile and report over `conn` as ("progress", RefreshProgress), then
    ("done", RefreshSummary) or ("error", one line).

    The window's process then has no fetching, parsing, storing or matching
    threads competing with its event loop for the GIL.
    """
    try:
        services = open_profile(Path(profile_dir), options=options)
        summary = services.refresh_feeds(feed_ids, due_only=due_only,
                                         progress=lambda p: conn.send(("progress", p)), cancel=cancel)
        conn.send(("done", summary))
    except Exception as exc:  # reported to the window, which keeps running
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()

