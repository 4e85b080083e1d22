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
                     "folders_created": res.folders, "skipped": [asdict(s) for s in res.skipped]})
        return EXIT_OK
    print(f"Imported {args.file.name}: {res.added} feeds added, {len(res.already_subscribed)} already subscribed,"
          f" {res.folders} folders created, {len(res.skipped)} entries skipped.")
    for s in res.skipped:
        where = f" (line {s.line})" if s.line else ""
        print(f"  skipped{where}: {_short(s.title, 60) or '(untitled)'}: {s.reason}")
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


def cmd_feeds_list(svc, args) -> int:
    listings = svc.feeds.list_feeds()
    if getattr(args, "json", False):
        _print_json([{**_feed_json(l.feed), "folder": l.folder_path, "items": l.items, "unread": l.unread}
                     for l in listings])
        return EXIT_OK
    if not listings:
        print("No feeds yet: add one with `cmdesk feeds add URL` or `cmdesk feeds import FILE.opml`.")
        return EXIT_OK
    print(f"{'ID':>5}  {'STATUS':<8} {'ITEMS':>6} {'UNREAD':>6}  {'FOLDER':<18} TITLE / URL")
    for l in listings:
        f = l.feed
        print(f"{f.id:>5}  {f.status.value:<8} {l.items:>6} {l.unread:>6}  {_short(l.folder_path, 18):<18}"
              f" {_short(f.title or '(untitled)', 50)}")
        print(f"{'':>41}<{f.url}>")
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
    summary = svc.refresh.refresh(args.feed, due_only=args.due, progress=bar)
    errors = [r for r in summary.results if r.outcome.value in ("error", "gone")]
    if as_json:
        _print_json({
            "total": summary.total, "ok": summary.ok, "not_modified": summary.not_modified,
            "errors": summary.errors, "gone": summary.gone, "deferred": summary.deferred,
            "new_items": summary.new_items, "duration_s": round(summary.duration_s, 3),
            "failed": [{"feed_id": r.feed_id, "title": r.title, "outcome": r.outcome.value,
                        "error_code": r.error_code.value if r.error_code else None, "error": r.error}
                       for r in errors],
        })
        return EXIT_OK
    print(f"Refreshed {summary.total} feeds in {summary.duration_s:.1f} s: {summary.ok} ok,"
          f" {summary.not_modified} not modified, {summary.errors} in error"
          + (f", {summary.gone} gone" if summary.gone else "")
          + (f", {summary.deferred} deferred" if summary.deferred else "")
          + f"; {summary.new_items} new items.")
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


COMMANDS = {
    ("feeds", "add"): cmd_feeds_add,
    ("feeds", "import"): cmd_feeds_import,
    ("feeds", "export"): cmd_feeds_export,
    ("feeds", "list"): cmd_feeds_list,
    ("feeds", "remove"): cmd_feeds_remove,
    ("feeds", "log"): cmd_feeds_log,
    ("refresh", None): cmd_refresh,
    ("items", "search"): cmd_items_search,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    sub = getattr(args, f"{args.command}_command", None)
    handler = COMMANDS[(args.command, sub)]

    from cmdesk.app import open_profile, resolve_profile_dir
    from cmdesk.net.credentials import CredentialsUnavailable
    from cmdesk.services.feeds import FeedServiceError
    from cmdesk.store.database import StoreError
    from cmdesk.store.migrations import MigrationError

    try:
        svc = open_profile(resolve_profile_dir(getattr(args, "profile", None)))
        return handler(svc, args)
    except (CliError, FeedServiceError, StoreError, MigrationError, CredentialsUnavailable) as exc:
        if debug:
            raise
        print(f"cmdesk: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cmdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        print(f"cmdesk: error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
