"""Duplicate mentions: canonical URLs and near-duplicate text.

The same story reaches the inbox many times: through a Google Alerts redirect,
a Google News article link, a Facebook share, with ``utm_*`` tags, on its AMP
page, or copied by another site with its own header and footer. Two keys group
them: the canonical URL (exact) and a 64-bit SimHash of the text (near).

Decisions, in one place:

- ``unwrap_redirect`` only unwraps hosts it knows (see ``_REDIRECTORS``): a
  ``?url=`` on an unknown host may be the page's own parameter. It never
  returns a non-http(s) URL: when the target is ``javascript:``, relative or
  missing, the wrapper is kept. Wrappers inside wrappers are all removed.
- A target written raw inside the query (``url=https://a/b?x=1&y=2&ct=ga``, as
  Google Alerts does) extends to the next parameter the redirector itself uses,
  so the target keeps its own query; an encoded target is decoded (twice if it
  was encoded twice).
- Google News article links (``news.google.com/rss/articles/CBMi...``) carry a
  base64 protobuf. Older ones hold the article URL in clear (a length-prefixed
  field) and are decoded; newer ones (2024 on, payload ``AU_yqL...``) hold only an
  opaque id that needs a request to Google to resolve, so they are kept as they
  are: core never touches the network.
- Talkwalker Alerts items usually link to the article directly; any Talkwalker
  host carrying a ``url=``/``u=`` parameter is unwrapped. That redirect shape
  was not checked against a live Talkwalker feed.
- ``canonical_url`` is a *dedup key*, not a link to open: ``http`` and ``https``
  fold to ``https``, a leading ``www.`` and ``amp.`` are dropped, ``twitter.com``
  / ``mobile.twitter.com`` fold to ``x.com``, user info and default ports go,
  and so do fragments (except ``#!`` routes), tracking parameters (``utm_*``,
  click ids, Mailchimp ids, AT Internet ``at_*``, ``ref``/``ref_src``/``s``/``t``
  on X), and the cheap AMP markers (``/amp`` or ``.amp`` at the end of the
  path, ``amp=1``, ``outputType=amp``). Remaining parameters are sorted and
  re-encoded the same way, so equal queries compare equal.
- ``text_fingerprint`` is a 64-bit SimHash over word 3-shingles of the text,
  lower-cased and without accents, after dropping feed boilerplate that differs
  between two copies of one story (URLs, e-mail addresses, "The post ...
  appeared first on ...", "Read more"/"Lire la suite", copyright lines,
  newswire datelines, "Tags:"/"Photo:"/"Share this:" lines, and lines of fewer
  than four words when enough text remains); only the first 50,000 characters
  count. SimHash finds *near-identical* text: at distance 3 it groups copies
  whose differences are boilerplate, not rewrites. One changed word moves 3
  shingles, which stays within 3 bits ~70% of the time in a 300-word text and
  ~25% in a 100-word one.
- ``DuplicateIndex`` groups never merge: a new mention joins the group of the
  first URL match, else of its nearest near-duplicate (ties: the earliest
  added), else starts its own group whose id is its key. Texts of fewer than
  ``MIN_WORDS`` words are grouped by URL only (their fingerprint is ``None``).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

__all__ = [
    "MIN_WORDS",
    "DuplicateEntry",
    "DuplicateIndex",
    "canonical_url",
    "hamming_distance",
    "near_duplicate",
    "text_fingerprint",
    "unwrap_redirect",
]

MASK64 = (1 << 64) - 1
MIN_WORDS = 8  # fewer words than this: grouped by URL only
_MAX_UNWRAP = 8  # wrappers inside wrappers, with a bound


# -- redirect links -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Redirector:
    params: tuple[str, ...]  # where the target is, in order of preference
    paths: tuple[str, ...] | None  # paths that redirect; None: any path
    own_params: frozenset[str] = frozenset()  # the redirector's own parameters


_GOOGLE_OWN = frozenset(
    "rct sa source cd cad ved uact usg sig2 ct esrc ei bvm ust opi iact fd ct2 cid "
    "authuser hl gl".split()
)
_GOOGLE_URL = _Redirector(("url", "q"), ("/url",), _GOOGLE_OWN)
_GOOGLE_NEWS_URL = _Redirector(("url",), ("/url", "/news/url"), _GOOGLE_OWN)
_FACEBOOK = _Redirector(("u",), ("/l.php",), frozenset({"h", "s", "e", "__tn__", "c"}))
_TALKWALKER = _Redirector(("url", "u"), None, frozenset({"t", "token", "id", "alert", "lang", "hl"}))

_REDIRECTORS: dict[str, _Redirector] = {
    "news.google.com": _GOOGLE_NEWS_URL,
    "news.url.google.com": _GOOGLE_NEWS_URL,
    "l.facebook.com": _FACEBOOK,
    "lm.facebook.com": _FACEBOOK,
    "m.facebook.com": _FACEBOOK,
    "www.facebook.com": _FACEBOOK,
    "facebook.com": _FACEBOOK,
    "l.messenger.com": _FACEBOOK,
    "l.instagram.com": _Redirector(("u",), None, frozenset({"e"})),
    "alerts.talkwalker.com": _TALKWALKER,
    "www.talkwalker.com": _TALKWALKER,
    "talkwalker.com": _TALKWALKER,
    "www.linkedin.com": _Redirector(("url",), ("/redir/redirect",), frozenset({"urlhash", "trk", "isSdui"})),
    "www.youtube.com": _Redirector(("q",), ("/redirect",), frozenset({"event", "redir_token", "html_redirect", "v"})),
    "out.reddit.com": _Redirector(("url",), None, frozenset({"token", "app_name"})),
    "slack-redir.net": _Redirector(("url",), ("/link",)),
    "duckduckgo.com": _Redirector(("uddg",), ("/l/", "/l"), frozenset({"rut"})),
    "vk.com": _Redirector(("to",), ("/away.php",), frozenset({"cc_key", "utf", "post"})),
    "steamcommunity.com": _Redirector(("url", "u"), ("/linkfilter/", "/linkfilter")),
    "t.umblr.com": _Redirector(("z",), ("/redirect",), frozenset({"t"})),
}
# google.com, www.google.fr, google.co.uk, google.com.br...
_GOOGLE_HOST_RE = re.compile(r"(?:www\.)?google\.(?:[a-z]{2,3}|com?\.[a-z]{2})")
_SAFELINKS_SUFFIX = ".safelinks.protection.outlook.com"
_SAFELINKS = _Redirector(("url",), None, frozenset({"data", "sdata", "reserved"}))
_AMP_CACHE_SUFFIX = ".cdn.ampproject.org"
_GOOGLE_NEWS_ARTICLE_RE = re.compile(r"/(?:rss/)?(?:articles|read)/([A-Za-z0-9_-]{8,})/?$")
_RAW_HTTP_RE = re.compile(r"https?://", re.IGNORECASE)
_ENCODED_HTTP_RE = re.compile(r"https?%3a", re.IGNORECASE)
_ENCODED_QUERY_RE = re.compile(r"%3f|%3d|%26", re.IGNORECASE)  # an encoded ?, = or &
_CLEAR_URL_RE = re.compile(r"https?://[!-~]+")


def _redirector_for(host: str, path: str) -> _Redirector | None:
    if _GOOGLE_HOST_RE.fullmatch(host):
        r = _GOOGLE_URL
    elif host.endswith(_SAFELINKS_SUFFIX):
        r = _SAFELINKS
    else:
        r = _REDIRECTORS.get(host)
    if r is None or (r.paths is not None and path not in r.paths):
        return None
    return r


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _param_target(query: str, fragment: str, r: _Redirector) -> str | None:
    """The redirect target named by one of r.params, or None."""
    query = query.replace("&amp;", "&")  # HTML-escaped links copied from a page
    parts = query.split("&")
    keys = [unquote_plus(p.partition("=")[0]) for p in parts]
    for name in r.params:
        for i, part in enumerate(parts):
            if keys[i] != name or "=" not in part:
                continue
            value = part.partition("=")[2]
            if _RAW_HTTP_RE.match(value):
                # Written raw: the target may have its own query, which ends
                # where the redirector's own parameters start again.
                if "?" in value:
                    j = i + 1
                    while j < len(parts) and keys[j] not in r.own_params:
                        j += 1
                    value = "&".join(parts[i:j]).partition("=")[2]
                    if fragment and j == len(parts):
                        value += "#" + fragment
                elif _ENCODED_QUERY_RE.search(value):
                    # Google Alerts writes the scheme in clear and the rest
                    # encoded ("https://host/watch%3Fv%3Dabc"): decode it once.
                    value = unquote(value)
                return value.strip()
            for _ in range(3):  # encoded, maybe twice
                value = unquote(value)
                if not _ENCODED_HTTP_RE.match(value):
                    break
            return value.strip()
    return None


def _google_news_target(payload: str) -> str | None:
    """The article URL of an older Google News link, when it is there in clear."""
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        return None
    m = re.search(rb"https?://", raw)
    if m is None:
        return None  # newer opaque id: only Google can resolve it
    start = m.start()
    # A protobuf string field: tag, varint length, bytes.
    if start >= 2 and raw[start - 2] & 0x80 and not raw[start - 1] & 0x80:
        length = (raw[start - 2] & 0x7F) | (raw[start - 1] << 7)
    elif start >= 1 and not raw[start - 1] & 0x80:
        length = raw[start - 1]
    else:
        return None
    if start + length > len(raw):
        return None
    try:
        url = raw[start : start + length].decode("ascii")
    except UnicodeDecodeError:
        return None
    return url if _CLEAR_URL_RE.fullmatch(url) else None


def _unwrap_once(url: str) -> str | None:
    """The target of one redirect wrapper, or None when url is not one."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    path = parts.path
    if host == "news.google.com":
        m = _GOOGLE_NEWS_ARTICLE_RE.search(path)
        if m:
            return _google_news_target(m.group(1))
    # AMP viewers: /amp/s/HOST/PATH is https, /amp/HOST/PATH is http.
    if (_GOOGLE_HOST_RE.fullmatch(host) and path.startswith("/amp/")) or (
        host.endswith(_AMP_CACHE_SUFFIX) and path.startswith(("/c/", "/v/"))
    ):
        rest = path.split("/", 2)[2]
        scheme = "http"
        if rest.startswith("s/"):
            scheme, rest = "https", rest[2:]
        if not rest or rest.startswith("/"):
            return None
        target = f"{scheme}://{rest}"
        if parts.query:
            target += "?" + parts.query
        return target
    r = _redirector_for(host, path)
    if r is None or not parts.query:
        return None
    return _param_target(parts.query, parts.fragment, r)


def unwrap_redirect(url: str) -> str:
    """The real URL behind known redirect wrappers, unwrapped as deep as they go.

    Anything else is returned unchanged (surrounding spaces stripped). A target
    that is not an http(s) URL leaves the wrapper in place.
    """
    if not url:
        return ""
    current = url.strip()
    for _ in range(_MAX_UNWRAP):
        target = _unwrap_once(current)
        if not target or target == current or not _is_web_url(target):
            break
        current = target
    return current


# -- canonical URL ------------------------------------------------------------

_TRACKING_PARAMS = frozenset(
    "fbclid gclid dclid gbraid wbraid msclkid yclid mc_cid mc_eid igshid _ga _gl mkt_tok "
    "oly_anon_id oly_enc_id vero_id __s".split()
)
_TWITTER_HOSTS = frozenset({"twitter.com", "mobile.twitter.com", "x.com", "mobile.x.com"})
_TWITTER_PARAMS = frozenset({"ref", "ref_src", "ref_url", "s", "t"})
_QS_SAFE = "-._~!$'()*,;:@/?"
_PCT_RE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _normalise_escapes(path: str) -> str:
    """Upper-case percent escapes and decode the ones that needed no escaping."""

    def fix(m: re.Match[str]) -> str:
        ch = chr(int(m.group(0)[1:], 16))
        return ch if ch in _UNRESERVED else m.group(0).upper()

    return _PCT_RE.sub(fix, path) if "%" in path else path


def _drop_param(key: str, value: str, twitter: bool) -> bool:
    k = key.lower()
    if k.startswith(("utm_", "at_")) or k in _TRACKING_PARAMS:
        return True
    if k == "amp" and value.lower() in ("", "1", "true"):
        return True
    if k == "outputtype" and value.lower() == "amp":
        return True
    return twitter and k in _TWITTER_PARAMS


def _canonical_query(query: str, twitter: bool) -> str:
    kept: list[tuple[str, str, bool]] = []
    for part in query.split("&"):
        if not part:
            continue
        raw_key, eq, raw_value = part.partition("=")
        key, value = unquote_plus(raw_key), unquote_plus(raw_value)
        if not key or _drop_param(key, value, twitter):
            continue
        kept.append((key, value, bool(eq)))
    kept.sort()
    return "&".join(
        quote(k, safe=_QS_SAFE) + ("=" + quote(v, safe=_QS_SAFE) if eq else "") for k, v, eq in kept
    )


def canonical_url(url: str) -> str:
    """A dedup key for a link: unwrapped, normalised, without tracking or AMP.

    Not meant to be opened (``http`` becomes ``https``, ``www.`` is dropped);
    input that is not an http(s) URL comes back unwrapped and stripped.
    """
    u = unwrap_redirect(url)
    if not u:
        return ""
    try:
        parts = urlsplit(u)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return u
    if scheme not in ("http", "https") or not host:
        return u
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    if host.startswith("amp.") and host.count(".") >= 2:
        host = host[4:]
    twitter = host in _TWITTER_HOSTS
    if twitter:
        host = "x.com"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"

    path = _normalise_escapes(parts.path) or "/"
    if path.endswith("/"):
        path = path.rstrip("/") or "/"
    if path.endswith(".amp"):
        path = path[:-4] or "/"
    elif path == "/amp" or path.endswith("/amp"):
        path = path[:-4] or "/"

    query = _canonical_query(parts.query, twitter) if parts.query else ""
    fragment = parts.fragment if parts.fragment.startswith("!") else ""
    return urlunsplit(("https", host, path, query, fragment))


# -- near-duplicate text ------------------------------------------------------

_URL_TEXT_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_BOILERPLATE_RES = (
    # WordPress feed footer
    re.compile(r"the post\b.{0,300}?\bappeared first on\b[^\n]{0,120}", re.IGNORECASE | re.DOTALL),
    # newswire dateline: "PARIS, March 3, 2024 /PRNewswire/ --"
    re.compile(
        r"^[^\n/]{0,120}/\s*(?:pr\s?newswire|business\s?wire|globe\s?newswire|accesswire|ein presswire"
        r"|newswire)[^/\n]{0,40}/\s*(?:--|\u2014|\u2013|-)?",
        re.IGNORECASE | re.MULTILINE,
    ),
    re.compile(
        r"(?:\u00a9|\(c\)|copyright)[^\n]{0,120}?(?:all rights reserved|tous droits r\u00e9serv\u00e9s)\.?",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:all rights reserved|tous droits r\u00e9serv\u00e9s)\.?", re.IGNORECASE),
    re.compile(
        r"\b(?:continue reading|read more|read the full "
        r"(?:story|article)|lire la suite|en savoir plus)\b[^\n\w]{0,10}$",
        re.IGNORECASE | re.MULTILINE,
    ),
    re.compile(r"\[\s*(?:\u2026|\.\.\.)\s*\]"),
    # labelled lines: tags, categories, sharing, picture credits
    re.compile(
        r"^[^\S\n]*(?:tags?|tagged|filed under|categor(?:y|ies)|cat\u00e9gories?|mots[- ]cl\u00e9s|share this"
        r"|partager|photos?|images?|cr\u00e9dits?|credits?)[^\S\n]*:[^\n]*$",
        re.IGNORECASE | re.MULTILINE,
    ),
)
_WORD_RE = re.compile(r"\w+")
_SHORT_LINE_WORDS = 4
_MAX_TEXT_CHARS = 50_000
# _BIT_TABLES[i] maps a byte to 1 when its bit i is set: counting set bits
# column by column runs in C, not in a Python loop per shingle and per bit.
_BIT_TABLES = [bytes((v >> i) & 1 for v in range(256)) for i in range(8)]


def _strip_boilerplate(text: str) -> str:
    text = _URL_TEXT_RE.sub(" ", text)
    if "@" in text:
        text = _EMAIL_RE.sub(" ", text)
    for pattern in _BOILERPLATE_RES:
        text = pattern.sub(" ", text)
    if "\n" in text:
        # Short lines are share buttons, captions, tags, bylines: kept only when
        # dropping them would leave too little to compare.
        long_lines = [ln for ln in text.split("\n") if len(_WORD_RE.findall(ln)) >= _SHORT_LINE_WORDS]
        if sum(len(_WORD_RE.findall(ln)) for ln in long_lines) >= MIN_WORDS:
            text = "\n".join(long_lines)
    return text


def _words(text: str) -> list[str]:
    """Words of the text, lower-cased, accents removed, boilerplate dropped."""
    if not text:
        return []
    # A story is recognised by its first pages; a huge body costs time, not accuracy.
    text = _strip_boilerplate(text[:_MAX_TEXT_CHARS]).lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _WORD_RE.findall(text)


def _simhash(words: list[str]) -> int:
    if not words:
        return 0
    if len(words) < 3:
        shingles = [" ".join(words)]
    else:
        shingles = [f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:])]
    # Each occurrence counts: a repeated shingle weighs more.
    digests = b"".join(blake2b(s.encode("utf-8"), digest_size=8).digest() for s in shingles)
    half = len(shingles)
    fp = 0
    for byte_pos in range(8):
        column = digests[byte_pos::8]
        for bit in range(8):
            # Bit set when the shingles with this hash bit set outweigh those without.
            if 2 * column.translate(_BIT_TABLES[bit]).count(1) > half:
                fp |= 1 << (8 * byte_pos + bit)
    return fp


def text_fingerprint(text: str) -> int:
    """64-bit SimHash (unsigned) of the text's word 3-shingles; 0 for no words.

    Text is lower-cased, accents removed and feed boilerplate dropped first
    (see the module docstring), so two copies of one story that differ only
    by their site's header and footer get the same or a very close value.
    """
    return _simhash(_words(text))


def hamming_distance(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit fingerprints (signed or not)."""
    return ((a ^ b) & MASK64).bit_count()


def near_duplicate(a: int, b: int, max_distance: int = 3) -> bool:
    """True when two fingerprints differ in at most max_distance bits."""
    return hamming_distance(a, b) <= max_distance


# -- the index ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DuplicateEntry:
    """What the index recorded for one mention: the values worth storing."""

    key: int
    canonical_url: str | None
    fingerprint: int | None  # unsigned 64-bit; None when the text is too short
    group: int


class DuplicateIndex:
    """Assigns duplicate group ids, in memory, rebuilt from stored rows.

    Candidates for near-duplicates come from 4 bands of 16 bits: two
    fingerprints at distance 3 or less share at least one band exactly, so
    the lookup touches only those buckets, not every mention.
    """

    BANDS = 4

    def __init__(self, max_distance: int = 3) -> None:
        if not 0 <= max_distance < self.BANDS:
            # Beyond 3, two near fingerprints may share no band: lookups would miss them.
            raise ValueError("max_distance must be between 0 and 3")
        self.max_distance = max_distance
        # key -> (canonical URL or None, fingerprint or None, group, insertion rank):
        # plain tuples, so that loading 100k stored rows costs no object per row.
        self._entries: dict[int, tuple[str | None, int | None, int, int]] = {}
        self._by_url: dict[str, int] = {}  # canonical URL -> group
        self._bands: list[dict[int, list[int]]] = [{} for _ in range(self.BANDS)]

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def group_of(self, key: int) -> int | None:
        e = self._entries.get(key)
        return None if e is None else e[2]

    def entry(self, key: int) -> DuplicateEntry | None:
        e = self._entries.get(key)
        return None if e is None else DuplicateEntry(key, e[0], e[1], e[2])

    def add(self, key: int, url: str | None, text: str) -> int:
        """Index one mention and return its group id (the key of the group's first member)."""
        return self.add_entry(key, url, text).group

    def add_entry(self, key: int, url: str | None, text: str) -> DuplicateEntry:
        """Like add, returning the canonical URL and fingerprint to store as well.

        A key already in the index keeps its entry.
        """
        existing = self.entry(key)
        if existing is not None:
            return existing
        canon = canonical_url(url) if url else ""
        words = _words(text or "")
        fp = _simhash(words) if len(words) >= MIN_WORDS else None
        group = self._by_url.get(canon) if canon else None
        if group is None and fp is not None:
            group = self._nearest_group(fp)
        if group is None:
            group = key
        self._insert(key, canon or None, fp, group)
        return DuplicateEntry(key, canon or None, fp, group)

    def load(self, rows: Iterable[tuple[int, str | None, int | None, int | None]]) -> None:
        """Seed from stored (key, canonical_url, fingerprint, group) rows, oldest first.

        Fingerprints may be signed (as SQLite stores them) or unsigned; a row
        with no group becomes its own group.
        """
        entries = self._entries
        by_url = self._by_url
        b0, b1, b2, b3 = self._bands
        rank = len(entries)
        for key, canon, fp, group in rows:
            if key in entries:
                continue
            if group is None:
                group = key
            canon = canon or None
            if fp is not None:
                fp &= MASK64
                for table, band in ((b0, fp & 0xFFFF), (b1, fp >> 16 & 0xFFFF), (b2, fp >> 32 & 0xFFFF),
                                    (b3, fp >> 48)):
                    bucket = table.get(band)
                    if bucket is None:
                        table[band] = [key]
                    else:
                        bucket.append(key)
            if canon is not None and canon not in by_url:
                by_url[canon] = group
            entries[key] = (canon, fp, group, rank)
            rank += 1

    def _insert(self, key: int, canon: str | None, fp: int | None, group: int) -> None:
        self._entries[key] = (canon, fp, group, len(self._entries))
        if canon:
            self._by_url.setdefault(canon, group)
        if fp is not None:
            for band, table in enumerate(self._bands):
                table.setdefault(fp >> (16 * band) & 0xFFFF, []).append(key)

    def _nearest_group(self, fp: int) -> int | None:
        best: tuple[int, int] | None = None
        best_group = None
        seen: set[int] = set()
        entries = self._entries
        for band, table in enumerate(self._bands):
            for other in table.get(fp >> (16 * band) & 0xFFFF, ()):
                if other in seen:
                    continue
                seen.add(other)
                _canon, ofp, group, order = entries[other]
                d = ((ofp or 0) ^ fp).bit_count()
                if d <= self.max_distance:
                    rank = (d, order)
                    if best is None or rank < best:
                        best, best_group = rank, group
        return best_group
