"""Running a service call off the GUI thread and getting its result back on it.

Service calls open their own SQLite connection, so a pool thread may run
them; the result (a frozen dataclass, a list, or an error message) comes
back through a queued signal.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Carrier(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _Task(QRunnable):
    def __init__(self, ticket: int, fn: Callable[[], object], carrier: _Carrier):
        super().__init__()
        self.ticket, self.fn, self.carrier = ticket, fn, carrier
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the GUI, which words it
            self.carrier.failed.emit(self.ticket, str(exc))
            return
        self.carrier.done.emit(self.ticket, result)


class BackgroundCalls(QObject):
    """Submit callables; `done(ticket, result)` / `failed(ticket, message)` arrive
    on the thread that owns this object. Tickets let callers drop stale answers."""

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent=None, *, threads: int = 1):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._carrier = _Carrier(self)
        self._carrier.done.connect(self.done)
        self._carrier.failed.connect(self.failed)
        self._ticket = 0

    def submit(self, fn: Callable[[], object]) -> int:
        self._ticket += 1
        self.pool.start(_Task(self._ticket, fn, self._carrier))
        return self._ticket

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
