"""Every user setting, declared once, typed, with its default and a one-line doc.

Picard-style: a setting is a `SettingSpec` registered with `declare(...)` at
import time. Other modules (helpers) add their own keys by appending
`declare(...)` calls in this file, in their own section.

Values are stored as text in the store's `settings` table; `parse_value` and
`format_value` convert both ways. A default of ``None`` means "not set" and is
kept as ``None`` everywhere (a missing ROI input is *missing*, never 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = [
    "SETTINGS", "SettingSpec", "UnknownSetting", "InvalidSettingValue", "declare", "spec", "parse_value",
    "format_value", "coerce_value", "ROI_INPUT_KEYS",
]


class UnknownSetting(KeyError):
    """No setting is declared under that key."""

    def __str__(self) -> str:  # KeyError quotes its argument; say it plainly
        return f"unknown setting {self.args[0]!r}"


class InvalidSettingValue(ValueError):
    """A value does not fit the setting's type, choices or bounds."""


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    type: type  # str, int, float or bool
    default: Any  # None means "not set"
    doc: str
    choices: tuple = ()
    minimum: float | None = None
    group: str = ""  # "roi", "report", ... for listing and settings dialogs


SETTINGS: dict[str, SettingSpec] = {}


def declare(key: str, type_: type, default: Any, doc: str, *, choices: tuple = (), minimum: float | None = None,
            group: str | None = None) -> SettingSpec:
    """Register a setting; declaring the same key twice is a programming error."""
    if key in SETTINGS:
        raise ValueError(f"setting {key!r} is declared twice")
    if type_ not in (str, int, float, bool):
        raise TypeError(f"setting {key!r}: unsupported type {type_!r}")
    s = SettingSpec(key, type_, default, doc, tuple(choices), minimum, group if group is not None else key.split(".")[0])
    if default is not None:
        coerce_value(s, default)  # a bad default fails at import, not in front of a user
    SETTINGS[key] = s
    return s


def spec(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        raise UnknownSetting(key) from None


def coerce_value(s: SettingSpec, value: Any) -> Any:
    """Check and convert a Python value (or text) to the setting's type; None stays None."""
    if value is None:
        return None
    if isinstance(value, str) and s.type is not str:
        return parse_value(s, value)
    try:
        if s.type is bool:
            if not isinstance(value, bool):
                raise InvalidSettingValue(f"{s.key} takes true or false, not {value!r}")
            out: Any = value
        elif s.type is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise InvalidSettingValue(f"{s.key} takes a whole number, not {value!r}")
            out = int(value)
        elif s.type is float:
            if isinstance(value, bool):
                raise InvalidSettingValue(f"{s.key} takes a number, not {value!r}")
            out = float(value)
            if not math.isfinite(out):
                raise InvalidSettingValue(f"{s.key} takes a finite number, not {value!r}")
        else:
            out = str(value)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InvalidSettingValue):
            raise
        raise InvalidSettingValue(f"{s.key} takes a {s.type.__name__}, not {value!r}") from None
    if s.choices and out not in s.choices:
        raise InvalidSettingValue(f"{s.key} must be one of: {', '.join(map(str, s.choices))}")
    if s.minimum is not None and out < s.minimum:
        raise InvalidSettingValue(f"{s.key} must be at least {s.minimum:g}")
    return out


def parse_value(s: SettingSpec, text: str) -> Any:
    """Text (as stored, or as typed on the command line) to a typed value."""
    t = text.strip()
    if s.type is str:
        return coerce_value(s, text)
    if s.type is bool:
        low = t.lower()
        if low in ("1", "true", "yes", "on"):
            return coerce_value(s, True)
        if low in ("0", "false", "no", "off"):
            return coerce_value(s, False)
        raise InvalidSettingValue(f"{s.key} takes true or false, not {text!r}")
    try:
        # A decimal comma is what a French user types.
        number = float(t.replace(",", ".")) if s.type is float else int(t)
    except ValueError:
        kind = "a number" if s.type is float else "a whole number"
        raise InvalidSettingValue(f"{s.key} takes {kind}, not {text!r}") from None
    return coerce_value(s, number)


def format_value(s: SettingSpec, value: Any) -> str:
    """A typed value to the text stored (and printed); None is not stored at all."""
    if value is None:
        raise ValueError("None is not stored: unset the key instead")
    if s.type is bool:
        return "true" if value else "false"
    if s.type is float:
        return repr(float(value))
    return str(value)


# -- general ------------------------------------------------------------------
declare("brand.name", str, None,
        "Brand name printed on reports and used for {brand} in reply templates (default: the first brand term)",
        group="general")

# -- report -------------------------------------------------------------------
declare("report.lang", str, "en", "Language of the monthly summary", choices=("en", "fr"))
declare("report.top_mentions", int, 10, "How many top mentions the report lists", minimum=1)

# -- ROI inputs (all optional: a missing input is reported as missing) --------
declare("roi.currency", str, "EUR", "Currency code printed next to money amounts")
declare("roi.hourly_cost", float, None, "Cost of one hour of community management work", minimum=0)
declare("roi.hours_per_month", float, None, "Hours spent on community management in the month", minimum=0)
declare("roi.tool_costs", float, None, "Tool and subscription costs for the month", minimum=0)
declare("roi.other_costs", float, None, "Other costs for the month (ads, freelancers...)", minimum=0)
declare("roi.value_per_reply", float, None, "Value of one replied mention", minimum=0)
declare("roi.value_per_positive", float, None, "Value of one positive mention", minimum=0)
declare("roi.value_per_lead", float, None, "Value of one lead (a mention carrying the lead tag)", minimum=0)
declare("roi.lead_tag", str, "lead", "Tag that marks a mention as a lead")
declare("roi.cpm", float, None,
        "Optional advertising-value estimate: cost per 1,000 reach-proxy units (leave unset to skip)", minimum=0)

ROI_INPUT_KEYS = (
    "roi.hourly_cost", "roi.hours_per_month", "roi.tool_costs", "roi.other_costs", "roi.value_per_reply",
    "roi.value_per_positive", "roi.value_per_lead", "roi.lead_tag", "roi.cpm", "roi.currency",
)


# -- interface, refresh, network, notifications (settings dialog) ---------------
declare("ui.language", str, "system", "Language of the interface (system: the system's language)",
        choices=("system", "en", "fr"))
declare("ui.theme", str, "system", "Colour theme of the interface", choices=("system", "light", "dark"))
declare("ui.first_run_done", bool, False, "The first-run choice (demo, wizard or skip) was made")
declare("refresh.auto", bool, True, "Refresh every feed automatically while the window is open")
declare("refresh.interval_minutes", int, 30, "Minutes between automatic refreshes", minimum=5)
declare("refresh.concurrency", int, 24, "Feeds fetched at the same time (all hosts together)", minimum=1)
declare("retention.keep_items", int, 1000,
        "Default retention: keep at most this many items per feed (feeds with their own keep theirs)", minimum=1)
declare("retention.keep_days", int, None, "Default retention: drop items older than this many days (unset: never)",
        minimum=1)
declare("network.proxy", str, None, "Proxy URL for every fetch, e.g. http://proxy:3128 (unset: system settings)")
declare("notify.mentions", bool, True, "Tray notification for new mentions of terms marked 'notify'")
declare("notify.spikes", bool, True, "Tray notification when a term's daily volume spikes")
