"""The `cmdesk` command line.

Every command takes `--profile DIR` (or $CMDESK_PROFILE) and most take
`--json`. Errors print one line on stderr and exit 1 (2 for usage errors);
`--debug` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

from cmdesk import __version__
from cmdesk.core.models import SENTIMENT_LABELS, TERM_KINDS, MentionFilter, MentionState

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A failure to report in one line."""


def _common(p: argparse.ArgumentParser, *, json_flag: bool = True) -> None:
    g = p.add_argument_group("common options")
    # SUPPRESS lets the option be given before or after the command name.
    g.add_argument("--profile", metavar="DIR", default=argparse.SUPPRESS,
                   help="profile directory (default: $CMDESK_PROFILE, else the user data directory)")
    g.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks and debug logs")
    g.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="log what happens")
    if json_flag:
        g.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmdesk",
        description="The desk of a solo community manager: watch feeds, triage mentions, measure.",
    )
    parser.add_argument("--version", action="version", version=f"cmdesk {__version__}")
    _common(parser, json_flag=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    feeds = sub.add_parser("feeds", help="manage subscriptions")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    p = fsub.add_parser("add", help="subscribe to a feed URL or a site URL (autodiscovery)")
    p.add_argument("url")
    p.add_argument("--folder", metavar="NAME", help="folder, e.g. 'Press/France' (created if missing)")
    p.add_argument("--choose", metavar="FEED_URL", help="which of the site's announced feeds to take")
    p.add_argument("--username", help="user name for HTTP basic auth (password kept in the system keyring)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    _common(p)
    p = fsub.add_parser("import", help="import subscriptions from an OPML file")
    p.add_argument("file", type=Path)
    _common(p)
    p = fsub.add_parser("export", help="export subscriptions to an OPML file ('-' for standard output)")
    p.add_argument("file")
    _common(p, json_flag=False)
    p = fsub.add_parser("list", help="list subscriptions with counts and status")
    _common(p)
    p = fsub.add_parser("remove", help="unsubscribe (the feed's items are deleted)")
    p.add_argument("id", type=int)
    _common(p)
    p = fsub.add_parser("log", help="the fetch log of one feed (health)")
    p.add_argument("id", type=int)
    _common(p)

    p = sub.add_parser("refresh", help="fetch feeds and store new items")
    p.add_argument("--feed", type=int, action="append", metavar="ID", help="only this feed (repeatable)")
    p.add_argument("--due", action="store_true", help="only feeds whose refresh interval has passed")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _common(p)

    items = sub.add_parser("items", help="read stored items")
    isub = items.add_subparsers(dest="items_command", metavar="ACTION", required=True)
    p = isub.add_parser("search", help="full-text search, newest first")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    _common(p)

    terms = sub.add_parser("terms", help="watch terms (brand, products, competitors, people, topics)")
    tsub = terms.add_subparsers(dest="terms_command", metavar="ACTION", required=True)
    p = tsub.add_parser("add", help="add a watch term and scan stored items for it")
    p.add_argument("name")
    p.add_argument("--query", "-q", required=True, help='e.g. \'"acme corp" OR acme -jobs lang:fr\'')
    p.add_argument("--kind", default="brand", choices=TERM_KINDS)
    p.add_argument("--color", help="chip colour, e.g. #2563eb")
    p.add_argument("--inactive", action="store_true", help="keep the term but do not match it")
    p.add_argument("--notify", action="store_true", help="notify on new mentions and spikes")
    _common(p)
    p = tsub.add_parser("list", help="list watch terms with their mention counts")
    _common(p)
    p = tsub.add_parser("edit", help="change a watch term (stored items are scanned again)")
    p.add_argument("id", type=int)
    p.add_argument("--name")
    p.add_argument("--query", "-q")
    p.add_argument("--kind", choices=TERM_KINDS)
    p.add_argument("--color")
    p.add_argument("--active", dest="active", action="store_true", default=None)
    p.add_argument("--inactive", dest="active", action="store_false")
    p.add_argument("--notify", dest="notify", action="store_true", default=None)
    p.add_argument("--no-notify", dest="notify", action="store_false")
    _common(p)
    p = tsub.add_parser("remove", help="delete a watch term (untouched mentions only it matched go too)")
    p.add_argument("id", type=int)
    _common(p)

    mentions = sub.add_parser("mentions", help="the mention inbox")
    msub = mentions.add_subparsers(dest="mentions_command", metavar="ACTION", required=True)
    p = msub.add_parser("list", help="list mentions, newest first")
    p.add_argument("--state", action="append", choices=[s.value for s in MentionState])
    p.add_argument("--term", action="append", metavar="NAME_OR_ID")
    p.add_argument("--sentiment", choices=SENTIMENT_LABELS)
    p.add_argument("--lang")
    p.add_argument("--source", help="domain, e.g. reddit.com")
    p.add_argument("--since", metavar="YYYY-MM-DD")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="up to and including this day")
    p.add_argument("--text", help="full-text filter")
    p.add_argument("--starred", action="store_true", default=None)
    p.add_argument("--tag")
    p.add_argument("--limit", type=int, default=50)
    _common(p)
    p = msub.add_parser("show", help="one mention: text, sentiment and why, duplicates, draft")
    p.add_argument("id", type=int)
    _common(p)
    p = msub.add_parser("set-state", help="triage: set the state of one or more mentions")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("state", choices=[s.value for s in MentionState])
    _common(p)
    p = msub.add_parser("replied", help="mark mentions replied (records the response time)")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    _common(p)
    p = msub.add_parser("undo", help="undo the last triage change")
    _common(p)
    p = msub.add_parser("draft", help="write or show the reply draft of a mention")
    p.add_argument("id", type=int)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--template", metavar="NAME_OR_ID", help="fill this template")
    g.add_argument("--text", help="the draft's text")
    _common(p)
    p = msub.add_parser("star", help="star (or --off: unstar) mentions")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--off", action="store_true")
    _common(p)
    p = msub.add_parser("tag", help="add (or --remove) a tag on mentions")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--tag", required=True)
    p.add_argument("--remove", action="store_true")
    _common(p)
    p = msub.add_parser("sentiment", help="correct the sentiment by hand ('auto' goes back to the analyser)")
    p.add_argument("id", type=int)
    p.add_argument("label", choices=[*SENTIMENT_LABELS, "auto"])
    _common(p)

    sources = sub.add_parser("sources", help="mention sources (domains) and their reach weights")
    srcsub = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    p = srcsub.add_parser("list", help="every source with its mentions and reach weight")
    _common(p)
    p = srcsub.add_parser("weight", help="set a source's reach weight (default 1; e.g. 5 for a major outlet)")
    p.add_argument("source", help="domain, as in `mentions list` (e.g. lemonde.fr)")
    p.add_argument("weight", type=float)
    _common(p)

    templates = sub.add_parser("templates", help="quick-reply templates")
    tpsub = templates.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    p = tpsub.add_parser("add", help="add a template; variables: {author} {brand} {title} {link} {source} {term}")
    p.add_argument("name")
    p.add_argument("--body", required=True)
    p.add_argument("--lang")
    _common(p)
    p = tpsub.add_parser("list", help="list templates")
    _common(p)

    p = sub.add_parser("recipes", help="monitoring feeds for a watch term (Google News, Reddit, HN, Mastodon…)")
    p.add_argument("term", metavar="TERM_ID_OR_NAME")
    p.add_argument("--lang", default="en")
    p.add_argument("--country", default="US")
    p.add_argument("--mastodon", metavar="INSTANCE", help="e.g. mastodon.social")
    p.add_argument("--youtube", metavar="CHANNEL_ID")
    p.add_argument("--bluesky", metavar="HANDLE")
    p.add_argument("--add", action="store_true", help="subscribe to them")
    p.add_argument("--folder", default="Monitoring", help="folder for --add (default: Monitoring)")
    _common(p)

    p = sub.add_parser("report", help="export the monthly summary (PDF, HTML, CSV) with KPIs and ROI")
    p.add_argument("--month", metavar="YYYY-MM", help="the month to report (default: the previous month)")
    p.add_argument("--format", default="all", choices=("pdf", "html", "csv", "all"))
    p.add_argument("--out", metavar="PATH", type=Path,
                   help="output directory, or file for a single format (default: the current directory)")
    p.add_argument("--lang", choices=("fr", "en"), help="report language (default: the report.lang setting)")
    _common(p)

    settings = sub.add_parser("settings", help="read and change settings (ROI inputs, brand name, ...)")
    ssub = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    p = ssub.add_parser("list", help="every setting with its value and what it does")
    _common(p)
    p = ssub.add_parser("get", help="the value of one setting")
    p.add_argument("key")
    _common(p)
    p = ssub.add_parser("set", help="change a setting")
    p.add_argument("key")
    p.add_argument("value")
    _common(p)
    p = ssub.add_parser("unset", help="go back to the default (for ROI inputs: missing)")
    p.add_argument("key")
    _common(p)

    p = sub.add_parser("demo", help="create a demo profile (a fictional brand's month of mentions, read offline)"
                                    " and open it")
    p.add_argument("--no-open", action="store_true", help="do not open the window afterwards")
    _common(p)
    p = sub.add_parser("backup", help="write a consistent copy of the profile's store (safe while cmdesk runs)")
    p.add_argument("--out", metavar="FILE", type=Path,
                   help="backup file or folder (default: PROFILE/backups/cmdesk-YYYYmmdd-HHMMSS.sqlite3)")
    _common(p)
    p = sub.add_parser("restore", help="replace the profile's store with a checked backup (the current one is"
                                       " kept aside)")
    p.add_argument("file", type=Path)
    _common(p)

    alerts = sub.add_parser("alerts", help="spikes in mention volume")
    asub = alerts.add_subparsers(dest="alerts_command", metavar="ACTION", required=True)
    p = asub.add_parser("list", help="list spike alerts")
    _common(p)
    return parser


# -- helpers --------------------------------------------------------------

def _ts(epoch: int | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch)) if epoch else "-"


def _print_json(obj) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _short(text: str | None, n: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


class ProgressBar:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self, stream=sys.stderr, enabled: bool | None = None):
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.last = 0.0

    def __call__(self, progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if progress.done != progress.total and now - self.last < 0.05:
            return
        self.last = now
        width = 30
        filled = int(width * progress.done / max(1, progress.total))
        bar = "#" * filled + "." * (width - filled)
        name = _short(progress.current.title, 40)
        self.stream.write(f"\r[{bar}] {progress.done}/{progress.total} {name:<40}")
        if progress.done == progress.total:
            self.stream.write("\n")
        self.stream.flush()


# -- commands -------------------------------------------------------------

def cmd_feeds_add(svc, args) -> int:
    password = None
    if args.username:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        elif sys.stdin.isatty():
            password = getpass.getpass(f"Password for {args.username}: ")
        else:
            raise CliError("a password is needed: use --password-stdin or run in a terminal")
    res = svc.feeds.add_feed(args.url, folder=args.folder, choose=args.choose, username=args.username,
                             password=password)
    if getattr(args, "json", False):
        _print_json({"feed": _feed_json(res.feed), "new_items": res.new_items,
                     "discovered": [asdict(d) for d in res.discovered]})
        return EXIT_OK
    if len(res.discovered) > 1:
        print("The page announces several feeds:")
        for d in res.discovered:
            mark = "*" if d.url == res.feed.url else " "
            print(f"  {mark} {d.url}  {d.title}".rstrip())
        print("(taken: the one marked *; choose another with --choose URL)")
    print(f"Added feed {res.feed.id}: {res.feed.title or res.feed.url} <{res.feed.url}> ({res.new_items} items)")
    return EXIT_OK


def cmd_feeds_import(svc, args) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    res = svc.feeds.import_opml(data)
    if getattr(args, "json", False):
        _print_json({"added": res.added, "already_subscribed": list(res.already_subscribed),
                     "folders_created": res.folders, "skipped": [asdict(s) for s in res.skipped],
                     "notes": list(res.notes)})
        return EXIT_OK
    print(f"Imported {args.file.name}: {res.added} feeds added, {len(res.already_subscribed)} already subscribed,"
          f" {res.folders} folders created, {len(res.skipped)} entries skipped.")
    for s in res.skipped:
        where = f" (line {s.line})" if s.line else ""
        print(f"  skipped{where}: {_short(s.title, 60) or '(untitled)'}: {s.reason}")
    for note in res.notes:
        print(f"  note: {note}")
    return EXIT_OK


def cmd_feeds_export(svc, args) -> int:
    data = svc.feeds.export_opml()
    if args.file == "-":
        sys.stdout.buffer.write(data)
        return EXIT_OK
    path = Path(args.file)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}") from None
    print(f"Exported {len(svc.feeds.list_feeds())} feeds to {path}")
    return EXIT_OK


def _feed_json(f) -> dict:
    return {"id": f.id, "title": f.title, "url": f.url, "site_url": f.site_url, "status": f.status.value,
            "last_error": f.last_error, "error_count": f.error_count, "last_fetch_at": f.last_fetch_at,
            "last_ok_at": f.last_ok_at, "disabled": f.disabled}


def _listing_status(l) -> str:
    """The feed's status, or "deferred" while its server asked (429/503) to wait."""
    if l.deferred_until and not l.feed.disabled:
        return "deferred"
    return l.feed.status.value


def cmd_feeds_list(svc, args) -> int:
    listings = svc.feeds.list_feeds()
    if getattr(args, "json", False):
        _print_json([{**_feed_json(l.feed), "status": _listing_status(l), "deferred_until": l.deferred_until,
                      "folder": l.folder_path, "items": l.items, "unread": l.unread}
                     for l in listings])
        return EXIT_OK
    if not listings:
        print("No feeds yet: add one with `cmdesk feeds add URL` or `cmdesk feeds import FILE.opml`.")
        return EXIT_OK
    print(f"{'ID':>5}  {'STATUS':<8} {'ITEMS':>6} {'UNREAD':>6}  {'FOLDER':<18} TITLE / URL")
    for l in listings:
        f = l.feed
        print(f"{f.id:>5}  {_listing_status(l):<8} {l.items:>6} {l.unread:>6}  {_short(l.folder_path, 18):<18}"
              f" {_short(f.title or '(untitled)', 50)}")
        print(f"{'':>41}<{f.url}>")
        if _listing_status(l) == "deferred":
            print(f"{'':>41}deferred until {_ts(l.deferred_until)}: the server asked to wait (HTTP 429/503)")
        if f.last_error:
            print(f"{'':>41}error: {_short(f.last_error, 100)}")
    return EXIT_OK


def cmd_feeds_remove(svc, args) -> int:
    from cmdesk.services.feeds import FeedServiceError

    try:
        feed = svc.feeds.remove_feed(args.id)
    except FeedServiceError as exc:
        raise CliError(str(exc)) from None
    if getattr(args, "json", False):
        _print_json({"removed": _feed_json(feed)})
    else:
        print(f"Removed feed {feed.id}: {feed.title or feed.url}")
    return EXIT_OK


def cmd_feeds_log(svc, args) -> int:
    if not svc.feeds.feed_exists(args.id):
        raise CliError(f"no feed with id {args.id}")
    entries = svc.feeds.fetch_log(args.id)
    if getattr(args, "json", False):
        _print_json([asdict(e) for e in entries])
        return EXIT_OK
    for e in entries:
        print(f"{_ts(e.at)}  {e.outcome:<12} {e.http_status or '-':>4} {e.duration_ms:>6} ms {e.bytes:>9} B"
              f" {e.new_items:>4} new  {e.error or ''}".rstrip())
    return EXIT_OK


def cmd_refresh(svc, args) -> int:
    as_json = getattr(args, "json", False)
    if args.feed:
        for fid in args.feed:
            if not svc.feeds.feed_exists(fid):
                raise CliError(f"no feed with id {fid}")
    bar = ProgressBar(enabled=None if not (as_json or args.quiet) else False)
    summary = svc.refresh_feeds(args.feed, due_only=args.due, progress=bar)
    errors = [r for r in summary.results if r.outcome.value in ("error", "gone")]
    if as_json:
        _print_json({
            "total": summary.total, "ok": summary.ok, "not_modified": summary.not_modified,
            "errors": summary.errors, "gone": summary.gone, "deferred": summary.deferred,
            "new_items": summary.new_items, "new_mentions": summary.new_mentions,
            "duration_s": round(summary.duration_s, 3),
            "failed": [{"feed_id": r.feed_id, "title": r.title, "outcome": r.outcome.value,
                        "error_code": r.error_code.value if r.error_code else None, "error": r.error}
                       for r in errors],
        })
        return EXIT_OK
    print(f"Refreshed {summary.total} feeds in {summary.duration_s:.1f} s: {summary.ok} ok,"
          f" {summary.not_modified} not modified, {summary.errors} in error"
          + (f", {summary.gone} gone" if summary.gone else "")
          + (f", {summary.deferred} deferred" if summary.deferred else "")
          + f"; {summary.new_items} new items, {summary.new_mentions} new mentions.")
    for r in errors[:20]:
        print(f"  feed {r.feed_id} {_short(r.title, 40)}: {r.error}")
    if len(errors) > 20:
        print(f"  … and {len(errors) - 20} more (see `cmdesk feeds list`)")
    return EXIT_OK


def cmd_items_search(svc, args) -> int:
    from cmdesk.services.feeds import FeedServiceError

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    try:
        items = svc.feeds.search_items(args.query, limit=args.limit)
    except FeedServiceError as exc:
        raise CliError(str(exc)) from None
    if getattr(args, "json", False):
        _print_json([{"id": i.id, "feed_id": i.feed_id, "title": i.title, "url": i.url, "author": i.author,
                      "published_at": i.published_at, "excerpt": _short(i.text, 200)} for i in items])
        return EXIT_OK
    if not items:
        print("No items match.")
    for i in items:
        print(f"{_ts(i.published_at or i.fetched_at)}  [{i.feed_id}] {_short(i.title or '(untitled)', 80)}")
        if i.url:
            print(f"{'':18}{i.url}")
    return EXIT_OK


# -- mention engine commands -----------------------------------------------

def _day_start(text: str, arg: str) -> int:
    import datetime as dt

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{arg} wants a date as YYYY-MM-DD, not {text!r}") from None
    return int(dt.datetime.combine(day, dt.time()).astimezone().timestamp())


def _term_json(t, count=None) -> dict:
    d = {"id": t.id, "name": t.name, "kind": t.kind, "query": t.query, "active": t.active, "color": t.color,
         "notify": t.notify}
    if count is not None:
        d["mentions"] = count
    return d


def _print_rescan(res, args, verb: str) -> int:
    if getattr(args, "json", False):
        _print_json({"term": _term_json(res.term), "matched": res.matched, "new_mentions": res.new_mentions,
                     "removed": res.removed})
    else:
        print(f"{verb} term {res.term.id} {res.term.name!r}: {res.matched} stored items match"
              f" ({res.new_mentions} new mentions" + (f", {res.removed} removed" if res.removed else "") + ").")
    return EXIT_OK


def cmd_terms_add(svc, args) -> int:
    res = svc.mentions.add_term(args.name, args.query, kind=args.kind, color=args.color, active=not args.inactive,
                                notify=args.notify)
    return _print_rescan(res, args, "Added")


def cmd_terms_edit(svc, args) -> int:
    fields = {k: getattr(args, k) for k in ("name", "query", "kind", "color", "active", "notify")
              if getattr(args, k) is not None}
    if not fields:
        raise CliError("nothing to change: give --name, --query, --kind, --color, --active/--inactive or --notify")
    return _print_rescan(svc.mentions.edit_term(args.id, **fields), args, "Edited")


def cmd_terms_remove(svc, args) -> int:
    term = svc.mentions.remove_term(args.id)
    if getattr(args, "json", False):
        _print_json({"removed": _term_json(term)})
    else:
        print(f"Removed term {term.id} {term.name!r}")
    return EXIT_OK


def cmd_terms_list(svc, args) -> int:
    terms = svc.mentions.list_terms()
    if getattr(args, "json", False):
        _print_json([_term_json(t, n) for t, n in terms])
        return EXIT_OK
    if not terms:
        print('No watch terms yet: add one with `cmdesk terms add NAME --query \'"acme corp" OR acme\'`.')
    for t, n in terms:
        flag = "" if t.active else " (inactive)"
        print(f"{t.id:>4}  {t.kind:<10} {n:>6} mentions  {t.name}{flag}\n{'':>6}{t.query}")
    return EXIT_OK


def _mention_json(m, term_names) -> dict:
    return {
        "id": m.id, "item_id": m.item_id, "title": m.title, "url": m.url, "source": m.source, "author": m.author,
        "terms": [term_names.get(t, str(t)) for t in m.term_ids], "lang": m.lang, "sentiment": m.sentiment,
        "sentiment_score": m.sentiment_score, "state": m.state.value, "starred": m.starred, "tags": list(m.tags),
        "published_at": m.published_at, "found_at": m.found_at, "replied_at": m.replied_at,
        "response_time_s": m.response_time_s, "reach": m.reach, "duplicate_group": m.dup_group,
    }


def cmd_mentions_list(svc, args) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    term_ids = tuple(svc.mentions.get_term(t).id for t in (args.term or []))
    f = MentionFilter(
        states=tuple(MentionState(s) for s in (args.state or [])), term_ids=term_ids, sentiment=args.sentiment,
        lang=args.lang, source=args.source.lower() if args.source else None,
        since=_day_start(args.since, "--since") if args.since else None,
        until=_day_start(args.until, "--until") + 86400 if args.until else None,
        text=args.text, starred=args.starred, tag=args.tag,
    )
    page = svc.mentions.list_mentions(f, limit=args.limit)
    names = {t.id: t.name for t, _n in svc.mentions.list_terms()}
    if getattr(args, "json", False):
        _print_json([_mention_json(m, names) for m in page.mentions])
        return EXIT_OK
    if not page.mentions:
        print("No mentions match.")
    for m in page.mentions:
        star = "*" if m.starred else " "
        terms = ",".join(names.get(t, "?") for t in m.term_ids)
        print(f"{m.id:>6}{star} {_ts(m.published_at)}  {m.state.value:<8} {m.sentiment:<8} {m.lang or '--':<3}"
              f" {_short(m.source, 20):<20} [{_short(terms, 24)}] {_short(m.title or m.excerpt, 70)}")
    if page.next_cursor:
        print(f"(more: raise --limit; {svc.mentions.count_mentions(f)} in all)")
    return EXIT_OK


def cmd_mentions_show(svc, args) -> int:
    m = svc.mentions.get_mention(args.id)
    names = {t.id: t.name for t, _n in svc.mentions.list_terms()}
    dups = svc.mentions.duplicates_of(m.id)
    draft = svc.mentions.get_draft(m.id)
    if getattr(args, "json", False):
        _print_json({**_mention_json(m, names), "excerpt": m.excerpt, "note": m.note,
                     "sentiment_auto": m.sentiment_auto, "sentiment_override": m.sentiment_override,
                     "sentiment_cues": [list(c) for c in m.sentiment_cues],
                     "duplicates": [d.id for d in dups], "draft": draft.body if draft else None})
        return EXIT_OK
    print(f"Mention {m.id}: {m.title}")
    print(f"  {m.url or '(no link)'}")
    print(f"  source {m.source or m.feed_title}  author {m.author or '-'}  published {_ts(m.published_at)}"
          f"  language {m.lang or 'unknown'}  reach {m.reach:g}")
    print(f"  terms: {', '.join(names.get(t, '?') for t in m.term_ids)}   state: {m.state.value}"
          + (f"   tags: {', '.join(m.tags)}" if m.tags else ""))
    why = "; ".join(f"{c[0]!r} {c[1]:+.1f} ({c[2]})" for c in m.sentiment_cues) or "no sentiment words"
    corrected = f" (corrected by hand; analyser said {m.sentiment_auto})" if m.sentiment_override else ""
    print(f"  sentiment: {m.sentiment} {m.sentiment_score:+.2f}{corrected} — {why}")
    if m.replied_at:
        print(f"  replied {_ts(m.replied_at)} (response time {m.response_time_s // 60} min)")
    if dups:
        print(f"  duplicates: {', '.join(str(d.id) for d in dups)}")
    print()
    print(_short(m.excerpt, 400))
    if draft:
        print(f"\nDraft:\n{draft.body}")
    return EXIT_OK


def cmd_mentions_set_state(svc, args) -> int:
    n = svc.mentions.set_state(args.ids, args.state)
    if getattr(args, "json", False):
        _print_json({"changed": n, "state": args.state})
    else:
        print(f"{n} mention(s) now {args.state} (undo with `cmdesk mentions undo`)")
    return EXIT_OK


def cmd_mentions_replied(svc, args) -> int:
    args.state = MentionState.REPLIED.value
    return cmd_mentions_set_state(svc, args)


def cmd_mentions_undo(svc, args) -> int:
    ids = svc.mentions.undo()
    if getattr(args, "json", False):
        _print_json({"restored": ids})
    elif ids:
        print(f"Undone: {len(ids)} mention(s) back to their previous state ({', '.join(map(str, ids))})")
    else:
        print("Nothing to undo.")
    return EXIT_OK


def cmd_mentions_draft(svc, args) -> int:
    if args.template:
        draft = svc.mentions.draft_from_template(args.id, args.template)
    elif args.text is not None:
        draft = svc.mentions.save_draft(args.id, args.text)
    else:
        svc.mentions.get_mention(args.id)
        draft = svc.mentions.get_draft(args.id)
    # A draft may keep {variables} (the window saves what the user typed):
    # what is shown and copied is the reply with them filled in.
    text = svc.mentions.render_reply(args.id, draft.body) if draft else None
    if getattr(args, "json", False):
        _print_json({"mention_id": args.id, "draft": draft.body if draft else None, "text": text,
                     "template_id": draft.template_id if draft else None})
    else:
        print(text if draft else "(no draft yet: use --template NAME or --text TEXT)")
    return EXIT_OK


def cmd_mentions_star(svc, args) -> int:
    svc.mentions.set_starred(args.ids, not args.off)
    if getattr(args, "json", False):
        _print_json({"ids": args.ids, "starred": not args.off})
    else:
        print(f"{len(args.ids)} mention(s) {'unstarred' if args.off else 'starred'}")
    return EXIT_OK


def cmd_mentions_tag(svc, args) -> int:
    if args.remove:
        svc.mentions.remove_tags(args.ids, [args.tag])
    else:
        svc.mentions.add_tags(args.ids, [args.tag])
    if getattr(args, "json", False):
        _print_json({"ids": args.ids, "tag": args.tag, "removed" if args.remove else "added": True})
    else:
        print(f"Tag {args.tag!r} {'removed from' if args.remove else 'added to'} {len(args.ids)} mention(s)")
    return EXIT_OK


def cmd_mentions_sentiment(svc, args) -> int:
    svc.mentions.set_sentiment(args.id, None if args.label == "auto" else args.label)
    m = svc.mentions.get_mention(args.id)
    if getattr(args, "json", False):
        _print_json({"id": m.id, "sentiment": m.sentiment, "automatic": m.sentiment_auto,
                     "corrected": args.label != "auto"})
    else:
        print(f"Mention {args.id}: sentiment {m.sentiment}"
              + (" (the analyser's)" if args.label == "auto" else " (corrected by hand)"))
    return EXIT_OK


def cmd_sources_list(svc, args) -> int:
    sources = svc.mentions.list_sources()
    if getattr(args, "json", False):
        _print_json([{"source": s.source, "mentions": s.mentions, "weight": s.weight, "custom": s.custom}
                     for s in sources])
        return EXIT_OK
    if not sources:
        print("No mentions yet, so no sources.")
    for s in sources:
        print(f"{s.weight:>7g}{'*' if s.custom else ' '} {s.mentions:>6}  {s.source}")
    if any(s.custom for s in sources):
        print("(* weight set by you; others use the default 1)")
    return EXIT_OK


def cmd_sources_weight(svc, args) -> int:
    n = svc.mentions.set_source_weight(args.source, args.weight)
    if getattr(args, "json", False):
        _print_json({"source": args.source.strip().lower(), "weight": args.weight, "mentions_updated": n})
    else:
        print(f"Reach weight of {args.source.strip().lower()} set to {args.weight:g} ({n} mention(s) updated)")
    return EXIT_OK


def cmd_templates_add(svc, args) -> int:
    t = svc.mentions.add_template(args.name, args.body.replace("\\n", "\n"), args.lang)
    if getattr(args, "json", False):
        _print_json({"id": t.id, "name": t.name, "lang": t.lang, "body": t.body})
    else:
        print(f"Added template {t.id} {t.name!r}")
    return EXIT_OK


def cmd_templates_list(svc, args) -> int:
    templates = svc.mentions.list_templates()
    if getattr(args, "json", False):
        _print_json([{"id": t.id, "name": t.name, "lang": t.lang, "body": t.body} for t in templates])
        return EXIT_OK
    if not templates:
        print("No templates yet: `cmdesk templates add NAME --body 'Hi {author}, thanks!'`")
    for t in templates:
        print(f"{t.id:>4}  {t.name} [{t.lang or 'any'}]\n{'':>6}{_short(t.body, 100)}")
    return EXIT_OK


def cmd_recipes(svc, args) -> int:
    from cmdesk.services.feeds import FeedServiceError

    feeds = svc.mentions.recipes(args.term, lang=args.lang, country=args.country, mastodon_instance=args.mastodon,
                                 youtube_channel=args.youtube, bluesky_handle=args.bluesky)
    added = []
    if args.add:
        for r in feeds:
            try:
                added.append(svc.feeds.subscribe(r.url, title=r.title, folder=args.folder).id)
            except FeedServiceError as exc:
                print(f"  skipped {r.url}: {exc}", file=sys.stderr)
    if getattr(args, "json", False):
        _print_json({"feeds": [{"kind": r.kind, "title": r.title, "url": r.url} for r in feeds], "added": added})
        return EXIT_OK
    for r in feeds:
        print(f"{r.kind:<12} {r.title}\n{'':13}{r.url}")
    if args.add:
        print(f"Subscribed to {len(added)} feed(s) in {args.folder!r}; run `cmdesk refresh` to fetch them.")
    return EXIT_OK


def cmd_alerts_list(svc, args) -> int:
    alerts = svc.mentions.list_alerts()
    names = {t.id: t.name for t, _n in svc.mentions.list_terms()}
    if getattr(args, "json", False):
        _print_json([{"id": a.id, "term": names.get(a.term_id), "day": a.day, "count": a.count,
                      "mean": round(a.mean, 2), "threshold": round(a.threshold, 2)} for a in alerts])
        return EXIT_OK
    if not alerts:
        print("No spikes so far.")
    for a in alerts:
        print(f"{a.day}  {names.get(a.term_id, '?')}: {a.count} mentions (usual {a.mean:.1f}, threshold {a.threshold:.1f})")
    return EXIT_OK


def cmd_report(svc, args) -> int:
    from cmdesk.core.kpis import Period
    from cmdesk.report.export import FORMATS, export_month, previous_month

    try:
        period = Period.parse_month(args.month) if args.month else previous_month(svc.stats.clock())
    except ValueError as exc:
        raise CliError(str(exc)) from None
    lang = args.lang or svc.settings.get("report.lang") or "en"
    formats = FORMATS if args.format == "all" else (args.format,)
    res = export_month(svc.stats, period, formats=formats, out=args.out, lang=lang)
    k = res.summary.kpis
    if getattr(args, "json", False):
        _print_json({"month": period.label(), "lang": lang, "files": [str(f) for f in res.files],
                     "mentions": k.mentions, "mention_rows": res.mention_rows, "roi_pct": res.summary.roi.roi_pct,
                     "missing_roi_inputs": list(res.summary.roi.missing_inputs)})
        return EXIT_OK
    if not k.has_activity:
        print(f"No activity in {period.label()}: the report says so.")
    else:
        print(f"{period.label()}: {k.mentions} mentions.")
    for f in res.files:
        print(f"  wrote {f}")
    if res.summary.roi.missing_inputs:
        print("ROI inputs not set (shown as missing): " + ", ".join(
            "roi.hours_per_month" if m == "hours" else f"roi.{m}" for m in res.summary.roi.missing_inputs)
              + "; set them with `cmdesk settings set KEY VALUE`.")
    return EXIT_OK


def _setting_text(v) -> str:
    if v is None:
        return "(not set)"
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"{v:g}" if isinstance(v, float) else str(v)


def cmd_settings_list(svc, args) -> int:
    values = svc.settings.list()
    if getattr(args, "json", False):
        _print_json([{"key": v.spec.key, "value": v.value, "default": v.spec.default, "is_default": v.is_default,
                      "type": v.spec.type.__name__, "doc": v.spec.doc} for v in values])
        return EXIT_OK
    for v in values:
        mark = " " if v.is_default else "*"
        print(f"{mark} {v.spec.key:<28} {_setting_text(v.value):<14} {v.spec.doc}")
    return EXIT_OK


def cmd_settings_get(svc, args) -> int:
    v = svc.settings.get(args.key)
    if getattr(args, "json", False):
        _print_json({"key": args.key, "value": v})
    else:
        print(_setting_text(v))
    return EXIT_OK


def cmd_settings_set(svc, args) -> int:
    v = svc.settings.set(args.key, args.value)
    if getattr(args, "json", False):
        _print_json({"key": args.key, "value": v})
    else:
        print(f"{args.key} = {_setting_text(v)}")
    return EXIT_OK


def cmd_settings_unset(svc, args) -> int:
    svc.settings.unset(args.key)
    v = svc.settings.get(args.key)
    if getattr(args, "json", False):
        _print_json({"key": args.key, "value": v})
    else:
        print(f"{args.key} = {_setting_text(v)} (default)")
    return EXIT_OK


# -- demo and data safety ------------------------------------------------------

# Files a fresh profile may already hold (lock, backups) without being "in use".
_PROFILE_HOUSEKEEPING = {"cmdesk.sqlite3", "cmdesk.sqlite3-wal", "cmdesk.sqlite3-shm", "cmdesk.lock", "backups"}


def _has_display() -> bool:
    import os

    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_demo(profile_dir: Path, args) -> int:
    from cmdesk.app import open_profile
    from cmdesk.services.demo import install_demo

    if profile_dir.exists() and not profile_dir.is_dir():
        raise CliError(f"{profile_dir} is a file, not a profile directory")
    if profile_dir.is_dir():
        others = sorted(p.name for p in profile_dir.iterdir() if p.name not in _PROFILE_HOUSEKEEPING)
        if others:
            raise CliError(f"{profile_dir} is not empty ({', '.join(others[:3])}{'…' if len(others) > 3 else ''});"
                           " the demo goes into a new or empty profile directory")
    svc = open_profile(profile_dir)
    if not getattr(args, "json", False):
        print(f"Creating the demo workspace in {profile_dir} (replaying ~45 days of feeds, offline)…",
              file=sys.stderr)
    summary = install_demo(svc)
    if getattr(args, "json", False):
        _print_json({"profile": str(profile_dir), **asdict(summary)})
    else:
        print(f"Demo profile ready in {profile_dir}:")
        print(f"  {summary.feeds} feeds (files in {summary.feeds_dir}), {summary.items} items, "
              f"{summary.mentions} mentions of {summary.terms} watch terms, {summary.alerts} spike alerts")
        print(f"  {summary.templates} reply templates; {summary.triaged} mentions triaged in the past, "
              f"{summary.replied} replied, {summary.drafts} drafts")
        print(f"Open it with: cmdesk --profile {profile_dir}")
        print(f"     or list: cmdesk mentions list --profile {profile_dir}")
    if args.no_open or not _has_display():
        return EXIT_OK
    try:
        from cmdesk.ui.app import run_gui
    except ImportError as exc:
        print(f"(the window cannot be opened here: {exc})", file=sys.stderr)
        return EXIT_OK
    return run_gui(profile_dir)


def cmd_backup(profile_dir: Path, args) -> int:
    from cmdesk.store.backup import backup_profile

    path = backup_profile(profile_dir, args.out)
    if getattr(args, "json", False):
        _print_json({"backup": str(path), "bytes": path.stat().st_size})
    else:
        print(f"Backed up {profile_dir} to {path} ({path.stat().st_size // 1024} KB)")
    return EXIT_OK


def cmd_restore(profile_dir: Path, args) -> int:
    from cmdesk.store.backup import restore_profile

    res = restore_profile(profile_dir, args.file)
    if getattr(args, "json", False):
        _print_json({"restored_from": str(res.restored_from), "previous_saved_as": str(res.previous_saved_as),
                     "schema_version": res.schema_version, "migrated_to": res.migrated_to})
    else:
        print(f"Restored {profile_dir} from {res.restored_from}.")
        if res.previous_saved_as.name:
            print(f"The previous store is kept as {res.previous_saved_as}")
        if res.migrated_to != res.schema_version:
            print(f"(upgraded from schema {res.schema_version} to {res.migrated_to})")
    return EXIT_OK


# Commands that take the profile directory instead of opened services
# (restore must work when the current store cannot be opened).
PROFILE_COMMANDS = {("demo", None): cmd_demo, ("backup", None): cmd_backup, ("restore", None): cmd_restore}


COMMANDS = {
    ("feeds", "add"): cmd_feeds_add,
    ("feeds", "import"): cmd_feeds_import,
    ("feeds", "export"): cmd_feeds_export,
    ("feeds", "list"): cmd_feeds_list,
    ("feeds", "remove"): cmd_feeds_remove,
    ("feeds", "log"): cmd_feeds_log,
    ("refresh", None): cmd_refresh,
    ("items", "search"): cmd_items_search,
    ("terms", "add"): cmd_terms_add,
    ("terms", "list"): cmd_terms_list,
    ("terms", "edit"): cmd_terms_edit,
    ("terms", "remove"): cmd_terms_remove,
    ("mentions", "list"): cmd_mentions_list,
    ("mentions", "show"): cmd_mentions_show,
    ("mentions", "set-state"): cmd_mentions_set_state,
    ("mentions", "replied"): cmd_mentions_replied,
    ("mentions", "undo"): cmd_mentions_undo,
    ("mentions", "draft"): cmd_mentions_draft,
    ("mentions", "star"): cmd_mentions_star,
    ("mentions", "tag"): cmd_mentions_tag,
    ("mentions", "sentiment"): cmd_mentions_sentiment,
    ("sources", "list"): cmd_sources_list,
    ("sources", "weight"): cmd_sources_weight,
    ("templates", "add"): cmd_templates_add,
    ("templates", "list"): cmd_templates_list,
    ("recipes", None): cmd_recipes,
    ("alerts", "list"): cmd_alerts_list,
    ("report", None): cmd_report,
    ("settings", "list"): cmd_settings_list,
    ("settings", "get"): cmd_settings_get,
    ("settings", "set"): cmd_settings_set,
    ("settings", "unset"): cmd_settings_unset,
}


def _database_error_message(exc: Exception) -> str:
    """One line for an SQLite error that reached the command line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    low = text.lower()
    if "locked" in low or "busy" in low:
        from cmdesk.store.database import BUSY_TIMEOUT_MS

        return (f"the profile is busy: another cmdesk is writing to it and did not finish within"
                f" {BUSY_TIMEOUT_MS // 1000} s. Nothing was changed; try again when it is done.")
    if any(w in low for w in ("full", "readonly", "read-only", "i/o", "write", "permission")):
        return f"the database could not be written: {text}"
    if "no such table" in low or "no such column" in low:
        return f"the profile's database is not a usable cmdesk store: {text}"
    return f"the database could not be read or written: {text}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    from cmdesk.logsetup import setup_logging

    setup_logging(verbose=getattr(args, "verbose", False), debug=debug)
    if args.command is None:
        # No command: open the main window on the profile.
        from cmdesk.app import resolve_profile_dir
        from cmdesk.ui.app import run_gui

        return run_gui(resolve_profile_dir(getattr(args, "profile", None)))
    sub = getattr(args, f"{args.command}_command", None)
    handler = COMMANDS.get((args.command, sub))
    profile_handler = PROFILE_COMMANDS.get((args.command, sub))

    import sqlite3

    from cmdesk.app import open_profile, resolve_profile_dir
    from cmdesk.net.credentials import CredentialsUnavailable
    from cmdesk.services.demo import DemoError
    from cmdesk.services.feeds import FeedServiceError
    from cmdesk.services.mentions import MentionServiceError
    from cmdesk.services.settings import SettingsError
    from cmdesk.store.backup import BackupError
    from cmdesk.store.database import StoreError
    from cmdesk.store.migrations import MigrationError

    try:
        profile_dir = resolve_profile_dir(getattr(args, "profile", None))
        if profile_handler is not None:
            return profile_handler(profile_dir, args)
        svc = open_profile(profile_dir)
        return handler(svc, args)
    except sqlite3.Error as exc:
        if debug:
            raise
        print(f"cmdesk: error: {_database_error_message(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except (CliError, FeedServiceError, MentionServiceError, StoreError, MigrationError,
            CredentialsUnavailable, SettingsError, BackupError, DemoError) as exc:
        if debug:
            raise
        print(f"cmdesk: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cmdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`cmdesk feeds list | head`): not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if debug:
            raise
        print(f"cmdesk: error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
