"""Run a blocking service call off the GUI thread and get the result back by signal.

Adding a feed does HTTP, importing OPML writes many rows: the GUI thread hands
the call to Qt's global thread pool and carries on; `done` or `failed` arrive
on the GUI thread. The callable must open its own connections (every service
call does).
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

__all__ = ["BackgroundTask", "run_in_background"]

log = logging.getLogger(__name__)
_alive: set["BackgroundTask"] = set()  # keep the signal objects alive until they report


class BackgroundTask(QObject):
    done = Signal(object)
    failed = Signal(object)  # the exception
    # (ok, value) in one object, emitted on the pool thread: no bool crosses the thread as a
    # signal argument (queued bool arguments upset PySide6 6.12's reference counts at exit).
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        # Queued: the slot runs on the thread this object lives in (the GUI thread).
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver(self, outcome) -> None:
        ok, value = outcome
        _alive.discard(self)
        (self.done if ok else self.failed).emit(value)


class _Runnable(QRunnable):
    def __init__(self, task: BackgroundTask, fn: Callable[[], Any]):
        super().__init__()
        self.task, self.fn = task, fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the caller, which shows it
            log.debug("background task failed", exc_info=True)
            self.task._finished.emit((False, exc))
        else:
            self.task._finished.emit((True, result))


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
                      on_failed: Callable[[BaseException], None] | None = None,
                      parent: QObject | None = None) -> BackgroundTask:
    """Call `fn()` on a pool thread; `on_done(result)` / `on_failed(exc)` run on the GUI thread."""
    task = BackgroundTask(parent)
    _alive.add(task)
    if on_done is not None:
        task.done.connect(on_done)
    if on_failed is not None:
        task.failed.connect(on_failed)
    QThreadPool.globalInstance().start(_Runnable(task, fn))
    return task
