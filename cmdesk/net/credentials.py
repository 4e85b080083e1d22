"""Feed credentials in the system keyring.

The store keeps only a reference (`auth_ref`); the user name and password
live in the keyring under the service name "cmdesk". On a machine with no
usable keyring (headless Linux without a Secret Service) every call raises
CredentialsUnavailable with a message the user can act on; nothing ever falls
back to storing the secret in plain text.
"""

from __future__ import annotations

import json
import uuid

import keyring
import keyring.errors

SERVICE = "cmdesk"


class CredentialsUnavailable(Exception):
    """No usable system keyring: the message says what to do."""


def _backend_is_usable(backend) -> bool:
    from keyring.backends import fail

    if isinstance(backend, fail.Keyring):
        return False
    # The chainer with nothing behind it behaves like the fail backend.
    backends = getattr(backend, "backends", None)
    if backends is not None and not backends:
        return False
    try:
        return backend.priority > 0
    except Exception:
        return False


class CredentialStore:
    """Saves and loads (user, password) pairs by reference."""

    def __init__(self, backend=None):
        self._backend = backend

    @property
    def backend(self):
        return self._backend if self._backend is not None else keyring.get_keyring()

    def check(self) -> None:
        if not _backend_is_usable(self.backend):
            raise CredentialsUnavailable(
                "no system keyring is available to keep feed passwords (on Linux, start a Secret Service"
                " such as GNOME Keyring or KWallet); cmdesk never stores passwords in plain text"
            )

    def new_ref(self) -> str:
        return f"feed-{uuid.uuid4().hex}"

    def save(self, ref: str, username: str, password: str) -> None:
        self.check()
        try:
            self.backend.set_password(SERVICE, ref, json.dumps({"username": username, "password": password}))
        except keyring.errors.KeyringError as exc:
            raise CredentialsUnavailable(f"the system keyring refused to save the password: {type(exc).__name__}") from None

    def load(self, ref: str) -> tuple[str, str] | None:
        self.check()
        try:
            raw = self.backend.get_password(SERVICE, ref)
        except keyring.errors.KeyringError as exc:
            raise CredentialsUnavailable(f"the system keyring refused to give the password: {type(exc).__name__}") from None
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            return str(data["username"]), str(data["password"])
        except (ValueError, KeyError, TypeError):
            return None

    def delete(self, ref: str) -> None:
        try:
            self.backend.delete_password(SERVICE, ref)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise CredentialsUnavailable(f"the system keyring refused to delete the password: {type(exc).__name__}") from None
