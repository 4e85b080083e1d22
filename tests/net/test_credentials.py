"""Feed credentials in the keyring, and a clear refusal when there is no usable keyring."""

from __future__ import annotations

import json

import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from cmdesk.net.credentials import SERVICE, CredentialStore, CredentialsUnavailable

PASSWORD = "hunter2-Ünïcode \"quoted\" p@ss"


def test_save_load_delete_round_trip(memory_keyring):
    store = CredentialStore()  # the default backend: the in-memory one installed by the fixture
    store.check()
    ref = store.new_ref()
    store.save(ref, "alice", PASSWORD)
    assert store.load(ref) == ("alice", PASSWORD)
    store.delete(ref)
    assert store.load(ref) is None
    assert memory_keyring.secrets == {}
    store.delete(ref)  # deleting twice is harmless


def test_secret_is_stored_under_the_cmdesk_service_and_the_ref(memory_keyring):
    store = CredentialStore()
    ref = store.new_ref()
    store.save(ref, "alice", PASSWORD)
    assert SERVICE == "cmdesk"
    assert list(memory_keyring.secrets) == [("cmdesk", ref)]
    assert json.loads(memory_keyring.secrets[("cmdesk", ref)]) == {"username": "alice", "password": PASSWORD}


def test_refs_are_unique_and_independent(memory_keyring):
    store = CredentialStore()
    a, b = store.new_ref(), store.new_ref()
    assert a != b and a.startswith("feed-") and b.startswith("feed-")
    store.save(a, "alice", "one")
    store.save(b, "bob", "two")
    store.save(a, "alice", "changed")
    assert store.load(a) == ("alice", "changed")
    assert store.load(b) == ("bob", "two")
    store.delete(a)
    assert store.load(b) == ("bob", "two")


def test_unknown_or_foreign_entries_load_as_none(memory_keyring):
    store = CredentialStore()
    assert store.load("feed-never-saved") is None
    memory_keyring.secrets[("cmdesk", "feed-plain")] = "not json"
    memory_keyring.secrets[("cmdesk", "feed-partial")] = json.dumps({"username": "x"})
    assert store.load("feed-plain") is None
    assert store.load("feed-partial") is None


def test_explicit_backend_wins_over_the_default(memory_keyring):
    own = type(memory_keyring)()
    store = CredentialStore(backend=own)
    store.save("feed-x", "alice", PASSWORD)
    assert ("cmdesk", "feed-x") in own.secrets
    assert memory_keyring.secrets == {}


# -- no usable keyring ---------------------------------------------------------------

def _assert_clear(exc: CredentialsUnavailable) -> None:
    message = str(exc)
    assert "keyring" in message.lower()
    assert PASSWORD not in message
    assert "hunter2" not in message
    assert "\n" not in message


def test_fail_backend_is_detected_by_check():
    store = CredentialStore(backend=fail.Keyring())
    with pytest.raises(CredentialsUnavailable) as info:
        store.check()
    _assert_clear(info.value)
    assert "plain text" in str(info.value)


def test_fail_backend_refuses_save_and_load_without_leaking_the_password(memory_keyring):
    store = CredentialStore(backend=fail.Keyring())
    with pytest.raises(CredentialsUnavailable) as info:
        store.save("feed-x", "alice", PASSWORD)
    _assert_clear(info.value)
    with pytest.raises(CredentialsUnavailable) as info:
        store.load("feed-x")
    _assert_clear(info.value)
    with pytest.raises(CredentialsUnavailable):
        store.delete("feed-x")
    # nothing silently went elsewhere
    assert memory_keyring.secrets == {}


def test_fail_backend_as_the_system_default():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        store = CredentialStore()
        with pytest.raises(CredentialsUnavailable) as info:
            store.save("feed-x", "alice", PASSWORD)
        _assert_clear(info.value)
    finally:
        keyring.set_keyring(previous)


class _RefusingKeyring(KeyringBackend):
    """A keyring that exists but refuses, echoing the secret in its error (as some do)."""

    priority = 1

    def get_password(self, service, username):
        raise keyring.errors.KeyringLocked(f"locked while reading {username}")

    def set_password(self, service, username, password):
        raise keyring.errors.PasswordSetError(f"could not store {password}")

    def delete_password(self, service, username):
        raise keyring.errors.KeyringLocked("locked")


def test_a_refusing_keyring_never_leaks_the_password():
    store = CredentialStore(backend=_RefusingKeyring())
    store.check()  # usable in principle
    with pytest.raises(CredentialsUnavailable) as info:
        store.save("feed-x", "alice", PASSWORD)
    _assert_clear(info.value)
    # the backend's own message (which holds the password) is not chained either
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__
    with pytest.raises(CredentialsUnavailable) as info:
        store.load("feed-x")
    _assert_clear(info.value)
    with pytest.raises(CredentialsUnavailable):
        store.delete("feed-x")
