"""Fixtures for the GUI tests: a profile with services, a window-state file per test."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from cmdesk.app import open_profile
from cmdesk.net.credentials import CredentialStore
from cmdesk.services.refresh import RefreshOptions


@pytest.fixture
def ui_services(profile_dir, memory_keyring):
    """Services on a fresh profile (parsing in-process: small refreshes in tests)."""
    return open_profile(profile_dir, options=RefreshOptions(parse_workers=0),
                        credentials=CredentialStore(memory_keyring))


@pytest.fixture
def window_state(tmp_path):
    """A QSettings file standing in for the user's window state."""
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
