"""Feed content made safe to show: an allow-list HTML sanitizer (stdlib only).

Feeds publish whatever HTML they like. The reader view shows a rebuilt copy
that keeps only harmless tags and attributes: scripts, styles, iframes,
forms, objects and every event handler are gone; links keep only http, https
and mailto targets; images are replaced by a placeholder unless the user
allowed them (remote images tell the sender you read the item).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

__all__ = ["sanitize_html", "SanitizedHtml", "is_safe_link", "SAFE_LINK_SCHEMES"]

SAFE_LINK_SCHEMES = ("http", "https", "mailto")
IMAGE_SCHEMES = ("http", "https")

_ALLOWED = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "tt", "u", "ul", "var", "article", "section", "header", "footer", "aside", "details",
    "summary",
}
# Dropped with everything inside them.
_DROP_WITH_CONTENT = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
                      "template", "form", "select", "textarea", "button", "svg", "math", "head", "title", "canvas",
                      "audio", "video", "input", "link", "meta", "base"}
_VOID = {"br", "hr", "img", "input", "link", "meta", "base", "embed", "source", "track", "wbr", "area", "col",
         "param"}
_ATTRS = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title", "width", "height"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
    "abbr": ("title",),
    "ol": ("start",),
}
_MAX_NESTING = 200


def is_safe_link(url: str | None) -> bool:
    """True for http, https and mailto links (what the reader lets the browser open)."""
    if not url:
        return False
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in SAFE_LINK_SCHEMES


@dataclass(frozen=True, slots=True)
class SanitizedHtml:
    html: str
    image_urls: tuple[str, ...]  # remote images the content refers to (loaded only on request)
    blocked_images: int  # how many were replaced by a placeholder


class _Sanitizer(HTMLParser):
    def __init__(self, base_url: str | None, load_images: bool):
        super().__init__(convert_charrefs=True)
        self.base = base_url
        self.load_images = load_images
        self.out: list[str] = []
        self.open: list[str] = []
        self.drop_depth = 0
        self.drop_tag: list[str] = []
        self.images: list[str] = []
        self.blocked = 0

    def _url(self, value: str | None, schemes: tuple[str, ...]) -> str | None:
        if not value:
            return None
        value = "".join(value.split())  # "java\nscript:" tricks
        try:
            absolute = urljoin(self.base, value) if self.base else value
            scheme = urlsplit(absolute).scheme.lower()
        except ValueError:
            return None
        return absolute if scheme in schemes else None

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if self.drop_depth:
            if tag in _DROP_WITH_CONTENT and tag not in _VOID:
                self.drop_depth += 1
            return
        if tag in _DROP_WITH_CONTENT:
            if tag not in _VOID:
                self.drop_depth = 1
            return
        if tag not in _ALLOWED:
            return  # unknown wrapper: keep its text, drop the tag
        if tag == "img":
            self._image(dict(attrs))
            return
        kept = []
        for name, value in attrs:
            name = name.lower()
            if name not in _ATTRS.get(tag, ()):
                continue  # on*, style, class, id... all gone
            if name == "href":
                value = self._url(value, SAFE_LINK_SCHEMES)
                if value is None:
                    continue
            kept.append(f' {name}="{html.escape(value or "", quote=True)}"')
        if tag in _VOID:
            self.out.append(f"<{tag}{''.join(kept)}>")
            return
        if len(self.open) >= _MAX_NESTING:
            return
        self.open.append(tag)
        self.out.append(f"<{tag}{''.join(kept)}>")

    def _image(self, attrs: dict) -> None:
        src = self._url(attrs.get("src"), IMAGE_SCHEMES)
        alt = (attrs.get("alt") or "").strip()
        if src is None:
            if alt:
                self.out.append(html.escape(alt))
            return
        self.images.append(src)
        if self.load_images:
            extra = "".join(f' {k}="{html.escape(str(attrs[k]), quote=True)}"' for k in ("width", "height")
                            if str(attrs.get(k) or "").isdigit())
            self.out.append(f'<img src="{html.escape(src, quote=True)}" alt="{html.escape(alt, quote=True)}"{extra}>')
        else:
            self.blocked += 1
            label = html.escape(alt[:80]) if alt else "image"
            self.out.append(f'<span class="blocked-image">[{label}]</span>')

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID and not self.drop_depth and self.open and self.open[-1] == tag.lower():
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if self.drop_depth:
            if tag in _DROP_WITH_CONTENT:
                self.drop_depth -= 1
            return
        if tag not in self.open:
            return
        while self.open:
            t = self.open.pop()
            self.out.append(f"</{t}>")
            if t == tag:
                break

    def handle_data(self, data):
        if not self.drop_depth:
            self.out.append(html.escape(data, quote=False))

    def close(self):
        super().close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")


def sanitize_html(fragment: str, *, base_url: str | None = None, load_images: bool = False) -> SanitizedHtml:
    """A safe copy of an HTML fragment (plain text is escaped and kept)."""
    s = _Sanitizer(base_url, load_images)
    try:
        s.feed(fragment or "")
        s.close()
    except Exception:  # whatever a feed sends, the reader shows something
        return SanitizedHtml(html.escape(fragment or ""), (), 0)
    seen: dict[str, None] = dict.fromkeys(s.images)
    return SanitizedHtml("".join(s.out), tuple(seen), s.blocked)
