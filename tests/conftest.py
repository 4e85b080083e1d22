"""Shared fixtures: a loopback feed server, a temporary profile, an in-memory keyring."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.support.feedserver import FeedServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Logs of the CLI and GUI under test (in-process and subprocesses) go to a
# throw-away folder, never into the user's real log directory.
os.environ.setdefault("CMDESK_LOG_DIR", tempfile.mkdtemp(prefix="cmdesk-test-logs-"))

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


class MemoryKeyring(KeyringBackend):
    """Keeps secrets in a dict: tests never touch the real system keyring."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def feed_server():
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def profile_dir(tmp_path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared real-world data not found at {SHARED_DATA}")
    return SHARED_DATA
