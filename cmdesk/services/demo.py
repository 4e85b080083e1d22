"""The demo workspace: a fictional brand's month of mentions, read offline.

`install_demo` fills an open, empty profile with the bundled sample feeds of
`resources/demo/` (a French-English travel-planning app, Cartavo, and its
two competitors). Item dates are stored as ages relative to "now", so the
demo always looks recent; the feed files are rendered into the profile
(`PROFILE/demo-feeds/`) and subscribed to as file:// URLs, and the normal
refresh (fetch → parse → store → match) reads them. No network is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import hashlib
import json
import logging
import os
import re
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence
from xml.sax.saxutils import escape as xml_escape, quoteattr

from cmdesk.resources import resource_path
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import FeedRepository

log = logging.getLogger(__name__)

DEMO_FEEDS_DIRNAME = "demo-feeds"


def demo_feeds_dir(profile_dir: Path) -> Path:
    """Where the demo's feed files are rendered inside a profile."""
    return Path(profile_dir) / DEMO_FEEDS_DIRNAME


def with_demo_file_root(options, profile_dir: Path):
    """`options` (RefreshOptions) allowing file:// reads inside the profile's demo feeds folder only."""
    root = str(demo_feeds_dir(profile_dir))
    if root in options.limits.file_roots:
        return options
    limits = dataclasses.replace(options.limits, file_roots=(*options.limits.file_roots, root))
    return dataclasses.replace(options, limits=limits)


class DemoError(Exception):
    """The demo cannot be installed here; the message is one clear line."""


@dataclass(frozen=True)
class DemoSummary:
    feeds: int  # subscriptions created (file:// URLs)
    items: int  # items stored by the refreshes
    mentions: int  # mentions found by the watch terms
    terms: int
    templates: int
    triaged: int  # mentions given a state other than "new"
    replied: int
    drafts: int
    alerts: int  # volume spikes detected while the history was replayed
    refreshes: int  # refresh runs replayed (two a day, then one now)
    feeds_dir: str  # where the rendered feed files live


@dataclass(frozen=True)
class DemoItem:
    id: str
    age_s: int  # how long before "now" it was published
    title: str
    text: str
    author: str
    lang: str | None
    link: str  # the item's link as written in the feed
    target: str  # the link once redirect wrappers are removed (what the store keeps)
    triage: dict | None


@dataclass(frozen=True)
class DemoFeed:
    stem: str
    title: str
    site: str
    description: str
    format: str  # rss | atom | rdf | json
    lang: str | None
    folder: str
    items: tuple[DemoItem, ...]

    @property
    def filename(self) -> str:
        return f"{self.stem}.json" if self.format == "json" else f"{self.stem}.xml"


_AGE_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


def parse_age(text: str) -> int:
    """Seconds in an age such as "12d3h", "5h", "40m" or "2d"."""
    m = _AGE_RE.match(text.strip())
    if not m or not any(m.groups()):
        raise ValueError(f"bad age {text!r} (expected e.g. 12d3h)")
    d, h, mi = (int(g or 0) for g in m.groups())
    return d * 86400 + h * 3600 + mi * 60


def _slug(text: str, n: int = 50) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:n].rstrip("_")


def _item_link(style: str | None, site: str, raw: dict) -> tuple[str, str]:
    """(link written in the feed, link the store keeps) for one item."""
    iid = raw["id"]
    if style == "reddit":
        link = f"{site}/comments/{iid}/{_slug(raw['title'])}/"
    elif style == "mastodon":
        user, _, instance = raw["author"].lstrip("@").partition("@")
        link = f"https://{instance}/@{user}/{iid}"
    elif style == "hn":
        link = f"https://news.ycombinator.com/item?id={iid}"
    elif style == "google_alert":
        target = raw["target"]
        link = ("https://www.google.com/url?rct=j&sa=t&url=" + urllib.parse.quote(target, safe="")
                + f"&ct=ga&cd=CAIyGjM{iid}&usg=AOvVaw{_slug(iid, 8)}")
        return link, target
    else:
        link = f"{site}/{iid}"
    return link, link


def load_demo_feeds(root: Path | None = None) -> list[DemoFeed]:
    """The bundled demo feeds (resources/demo/feeds/*.json), in file order."""
    root = root or resource_path("demo", "feeds")
    feeds = []
    for path in sorted(root.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        style = spec.get("link_style")
        items = []
        for raw in spec["items"]:
            link, target = _item_link(style, spec["site"], raw)
            age = parse_age(raw["age"])
            if "m" not in raw["age"]:  # whole hours look machine-made: spread them over the hour
                age += 60 * (_roll(f"{path.stem}/{raw['id']}") % 55)
            items.append(DemoItem(
                id=raw["id"], age_s=age, title=raw.get("title", ""), text=raw["text"],
                author=raw.get("author", ""), lang=raw.get("lang", spec.get("lang")), link=link, target=target,
                triage=raw.get("triage"),
            ))
        feeds.append(DemoFeed(stem=path.stem, title=spec["title"], site=spec["site"],
                              description=spec.get("description", ""), format=spec["format"],
                              lang=spec.get("lang"), folder=spec["folder"], items=tuple(items)))
    return feeds


def load_workspace(path: Path | None = None) -> dict:
    return json.loads((path or resource_path("demo", "workspace.json")).read_text(encoding="utf-8"))


# -- rendering feed files -----------------------------------------------------

def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(int(ts), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _x(text: str) -> str:
    return xml_escape(text)


def render_feed(feed: DemoFeed, items: Sequence[tuple[DemoItem, int]], feed_url: str) -> bytes:
    """The feed document for `items` ((item, published epoch) pairs, newest first)."""
    updated = items[0][1] if items else 0
    if feed.format == "json":
        doc = {
            "version": "https://jsonfeed.org/version/1.1", "title": feed.title, "home_page_url": feed.site,
            "feed_url": feed_url, "description": feed.description,
            "items": [
                {k: v for k, v in {
                    "id": it.link, "url": it.link, "title": it.title or None, "content_text": it.text,
                    "date_published": _iso(ts), "authors": [{"name": it.author}] if it.author else None,
                    "language": it.lang,
                }.items() if v is not None}
                for it, ts in items
            ],
        }
        if feed.lang:
            doc["language"] = feed.lang
        return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    if feed.format == "rss":
        out.append('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
                   ' xmlns:atom="http://www.w3.org/2005/Atom"><channel>')
        out.append(f"<title>{_x(feed.title)}</title><link>{_x(feed.site)}</link>"
                   f"<description>{_x(feed.description)}</description>"
                   f"<atom:link rel=\"self\" href={quoteattr(feed_url)}/>")
        if feed.lang:
            out.append(f"<language>{feed.lang}</language>")
        if items:
            out.append(f"<lastBuildDate>{email.utils.formatdate(updated, usegmt=True)}</lastBuildDate>")
        for it, ts in items:
            out.append("<item>")
            if it.title:
                out.append(f"<title>{_x(it.title)}</title>")
            out.append(f"<link>{_x(it.link)}</link><guid isPermaLink=\"true\">{_x(it.link)}</guid>"
                       f"<pubDate>{email.utils.formatdate(ts, usegmt=True)}</pubDate>")
            if it.author:
                out.append(f"<dc:creator>{_x(it.author)}</dc:creator>")
            out.append(f"<description>{_x(it.text)}</description></item>")
        out.append("</channel></rss>")
    elif feed.format == "atom":
        lang = f" xml:lang=\"{feed.lang}\"" if feed.lang else ""
        out.append(f'<feed xmlns="http://www.w3.org/2005/Atom"{lang}>')
        out.append(f"<title>{_x(feed.title)}</title><subtitle>{_x(feed.description)}</subtitle>"
                   f"<link rel=\"alternate\" href={quoteattr(feed.site)}/><link rel=\"self\" href={quoteattr(feed_url)}/>"
                   f"<id>{_x(feed.site)}</id><updated>{_iso(updated)}</updated>")
        for it, ts in items:
            lang = f" xml:lang=\"{it.lang}\"" if it.lang and it.lang != feed.lang else ""
            out.append(f"<entry{lang}><title>{_x(it.title)}</title><link rel=\"alternate\" href={quoteattr(it.link)}/>"
                       f"<id>{_x(feed.site)}#{_x(it.id)}</id><published>{_iso(ts)}</published>"
                       f"<updated>{_iso(ts)}</updated>")
            if it.author:
                out.append(f"<author><name>{_x(it.author)}</name></author>")
            out.append(f"<content type=\"text\">{_x(it.text)}</content></entry>")
        out.append("</feed>")
    elif feed.format == "rdf":
        out.append('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                   ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">')
        out.append(f"<channel rdf:about={quoteattr(feed_url)}><title>{_x(feed.title)}</title>"
                   f"<link>{_x(feed.site)}</link><description>{_x(feed.description)}</description>")
        if feed.lang:
            out.append(f"<dc:language>{feed.lang}</dc:language>")
        out.append("<items><rdf:Seq>")
        out.extend(f"<rdf:li rdf:resource={quoteattr(it.link)}/>" for it, _ts in items)
        out.append("</rdf:Seq></items></channel>")
        for it, ts in items:
            out.append(f"<item rdf:about={quoteattr(it.link)}><title>{_x(it.title)}</title><link>{_x(it.link)}</link>"
                       f"<description>{_x(it.text)}</description><dc:date>{_iso(ts)}</dc:date>")
            if it.author:
                out.append(f"<dc:creator>{_x(it.author)}</dc:creator>")
            out.append("</item>")
        out.append("</rdf:RDF>")
    else:
        raise ValueError(f"unknown demo feed format {feed.format!r}")
    return ("\n".join(out) + "\n").encode("utf-8")


def render_feed_files(feeds: Sequence[DemoFeed], directory: Path, *, now: float, at: float | None = None) -> int:
    """Write each feed with the items published by `at` (default: `now`); returns files changed.

    Files whose content would not change are left alone, so their validator
    (size and mtime) holds and the next refresh gets "not modified".
    """
    at = now if at is None else at
    directory.mkdir(parents=True, exist_ok=True)
    changed = 0
    for feed in feeds:
        path = directory / feed.filename
        visible = sorted(((it, int(now - it.age_s)) for it in feed.items if now - it.age_s <= at),
                         key=lambda p: -p[1])
        data = render_feed(feed, visible, path.resolve().as_uri())
        try:
            if path.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # a refresh never reads half a file
        changed += 1
    return changed


# -- installing ---------------------------------------------------------------

def _stage_times(now: float, days: int) -> list[float]:
    """When the simulated community manager refreshed: 09:00 and 17:30 every day, then now."""
    today = dt.datetime.fromtimestamp(now).date()
    times = []
    for back in range(days, -1, -1):
        day = today - dt.timedelta(days=back)
        for hh, mm in ((9, 0), (17, 30)):
            t = dt.datetime.combine(day, dt.time(hh, mm)).astimezone().timestamp()
            if t < now - 60:
                times.append(t)
    times.append(now)
    return times


def _fixed_clock(t: float) -> Callable[[], float]:
    return lambda: t


def _is_empty(services) -> bool:
    return not services.feeds.list_feeds() and not services.mentions.list_terms() \
        and services.mentions.count_mentions() == 0


def install_demo(services, *, now: float | None = None) -> DemoSummary:
    """Fill an open, empty profile with the demo workspace; returns what was made.

    `services` is a `cmdesk.app.Services` (its `db_path`, `profile_dir`,
    `credentials`, `feeds`, `mentions` and refresh options are used). The
    feeds are rendered into `profile_dir/demo-feeds/` with dates relative to
    `now` (default: the current time), subscribed in folders as file:// URLs,
    and read by the normal refresh path, replayed twice a day over the past
    ~45 days with a simulated clock so found, replied and response times are
    honest. Watch terms, FR/EN reply templates and past triage (replies with
    response times, done, ignored, spam, stars, tags including "lead",
    drafts) are added too.
    Raises DemoError when the profile already has feeds, terms or mentions.
    Blocking and offline; takes a few seconds: call it off the GUI thread.
    """
    from cmdesk.services.mentions import MentionIngest, MentionService
    from cmdesk.services.refresh import RefreshService

    now = time.time() if now is None else float(now)
    if not _is_empty(services):
        raise DemoError(f"the profile {services.profile_dir} already has feeds or watch terms;"
                        " the demo only goes into an empty profile (try `cmdesk demo --profile NEW_DIR`)")
    workspace = load_workspace()
    feeds = load_demo_feeds()
    days = int(workspace.get("days", 45))
    stages = _stage_times(now, days)
    db_path = Path(services.db_path)
    directory = demo_feeds_dir(services.profile_dir)
    log.info("installing the demo workspace into %s (%d feeds, %d refreshes)", services.profile_dir, len(feeds),
             len(stages))

    # Held open for the whole install: the many short-lived service
    # connections then never close the last connection, which would
    # checkpoint the WAL (and sync) every time.
    keeper = connect(db_path)
    try:
        return _install(services, workspace, feeds, stages, now, db_path, directory)
    finally:
        keeper.close()


def _install(services, workspace, feeds, stages, now, db_path, directory) -> DemoSummary:
    from cmdesk.services.mentions import MentionIngest, MentionService
    from cmdesk.services.refresh import RefreshService

    start = stages[0] - 3600
    # Terms and templates exist from the start of the history, so every
    # refresh of the replay matches new items as it would have then.
    past = MentionService(db_path, clock=_fixed_clock(start))
    for t in workspace["terms"]:
        past.add_term(t["name"], t["query"], kind=t["kind"], color=t.get("color"), notify=t.get("notify", False))
    for t in workspace["templates"]:
        past.add_template(t["name"], t["body"], t.get("lang"))

    render_feed_files(feeds, directory, now=now, at=start)
    feed_ids: dict[int, DemoFeed] = {}
    conn = connect(db_path)
    try:
        repo = FeedRepository(conn)
        with write_transaction(conn):
            for f in feeds:
                folder_id = repo.ensure_folder_path(tuple(p for p in f.folder.split("/") if p))
                url = (directory / f.filename).resolve().as_uri()
                feed = repo.add_feed(url, title=f.title, site_url=f.site, folder_id=folder_id, now=int(start))
                feed_ids[feed.id] = f
    finally:
        conn.close()

    # Replay the history: the files grow as items get published, and the
    # real refresh (file:// fetch -> parse -> store -> match) reads them.
    options = dataclasses.replace(with_demo_file_root(services.refresh.options, services.profile_dir),
                                  parse_workers=0)
    new_items = 0
    alerts = 0
    refreshes = 0
    for t in stages:
        if not render_feed_files(feeds, directory, now=now, at=t) and t != stages[-1]:
            continue  # nothing published since the last check: that check is skipped
        refreshes += 1
        refresher = RefreshService(db_path, credentials=services.credentials, options=options,
                                   clock=_fixed_clock(t), ingest=MentionIngest)
        summary = refresher.refresh(list(feed_ids))
        if summary.errors:
            bad = [r for r in summary.results if r.error][:3]
            raise DemoError("the demo feeds could not be read: "
                            + "; ".join(f"{r.title}: {r.error}" for r in bad))
        new_items += summary.new_items
        if summary.new_mentions:
            alerts += len(MentionService(db_path, clock=_fixed_clock(t)).check_spikes())

    triage = _plan_triage(services, workspace, feed_ids, now)
    stats = _apply_triage(db_path, workspace, triage)
    mentions = services.mentions.count_mentions()
    log.info("demo installed: %d items, %d mentions, %d triaged", new_items, mentions, stats["triaged"])
    return DemoSummary(
        feeds=len(feed_ids), items=new_items, mentions=mentions, terms=len(workspace["terms"]),
        templates=len(workspace["templates"]), triaged=stats["triaged"], replied=stats["replied"],
        drafts=stats["drafts"], alerts=alerts, refreshes=refreshes, feeds_dir=str(directory),
    )


# -- past triage ----------------------------------------------------------------

@dataclass(frozen=True)
class _Step:
    at: float
    mention_id: int
    state: str | None = None
    template: str | None = None  # draft filled from this template first
    star: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""


_BUG_WORDS = re.compile(r"synchro|sync|disparu|vanish|missing|lost|perdu|hide|hidden|efface", re.IGNORECASE)
_PRO_WORDS = re.compile(r"cartavo pro|agence|agency|agencies|agent", re.IGNORECASE)
_PRESS_FOLDERS = ("Presse", "Press")


def _roll(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 100


def _template_for(workspace: dict, kind: str, lang: str | None) -> str:
    names = workspace["reply_templates"][kind]
    return names.get(lang or "en", names["en"])


def _plan_triage(services, workspace: dict, feed_ids: dict[int, DemoFeed], now: float) -> list[_Step]:
    """What the community manager did with each mention, and when (never after `now`)."""
    by_link = {(fid, it.target): it for fid, f in feed_ids.items() for it in f.items}
    kinds = {t.id: t.kind for t, _n in services.mentions.list_terms()}
    recent = now - 3600 * int(workspace.get("untouched_recent_hours", 30))
    steps: list[_Step] = []
    page = services.mentions.list_mentions(limit=100_000)
    for m in page.mentions:
        item = by_link.get((m.feed_id, m.url))
        key = f"{m.feed_id}:{m.url}"
        roll = _roll(key)
        text = f"{m.title}\n{m.excerpt}"
        hint = item.triage if item is not None else None
        folder = feed_ids[m.feed_id].folder if m.feed_id in feed_ids else ""
        press_tag = ("press",) if folder.split("/")[0] in _PRESS_FOLDERS else ()
        if hint:
            state = hint.get("state")
            after = parse_age(hint["after"]) if "after" in hint else 1800 + 3600 * (roll % 5)
            at = m.found_at + after
            template = hint.get("draft")
            if state == "replied" and template is None:
                kind = "bug" if _BUG_WORDS.search(text) else "pro" if _PRO_WORDS.search(text) else \
                    "thanks" if m.sentiment == "positive" else "question"
                template = _template_for(workspace, kind, m.lang)
            if at > now:  # not done yet: it waits in the inbox
                state, at = ("to_reply" if state == "replied" else None), min(m.found_at + 600, now)
            steps.append(_Step(at, m.id, state, template, bool(hint.get("star")), tuple(hint.get("tags", ())),
                               hint.get("note", "")))
            continue
        if m.found_at > recent:
            continue  # recent mentions are still new
        brandish = any(kinds.get(t) in ("brand", "product", "person") for t in m.term_ids)
        question = "?" in text
        state = template = None
        after = 1800 + 3600 * (roll % 6)
        star = False
        if not brandish:
            state = "done" if roll < 55 else "ignored" if roll < 75 else None
        elif m.sentiment == "negative":
            if roll < 60:
                state = "replied"
                template = _template_for(workspace, "bug" if _BUG_WORDS.search(text) else "question", m.lang)
                after = 3600 * (1 + roll % 6) + 60 * (roll % 50)
            else:
                state = "done" if roll < 80 else "to_reply"
        elif question:
            if roll < 65:
                state = "replied"
                template = _template_for(workspace, "pro" if _PRO_WORDS.search(text) else "question", m.lang)
                after = 3600 * (2 + roll % 7) + 60 * (roll % 45)
            else:
                state = "done" if roll < 85 else None
        elif m.sentiment == "positive":
            if roll < 35:
                state, template = "replied", _template_for(workspace, "thanks", m.lang)
                after = 3600 * (3 + roll % 9)
            elif roll < 80:
                state, star = "done", roll >= 70
        else:
            state = "done" if roll < 55 else "ignored" if roll < 70 else None
        if state is None:
            continue
        at = m.found_at + after
        if at > now:
            continue
        steps.append(_Step(at, m.id, state, template, star, press_tag if state == "done" else ()))
    steps.sort(key=lambda s: (s.at, s.mention_id))
    return steps


def _apply_triage(db_path: Path, workspace: dict, steps: Sequence[_Step]) -> dict[str, int]:
    """Apply the plan in time order, each step with the clock set to its moment."""
    from cmdesk.services.mentions import MentionService

    triaged = replied = drafts = 0
    for s in steps:
        svc = MentionService(db_path, clock=_fixed_clock(s.at))
        if s.template:
            # The draft is written a few minutes before the reply goes out.
            MentionService(db_path, clock=_fixed_clock(s.at - 240)).draft_from_template(s.mention_id, s.template)
            drafts += 1
        if s.state:
            svc.set_state([s.mention_id], s.state)
            triaged += 1
            replied += s.state == "replied"
        if s.star:
            svc.set_starred([s.mention_id], True)
        if s.tags:
            svc.add_tags([s.mention_id], list(s.tags))
        if s.note:
            svc.set_note(s.mention_id, s.note)
    return {"triaged": triaged, "replied": replied, "drafts": drafts}
