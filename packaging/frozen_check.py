"""Drive a built cmdesk executable through a real refresh on a loopback server.

    python packaging/frozen_check.py dist/cmdesk/cmdesk

Serves FEEDS small RSS feeds from 127.0.0.1 (port 0), then, in a temporary
profile, runs the executable as a user would: `feeds import` an OPML file,
`terms add`, `refresh --json`, `mentions list --json`. Enough feeds are served
for the refresh to parse in its pool of spawned worker processes, and the
executable's child processes are watched (psutil) to show they really started
as multiprocessing workers — the part of a frozen app that breaks when
`freeze_support()` is missing. Exits non-zero on the first failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

FEEDS = 8            # the refresh uses its process pool from 6 feeds on
ITEMS_PER_FEED = 5
TIMEOUT_S = 180


def rss(n: int) -> bytes:
    now = time.time()
    items = "".join(
        f"<item><title>{escape(f'Acme launch review {n}-{i}')}</title>"
        f"<link>http://example.invalid/{n}/{i}</link><guid>feed{n}-item{i}</guid>"
        f"<pubDate>{formatdate(now - 3600 * i)}</pubDate>"
        f"<description>{escape(f'People talk about the new Acme product, post {i} of feed {n}.')}</description></item>"
        for i in range(ITEMS_PER_FEED))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {n}</title>'
            f"<link>http://example.invalid/{n}</link><description>check</description>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            n = int(self.path.strip("/").removesuffix(".xml").removeprefix("feed"))
        except ValueError:
            n = -1
        if not 0 <= n < FEEDS:
            self.send_error(404)
            return
        body = rss(n)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run(exe: str, *args: str, profile: Path) -> str:
    proc = subprocess.run([exe, *args, "--profile", str(profile)], capture_output=True, text=True,
                          timeout=TIMEOUT_S, env=clean_env())
    if proc.returncode != 0:
        sys.exit(f"FAILED: cmdesk {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "CMDESK_PROFILE")}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def refresh_watching_workers(exe: str, profile: Path) -> tuple[dict, dict[int, str]]:
    """Run `refresh --json` and note its child processes (pid: first arguments) while it
    runs (none noted when psutil is not installed)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    proc = subprocess.Popen([exe, "refresh", "--json", "--profile", str(profile)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=clean_env())
    seen: dict[int, str] = {}
    deadline = time.monotonic() + TIMEOUT_S
    if psutil is not None:
        parent = psutil.Process(proc.pid)
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                for child in parent.children(recursive=True):
                    seen.setdefault(child.pid, " ".join(child.cmdline()[1:3]))
            except psutil.Error:
                pass
            time.sleep(0.02)
    try:
        out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit("FAILED: refresh did not finish (a frozen app that re-runs itself instead of a worker?)")
    if proc.returncode != 0:
        sys.exit(f"FAILED: refresh exited {proc.returncode}\n{out}\n{err}")
    return json.loads(out), seen


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.exit(__doc__)
    exe = str(Path(argv[0]).resolve())
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory(prefix="cmdesk-frozen-check-") as tmp:
            profile = Path(tmp) / "profile"
            opml = Path(tmp) / "feeds.opml"
            outlines = "".join(f'<outline type="rss" text="Feed {n}" xmlUrl="{base}/feed{n}.xml"/>' for n in range(FEEDS))
            opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><head><title>check</title></head>'
                            f'<body><outline text="Check">{outlines}</outline></body></opml>', encoding="utf-8")
            print(run(exe, "feeds", "import", str(opml), profile=profile).strip())
            run(exe, "terms", "add", "Acme", "--query", "acme", "--kind", "brand", profile=profile)

            started = time.monotonic()
            summary, children = refresh_watching_workers(exe, profile)
            took = time.monotonic() - started
            text = json.dumps(summary)
            workers = [pid for pid, args in children.items() if "--multiprocessing-fork" in args]
            print(f"refresh: {took:.1f} s, child processes seen: {sorted(set(children.values())) or 'none'}")
            new_items = summary.get("new_items") if isinstance(summary, dict) else None
            if new_items != FEEDS * ITEMS_PER_FEED:
                sys.exit(f"FAILED: expected {FEEDS * ITEMS_PER_FEED} new items, got {new_items}: {text[:2000]}")
            if not workers:
                try:
                    import psutil  # noqa: F401
                except ImportError:
                    print("note: psutil missing, worker processes not checked")
                else:
                    sys.exit("FAILED: no multiprocessing worker process was seen during the refresh")

            mentions = json.loads(run(exe, "mentions", "list", "--json", profile=profile))
            rows = mentions.get("mentions", mentions) if isinstance(mentions, dict) else mentions
            if not rows:
                sys.exit(f"FAILED: no mention listed after the refresh: {json.dumps(mentions)[:2000]}")
            print(f"OK: {new_items} items from {FEEDS} feeds, {len(rows)} mention(s) listed, "
                  f"{len(workers)} worker process(es) seen")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
