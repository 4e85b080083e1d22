"""Background refresh: a QObject worker in its own QThread, driven by a controller.

The GUI thread only ever talks to `RefreshController`: `request(feed_ids)`
starts a refresh, or — while one runs — merges the request into it (feeds the
running refresh already covers are not fetched twice; the others are queued
for one follow-up run). Progress comes back as queued signals carrying the
service's frozen dataclasses (`FeedResult`, `RefreshSummary`), so the GUI
never touches a connection or waits on the network or a parser.

Automatic refresh: a QTimer asks for the feeds that are due, every
`refresh.interval_minutes`, when `refresh.auto` is on.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Iterable

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from cmdesk.core.models import FeedResult, RefreshProgress, RefreshSummary

__all__ = ["RefreshWorker", "RefreshController", "ALL_FEEDS"]

log = logging.getLogger(__name__)

ALL_FEEDS = None  # a request for every enabled feed


class RefreshWorker(QObject):
    """Lives in the refresh thread; runs one refresh per `run` call."""

    # done, total, the FeedResults since the last batch (a tuple): a cold refresh
    # reports hundreds of feeds a second, and one queued event per feed kept the
    # GUI thread waiting for the GIL once per event.
    progress = Signal(int, int, object)
    finished = Signal(object)  # RefreshSummary
    failed = Signal(str)  # one line: the refresh itself could not run

    BATCH_S = 0.1  # at most ten progress events a second

    def __init__(self, services, *, out_of_process: bool = False):
        super().__init__()
        self.services = services
        self.cancel_event = threading.Event()
        self.out_of_process = out_of_process

    @Slot(object)
    def run(self, request) -> None:
        """`request` is (feed ids or None, due_only): one object, so nothing but a Python
        reference crosses the thread boundary."""
        feed_ids, due_only = request

        lock = threading.Lock()
        pending: list[FeedResult] = []
        state = {"done": 0, "total": 0, "sent": 0.0}

        def flush() -> None:
            if pending:
                batch = tuple(pending)
                pending.clear()
                state["sent"] = time.monotonic()
                self.progress.emit(state["done"], state["total"], batch)

        def on_progress(p: RefreshProgress) -> None:
            with lock:
                pending.append(p.current)
                state["done"], state["total"] = p.done, p.total
                if p.done >= p.total or time.monotonic() - state["sent"] >= self.BATCH_S:
                    flush()

        ids = None if feed_ids is None else sorted(feed_ids)
        try:
            if self.out_of_process:
                summary = self._run_in_child(ids, due_only, on_progress)
            else:
                summary = self.services.refresh_feeds(ids, due_only=due_only, progress=on_progress,
                                                      cancel=self.cancel_event)
        except Exception as exc:  # a broken store or keyring: say it, keep the window alive
            with lock:
                flush()
            log.exception("refresh failed")
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        with lock:
            flush()  # the last batch goes out before `finished` (same sender: kept in order)
        self.finished.emit(summary)


    def _run_in_child(self, feed_ids, due_only: bool, on_progress) -> RefreshSummary:
        """Run the refresh in a spawned process (`cmdesk.app.refresh_in_child`) and relay
        its reports. This thread only waits on a pipe, so the GUI keeps the GIL to itself."""
        import multiprocessing

        from cmdesk.app import refresh_in_child

        ctx = multiprocessing.get_context("spawn")
        receiver, sender = ctx.Pipe(duplex=False)
        cancel = ctx.Event()
        options = getattr(getattr(self.services, "refresh", None), "options", None)
        child = ctx.Process(target=refresh_in_child, name="cmdesk-refresh",
                            args=(str(self.services.profile_dir), options, feed_ids, due_only, sender, cancel))
        child.start()
        sender.close()  # the child holds the only writing end: EOF when it exits
        try:
            while True:
                if self.cancel_event.is_set():
                    cancel.set()
                if not receiver.poll(0.05):
                    continue
                try:
                    kind, payload = receiver.recv()
                except EOFError:
                    raise RuntimeError("the refresh process stopped unexpectedly") from None
                if kind == "progress":
                    on_progress(payload)
                elif kind == "done":
                    return payload
                else:
                    raise RuntimeError(payload)
        finally:
            receiver.close()
            child.join(timeout=30)
            if child.is_alive():
                child.kill()


class RefreshController(QObject):
    """Owns the refresh thread; one refresh at a time, requests merged while it runs."""

    started = Signal(int)  # run number
    progress = Signal(int, int, object)  # done, total, FeedResult
    finished = Signal(object)  # RefreshSummary (of the run that just ended)
    failed = Signal(str)
    cancelled = Signal()
    idle = Signal()  # nothing running and nothing queued
    merged = Signal()  # a request was folded into the running refresh

    _run = Signal(object)  # (feed ids or None, due_only)

    def __init__(self, services, parent: QObject | None = None, *, settings=None, auto: bool = True,
                 out_of_process: bool = False):
        super().__init__(parent)
        self.services = services
        self._settings = settings  # a SettingsService, or None (read from services.db_path)
        self._thread = QThread()
        self._thread.setObjectName("cmdesk-refresh")
        self._worker = RefreshWorker(services, out_of_process=out_of_process)
        self._worker.moveToThread(self._thread)
        self._run.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        self._running: frozenset[int] | None | bool = False  # False: idle; None: all feeds; set: those feeds
        self._pending: set[int] | None | bool = False
        self._pending_due_only = True
        self._running_due_only = False
        self._runs = 0
        self._cancelled = False
        self.done = 0
        self.total = 0
        self.current = ""
        self.last_summary: RefreshSummary | None = None
        self.last_finished_at: float | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh_due)
        if auto:
            self.apply_settings()

    # -- state -------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running is not False

    @property
    def queued(self) -> bool:
        return self._pending is not False

    @property
    def runs(self) -> int:
        return self._runs

    # -- requests ------------------------------------------------------------
    def request(self, feed_ids: Iterable[int] | None = ALL_FEEDS, *, due_only: bool = False) -> bool:
        """Refresh these feeds (None: all). Returns True when a run started now,
        False when the request was merged into the running one."""
        ids = None if feed_ids is None else frozenset(feed_ids)
        if not self.running:
            self._start(ids, due_only)
            return True
        # Merge: what the running refresh already covers is dropped; the rest waits for one follow-up run.
        covers = not self._running_due_only or due_only
        if covers and self._running is None:
            extra = frozenset()
        elif covers and ids is not None:
            extra = ids - self._running
        else:
            extra = ids  # None: every feed
        if extra is not None and not extra:
            self.merged.emit()
            return False
        if extra is None or self._pending is None:
            self._pending = None
        elif self._pending is False:
            self._pending = set(extra)
        else:
            self._pending |= extra
        self._pending_due_only = self._pending_due_only and due_only
        self.merged.emit()
        return False

    @Slot()
    def refresh_due(self) -> None:
        """The timer's request: feeds whose next fetch is due."""
        if not self.running:
            self.request(ALL_FEEDS, due_only=True)

    def cancel(self) -> None:
        """Stop after the feeds being fetched now; queued requests are dropped."""
        if self.running:
            self._cancelled = True
            self._pending = False
            self._worker.cancel_event.set()

    def _start(self, ids: frozenset[int] | None, due_only: bool) -> None:
        self._running = ids
        self._running_due_only = due_only
        self._cancelled = False
        self._worker.cancel_event.clear()
        self._runs += 1
        self.done, self.total, self.current = 0, 0 if ids is None else len(ids), ""
        self._apply_refresh_options()
        self.started.emit(self._runs)
        self._run.emit((ids, bool(due_only)))

    # -- from the worker (queued onto this object's thread) ------------------
    @Slot(int, int, object)
    def _on_progress(self, done: int, total: int, batch: tuple) -> None:
        first = done - len(batch)
        for i, result in enumerate(batch, 1):
            self.done, self.total, self.current = first + i, total, result.title
            self.progress.emit(first + i, total, result)

    @Slot(object)
    def _on_finished(self, summary: RefreshSummary) -> None:
        self.last_summary = summary
        self.last_finished_at = time.time()
        was_cancelled = self._cancelled
        self._end_run()
        if was_cancelled:
            self.cancelled.emit()
        self.finished.emit(summary)
        self._next_or_idle()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end_run()
        self.failed.emit(message)
        self._next_or_idle()

    def _end_run(self) -> None:
        self._running = False
        self._cancelled = False

    def _next_or_idle(self) -> None:
        if self._pending is not False:
            pending, due_only = self._pending, self._pending_due_only
            self._pending, self._pending_due_only = False, True
            self._start(None if pending is None else frozenset(pending), due_only)
        else:
            self.idle.emit()

    # -- settings --------------------------------------------------------------
    def _settings_service(self):
        if self._settings is None:
            from cmdesk.services.settings import SettingsService

            self._settings = SettingsService(self.services.db_path)
        return self._settings

    def _get(self, key: str, default):
        try:
            value = self._settings_service().get(key)
        except Exception:  # a key not declared (yet) or an unreadable store: keep going with the default
            return default
        return default if value is None else value

    def apply_settings(self) -> None:
        """(Re)arm the automatic refresh timer from the settings."""
        if self._get("refresh.auto", True):
            minutes = max(1, int(self._get("refresh.interval_minutes", 30)))
            self._timer.start(minutes * 60_000)
        else:
            self._timer.stop()

    @property
    def auto_interval_ms(self) -> int | None:
        return self._timer.interval() if self._timer.isActive() else None

    def _apply_refresh_options(self) -> None:
        """Concurrency, proxy and default retention from the settings, for the next run.

        The refresh service applies them itself at the start of every run
        (`cmdesk.services.refresh.refresh_options_from_settings`, the one place
        the CLI uses too), in this process or in the refresh process; here we
        only make sure it has the settings to read.
        """
        svc = getattr(self.services, "refresh", None)
        if svc is not None and hasattr(svc, "settings") and svc.settings is None:
            try:
                svc.settings = self._settings_service()
            except Exception:  # never let a bad setting stop a refresh
                log.exception("could not apply refresh settings")

    # -- shutdown ----------------------------------------------------------------
    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Cancel what runs and stop the thread (the window calls this on close)."""
        self._timer.stop()
        self.cancel()
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            log.warning("the refresh thread did not stop in time")
