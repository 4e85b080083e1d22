"""Feed parsing: a fast lxml / json first pass, feedparser as the lenient fallback.

The fast pass reads well-formed RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0/0.3 and
JSON Feed 1.x at lxml speed. Anything it does not like (a syntax error, a wrong
encoding, an unknown root) goes to feedparser, which is slow but salvages
almost anything. Both passes normalise items the same way, so a feed that flips
from one to the other keeps the same guids.

No XML reader here expands entities or loads a DTD: lxml runs with
resolve_entities=False / load_dtd=False / no_network=True, and feedparser drops
every entity declaration that is not a plain character reference.
"""

from __future__ import annotations

import base64
import calendar
import functools
import hashlib
import io
import json
import re
import threading
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import feedparser
from feedparser.datetimes import _parse_date as _fp_parse_date
from lxml import etree

from cmdesk.core.models import ErrorCode, ParsedFeed, ParsedItem
from cmdesk.core.text import collapse_ws, plain_title

__all__ = ["FeedParseError", "parse_feed", "parse_date"]


class FeedParseError(Exception):
    """The body is not a feed (NOT_A_FEED) or is too broken to read (MALFORMED)."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self):  # survives pickling back from a worker process
        return (type(self), (self.code, self.message))


class _Fallback(Exception):
    """The fast pass gives up; feedparser gets the document."""


# --- namespaces ------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_ATOM03 = "{http://purl.org/atom/ns#}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_RSS10 = "{http://purl.org/rss/1.0/}"
_RSS090 = "{http://my.netscape.com/rdf/simple/0.9/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
_MEDIA = "{http://search.yahoo.com/mrss/}"

# Child tag -> field key. One dict lookup per child keeps per-item work lean.
_RSS_ITEM_KEYS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "description": "summary",
    "pubDate": "date1",
    "pubdate": "date1",
    "author": "author2",
    _DC + "creator": "author",
    _ITUNES + "author": "author3",
    _DC + "date": "date2",
    _DC + "title": "title2",
    _CONTENT + "encoded": "content",
    _XHTML + "body": "content",
    # Summaries of last resort: podcasts and video feeds often have nothing else.
    _ITUNES + "summary": "summary2",
    _MEDIA + "description": "media",
    _MEDIA + "group": "media",
}
_RDF_ITEM_KEYS = dict(_RSS_ITEM_KEYS)
for _ns in (_RSS10, _RSS090):
    _RDF_ITEM_KEYS.update(
        {_ns + "title": "title", _ns + "link": "link", _ns + "description": "summary"}
    )


def _atom_keys(ns: str, v03: bool) -> dict[str, str]:
    keys = {
        ns + "id": "id",
        ns + "title": "title",
        ns + "link": "link",
        ns + "published": "published",
        ns + "updated": "updated",
        ns + "summary": "summary",
        ns + "content": "content",
        ns + "author": "author",
        _MEDIA + "group": "media",  # YouTube puts the only description here
        _MEDIA + "description": "media",
    }
    if v03:
        keys.update(
            {ns + "issued": "published", ns + "modified": "updated", ns + "created": "created"}
        )
    return keys


_ATOM_KEYS = {_ATOM: _atom_keys(_ATOM, False), _ATOM03: _atom_keys(_ATOM03, True)}
_ALTERNATE_RELS = ("alternate", "http://www.iana.org/assignments/relation/alternate")
_HTML_TYPES = ("text/html", "application/xhtml+xml")

_ORIGIN_RE = re.compile(r"(https?://[^/?#]+)")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HTML_HEAD_RE = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_FEED_MARK_RE = re.compile(rb"<(?:\w+:)?(?:rss|feed|RDF|channel)[\s>]")

_local = threading.local()


def _xml_parser() -> etree.XMLParser:
    # lxml parsers must not be shared by threads running at the same time.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        _local.parser = parser
    return parser


# --- public API --------------------------------------------------------------


def parse_feed(body: bytes, url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document; raise FeedParseError when it is not a readable feed."""
    if isinstance(body, str):  # tolerated; the bytes a server sent are better
        body = body.encode("utf-8")
    if not body or not body.strip():
        raise FeedParseError(ErrorCode.NOT_A_FEED, "not a feed: the document is empty")
    head = body.lstrip()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    if head[:1] in (b"{", b"["):
        return _parse_json(head, url)
    try:
        feed = _parse_fast(head, url)
        if feed.items or (b"<item" not in head and b"<entry" not in head):
            return feed
        # Items the fast pass did not find where it looks: let feedparser look too.
        fast_error = None
    except _Fallback as exc:
        fast_error = exc.__cause__
    except Exception as exc:  # anything odd: the lenient parser decides
        fast_error = exc
    if _HTML_HEAD_RE.search(head[:2048]) and not _FEED_MARK_RE.search(body):
        # Spares feedparser a long HTML page it could only give up on.
        raise FeedParseError(ErrorCode.NOT_A_FEED, "not a feed: the document is an HTML page")
    return _parse_with_feedparser(body, url, content_type, fast_error)


_ISO_DATE_RE = re.compile(r"\d{4}-(\d{2})(?:-(\d{2}))?")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# The zones RFC 822 names (as email.utils does); others go to the slower parsers.
_ZONES = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip


def _rfc822(s: str) -> int | None:
    """Epoch of a common RFC 822 date, or None to let the general parsers try.

    Token based rather than one big regex: several times faster, and this runs
    for nearly every RSS item.
    """
    parts = s.split()
    if parts and parts[0][:1].isalpha():  # "Tue," / "Tue" / "Tuesday,"
        parts = parts[1:]
    if len(parts) == 4:
        day, mon, year, hms = parts
        offset = 0
    elif len(parts) == 5:
        day, mon, year, hms, zone = parts
        if zone[:1] in "+-" and len(zone) == 5 and zone[1:].isdigit():
            offset = int(zone[1:3]) * 3600 + int(zone[3:]) * 60
            if zone[0] == "-":
                offset = -offset
        else:
            hours = _ZONES.get(zone.lower())
            if hours is None:
                return None
            offset = hours * 3600
    else:
        return None
    month = _MONTHS.get(mon[:3].lower())
    if month is None or not day.isdigit() or not year.isdigit():
        return None
    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 50 else 1900
    elif len(year) != 4:
        return None
    t = hms.split(":")
    if not 2 <= len(t) <= 3 or not all(x.isdigit() for x in t):
        return None
    try:
        dt = datetime(
            y, month, int(day), int(t[0]), int(t[1]),
            min(int(t[2]), 59) if len(t) == 3 else 0,
            tzinfo=timezone.utc,
        )  # fmt: skip
    except ValueError:  # Feb 31st, hour 25 ...
        return None
    return int(dt.timestamp()) - offset


def parse_date(value: str | None) -> int | None:
    """Epoch seconds (UTC) of a feed date string, or None when absent or unparseable.

    RFC 822 and ISO 8601 take fast paths; odd formats go to email.utils and then
    to feedparser's date parser. Dates without a zone are taken as UTC.
    """
    if not value or not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    if s[0].isdigit() and s[1:2].isdigit() and s[2:3].isdigit():  # ISO 8601 starts yyyy
        try:
            dt = datetime.fromisoformat(s)
        except ValueError:
            m = _ISO_DATE_RE.match(s)
            # feedparser rolls impossible dates over (month 13 -> January): refuse them.
            if m and not (1 <= int(m[1]) <= 12 and (m[2] is None or 1 <= int(m[2]) <= 31)):
                return None
        else:
            return _epoch(dt)
    ts = _rfc822(s)
    if ts is not None:
        return ts
    try:
        dt = parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    else:
        return _epoch(dt)
    try:
        st = _fp_parse_date(s)
        return calendar.timegm(st) if st else None
    except Exception:
        return None


def _epoch(dt: datetime) -> int | None:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        return int(dt.timestamp())
    except (OverflowError, OSError, ValueError):
        return None


# --- fast XML pass -------------------------------------------------------------


def _parse_fast(body: bytes, url: str) -> ParsedFeed:
    """lxml pass; raises _Fallback (or any exception) when feedparser should try."""
    try:
        root = etree.fromstring(body, _xml_parser(), base_url=url or None)
    except etree.XMLSyntaxError as exc:
        raise _Fallback() from exc
    tag = root.tag
    if tag == "rss":
        return _read_rss(root, url)
    if tag == _RDF + "RDF":
        return _read_rdf(root, url)
    if tag == _ATOM + "feed":
        return _read_atom(root, url, _ATOM)
    if tag == _ATOM03 + "feed":
        return _read_atom(root, url, _ATOM03)
    raise _Fallback(f"unknown root element {tag!r}")


def _text(el) -> str:
    """Text of a simple element (title, link, name, date)."""
    if el is None:
        return ""
    if len(el):
        return "".join(el.itertext())
    return el.text or ""


def _inner_xml(el) -> str:
    """Markup inside an element, as published (for inline XHTML content)."""
    # One serialisation of the wrapper, then cut its own tags off: the namespace
    # declarations lxml must add land on the wrapper, not on the content.
    s = etree.tostring(el, encoding="unicode", with_tail=False)
    if s.endswith("/>"):
        return ""
    return s[s.index(">") + 1 : s.rindex("</")]


def _markup(el) -> str:
    """HTML or text of an RSS description / content:encoded."""
    if el is None:
        return ""
    if len(el):
        return _inner_xml(el).strip()
    return (el.text or "").strip()


def _rss_title(el) -> str:
    # RSS titles are nominally plain text but often carry markup or entities.
    return plain_title(_text(el)) if el is not None else ""


def _is_web_url(s: str) -> bool:
    return s[:8].lower().startswith(("http://", "https://"))


@functools.lru_cache(maxsize=256)
def _origin(base: str) -> str | None:
    m = _ORIGIN_RE.match(base)
    return m.group(1) if m else None


def _join(base: str, href: str) -> str:
    # Most relative links are root-relative ("/posts/1"); gluing them to the base's
    # origin is much cheaper than urljoin and gives the same result.
    if href[0] == "/" and href[1:2] != "/" and "/." not in href:
        origin = _origin(base)
        if origin is not None:
            return origin + href
    return urljoin(base, href)


def _resolve(href: str, el, base: str) -> str | None:
    """Absolute http(s) URL of a link, resolved against xml:base / the feed URL."""
    href = href.strip()
    if not href:
        return None
    if _is_web_url(href):
        return href
    b = (el.base if el is not None else None) or base
    if b:
        try:
            href = _join(b, href)
        except ValueError:
            return None
    elif href.startswith("//"):
        href = "https:" + href
    return href if _is_web_url(href) else None


def _resolve_id(value: str, el, base: str) -> str:
    # feedparser resolves permalink guids and Atom ids against the base; doing the
    # same keeps guids stable when a feed flips between the two passes.
    if not value or _SCHEME_RE.match(value):
        return value
    b = (el.base if el is not None else None) or base
    if not b:
        return value
    try:
        return urljoin(b, value)
    except ValueError:
        return value


def _collect(el, keys: dict[str, str]) -> dict:
    """First child element for each known field key."""
    found: dict = {}
    for child in el:
        key = keys.get(child.tag)
        if key is not None and key not in found:
            found[key] = child
    return found


def _first_date(f: dict, keys: tuple[str, ...]) -> tuple[int | None, str]:
    """(epoch, raw string) of the first date field that parses, by preference."""
    raw_first = ""
    for key in keys:
        el = f.get(key)
        if el is None:
            continue
        raw = _text(el).strip()
        if not raw:
            continue
        raw_first = raw_first or raw
        ts = parse_date(raw)
        if ts is not None:
            return ts, raw
    return None, raw_first


def _make_item(guid, url, title, author, summary, content, published_at, raw_date) -> ParsedItem:
    if summary and summary == content:
        # feedparser copies content into a missing summary; drop the copy either way.
        summary = ""
    if not guid:
        guid = url or "hash:" + hashlib.sha1(
            (title + "\n" + raw_date).encode("utf-8", "surrogatepass")
        ).hexdigest()
    return ParsedItem(
        guid=guid,
        url=url,
        title=title,
        author=author,
        summary=summary,
        content=content,
        published_at=published_at,
    )


def _media_description(el) -> str:
    """Text of media:description, directly or inside a media:group."""
    if el is None:
        return ""
    if el.tag == _MEDIA + "group":
        for child in el:
            if child.tag == _MEDIA + "description":
                return (child.text or "").strip()
        return ""
    return (el.text or "").strip()


def _person_name(el) -> str:
    """Text of a person element; its <name> child when it has one."""
    if len(el):
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and (tag == "name" or tag.endswith("}name")):
                return collapse_ws(_text(child))
    return collapse_ws(_text(el))


def _rss_like_item(f: dict, base: str, about: str | None) -> ParsedItem:
    title_el = f.get("title")
    if title_el is None:
        title_el = f.get("title2")
    title = _rss_title(title_el)
    link_el = f.get("link")
    url = _resolve(_text(link_el), link_el, base) if link_el is not None else None
    guid_el = f.get("guid")
    guid = ""
    if guid_el is not None:
        guid = _text(guid_el).strip()
        permalink = (
            guid_el.get("isPermaLink") or guid_el.get("isPermalink") or guid_el.get("ispermalink")
        )
        if guid and (permalink or "true").strip().lower() != "false":
            guid = _resolve_id(guid, guid_el, base)
            if url is None:
                url = _resolve(guid, guid_el, base)
    if not guid and about:
        guid = about.strip()
    author = ""
    for key in ("author", "author2", "author3"):
        el = f.get(key)
        if el is not None:
            author = _person_name(el)
            if author:
                break
    published_at, raw_date = _first_date(f, ("date1", "date2"))
    summary = _markup(f.get("summary"))
    content = _markup(f.get("content"))
    if not summary and not content:
        summary = _markup(f.get("summary2")) or _media_description(f.get("media"))
    return _make_item(guid, url, title, author, summary, content, published_at, raw_date)


def _read_rss(root, url: str) -> ParsedFeed:
    channel = None
    item_els = []
    for child in root:
        if child.tag == "channel" and channel is None:
            channel = child
        elif child.tag == "item":  # RSS 0.9x-style items beside the channel
            item_els.append(child)
    title = ""
    site_url = None
    if channel is not None:
        seen_title = seen_link = False
        for child in channel:
            tag = child.tag
            if tag == "item":
                item_els.append(child)
            elif tag == "title" and not seen_title:
                title, seen_title = _rss_title(child), True
            elif tag == "link" and not seen_link:
                site_url, seen_link = _resolve(_text(child), child, url), True
    elif not item_els:
        raise _Fallback("rss without channel")
    items = tuple(_rss_like_item(_collect(el, _RSS_ITEM_KEYS), url, None) for el in item_els)
    return ParsedFeed(title=title, site_url=site_url, items=items, kind="rss", parser="fast")


def _read_rdf(root, url: str) -> ParsedFeed:
    title = ""
    site_url = None
    item_els = []
    about = _RDF + "about"
    for child in root:
        tag = child.tag
        if tag in (_RSS10 + "item", _RSS090 + "item"):
            item_els.append(child)
        elif tag in (_RSS10 + "channel", _RSS090 + "channel"):
            for sub in child:
                st = sub.tag
                if st in (_RSS10 + "title", _RSS090 + "title") and not title:
                    title = _rss_title(sub)
                elif st in (_RSS10 + "link", _RSS090 + "link") and site_url is None:
                    site_url = _resolve(_text(sub), sub, url)
                elif st in (_RSS10 + "item", _RSS090 + "item"):
                    item_els.append(sub)
    items = tuple(
        _rss_like_item(_collect(el, _RDF_ITEM_KEYS), url, el.get(about)) for el in item_els
    )
    return ParsedFeed(title=title, site_url=site_url, items=items, kind="rdf", parser="fast")


def _atom_type(el) -> str:
    t = (el.get("type") or "text").lower()
    if t in ("xhtml", "application/xhtml+xml") or el.get("mode") == "xml":
        return "xhtml"
    if t in ("html", "text/html"):
        return "html"
    return "text"


def _atom_markup(el) -> str:
    """Content of an Atom text construct or content element, as HTML or text."""
    if el is None or el.get("src"):
        return ""
    if _atom_type(el) == "xhtml" or len(el):
        # The XHTML div wrapper belongs to the format, not to the content.
        if len(el) == 1 and not (el.text or "").strip() and el[0].tag == _XHTML + "div":
            return _inner_xml(el[0]).strip()
        return _inner_xml(el).strip()
    text = (el.text or "").strip()
    if el.get("mode") == "base64":  # Atom 0.3
        try:
            text = base64.b64decode(text).decode("utf-8", "replace")
        except ValueError:
            pass
    return text


def _atom_title(el) -> str:
    if el is None:
        return ""
    kind = _atom_type(el)
    if kind == "text" and not len(el):
        return collapse_ws(el.text or "")
    if kind == "xhtml" or len(el):
        return collapse_ws("".join(el.itertext()))
    return plain_title(el.text or "")


def _atom_link(links: list, base: str) -> str | None:
    """The alternate link, text/html preferred, resolved."""
    fallback = None
    for link in links:
        if link.get("rel", "alternate") not in _ALTERNATE_RELS:
            continue
        href = link.get("href")
        if not href:
            continue
        typ = (link.get("type") or "text/html").lower()
        if typ in _HTML_TYPES:
            return _resolve(href, link, base)
        if fallback is None:
            fallback = link
    return _resolve(fallback.get("href"), fallback, base) if fallback is not None else None


def _atom_author(el, ns: str) -> str:
    if el is None:
        return ""
    name_tag = ns + "name"
    for child in el:
        if child.tag == name_tag:
            return collapse_ws(_text(child))
    return collapse_ws(_text(el))


def _read_atom(root, url: str, ns: str) -> ParsedFeed:
    keys = _ATOM_KEYS[ns]
    entry_tag = ns + "entry"
    link_tag = ns + "link"
    title = ""
    feed_author = ""
    feed_links = []
    entry_els = []
    for child in root:
        tag = child.tag
        if tag == entry_tag:
            entry_els.append(child)
        elif tag == link_tag:
            feed_links.append(child)
        elif tag == ns + "title" and not title:
            title = _atom_title(child)
        elif tag == ns + "author" and not feed_author:
            feed_author = _atom_author(child, ns)
    items = []
    for entry in entry_els:
        f: dict = {}
        links = []
        for child in entry:
            key = keys.get(child.tag)
            if key is None:
                continue
            if key == "link":
                links.append(child)
            elif key not in f:
                f[key] = child
        id_el = f.get("id")
        guid = _resolve_id(_text(id_el).strip(), id_el, url) if id_el is not None else ""
        link = _atom_link(links, url) if links else None
        if link is None and guid:
            link = _resolve(guid, id_el, url)  # feedparser also uses the id as link
        published_at, raw_date = _first_date(f, ("published", "updated", "created"))
        summary = _atom_markup(f.get("summary"))
        content = _atom_markup(f.get("content"))
        if not summary and not content:
            summary = _media_description(f.get("media"))
        items.append(
            _make_item(
                guid,
                link,
                _atom_title(f.get("title")),
                _atom_author(f.get("author"), ns) or feed_author,
                summary,
                content,
                published_at,
                raw_date,
            )
        )
    return ParsedFeed(
        title=title,
        site_url=_atom_link(feed_links, url),
        items=tuple(items),
        kind="atom",
        parser="fast",
    )


# --- JSON Feed -------------------------------------------------------------------


def _str(v) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    return ""


def _json_author(obj: dict) -> str:
    authors = obj.get("authors")
    if isinstance(authors, list):
        for a in authors:
            if isinstance(a, dict) and _str(a.get("name")).strip():
                return collapse_ws(_str(a["name"]))
    a = obj.get("author")
    if isinstance(a, dict):
        return collapse_ws(_str(a.get("name")))
    return ""


def _parse_json(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0 / 1.1. feedparser cannot read JSON, so there is no fallback."""
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise FeedParseError(
            ErrorCode.MALFORMED, f"malformed JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise FeedParseError(ErrorCode.MALFORMED, f"malformed JSON: {exc}") from None
    version = doc.get("version") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("items"), list)
        or (version is not None and "jsonfeed.org" not in _str(version))
    ):
        raise FeedParseError(
            ErrorCode.NOT_A_FEED, "not a feed: the JSON document is not a JSON Feed"
        )
    base = _str(doc.get("feed_url")) or url
    feed_author = _json_author(doc)
    items = []
    for it in doc["items"]:
        if not isinstance(it, dict):
            continue
        title = plain_title(_str(it.get("title")))
        link = _str(it.get("url")) or _str(it.get("external_url"))
        item_url = _resolve(link, None, base) if link else None
        raw_date = ""
        published_at = None
        for key in ("date_published", "date_modified"):
            raw = _str(it.get(key)).strip()
            if raw:
                raw_date = raw_date or raw
                published_at = parse_date(raw)
                if published_at is not None:
                    raw_date = raw
                    break
        items.append(
            _make_item(
                _str(it.get("id")).strip(),
                item_url,
                title,
                _json_author(it) or feed_author,
                _str(it.get("summary")) or _str(it.get("content_text")),
                _str(it.get("content_html")),
                published_at,
                raw_date,
            )
        )
    home = _str(doc.get("home_page_url"))
    return ParsedFeed(
        title=plain_title(_str(doc.get("title"))),
        site_url=_resolve(home, None, base) if home else None,
        items=tuple(items),
        kind="json",
        parser="fast",
    )


# --- feedparser fallback ---------------------------------------------------------


def _fp_kind(version: str) -> str:
    if version.startswith("atom"):
        return "atom"
    if version in ("rss090", "rss10"):
        return "rdf"
    return "rss"


def _fp_title(detail, value: str) -> str:
    typ = (detail or {}).get("type") or "text/plain"
    return plain_title(value) if "html" in typ else collapse_ws(value)


def _fp_author(obj) -> str:
    detail = obj.get("author_detail") or {}
    return collapse_ws(detail.get("name") or obj.get("author") or "")


def _fp_content(content_list) -> str:
    """The HTML content block (content:encoded, atom content) over plain-text ones."""
    if not content_list:
        return ""
    best = content_list[0]
    for c in content_list:
        if "html" in (c.get("type") or ""):
            best = c
            break
    return (best.get("value") or "").strip()


def _fp_date(entry) -> tuple[int | None, str]:
    raw_first = ""
    for key in ("published", "updated", "created"):
        # dict.get: FeedParserDict maps a missing "updated" to "published", with a warning.
        raw = (dict.get(entry, key) or "").strip()
        if not raw:
            continue
        raw_first = raw_first or raw
        st = dict.get(entry, key + "_parsed")
        if st:
            try:
                return calendar.timegm(st), raw
            except (TypeError, ValueError, OverflowError):
                pass
    return None, raw_first


def _syntax_message(exc: BaseException | None) -> str:
    """One human line for an XML syntax error from expat (feedparser) or lxml."""
    if exc is None:
        return "malformed XML"
    get_message = getattr(exc, "getMessage", None)
    if get_message is not None:  # xml.sax.SAXParseException
        return f"malformed XML: {get_message()} at line {exc.getLineNumber()}"
    if isinstance(exc, etree.XMLSyntaxError):
        msg = (exc.msg or "syntax error").split(", line ")[0]
        return f"malformed XML: {msg} at line {exc.lineno}"
    return f"malformed XML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


_BAD_CHARREF_RE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")


def _fix_charref(m: re.Match) -> bytes:
    # feedparser crashes on references to lone surrogates or beyond U+10FFFF.
    code = int(m[1], 16) if m[1] is not None else int(m[2])
    return b"&#xFFFD;" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else m[0]


# Warnings feedparser sets bozo for that say nothing about the XML being broken.
_BENIGN_BOZO = (
    feedparser.CharacterEncodingOverride,
    feedparser.NonXMLContentType,
)


def _parse_with_feedparser(
    body: bytes, url: str, content_type: str | None, fast_error: BaseException | None = None
) -> ParsedFeed:
    """Lenient pass. Raises FeedParseError when there is no feed to salvage."""
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    if b"&#" in body:
        body = _BAD_CHARREF_RE.sub(_fix_charref, body)
    try:
        # A BytesIO, never raw bytes: feedparser opens a bytes string as a file path.
        d = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser has its own bugs on hostile input
        if isinstance(fast_error, etree.XMLSyntaxError):
            raise FeedParseError(ErrorCode.MALFORMED, _syntax_message(fast_error)) from None
        raise FeedParseError(
            ErrorCode.MALFORMED, f"malformed feed: unreadable ({type(exc).__name__})"
        ) from None
    version = d.get("version") or ""
    entries = d.get("entries") or []
    bozo_exc = d.get("bozo_exception") if d.get("bozo") else None
    if not version and not entries:
        if _HTML_HEAD_RE.search(body[:2048]):
            raise FeedParseError(ErrorCode.NOT_A_FEED, "not a feed: the document is an HTML page")
        raise FeedParseError(
            ErrorCode.NOT_A_FEED, "not a feed: no RSS, Atom or JSON Feed content found"
        )
    if not entries and bozo_exc is not None and not isinstance(bozo_exc, _BENIGN_BOZO):
        if not hasattr(bozo_exc, "getMessage") and isinstance(fast_error, etree.XMLSyntaxError):
            bozo_exc = fast_error  # lxml's line is clearer than feedparser's loose-parser guess
        raise FeedParseError(ErrorCode.MALFORMED, _syntax_message(bozo_exc))
    feed = d.get("feed") or {}
    kind = _fp_kind(version)
    # An Atom feed's author applies to every entry that names none.
    feed_author = _fp_author(feed) if kind == "atom" else ""
    items = []
    for e in entries:
        link = e.get("link") or ""
        published_at, raw_date = _fp_date(e)
        items.append(
            _make_item(
                (e.get("id") or "").strip(),
                _resolve(link, None, url) if link else None,
                _fp_title(e.get("title_detail"), e.get("title") or ""),
                _fp_author(e) or feed_author,
                (e.get("summary") or "").strip(),
                _fp_content(e.get("content")),
                published_at,
                raw_date,
            )
        )
    site = feed.get("link") or ""
    return ParsedFeed(
        title=_fp_title(feed.get("title_detail"), feed.get("title") or ""),
        site_url=_resolve(site, None, url) if site else None,
        items=tuple(items),
        kind=kind,
        parser="feedparser",
    )
