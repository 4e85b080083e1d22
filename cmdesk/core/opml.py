"""OPML subscription lists: read them leniently and safely, write them cleanly.

Reading never expands entities and never loads a DTD: any entity declaration is
refused outright. Real-world exports are often not well-formed (raw ``&``, raw
``<`` or ``"`` pasted into ``description`` attributes), so a document that fails
strict parsing is repaired once and parsed again before giving up.

Writing strips ``user:password@`` from every URL: an exported file is meant to
be shared, and secrets belong in the keyring, never in a file.
"""

from __future__ import annotations

import codecs
import html.entities
import re
import time
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import urlsplit

# Reason codes of OpmlSkipped.
SKIP_NO_XML_URL = "no_xml_url"  # no xmlUrl, no children: neither feed nor folder
SKIP_BAD_SCHEME = "bad_scheme"  # xmlUrl is not http(s): javascript:, file:, relative...
SKIP_BAD_URL = "bad_url"  # http(s) but no host, or unparseable
SKIP_DUPLICATE = "duplicate"  # same feed URL earlier in the file

# Codes of OpmlDocument.repairs: what the lenient retry had to fix.
REPAIR_ENCODING = "encoding_fallback"  # not valid UTF-8: read as Windows-1252
REPAIR_AMPERSANDS = "bare_ampersands"  # raw & or HTML-only entities (&eacute;)
REPAIR_ATTRIBUTES = "outline_attributes"  # raw < or " inside outline attributes

# Codes of OpmlError.
ERROR_NOT_OPML = "not_opml"
ERROR_MALFORMED = "malformed"
ERROR_ENTITIES = "entities"
ERROR_ENCODING = "encoding"


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription; ``folder`` is the path of folder names from the top."""

    url: str
    title: str
    site_url: str | None
    folder: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OpmlSkipped:
    """An outline that was not imported, with a reason code and its line."""

    title: str
    reason: str
    line: int | None


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    """A parsed OPML file; ``folders`` lists every folder path, parents first."""

    title: str
    feeds: tuple[OpmlFeed, ...]
    folders: tuple[tuple[str, ...], ...]
    skipped: tuple[OpmlSkipped, ...]
    repairs: tuple[str, ...] = field(default=())


class OpmlError(Exception):
    """The data is not an OPML file we can read; ``code`` is for the UI."""

    def __init__(self, message: str, code: str = ERROR_MALFORMED) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- reading


def parse_opml(data: bytes) -> OpmlDocument:
    """Parse OPML bytes; raise OpmlError when they are not a readable OPML file."""
    text, repairs = _decode(data)
    # Leading whitespace or a stray BOM before the declaration is fatal to expat.
    text = text.lstrip(" \t\r\n\ufeff")
    if not text:
        raise OpmlError("not an OPML file: it is empty", ERROR_NOT_OPML)
    try:
        root = _parse_xml(text)
    except expat.ExpatError as strict_error:
        fixed, fixes = _repair(text)
        try:
            if not fixes:
                raise strict_error
            root = _parse_xml(fixed)
        except expat.ExpatError as error:
            first = re.search(r"<(opml|html)\b", text[:4096], re.IGNORECASE)
            if first and first.group(1).lower() == "html":
                raise OpmlError(
                    "not an OPML file: root element is <html>", ERROR_NOT_OPML
                ) from None
            raise OpmlError(
                f"malformed OPML: {expat.ErrorString(error.code)}"
                f" at line {error.lineno}, column {error.offset + 1}"
            ) from None
        repairs += fixes
    return _read_document(root, repairs)


class _Node:
    __slots__ = ("name", "attrs", "line", "children", "text")

    def __init__(self, name: str, attrs: dict[str, str], line: int) -> None:
        self.name = name
        self.attrs = attrs
        self.line = line
        self.children: list[_Node] = []
        self.text: list[str] = []

    def tag(self) -> str:
        return self.name.rpartition(":")[2].lower()

    def find(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag() == tag), None)

    def outlines(self) -> list[_Node]:
        return [c for c in self.children if c.tag() == "outline"]


def _refuse_entities(*_args: object) -> None:
    raise OpmlError("OPML with entity declarations is refused", ERROR_ENTITIES)


def _new_parser() -> expat.XMLParserType:
    # The text is already decoded; this overrides whatever the declaration says.
    parser = expat.ParserCreate(encoding="UTF-8")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    return parser


def _parse_xml(text: str) -> _Node:
    parser = _new_parser()
    parser.buffer_text = True
    stack: list[_Node] = []
    roots: list[_Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        node = _Node(name, attrs, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        elif node.tag() != "opml":
            # Checked at the root so an HTML page fails fast with a clear message.
            raise OpmlError(f"not an OPML file: root element is <{name}>", ERROR_NOT_OPML)
        else:
            roots.append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.Parse(text.encode("utf-8"), True)
    return roots[0]


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_ENCODING = re.compile(
    rb"""\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._\-]*)["']"""
)


def _decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    """Bytes to text: BOM first, then the XML declaration, UTF-8 by default."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    else:
        if data[:2] == b"<\x00":
            encoding = "utf-16-le"
        elif data[:2] == b"\x00<":
            encoding = "utf-16-be"
        else:
            match = _DECLARED_ENCODING.match(data)
            encoding = match.group(1).decode("ascii") if match else "utf-8"
            try:
                encoding = codecs.lookup(encoding).name
            except LookupError:
                raise OpmlError(
                    f"malformed OPML: unknown encoding {encoding!r}", ERROR_ENCODING
                ) from None
            if encoding.startswith(("utf-16", "utf-32")):
                # Declared UTF-16 yet ASCII-compatible bytes: a mislabelled export.
                encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding not in ("utf-8", "utf-8-sig"):
            raise OpmlError(
                f"malformed OPML: bytes are not valid {encoding}", ERROR_ENCODING
            ) from None
        # Old exporters often write Windows-1252 and still declare UTF-8.
        return data.decode("cp1252", errors="replace"), (REPAIR_ENCODING,)
    return text.removeprefix("\ufeff"), ()


# ---------------------------------------------------------------- lenient repair

_AMPERSAND = re.compile(r"&(#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)?")
_XML_ENTITIES = frozenset({"amp;", "lt;", "gt;", "quot;", "apos;"})


def _fix_ampersand(match: re.Match[str]) -> str:
    ref = match.group(1)
    if ref is None:
        return "&amp;"
    if ref.startswith("#") or ref in _XML_ENTITIES:
        return match.group(0)
    # HTML names mean something to the author: keep the character, not the name.
    chars = html.entities.html5.get(ref)
    if chars is not None:
        return "".join(f"&#{ord(c)};" for c in chars)
    return "&amp;" + ref


_OUTLINE_START = re.compile(r"<outline\b")
# A tag ends where the next markup is real structure, not HTML pasted in a value.
_OUTLINE_END = re.compile(r"/?>(?=\s*(?:<(?:/?outline\b|/body\b|/opml\b|!--)|$))")
_ATTRIBUTE_START = re.compile(r"(\s+[A-Za-z_:][-\w:.]*\s*=\s*)([\"'])")
_ATTRIBUTE_NAME = re.compile(r"\s+([A-Za-z_:][-\w:.]*)")
_VALUE_END = {
    q: re.compile(re.escape(q) + r"(?=\s+[A-Za-z_:][-\w:.]*\s*=\s*[\"'])") for q in "\"'"
}


def _repair(text: str) -> tuple[str, tuple[str, ...]]:
    """Escape bare ampersands, then rewrite outline tags that are still broken."""
    fixes: list[str] = []
    amped = _AMPERSAND.sub(_fix_ampersand, text)
    if amped != text:
        fixes.append(REPAIR_AMPERSANDS)
    pieces: list[str] = []
    pos = 0
    changed = False
    while (start := _OUTLINE_START.search(amped, pos)) is not None:
        end = _OUTLINE_END.search(amped, start.end())
        if end is None:
            break
        tag = amped[start.start() : end.end()]
        if not _tag_is_well_formed(tag):
            rebuilt = _rebuild_outline(amped[start.end() : end.start()], end.group(0))
            if rebuilt is not None:
                tag = rebuilt
                changed = True
        pieces.append(amped[pos : start.start()])
        pieces.append(tag)
        pos = end.end()
    pieces.append(amped[pos:])
    if changed:
        fixes.append(REPAIR_ATTRIBUTES)
    return "".join(pieces), tuple(fixes)


def _tag_is_well_formed(tag: str) -> bool:
    closing = "" if tag.endswith("/>") else "</outline>"
    try:
        _new_parser().Parse((tag + closing).encode("utf-8"), True)
    except expat.ExpatError:
        return False
    return True


def _rebuild_outline(body: str, closer: str) -> str | None:
    """Re-quote an outline's attributes, or None when there is no sense to make.

    A value ends at its quote character followed by ``name=`` and a quote, or
    at the last quote of the tag: raw quotes inside titles survive, and HTML
    pasted into a description only loses its tail. The first of duplicate
    names wins. Newlines are kept so that line numbers stay true.
    """
    parts = ["<outline"]
    seen: set[str] = set()
    pos = 0
    last_quote = max(body.rfind('"'), body.rfind("'"))
    while body[pos:].strip():
        match = _ATTRIBUTE_START.match(body, pos)
        if match is None:
            return None
        lead, quote = match.groups()
        value_end = _VALUE_END[quote].search(body, match.end())
        end = value_end.start() if value_end else last_quote
        if end < match.end() or body[end] != quote:
            return None
        name = _ATTRIBUTE_NAME.match(lead).group(1)  # type: ignore[union-attr]
        value = body[match.end() : end]
        if name in seen:
            parts.append("\n" * (lead + value).count("\n"))
        else:
            seen.add(name)
            escaped = value.replace("<", "&lt;").replace('"', "&quot;")
            parts.append(f'{lead}"{escaped}"')
        pos = end + 1
    parts.append(body[pos:])
    parts.append(closer)
    return "".join(parts)


# ------------------------------------------------------------ document reading

_WHITESPACE = re.compile(r"[ \t\r\n]+")


def _clean(value: str | None) -> str:
    # Only XML whitespace: a no-break space in a title is deliberate.
    return _WHITESPACE.sub(" ", value or "").strip(" ")


def _lower_attrs(node: _Node) -> dict[str, str]:
    # Exporters disagree on case (xmlUrl, xmlurl, XMLURL); the first spelling wins.
    attrs: dict[str, str] = {}
    for key, value in node.attrs.items():
        attrs.setdefault(key.lower(), value)
    return attrs


def _url_problem(url: str) -> str | None:
    """None when url is a usable http(s) URL, else the skip reason code."""
    scheme, sep, _rest = url.partition(":")
    if not sep or scheme.lower() not in ("http", "https"):
        return SKIP_BAD_SCHEME
    try:
        if not urlsplit(url).hostname:
            return SKIP_BAD_URL
    except ValueError:
        return SKIP_BAD_URL
    return None


def _feed_scheme_to_http(url: str) -> str:
    # feed:// and feed:https:// are old browser conventions for "subscribe".
    lowered = url.lower()
    if lowered.startswith("feed://"):
        return "http://" + url[7:]
    if lowered.startswith(("feed:http://", "feed:https://")):
        return url[5:]
    return url


def _url_key(url: str) -> tuple[str, str, str, str]:
    parts = urlsplit(url)
    return (parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query)


def _category_folder(category: str) -> tuple[str, ...]:
    # OPML 2.0: comma-separated, slash-delimited; entries without a slash are tags.
    for entry in category.split(","):
        entry = entry.strip()
        if entry.startswith("/"):
            path = tuple(name for name in map(_clean, entry.split("/")) if name)
            if path:
                return path
    return ()


def _read_document(root: _Node, repairs: tuple[str, ...]) -> OpmlDocument:
    head = root.find("head")
    title_node = head.find("title") if head is not None else None
    title = _clean("".join(title_node.text)) if title_node is not None else ""

    feeds: list[OpmlFeed] = []
    skipped: list[OpmlSkipped] = []
    folders: dict[tuple[str, ...], None] = {}
    seen_urls: set[tuple[str, str, str, str]] = set()

    def add_folder(path: tuple[str, ...]) -> None:
        for depth in range(1, len(path) + 1):
            folders.setdefault(path[:depth], None)

    body = root.find("body")
    # Explicit stack, not recursion: nesting depth is in the file author's hands.
    stack: list[tuple[_Node, tuple[str, ...]]] = []
    if body is not None:
        stack.extend((child, ()) for child in reversed(body.outlines()))
    while stack:
        node, folder = stack.pop()
        attrs = _lower_attrs(node)
        name = _clean(attrs.get("title")) or _clean(attrs.get("text"))
        children = node.outlines()
        xml_url = (attrs.get("xmlurl") or "").strip()
        child_folder = folder
        if xml_url:
            url = _feed_scheme_to_http(xml_url)
            problem = _url_problem(url)
            if problem is not None:
                skipped.append(OpmlSkipped(name, problem, node.line))
            elif (key := _url_key(url)) in seen_urls:
                skipped.append(OpmlSkipped(name, SKIP_DUPLICATE, node.line))
            else:
                seen_urls.add(key)
                html_url = (attrs.get("htmlurl") or "").strip()
                site_url = None if _url_problem(html_url) else html_url
                feed_folder = folder or _category_folder(attrs.get("category") or "")
                add_folder(feed_folder)
                feeds.append(OpmlFeed(url, name, site_url, feed_folder))
        elif children:
            if name:  # an untitled wrapper adds no level
                child_folder = folder + (name,)
                add_folder(child_folder)
        elif name and _looks_like_empty_folder(attrs):
            add_folder(folder + (name,))
        else:
            skipped.append(OpmlSkipped(name, SKIP_NO_XML_URL, node.line))
        stack.extend((child, child_folder) for child in reversed(children))

    return OpmlDocument(title, tuple(feeds), tuple(folders), tuple(skipped), repairs)


def _looks_like_empty_folder(attrs: dict[str, str]) -> bool:
    # A childless outline with only a name is how readers (and we) write an
    # empty folder; a type or a link means a feed that lost its xmlUrl.
    kind = (attrs.get("type") or "").strip().lower()
    return kind in ("", "folder", "category") and not (
        attrs.get("htmlurl") or attrs.get("url")
    )


# --------------------------------------------------------------------------- writing

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)([^/?#]*)(.*)", re.DOTALL)


def strip_credentials(url: str) -> str:
    """The URL without any ``user:password@`` part; everything else unchanged."""
    match = _AUTHORITY.fullmatch(url)
    if match is None or "@" not in match.group(2):
        return url
    return match.group(1) + match.group(2).rpartition("@")[2] + match.group(3)


def _xml_text(value: str) -> str:
    return _XML_INVALID.sub("", value)


def _name(value: str) -> str:
    return _clean(_xml_text(value))


def write_opml(
    title: str,
    folders: Sequence[tuple[str, ...]],
    feeds: Sequence[OpmlFeed],
    now: int | None = None,
) -> bytes:
    """OPML 2.0 as UTF-8 bytes, with folders as nested outlines.

    Empty folders are written. Credentials are stripped from every URL.
    ``now`` (epoch seconds) sets ``dateCreated``; the current time by default.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _name(title)
    created = formatdate(time.time() if now is None else now, usegmt=True)
    ET.SubElement(head, "dateCreated").text = created
    body = ET.SubElement(root, "body")

    writer = _OutlineWriter(body, folders)
    for feed in feeds:
        path = _clean_path(feed.folder)
        writer.open_pending_before(path)
        writer.go_to(path)
        attrs = {"type": "rss", "text": _name(feed.title), "title": _name(feed.title)}
        attrs["xmlUrl"] = _xml_text(strip_credentials(feed.url.strip()))
        if feed.site_url:
            attrs["htmlUrl"] = _xml_text(strip_credentials(feed.site_url.strip()))
        writer.add(attrs)
    writer.open_all_pending()

    ET.indent(root, space="  ")
    xml = ET.tostring(root, encoding="unicode")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml.encode("utf-8") + b"\n"


def _clean_path(path: Iterable[str]) -> tuple[str, ...]:
    return tuple(name for name in map(_name, path) if name)


class _OutlineWriter:
    """Places feeds and folders so that reading the file back gives the same
    order of feeds and the same order of folders as given.

    Folders are opened lazily, just before the first feed that needs them,
    and eagerly when they sit under the folder just opened: this reproduces
    any document our parser read without reopening a folder in most cases.
    """

    def __init__(self, body: ET.Element, folders: Sequence[tuple[str, ...]]) -> None:
        self._stack: list[tuple[ET.Element, tuple[str, ...]]] = [(body, ())]
        self._seen: set[tuple[str, ...]] = {()}
        self._path_of: dict[int, tuple[str, ...]] = {}  # id(folder element) -> its path
        cleaned = (_clean_path(path) for path in folders)
        self._pending = [path for path in dict.fromkeys(cleaned) if path]
        self._pending_set = set(self._pending)
        self._next = 0

    def add(self, attrs: dict[str, str]) -> None:
        ET.SubElement(self._stack[-1][0], "outline", attrs)

    def go_to(self, path: tuple[str, ...]) -> None:
        """Make path the current folder, opening listed subfolders on the way."""
        self._navigate(path)
        self._skip_seen()
        # Listed folders come parents first, so the ones under path are next.
        while self._next < len(self._pending):
            candidate = self._pending[self._next]
            if len(candidate) <= len(path) or candidate[: len(path)] != path:
                break
            self._next += 1
            self._navigate(candidate)
            self._skip_seen()
        self._navigate(path)

    def _navigate(self, path: tuple[str, ...]) -> None:
        while self._stack[-1][1] != path[: len(self._stack[-1][1])]:
            self._stack.pop()
        for depth in range(len(self._stack[-1][1]), len(path)):
            name = path[depth]
            parent = self._stack[-1][0]
            last = parent[-1] if len(parent) else None
            if last is not None and self._path_of.get(id(last)) == path[: depth + 1]:
                # The folder was just closed and nothing came after it: go back
                # into it rather than write the same folder twice.
                element = last
            else:
                element = ET.SubElement(parent, "outline", text=name, title=name)
                self._path_of[id(element)] = path[: depth + 1]
            self._stack.append((element, path[: depth + 1]))
            self._seen.add(path[: depth + 1])

    def _skip_seen(self) -> None:
        while self._next < len(self._pending) and self._pending[self._next] in self._seen:
            self._next += 1

    def open_pending_before(self, path: tuple[str, ...]) -> None:
        """Open listed folders in order until every listed ancestor of path is open."""
        needed = [path[:d] for d in range(1, len(path) + 1) if path[:d] in self._pending_set]
        while any(p not in self._seen for p in needed):
            self._skip_seen()
            if self._next >= len(self._pending):
                break
            self._next += 1
            self.go_to(self._pending[self._next - 1])

    def open_all_pending(self) -> None:
        while True:
            self._skip_seen()
            if self._next >= len(self._pending):
                return
            self._next += 1
            self.go_to(self._pending[self._next - 1])
