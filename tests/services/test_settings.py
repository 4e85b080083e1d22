"""SettingsService: typed values over the store, defaults, missing values."""

import pytest

from cmdesk.core.settings import SETTINGS, parse_value, spec
from cmdesk.services.settings import SettingsError, SettingsService


@pytest.fixture
def settings(tmp_path):
    return SettingsService(tmp_path / "cmdesk.sqlite3")


def test_defaults_and_missing_roi_inputs(settings):
    assert settings.get("report.lang") == "en"
    assert settings.get("roi.hourly_cost") is None  # missing, not 0
    assert settings.get("roi.lead_tag") == "lead"
    values = settings.all()
    assert set(values) == set(SETTINGS)
    assert values["roi.cpm"] is None


def test_set_get_typed_and_unset(settings):
    assert settings.set("roi.hourly_cost", "42,5") == 42.5  # a French decimal comma is read
    assert settings.get("roi.hourly_cost") == 42.5
    settings.set("roi.tool_costs", 0)
    assert settings.get("roi.tool_costs") == 0.0  # an explicit 0 is kept, distinct from missing
    settings.set("report.top_mentions", "25")
    assert settings.get("report.top_mentions") == 25
    listed = {v.spec.key: v for v in settings.list()}
    assert not listed["roi.hourly_cost"].is_default and listed["roi.cpm"].is_default
    assert settings.unset("roi.hourly_cost") is True
    assert settings.get("roi.hourly_cost") is None
    settings.set("roi.tool_costs", None)
    assert settings.get("roi.tool_costs") is None


@pytest.mark.parametrize("key, value, message", [
    ("roi.hourly_cost", "abc", "takes a number"),
    ("roi.hourly_cost", "-5", "at least 0"),
    ("report.lang", "de", "one of"),
    ("report.top_mentions", "2.5", "whole number"),
    ("nope.key", "1", "unknown setting"),
])
def test_bad_values_are_refused_with_a_clear_message(settings, key, value, message):
    with pytest.raises(SettingsError, match=message):
        settings.set(key, value)


def test_bool_parsing():
    s = next(s for s in SETTINGS.values() if s.type is bool) if any(
        s.type is bool for s in SETTINGS.values()) else None
    if s is None:
        pytest.skip("no boolean setting declared")
    assert parse_value(s, "yes") is True and parse_value(s, "off") is False


def test_get_many_reads_once(settings):
    settings.set("roi.cpm", 12)
    assert settings.get_many(["roi.cpm", "roi.currency"]) == {"roi.cpm": 12.0, "roi.currency": "EUR"}
    assert spec("roi.cpm").minimum == 0
