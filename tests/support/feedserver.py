"""A real HTTP server on 127.0.0.1 (port 0) serving fixture feeds for tests.

Routes are declared per test; the server honours If-None-Match and
If-Modified-Since, can gzip, redirect, fail and delay, and records every
request so tests can check what was sent.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    delay_s: float = 0.0
    hits: int = 0


class FeedServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> "FeedServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, body: bytes | str = b"", **kw) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        r = Route(body=body, **kw)
        with self._lock:
            self.routes[path] = r
        return r

    def redirect(self, path: str, to: str, status: int = 301) -> Route:
        return self.route(path, status=status, location=to, content_type="text/plain")

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        headers = {k.lower(): v for k, v in h.headers.items()}
        with self._lock:
            self.requests.append((h.path, headers))
            route = self.routes.get(h.path)
        if route is None:
            self._send(h, 404, b"not found", {"Content-Type": "text/plain"})
            return
        route.hits += 1
        if route.delay_s:
            time.sleep(route.delay_s)
        out = {"Content-Type": route.content_type, **route.headers}
        if route.location:
            out["Location"] = route.location
            self._send(h, route.status, b"", out)
            return
        if route.etag:
            out["ETag"] = route.etag
        if route.last_modified:
            out["Last-Modified"] = route.last_modified
        if route.status == 200:
            inm = headers.get("if-none-match")
            ims = headers.get("if-modified-since")
            if (route.etag and inm == route.etag) or (not route.etag and route.last_modified and ims == route.last_modified):
                self._send(h, 304, b"", {k: v for k, v in out.items() if k != "Content-Type"})
                return
        body = route.body
        if route.gzip and "gzip" in headers.get("accept-encoding", ""):
            body = gzip.compress(body)
            out["Content-Encoding"] = "gzip"
        self._send(h, route.status, body, out)

    @staticmethod
    def _send(h, status: int, body: bytes, headers: dict[str, str]) -> None:
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        if status != 304:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if status != 304 and body:
            try:
                h.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass


def rss(title: str, items: list[tuple[str, str]] | int, *, link: str = "https://example.com/",
        start: int = 0, extra: str = "") -> str:
    """A small RSS 2.0 document; `items` is a count or (guid, title) pairs."""
    if isinstance(items, int):
        items = [(f"{title}-{i}", f"{title} item {i}") for i in range(start, start + items)]
    body = "".join(
        f"<item><title>{t}</title><link>{link}{g}</link><guid>{g}</guid>"
        f"<description>&lt;p&gt;Text of {t}&lt;/p&gt;</description>"
        f"<pubDate>Mon, 0{1 + n % 9} Jun 2026 10:00:00 +0000</pubDate></item>"
        for n, (g, t) in enumerate(items)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{link}</link>{extra}{body}</channel></rss>")
