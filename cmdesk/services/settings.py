"""Reading and writing user settings (declared in `cmdesk.core.settings`).

Values live in the store's `settings` table as text; this service returns
them typed. A key that was never set gives its declared default, which may be
``None`` ("not set"); `unset` goes back to the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmdesk.core.settings import (
    SETTINGS, InvalidSettingValue, SettingSpec, UnknownSetting, coerce_value, format_value, parse_value, spec,
)
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import FeedRepository

__all__ = ["SettingsService", "SettingValue", "SettingsError"]


class SettingsError(Exception):
    """A user-facing failure (unknown key, bad value); the message is one clear line."""


@dataclass(frozen=True, slots=True)
class SettingValue:
    """One setting as lists show it."""

    spec: SettingSpec
    value: Any  # typed; None when not set and the default is None
    is_default: bool  # True when nothing is stored for the key


class SettingsService:
    """Typed settings over the profile's store. Opens a short-lived connection per call."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)

    def get(self, key: str) -> Any:
        """The typed value of `key`, or its default (possibly None) when not set."""
        s = self._spec(key)
        conn = connect(self.db_path)
        try:
            raw = FeedRepository(conn).get_setting(key)
        finally:
            conn.close()
        return self._decode(s, raw)

    def get_many(self, keys) -> dict[str, Any]:
        """Several values in one connection."""
        specs = [self._spec(k) for k in keys]
        conn = connect(self.db_path)
        try:
            stored = FeedRepository(conn).all_settings()
        finally:
            conn.close()
        return {s.key: self._decode(s, stored.get(s.key)) for s in specs}

    def set(self, key: str, value: Any) -> Any:
        """Store a value (typed, or text to parse); None unsets the key. Returns the typed value."""
        s = self._spec(key)
        if value is None:
            self.unset(key)
            return self._decode(s, None)
        try:
            typed = parse_value(s, value) if isinstance(value, str) else coerce_value(s, value)
        except InvalidSettingValue as exc:
            raise SettingsError(str(exc)) from None
        conn = connect(self.db_path)
        try:
            with write_transaction(conn):
                FeedRepository(conn).set_setting(key, format_value(s, typed))
        finally:
            conn.close()
        return typed

    def unset(self, key: str) -> bool:
        """Go back to the default; returns whether something was stored."""
        self._spec(key)
        conn = connect(self.db_path)
        try:
            with write_transaction(conn):
                return FeedRepository(conn).delete_setting(key)
        finally:
            conn.close()

    def all(self) -> dict[str, Any]:
        """Every declared setting with its typed value (defaults included)."""
        return {v.spec.key: v.value for v in self.list()}

    def list(self) -> list[SettingValue]:
        """Every declared setting, sorted by key, with whether it is the default."""
        conn = connect(self.db_path)
        try:
            stored = FeedRepository(conn).all_settings()
        finally:
            conn.close()
        return [SettingValue(s, self._decode(s, stored.get(k)), k not in stored) for k, s in sorted(SETTINGS.items())]

    @staticmethod
    def _spec(key: str) -> SettingSpec:
        try:
            return spec(key)
        except UnknownSetting as exc:
            raise SettingsError(str(exc)) from None

    @staticmethod
    def _decode(s: SettingSpec, raw: str | None) -> Any:
        if raw is None:
            return s.default
        try:
            return parse_value(s, raw)
        except InvalidSettingValue:
            # Stored by an older version with other bounds: fall back, never crash a report.
            return s.default
