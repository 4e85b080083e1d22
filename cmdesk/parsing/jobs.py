"""The parse step of a refresh, shaped to run in a worker process.

It returns plain tuples instead of raising, because exceptions with custom
constructors do not survive pickling between processes.
"""

from __future__ import annotations

from cmdesk.core.items import ItemRow, prepare_rows
from cmdesk.core.models import ErrorCode


def parse_and_prepare(
    body: bytes, url: str, content_type: str | None, known: frozenset[str] = frozenset()
) -> tuple[str, str, str | None, list[ItemRow]] | tuple[str, str, str]:
    """("ok", title, site_url, new item rows) or ("error", ErrorCode value, message).

    Rows are plain tuples (see cmdesk.core.items.ITEM_ROW_FIELDS): they cross
    the process boundary far faster than dataclasses. `known` holds the keys
    already stored for the feed: those items are skipped.
    """
    from cmdesk.parsing.feeds import FeedParseError, parse_feed

    try:
        feed = parse_feed(body, url, content_type)
    except FeedParseError as exc:
        return ("error", exc.code.value, exc.message)
    except RecursionError:
        return ("error", ErrorCode.MALFORMED.value, "malformed feed: nested too deeply")
    except Exception as exc:  # a parser bug must mark one feed, not stop the refresh
        return ("error", ErrorCode.INTERNAL.value, f"could not read the feed ({type(exc).__name__}: {exc})")
    return ("ok", feed.title, feed.site_url, prepare_rows(feed, known))


def warm_up() -> None:
    """Import the parsers in a fresh worker before the first real job arrives."""
    import cmdesk.parsing.feeds  # noqa: F401
