"""Refreshing feeds: fetch → parse → store, one short transaction per feed.

Fetches run concurrently on one asyncio loop (httpx); parsing, the CPU-heavy
part, runs in a pool of worker processes when there is enough of it, so it
neither holds the GIL against the GUI thread nor serialises on one core.
Every feed's outcome is stored on its own: a broken feed is marked in error
and logged, and never stops the others or loses stored items.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import http
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from cmdesk.core.items import ItemRow, content_hash
from cmdesk.core.models import (
    ErrorCode, Feed, FeedResult, FetchLogEntry, FetchOutcome, RefreshProgress, RefreshSummary,
)
from cmdesk.net.credentials import CredentialsUnavailable, CredentialStore
from cmdesk.net.fetch import Fetcher, FetchError, FetchLimits, FetchRequest, FetchResponse, host_of, redact_url
from cmdesk.parsing.jobs import parse_and_prepare, warm_up
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import FeedRepository
from cmdesk.store.items import ItemRepository, checkpoint_wal, savepoint, stop_auto_checkpoints

log = logging.getLogger(__name__)

ProgressCallback = Callable[[RefreshProgress], None]
# Called with the refresh's connection; returns a function that gets each feed's
# new item ids (inside that feed's write transaction) and returns new mention ids.
IngestFactory = Callable[[object], Callable[[Sequence[int], int], list[int]]]

MAX_ERROR_BACKOFF_S = 24 * 3600
DEFAULT_429_BACKOFF_S = 15 * 60
MAX_RETRY_AFTER_S = 7 * 24 * 3600
POOL_MIN_FEEDS = 6  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class RetentionPolicy:
    """Default retention for feeds that have none of their own."""

    keep_items: int | None = 1000
    keep_days: int | None = None


@dataclass(frozen=True)
class RefreshOptions:
    limits: FetchLimits = field(default_factory=FetchLimits)
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    parse_workers: int | None = None  # None: one per core; 0: parse in the calling thread
    proxy: str | None = None


# User settings that shape a refresh (declared in cmdesk.core.settings).
REFRESH_SETTING_KEYS = ("refresh.concurrency", "retention.keep_items", "retention.keep_days", "network.proxy")


def refresh_options_from_settings(settings, base: RefreshOptions | None = None, **overrides) -> RefreshOptions:
    """The refresh options the user's settings ask for: concurrency, default retention, proxy.

    `settings` is a SettingsService, or a mapping of the values the user has set.
    Only settings the user has set replace `base`'s values (default: RefreshOptions(),
    whose defaults are the settings' defaults), so options a caller chose explicitly
    hold where the user chose nothing. `overrides` (RefreshOptions fields) win over both.
    Every path that refreshes (CLI, adding a feed, the window's worker) goes through this.
    """
    opts = base or RefreshOptions()
    if settings is None:
        chosen = {}
    elif hasattr(settings, "list"):
        chosen = {v.spec.key: v.value for v in settings.list()
                  if not v.is_default and v.spec.key in REFRESH_SETTING_KEYS}
    else:
        chosen = {k: v for k, v in dict(settings).items() if k in REFRESH_SETTING_KEYS}
    if chosen.get("refresh.concurrency") is not None:
        opts = dataclasses.replace(opts, limits=dataclasses.replace(
            opts.limits, max_connections=max(1, int(chosen["refresh.concurrency"]))))
    retention = opts.retention
    if chosen.get("retention.keep_items") is not None:
        retention = dataclasses.replace(retention, keep_items=int(chosen["retention.keep_items"]))
    if "retention.keep_days" in chosen:
        days = chosen["retention.keep_days"]
        retention = dataclasses.replace(retention, keep_days=int(days) if days is not None else None)
    if "network.proxy" in chosen:
        opts = dataclasses.replace(opts, proxy=chosen["network.proxy"] or None)
    opts = dataclasses.replace(opts, retention=retention)
    return dataclasses.replace(opts, **overrides) if overrides else opts


def _http_message(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP {status} {phrase}".strip()


def resolve_workers(requested: int | None) -> int:
    if requested is not None:
        return max(0, requested)
    return max(1, min(4, os.cpu_count() or 1))


class RefreshService:
    """Refreshes the feeds of one profile. Each call opens its own connection,
    so a service object may be used from whichever thread runs the refresh."""

    def __init__(
        self,
        db_path: Path,
        *,
        credentials: CredentialStore | None = None,
        options: RefreshOptions | None = None,
        clock: Callable[[], float] = time.time,
        ingest: IngestFactory | None = None,
        settings=None,
    ):
        self.ingest = ingest
        self.db_path = Path(db_path)
        self.credentials = credentials or CredentialStore()
        self.options = options or RefreshOptions()
        # A SettingsService: read at every refresh, so a setting changed since
        # this object was made (settings dialog, `cmdesk settings set`) applies.
        self.settings = settings
        self.clock = clock

    # -- public ----------------------------------------------------------
    def current_options(self) -> RefreshOptions:
        """`options` with the user's refresh settings applied (see refresh_options_from_settings)."""
        if self.settings is None:
            return self.options
        try:
            return refresh_options_from_settings(self.settings, self.options)
        except Exception as exc:  # noqa: BLE001 - a bad setting must not stop a refresh
            log.warning("refresh settings not applied: %s: %s", type(exc).__name__, exc)
            return self.options

    def refresh(
        self,
        feed_ids: Sequence[int] | None = None,
        *,
        due_only: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RefreshSummary:
        """Refresh the given feeds (default: every enabled feed) and summarise.

        SQLite work runs on a thread of its own: sqlite3 releases the GIL, so
        indexing new items overlaps with fetching (httpx on this thread's
        event loop) and parsing (worker processes). A second thread with its
        own connection answers the reads a feed needs before it is parsed
        (WAL: readers never wait for the writer), so parsing never queues
        behind a write transaction; a third copies the write-ahead log into
        the database file (checkpoints), work SQLite would otherwise do on
        the writing thread at commit time.
        """
        options = self.current_options()
        db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmdesk-refresh-db")
        reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmdesk-refresh-read")
        conn = db.submit(connect, self.db_path).result()
        read_conn = checkpointer = None
        try:
            read_conn = reader.submit(connect, self.db_path).result()
            checkpointer = _Checkpointer(self.db_path)
            db.submit(stop_auto_checkpoints, conn).result()
            return asyncio.run(self._refresh(conn, db, feed_ids, due_only, progress, cancel,
                                             reader=(read_conn, reader), checkpointer=checkpointer,
                                             options=options))
        finally:
            if read_conn is not None:
                reader.submit(read_conn.close).result()
            reader.shutdown()
            db.submit(conn.close).result()
            db.shutdown()
            if checkpointer is not None:
                checkpointer.close()

    def process_response(self, feed_id: int, response: FetchResponse) -> FeedResult:
        """Store an already-fetched response for a feed (used when adding a feed)."""
        conn = connect(self.db_path)
        try:
            run = _Run(self, conn, None, None, options=self.current_options())
            feed = run.feeds.get_feed(feed_id)
            assert feed is not None
            return asyncio.run(run.handle_response(feed, response))
        finally:
            conn.close()

    # -- internals -------------------------------------------------------
    async def _refresh(self, conn, db, feed_ids, due_only, progress, cancel, reader=None,
                       checkpointer=None, options: RefreshOptions | None = None) -> RefreshSummary:
        options = options or self.options
        started = time.monotonic()
        feeds_repo = FeedRepository(conn)
        now = int(self.clock())
        loop = asyncio.get_running_loop()
        if feed_ids is None:
            feeds = await loop.run_in_executor(db, lambda: feeds_repo.list_feeds(include_disabled=False))
        else:
            feeds = await loop.run_in_executor(db, feeds_repo.feeds_by_ids, list(feed_ids))
        if due_only:
            feeds = [f for f in feeds if f.next_due_at is None or f.next_due_at <= now]
        total = len(feeds)
        workers = resolve_workers(options.parse_workers)
        pool = None
        if workers and total >= POOL_MIN_FEEDS:
            pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up
            )
        run = _Run(self, conn, pool, db, reader, options=options)
        run.writes.checkpointer = checkpointer
        results: list[FeedResult] = []

        def start_up():
            with write_transaction(conn):
                feeds_repo.clear_expired_backoffs(now)
            return feeds_repo.host_backoffs(now)

        try:
            run.backoffs = await run.db(start_up)
            run.load_credentials(feeds)
            queue: asyncio.Queue[Feed] = asyncio.Queue()
            for f in feeds:
                queue.put_nowait(f)

            async with Fetcher(options.limits, proxy=options.proxy) as fetcher:
                run.fetcher = fetcher

                async def worker():
                    while not queue.empty():
                        if cancel is not None and cancel.is_set():
                            return
                        feed = queue.get_nowait()
                        result = await run.process(feed)
                        results.append(result)
                        if progress is not None:
                            progress(RefreshProgress(done=len(results), total=total, current=result))

                n_workers = max(1, min(options.limits.max_connections, total))
                await asyncio.gather(*(worker() for _ in range(n_workers)))
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        by = {o: 0 for o in FetchOutcome}
        for r in results:
            by[r.outcome] += 1
        summary = RefreshSummary(
            total=total,
            ok=by[FetchOutcome.OK],
            not_modified=by[FetchOutcome.NOT_MODIFIED],
            errors=by[FetchOutcome.ERROR],
            gone=by[FetchOutcome.GONE],
            deferred=by[FetchOutcome.DEFERRED],
            new_items=sum(r.new_items for r in results),
            duration_s=time.monotonic() - started,
            results=tuple(results),
            new_mentions=sum(r.new_mentions for r in results),
        )
        log.info("refresh of %d feeds%s in %.1f s: %d ok, %d not modified, %d in error, %d gone, %d deferred;"
                 " %d new items, %d new mentions", total,
                 f" (cancelled after {len(results)})" if len(results) < total else "", summary.duration_s,
                 summary.ok, summary.not_modified, summary.errors, summary.gone, summary.deferred,
                 summary.new_items, summary.new_mentions)
        return summary


class _Checkpointer:
    """Checkpoints the write-ahead log on a thread and connection of its own.

    The refresh's writing connection has automatic checkpoints turned off, so
    copying the log into the database file (I/O and CPU, about a tenth of the
    writer's work) happens here, beside the writer rather than inside its
    commits. One checkpoint at a time; PASSIVE never blocks the writer nor
    readers. Closing runs a last one.
    """

    EVERY = 500  # items (plus one per feed) written between checkpoints

    def __init__(self, db_path: Path):
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmdesk-refresh-checkpoint")
        self.conn = self.executor.submit(connect, db_path, migrate_schema=False).result()
        self.running = None
        self.written = 0

    def poke(self, weight: int) -> None:
        """Count what was written; past about SQLite's own threshold (1,000 pages,
        a few hundred items), start a checkpoint unless one is running."""
        self.written += weight
        if self.written >= self.EVERY and (self.running is None or self.running.done()):
            self.written = 0
            self.running = self.executor.submit(self._checkpoint)

    def _checkpoint(self) -> None:
        try:
            checkpoint_wal(self.conn)
        except Exception:  # noqa: BLE001 - only housekeeping: the next checkpoint (or closing) does it
            pass

    def close(self) -> None:
        self.executor.submit(self._checkpoint).result()
        self.executor.submit(self.conn.close).result()
        self.executor.shutdown()


class _GroupCommit:
    """Runs write steps on the database thread, several feeds to a transaction.

    A feed's step that arrives while a transaction is running waits for the
    next one, which takes every step waiting by then, up to a bound: when the
    database keeps up, each feed gets its own transaction; when it falls
    behind, commits (and the full-text index flush that comes with each) are
    shared. The bound keeps every transaction short (tens of ms) so the GUI's
    own writes never wait long. Each step runs in a savepoint: a step that
    fails is undone alone and the others still commit. A step's result is
    returned only once its transaction has committed.
    """

    MAX_WEIGHT = 400  # items (plus one per feed) in one transaction
    MAX_STEPS = 64

    def __init__(self, conn, executor: ThreadPoolExecutor | None):
        self.conn = conn
        self.executor = executor
        self.pending: list[tuple[Callable[[], object], int, asyncio.Future]] = []
        self.draining: asyncio.Task | None = None
        self.checkpointer: _Checkpointer | None = None

    async def run(self, step: Callable[[], object], weight: int = 1):
        if self.executor is None:  # no database thread: one transaction, right here
            with write_transaction(self.conn):
                return step()
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        self.pending.append((step, weight, done))
        if self.draining is None:
            self.draining = loop.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.pending:
                take, weight = 0, 0
                while take < len(self.pending) and take < self.MAX_STEPS and (
                        take == 0 or weight + self.pending[take][1] <= self.MAX_WEIGHT):
                    weight += self.pending[take][1]
                    take += 1
                batch, self.pending = self.pending[:take], self.pending[take:]
                try:
                    outcomes = await loop.run_in_executor(self.executor, self._commit, [b[0] for b in batch])
                except Exception as exc:  # the transaction failed as a whole: every feed in it is told
                    outcomes = [(False, exc)] * len(batch)
                if self.checkpointer is not None:
                    self.checkpointer.poke(weight)
                for (_step, _weight, done), (ok, value) in zip(batch, outcomes):
                    if done.done():
                        continue
                    if ok:
                        done.set_result(value)
                    else:
                        done.set_exception(value)
        finally:
            self.draining = None
            for _step, _weight, done in self.pending:  # only when cancelled half-way
                if not done.done():
                    done.cancel()
            self.pending = []

    def _commit(self, steps: list[Callable[[], object]]) -> list[tuple[bool, object]]:
        """On the database thread: the steps in one transaction, each in a savepoint."""
        conn = self.conn
        outcomes: list[tuple[bool, object]] = []
        with write_transaction(conn):
            for step in steps:
                try:
                    with savepoint(conn):
                        value = step()
                except Exception as exc:
                    outcomes.append((False, exc))
                else:
                    outcomes.append((True, value))
        return outcomes


class _Run:
    """State of one refresh: connection, repositories, pool, fetcher."""

    def __init__(self, service: RefreshService, conn, pool: ProcessPoolExecutor | None,
                 db_executor: ThreadPoolExecutor | None, reader: tuple | None = None,
                 options: RefreshOptions | None = None):
        self.service = service
        self.options = options or service.options  # with the user's settings applied
        # (connection, its thread) for reads outside the write transactions
        self.reader = (ItemRepository(reader[0]), reader[1]) if reader is not None else None
        self.db_executor = db_executor
        self.conn = conn
        self.feeds = FeedRepository(conn)
        self.items = ItemRepository(conn)
        self.pool = pool
        self.fetcher: Fetcher | None = None
        self.backoffs: dict[str, int] = {}
        self.auth: dict[str, tuple[str, str] | str] = {}  # auth_ref -> creds, or an error message
        self._ingest = None  # made on the database thread at first use
        self.writes = _GroupCommit(conn, db_executor)

    async def db(self, fn, *args, **kwargs):
        """Run `fn` on the database thread (or right here when there is none)."""
        if self.db_executor is None:
            return fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.db_executor, functools.partial(fn, *args, **kwargs))

    async def known_keys(self, feed_id: int) -> frozenset[str]:
        """The feed's stored and purged keys, read without waiting for a write in progress."""
        if self.reader is None:
            return await self.db(self.items.keys_for_feed, feed_id)
        repo, thread = self.reader
        return await asyncio.get_running_loop().run_in_executor(thread, repo.keys_for_feed, feed_id)

    async def write(self, fn, *args, weight: int = 1, **kwargs):
        """Run the write step `fn` in a transaction, maybe shared with other feeds' steps."""
        return await self.writes.run(functools.partial(fn, *args, **kwargs), weight)

    @property
    def ingest(self):
        if self._ingest is None and self.service.ingest is not None:
            self._ingest = self.service.ingest(self.conn)
        return self._ingest

    def now(self) -> int:
        return int(self.service.clock())

    def load_credentials(self, feeds: Sequence[Feed]) -> None:
        # The keyring may be slow (D-Bus): read each secret once, before fetching.
        for f in feeds:
            if not f.auth_ref or f.auth_ref in self.auth:
                continue
            try:
                creds = self.service.credentials.load(f.auth_ref)
            except CredentialsUnavailable as exc:
                self.auth[f.auth_ref] = str(exc)
                continue
            self.auth[f.auth_ref] = creds if creds is not None else "the feed's password is missing from the keyring"

    async def process(self, feed: Feed) -> FeedResult:
        try:
            result = await self._process(feed)
        except Exception as exc:  # never let one feed stop the refresh
            log.debug("feed %d: internal error", feed.id, exc_info=True)
            result = await self.write(self.fail, feed, ErrorCode.INTERNAL,
                                      f"internal error: {type(exc).__name__}: {exc}")
        if result.outcome in (FetchOutcome.ERROR, FetchOutcome.GONE):
            # One line per feed in the log file; the URL never carries a password.
            log.warning("feed %d <%s> %s: %s", feed.id, redact_url(feed.url),
                        result.error_code.value if result.error_code else result.outcome.value, result.error)
        elif result.outcome is FetchOutcome.DEFERRED and result.http_status:
            log.info("feed %d <%s> deferred: %s", feed.id, redact_url(feed.url), result.error)
        return result

    async def _process(self, feed: Feed) -> FeedResult:
        now = self.now()
        host = host_of(feed.url)
        until = self.backoffs.get(host)
        if until is not None and until > now:
            await self.write(self._defer, feed.id, until)
            return FeedResult(feed.id, feed.title or feed.url, FetchOutcome.DEFERRED,
                              error=f"the server asked to wait until {time.strftime('%H:%M', time.localtime(until))}")
        auth = None
        if feed.auth_ref:
            creds = self.auth.get(feed.auth_ref)
            if isinstance(creds, str) or creds is None:
                return await self.write(self.fail, feed, ErrorCode.CREDENTIALS_UNAVAILABLE, creds or "no credentials")
            auth = creds
        assert self.fetcher is not None
        try:
            resp = await self.fetcher.fetch(FetchRequest(feed.url, feed.etag, feed.last_modified, auth))
        except FetchError as exc:
            return await self.write(self.fail, feed, exc.code, exc.message, http_status=exc.http_status,
                                    nbytes=exc.bytes_received, duration_ms=exc.elapsed_ms)
        return await self.handle_response(feed, resp, authenticated=auth is not None)

    async def handle_response(self, feed: Feed, resp: FetchResponse, authenticated: bool = False) -> FeedResult:
        now = self.now()
        status = resp.status
        kw = dict(http_status=status, nbytes=resp.bytes_received, duration_ms=resp.elapsed_ms)
        if resp.moved_to and resp.moved_to != feed.url:
            feed, already = await self.write(self._move, feed, resp.moved_to)
            if already is not None:
                # Storing the body here would copy the other subscription's items: say it, keep everything.
                message = (f"moved permanently to {redact_url(resp.moved_to)}, which you already follow"
                           f" as feed {already}")
                return await self.write(self.fail, feed, ErrorCode.HTTP, message, **kw)
        if status == 304:
            return await self.write(self.succeed, feed, resp, None, None, [], FetchOutcome.NOT_MODIFIED, **kw)
        if status == 410:
            reason = "the server says the feed is gone for good (HTTP 410); it will not be fetched again"
            await self.write(self._gone, feed, now, reason, resp)
            return FeedResult(feed.id, feed.title or feed.url, FetchOutcome.GONE, http_status=status, error=reason,
                              duration_ms=resp.elapsed_ms, bytes=resp.bytes_received)
        if status in (429, 503):
            wait = resp.retry_after_s
            if wait is None and status == 429:
                wait = DEFAULT_429_BACKOFF_S
            if wait is not None:
                wait = min(wait, MAX_RETRY_AFTER_S)
                until = now + wait
                host = host_of(feed.url)
                self.backoffs[host] = max(self.backoffs.get(host, 0), until)
                message = f"{_http_message(status)}: the server asked to wait {wait} s before asking again"
                await self.write(self._back_off, feed, host, until, now, message, resp)
                return FeedResult(feed.id, feed.title or feed.url, FetchOutcome.DEFERRED, http_status=status,
                                  error=message, duration_ms=resp.elapsed_ms, bytes=resp.bytes_received)
        if status in (401, 403):
            message = (f"{_http_message(status)}: the user name or password was refused" if authenticated
                       else f"{_http_message(status)}: the feed needs a user name and password")
            return await self.write(self.fail, feed, ErrorCode.AUTH, message, **kw)
        if not 200 <= status < 300:
            return await self.write(self.fail, feed, ErrorCode.HTTP, _http_message(status), **kw)
        body = resp.body or b""
        if not body.strip():
            return await self.write(self.fail, feed, ErrorCode.NOT_A_FEED, "the server sent an empty response", **kw)
        digest = content_hash(body)
        if digest == feed.content_hash:
            # Same bytes as last time (servers without validators): skip parsing.
            return await self.write(self.succeed, feed, resp, None, None, [], FetchOutcome.NOT_MODIFIED, **kw)
        # Only a hint for the parser (skip converting stored items): insert_rows
        # checks again inside the write transaction.
        known = await self.known_keys(feed.id)
        parsed = await self._parse(body, resp.url, resp.content_type, known)
        if parsed[0] == "error":
            _, code, message = parsed
            return await self.write(self.fail, feed, ErrorCode(code), message, **kw)
        _, title, site_url, items = parsed
        return await self.write(self.succeed, feed, resp, title, site_url, items, FetchOutcome.OK, digest=digest,
                                weight=1 + len(items), **kw)

    # -- write steps (run on the database thread, inside a transaction) ----
    def _defer(self, feed_id: int, until: int) -> None:
        self.feeds.defer(feed_id, until)

    def _move(self, feed: Feed, new_url: str) -> tuple[Feed, int | None]:
        """Follow a permanent redirect: (the moved feed, None), or (the feed unchanged,
        the id of the subscription that already has `new_url`)."""
        if self.feeds.move_url(feed.id, new_url):
            return self.feeds.get_feed(feed.id), None
        other = self.feeds.find_by_url(new_url)
        return feed, (other.id if other is not None else None)

    def _gone(self, feed: Feed, now: int, reason: str, resp: FetchResponse) -> None:
        self.feeds.disable(feed.id, reason=reason, now=now)
        self._log(feed, now, FetchOutcome.GONE, resp.status, resp.elapsed_ms, resp.bytes_received, 0, reason)

    def _back_off(self, feed: Feed, host: str, until: int, now: int, message: str, resp: FetchResponse) -> None:
        self.feeds.set_host_backoff(host, until)
        self.feeds.defer(feed.id, until)
        self._log(feed, now, FetchOutcome.DEFERRED, resp.status, resp.elapsed_ms, resp.bytes_received, 0, message)

    async def _parse(self, body: bytes, url: str, content_type: str | None, known: frozenset[str]):
        if self.pool is None:
            return parse_and_prepare(body, url, content_type, known)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.pool, parse_and_prepare, body, url, content_type, known)
        except Exception as exc:  # a worker died (out of memory, killed): this feed only
            return ("error", ErrorCode.INTERNAL.value, f"the parser process failed: {type(exc).__name__}")

    def _next_due(self, feed: Feed, now: int, errors: int = 0) -> int:
        interval = max(60, feed.interval_s)
        if errors:
            return now + min(interval * (2 ** min(errors - 1, 6)), max(interval, MAX_ERROR_BACKOFF_S))
        return now + interval

    def _log(self, feed, now, outcome, status, duration_ms, nbytes, new_items, error) -> None:
        self.feeds.log_fetch(FetchLogEntry(feed.id, now, outcome.value, status, duration_ms, nbytes, new_items, error))

    def succeed(self, feed: Feed, resp: FetchResponse, title, site_url, items: list[ItemRow],
                outcome: FetchOutcome, *, http_status, nbytes, duration_ms, digest=None) -> FeedResult:
        now = self.now()
        retention = self.options.retention
        keep_items = feed.keep_items if feed.keep_items is not None else retention.keep_items
        keep_days = feed.keep_days if feed.keep_days is not None else retention.keep_days
        new_ids = self.items.insert_rows(feed.id, items, now) if items else []
        self.feeds.record_success(
            feed.id, now=now, next_due_at=self._next_due(feed, now), etag=resp.etag,
            last_modified=resp.last_modified, content_hash=digest, title=title or None, site_url=site_url,
        )
        mention_ids = self.ingest(new_ids, now) if (new_ids and self.ingest is not None) else []
        if new_ids:
            self.items.apply_retention(feed.id, keep_items=keep_items, keep_days=keep_days, now=now)
        self._log(feed, now, outcome, http_status, duration_ms, nbytes, len(new_ids), None)
        return FeedResult(feed.id, feed.title or title or feed.url, outcome, new_items=len(new_ids),
                          http_status=http_status, duration_ms=duration_ms, bytes=nbytes, new_item_ids=tuple(new_ids),
                          new_mentions=len(mention_ids))

    def fail(self, feed: Feed, code: ErrorCode, message: str, *, http_status=None, nbytes=0,
             duration_ms=0) -> FeedResult:
        now = self.now()
        self.feeds.record_error(feed.id, now=now, next_due_at=self._next_due(feed, now, feed.error_count + 1),
                                code=code.value, message=message)
        self._log(feed, now, FetchOutcome.ERROR, http_status, duration_ms, nbytes, 0, message)
        return FeedResult(feed.id, feed.title or feed.url, FetchOutcome.ERROR, http_status=http_status,
                          error_code=code, error=message, duration_ms=duration_ms, bytes=nbytes)
