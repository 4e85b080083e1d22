"""One running cmdesk per profile: a second launch asks the first to come forward.

The first launch takes a lock file in the profile (`QLockFile`, which sees
through a lock left by a crashed process) and listens on a local socket
named after a hash of the profile's path (`QLocalServer`; on Unix a socket
file in the temp directory, a named pipe on Windows). A later launch for the
same profile fails to take the lock, connects to that socket, writes
`activate` and learns that it is not the primary. A socket file left by a
crash is removed before listening, which is safe because only the lock
holder ever listens.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, QThread, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"
LOCK_FILENAME = "cmdesk.lock"


def server_name_for(profile_dir: Path) -> str:
    """The local socket name for a profile: same profile, same name; per user."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    key = f"{user}\0{Path(profile_dir).expanduser().resolve()}"
    return "cmdesk-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


class SingleInstance(QObject):
    """Claim a profile for this process; `activation_requested` fires when another launch pings.

    Keep the object alive as long as the app runs (it holds the lock and the
    server); `release()` or deleting it frees both.
    """

    activation_requested = Signal()

    def __init__(self, profile_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.profile_dir = Path(profile_dir)
        self.name = server_name_for(self.profile_dir)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def is_primary(self) -> bool:
        return self._server is not None

    def claim(self, timeout_ms: int = 2000) -> bool:
        """True if this process is now the profile's primary instance.

        False means another instance holds the profile; it has been asked to
        come forward (when it could be reached within `timeout_ms`).
        """
        if self._server is not None:
            return True
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self.profile_dir / LOCK_FILENAME))
        lock.setStaleLockTime(0)  # never stale by age; only when its process is gone
        if lock.tryLock(0):
            QLocalServer.removeServer(self.name)  # a socket file left by a crash
            server = QLocalServer(self)
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            if server.listen(self.name):
                self._lock = lock
                self._server = server
                server.newConnection.connect(self._on_new_connection)
                return True
            lock.unlock()
            server.deleteLater()
        self._ping(timeout_ms)
        return False

    def _ping(self, timeout_ms: int) -> bool:
        # The primary may be starting up (lock taken, not listening yet): retry a little.
        waited = 0
        while waited <= timeout_ms:
            sock = QLocalSocket()
            sock.connectToServer(self.name)
            if sock.waitForConnected(min(250, max(1, timeout_ms))):
                sock.write(QByteArray(ACTIVATE))
                ok = sock.waitForBytesWritten(timeout_ms)
                sock.disconnectFromServer()
                return ok
            QThread.msleep(50)
            waited += 300
        return False

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._on_ready_read(s))
            sock.disconnected.connect(lambda s=sock: self._forget(s))
            if sock.bytesAvailable():
                self._on_ready_read(sock)

    def _on_ready_read(self, sock: QLocalSocket) -> None:
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        if len(data) > 1024:  # not one of ours
            sock.abort()
            return
        while b"\n" in data:
            line, data = data.split(b"\n", 1)
            if line == ACTIVATE.strip():
                self.activation_requested.emit()
        self._buffers[sock] = data

    def _forget(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def release(self) -> None:
        """Stop being the primary: close the server and free the lock."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
