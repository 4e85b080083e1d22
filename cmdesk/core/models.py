"""Domain models: frozen dataclasses shared by every layer.

Times are integer Unix epoch seconds (UTC) everywhere: they sort, compare and
cross process and thread boundaries without time-zone surprises.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class FeedStatus(str, enum.Enum):
    """Health of a feed as the last fetch left it."""

    NEW = "new"  # never fetched
    OK = "ok"
    ERROR = "error"
    DISABLED = "disabled"  # by the user, or by the server (410 Gone)


class FetchOutcome(str, enum.Enum):
    """What one fetch of one feed did."""

    OK = "ok"  # body parsed, new items stored (maybe zero)
    NOT_MODIFIED = "not_modified"  # 304, or the body's hash did not change
    ERROR = "error"
    GONE = "gone"  # 410: the feed is disabled
    DEFERRED = "deferred"  # the host asked us to wait (Retry-After)


class ErrorCode(str, enum.Enum):
    """Why a fetch failed; the UI turns these into translated text."""

    NETWORK = "network"
    TIMEOUT = "timeout"
    HTTP = "http"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_SCHEME = "bad_scheme"
    TOO_LARGE = "too_large"
    NOT_A_FEED = "not_a_feed"
    MALFORMED = "malformed"
    AUTH = "auth"
    CREDENTIALS_UNAVAILABLE = "credentials_unavailable"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One entry of a feed as a parser read it, before it is stored."""

    guid: str  # the feed's own id, or the link, or a hash of title+date
    url: str | None
    title: str
    author: str
    summary: str  # HTML or text as published
    content: str  # full content when the feed has it, else ""
    published_at: int | None  # epoch seconds, None when the feed gives no date


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed document."""

    title: str
    site_url: str | None
    items: tuple[ParsedItem, ...]
    kind: str  # "rss", "atom", "rdf", "json"
    parser: str  # "fast" (lxml / json) or "feedparser"


@dataclass(frozen=True, slots=True)
class Folder:
    id: int
    name: str
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str
    site_url: str | None = None
    folder_id: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    last_fetch_at: int | None = None
    last_ok_at: int | None = None
    next_due_at: int | None = None
    interval_s: int = 3600
    error_count: int = 0
    last_error: str | None = None
    last_error_code: str | None = None
    disabled: bool = False
    disabled_reason: str | None = None
    auth_ref: str | None = None  # key of the credentials in the system keyring
    keep_items: int | None = None  # retention: keep at most N items (None: default)
    keep_days: int | None = None  # retention: drop items older than D days
    created_at: int = 0

    @property
    def status(self) -> FeedStatus:
        if self.disabled:
            return FeedStatus.DISABLED
        if self.last_fetch_at is None:
            return FeedStatus.NEW
        if self.error_count:
            return FeedStatus.ERROR
        return FeedStatus.OK


@dataclass(frozen=True, slots=True)
class FeedListing:
    """A feed with its counts and folder path, as lists show it."""

    feed: Feed
    folder_path: str  # "Tech/News", "" at top level
    items: int
    unread: int
    deferred_until: int | None = None  # the feed's server asked (429/503) not to be fetched before then


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    feed_id: int
    guid_hash: str
    url: str | None
    title: str
    author: str
    summary: str
    content: str
    text: str  # plain text of title+summary+content, for search and matching
    published_at: int | None
    fetched_at: int
    read: bool = False
    starred: bool = False


@dataclass(frozen=True, slots=True)
class FetchLogEntry:
    feed_id: int
    at: int
    outcome: str
    http_status: int | None
    duration_ms: int
    bytes: int
    new_items: int
    error: str | None


@dataclass(frozen=True, slots=True)
class FeedResult:
    """The result of refreshing one feed."""

    feed_id: int
    title: str
    outcome: FetchOutcome
    new_items: int = 0
    http_status: int | None = None
    error_code: ErrorCode | None = None
    error: str | None = None  # one clear line, never with credentials
    duration_ms: int = 0
    bytes: int = 0
    new_item_ids: tuple[int, ...] = field(default=(), repr=False)
    new_mentions: int = 0


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    done: int
    total: int
    current: FeedResult


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    total: int
    ok: int
    not_modified: int
    errors: int
    gone: int
    deferred: int
    new_items: int
    duration_s: float
    results: tuple[FeedResult, ...] = field(default=(), repr=False)
    new_mentions: int = 0


@dataclass(frozen=True, slots=True)
class PreparedItem:
    """A parsed item ready to store: its key and plain text computed."""

    guid_hash: str
    parsed: ParsedItem
    text: str


# -- mentions ---------------------------------------------------------------

class MentionState(str, enum.Enum):
    NEW = "new"
    TO_REPLY = "to_reply"
    REPLIED = "replied"
    DONE = "done"
    IGNORED = "ignored"
    SPAM = "spam"


TERM_KINDS = ("brand", "product", "competitor", "person", "topic")

# A few shades per kind: the kind reads from the hue, and two terms of one kind
# (two competitors, a brand and its product line) still get different chips.
TERM_PALETTES = {
    "brand": ("#2563eb", "#0891b2", "#4f46e5", "#0284c7", "#1e40af"),
    "product": ("#7c3aed", "#c026d3", "#9333ea", "#db2777", "#6d28d9"),
    "competitor": ("#dc2626", "#ea580c", "#be123c", "#b45309", "#991b1b"),
    "person": ("#059669", "#16a34a", "#0d9488", "#65a30d", "#047857"),
    "topic": ("#d97706", "#ca8a04", "#a16207", "#78716c", "#b45309"),
}


def term_color(kind: str, used=()) -> str:
    """The first shade of the kind's palette that no existing term uses."""
    palette = TERM_PALETTES.get(kind, TERM_PALETTES["brand"])
    taken = {c.lower() for c in used}
    return next((c for c in palette if c not in taken), palette[len(taken) % len(palette)])
SENTIMENT_LABELS = ("positive", "neutral", "negative")


@dataclass(frozen=True, slots=True)
class WatchTerm:
    id: int
    name: str
    kind: str
    query: str
    active: bool = True
    color: str = "#2563eb"
    notify: bool = False
    created_at: int = 0
    updated_at: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """A stored item that matched one or more watch terms, with its triage state."""

    id: int
    item_id: int
    feed_id: int
    found_at: int
    published_at: int
    lang: str | None
    sentiment: str  # effective label: the manual override when there is one
    sentiment_score: float
    sentiment_auto: str  # what the analyser said
    sentiment_override: str | None
    sentiment_cues: tuple[tuple[str, float, str], ...]  # (text, weight, reason)
    source: str
    author: str
    reach: float
    canonical_url: str | None
    dup_group: int | None
    state: MentionState
    starred: bool
    note: str
    state_changed_at: int | None
    replied_at: int | None
    title: str
    url: str | None
    excerpt: str
    feed_title: str
    term_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def response_time_s(self) -> int | None:
        return None if self.replied_at is None else max(0, self.replied_at - self.found_at)


@dataclass(frozen=True, slots=True)
class MentionFilter:
    states: tuple[MentionState, ...] = ()
    term_ids: tuple[int, ...] = ()
    sentiment: str | None = None
    lang: str | None = None
    source: str | None = None
    since: int | None = None  # published at or after
    until: int | None = None  # published before
    text: str | None = None  # full-text, same syntax as item search
    starred: bool | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class MentionPage:
    mentions: tuple[Mention, ...]
    next_cursor: tuple[int, int] | None  # (published_at, id) of the last row, to pass back for the next page


@dataclass(frozen=True, slots=True)
class ReplyTemplate:
    id: int
    name: str
    lang: str | None
    body: str


@dataclass(frozen=True, slots=True)
class ReplyDraft:
    mention_id: int
    body: str
    template_id: int | None
    updated_at: int


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    term_id: int
    day: str  # YYYY-MM-DD, local day
    count: int
    mean: float
    threshold: float
    created_at: int
    seen: bool = False
