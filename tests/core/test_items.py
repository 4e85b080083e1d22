"""Preparing parsed items for storage: rows, keys, unwrapped links, plain text."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from cmdesk.core import items as core_items
from cmdesk.core.dedup import unwrap_redirect
from cmdesk.core.items import ITEM_ROW_FIELDS, guid_hash, prepare_items, prepare_rows, prepared_item
from cmdesk.core.models import ParsedFeed, ParsedItem

ALERT = ("https://www.google.com/url?rct=j&sa=t&url=https://example.com/story%3Fid%3D7"
         "&ct=ga&cd=CAEYACoUMTY&usg=AOvVaw1")


def _feed(*items: ParsedItem) -> ParsedFeed:
    return ParsedFeed(title="F", site_url="https://example.com/", items=tuple(items), kind="rss", parser="fast")


def _item(guid: str, url: str | None = "https://example.com/a", summary: str = "<p>Hello <b>world</b></p>",
          content: str = "") -> ParsedItem:
    return ParsedItem(guid=guid, url=url, title=f"T {guid}", author="Ann", summary=summary, content=content,
                      published_at=1_700_000_000)


def test_rows_hold_key_link_and_text_in_field_order():
    (row,) = prepare_rows(_feed(_item("g1", url=ALERT)))
    assert len(row) == len(ITEM_ROW_FIELDS)
    fields = dict(zip(ITEM_ROW_FIELDS, row))
    assert fields["guid_hash"] == guid_hash("g1")
    assert fields["url"] == unwrap_redirect(ALERT) != ALERT
    assert fields["text"] == "Hello world"
    assert (fields["title"], fields["author"], fields["published_at"]) == ("T g1", "Ann", 1_700_000_000)
    # rows are plain tuples: cheap to send back from a parse worker process
    assert type(row) is tuple and pickle.loads(pickle.dumps(row)) == row


def test_known_keys_are_skipped_and_prepared_items_match_rows():
    feed = _feed(_item("a"), _item("b", url=None), _item("c", summary="s", content="<p>long content</p>"))
    rows = prepare_rows(feed, known={guid_hash("a")})
    assert [r[0] for r in rows] == [guid_hash("b"), guid_hash("c")]
    items = prepare_items(feed, known={guid_hash("a")})
    assert [prepared_item(r, it.parsed.guid) for r, it in zip(rows, items)] == items
    assert items[0].parsed.url is None
    assert items[1].text == "s\nlong content"


def _urls_from_dedup_tests() -> list[str]:
    text = (Path(__file__).parent / "test_dedup.py").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"""https?://[^\s"'<>)\]]+""", text)))


@pytest.mark.parametrize("url", _urls_from_dedup_tests() + [
    ALERT, " https://example.com/plain ", "https://example.com/p?x=1", "https://news.google.com/rss/articles/CBMiSGh0",
    "https://www.google.fr/amp/s/example.com/a", "https://example-com.cdn.ampproject.org/c/s/example.com/a",
    "http://NEWS.GOOGLE.COM/articles/CBMiSGh0dHBz", "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2F",
])
def test_the_wrapper_precheck_never_skips_a_link_unwrap_redirect_would_change(url):
    # prepare_rows skips unwrap_redirect when the precheck says a URL cannot be a wrapper;
    # that must never change the stored link.
    if not core_items._may_be_wrapped(url):
        assert unwrap_redirect(url) == url.strip()
