"""Refresh benchmark: cmdesk (and newsboat, when installed) on N local feeds.

    python benchmarks/refresh.py [--feeds 200,1000] [--items 50] [--churn 3] [--no-newsboat]

For each N it generates N feeds of M items (RSS 2.0, one in five Atom), serves
them from a separate process on 127.0.0.1 (pre-gzipped bodies, ETag and
Last-Modified, 304 on conditional GET), imports them into a fresh profile and
times three `cmdesk refresh` runs as a subprocess:

- cold:  first refresh, empty store (every feed fetched, parsed, stored);
- warm:  nothing changed (every feed answers 304);
- churn: the server puts K new items at the top of every feed.

Peak RSS is the largest sum of RSS over the cmdesk process and all its
children (the parse workers), sampled every 20 ms. newsboat, if installed,
refreshes the same feeds with `newsboat -x reload` for a ratio per phase.
This is a benchmark, not a timed test: it prints a table and the targets,
and exits 1 only when a refresh gave a wrong result (a FAIL line).
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import gzip
import hashlib
import json
import multiprocessing
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from html import escape
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - told to the user
    sys.exit("benchmarks/refresh.py needs psutil: pip install psutil (or pip install -e '.[test]')")

# Targets for N = 1000 feeds × 50 items (see DESIGN.md, "Known hard parts").
TARGET_N = 1000
TARGET_WALL_S = {"cold": 12.0, "warm": 3.0, "churn": 20.0}
TARGET_RSS_MB = 250.0

PHASES = ("cold", "warm", "churn")
ATOM_EVERY = 5  # one feed in five is Atom
ITEM_SPACING_S = 600
SAMPLE_EVERY_S = 0.02
RUN_TIMEOUT_S = 900
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


# --- feed generation (runs in the server process) -----------------------------

_WORDS = (
    "community brand launch release update feature users feedback forum thread reply support team product "
    "roadmap beta partner event meetup webinar podcast interview review launchpad growth campaign newsletter "
    "social media audience engagement metrics report analysis trend mention customer service response "
    "developer open source plugin integration security privacy performance design mobile desktop cloud "
    "pricing subscription discount announcement conference keynote workshop tutorial guide documentation "
    "the a of to and in for with on at from by about into over after before during between across "
    "is are was were has have will can should may new big small fast quiet early late local global "
    "communauté marque lancement mise à jour fonctionnalité utilisateurs retour équipe produit événement "
    "réseau sociaux audience engagement mesure rapport client réponse sécurité données été déjà très "
    "le la les des du une un pour avec sur dans par est sont nous vous ils elles cette ce qui que"
).split()
_NAMES = (
    "Alice Martin", "Bruno Lefèvre", "Chloé Dubois", "David Chen", "Emma Johnson", "Farid Benali",
    "Giulia Rossi", "Hugo Bernard", "Inès Moreau", "Jack O'Neil", "Kenji Sato", "Léa Fournier",
    "Maya Patel", "Noah Schmidt", "Olivia Brown", "Pierre Girard",
)
_TOPICS = ("News", "Releases", "Community", "Press", "Engineering", "Events", "Marketing", "Support")


def _sentence(rng: random.Random) -> str:
    s = " ".join(rng.choices(_WORDS, k=rng.randint(8, 18)))
    return s[0].upper() + s[1:] + rng.choice((".", ".", ".", "!", "?"))


def _item_html(rng: random.Random, link: str) -> str:
    """About 1 KB of article HTML: a few paragraphs, a link, some emphasis."""
    paras = []
    for p in range(rng.randint(3, 4)):
        sentences = [_sentence(rng) for _ in range(rng.randint(2, 4))]
        if p == 0:
            sentences[0] = f"<strong>{sentences[0]}</strong>"
        if p == 1:
            sentences[-1] = f'{sentences[-1]} <a href="{link}#more">Read more</a>'
        if rng.random() < 0.3:
            sentences.insert(1, f"<em>{_sentence(rng)}</em>")
        paras.append("<p>" + " ".join(sentences) + "</p>")
    if rng.random() < 0.25:
        paras.append("<ul>" + "".join(f"<li>{_sentence(rng)}</li>" for _ in range(3)) + "</ul>")
    return "\n".join(paras)


def _rfc822(ts: int) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def _iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class _FeedSpec:
    """One generated feed: M + K item fragments, newest last; two states."""

    def __init__(self, i: int, m: int, k: int, t_end: int, seed: int):
        self.i = i
        self.atom = i % ATOM_EVERY == ATOM_EVERY - 1
        rng = random.Random(seed * 1_000_003 + i)
        self.site = f"https://site{i:04d}.example.com"
        self.title = f"{rng.choice(_TOPICS)} {i:04d} – {_sentence(rng)[:40].rstrip('.!?')}"
        self.cdata = rng.random() < 0.5
        end = t_end - (i % 3600)
        self.dates = [end - (m + k - 1 - j) * ITEM_SPACING_S for j in range(m + k)]
        self.fragments = [self._item(rng, j, self.dates[j]) for j in range(m + k)]

    def _item(self, rng: random.Random, j: int, ts: int) -> str:
        slug = "-".join(rng.choices(_WORDS, k=4)).replace("'", "")
        link = f"{self.site}/{time.strftime('%Y/%m', time.gmtime(ts))}/{j:05d}-{escape(slug)}"
        title = escape(_sentence(rng).rstrip(".!?"))
        author = escape(rng.choice(_NAMES))
        html_body = _item_html(rng, link)
        if self.atom:
            return (
                f"<entry>\n<title>{title}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n"
                f"<id>tag:site{self.i:04d}.example.com,2024:post-{j}</id>\n"
                f"<published>{_iso(ts)}</published>\n<updated>{_iso(ts)}</updated>\n"
                f"<author><name>{author}</name></author>\n"
                f"<category term=\"{rng.choice(_TOPICS)}\"/>\n"
                f"<summary type=\"html\">{escape(html_body)}</summary>\n</entry>\n"
            )
        if rng.random() < 0.5:
            guid = f'<guid isPermaLink="true">{link}</guid>'
        else:
            guid = f'<guid isPermaLink="false">site{self.i:04d}-post-{j}</guid>'
        desc = f"<![CDATA[{html_body}]]>" if self.cdata else escape(html_body)
        return (
            f"<item>\n<title>{title}</title>\n<link>{link}</link>\n{guid}\n<pubDate>{_rfc822(ts)}</pubDate>\n"
            f"<dc:creator>{author}</dc:creator>\n<category>{rng.choice(_TOPICS)}</category>\n"
            f"<description>{desc}</description>\n</item>\n"
        )

    def document(self, url: str, first: int, m: int) -> tuple[bytes, int]:
        """The feed showing items first..first+m-1 (newest first), and its last change."""
        newest = first + m - 1
        items = "".join(self.fragments[j] for j in range(newest, first - 1, -1))
        updated = self.dates[newest]
        if self.atom:
            doc = (
                '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
                f"<title>{escape(self.title)}</title>\n<subtitle>Generated benchmark feed</subtitle>\n"
                f'<link rel="alternate" type="text/html" href="{self.site}/"/>\n'
                f'<link rel="self" type="application/atom+xml" href="{escape(url)}"/>\n'
                f"<id>tag:site{self.i:04d}.example.com,2024:feed</id>\n<updated>{_iso(updated)}</updated>\n"
                f"{items}</feed>\n"
            )
        else:
            doc = (
                '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
                f"<channel>\n<title>{escape(self.title)}</title>\n<link>{self.site}/</link>\n"
                f"<description>Generated benchmark feed {self.i}</description>\n<language>en</language>\n"
                f"<lastBuildDate>{_rfc822(updated)}</lastBuildDate>\n"
                f'<atom:link href="{escape(url)}" rel="self" type="application/rss+xml"/>\n'
                f"{items}</channel>\n</rss>\n"
            )
        return doc.encode("utf-8"), updated


def feed_path(i: int) -> str:
    return f"/feeds/{i:04d}." + ("atom" if i % ATOM_EVERY == ATOM_EVERY - 1 else "rss")


def feed_url(i: int, port: int, hosts: int) -> str:
    # Loopback addresses 127.0.0.1..127.0.0.H stand for H different hosts.
    return f"http://127.0.0.{1 + i % hosts}:{port}{feed_path(i)}"


# --- the feed server (a separate process) -------------------------------------

class _Entry:
    __slots__ = ("gz", "etag", "last_modified", "lm_ts", "ctype")

    def __init__(self, gz: bytes, etag: str, lm_ts: int, ctype: str):
        self.gz = gz
        self.etag = etag
        self.lm_ts = lm_ts
        self.last_modified = _rfc822(lm_ts)
        self.ctype = ctype


class FeedServer:
    """Serves the generated feeds; /_control/... switches state and reads counters."""

    def __init__(self, n: int, m: int, k: int, seed: int):
        self.n, self.m, self.k = n, m, k
        self.seed = seed
        self.t_end = int(time.time()) - 3600
        self.states: dict[str, list[_Entry]] = {"base": [], "churn": []}
        self.state = "base"
        self.raw_bytes = {"base": 0, "churn": 0}
        self.gz_bytes = {"base": 0, "churn": 0}
        self.reset_stats()

    def reset_stats(self) -> None:
        self.stats = {"requests": 0, "200": 0, "304": 0, "other": 0, "bytes_sent": 0, "gzip": 0, "connections": 0}

    def generate(self, port: int, hosts: int) -> None:
        for i in range(self.n):
            spec = _FeedSpec(i, self.m, self.k, self.t_end, self.seed)
            url = feed_url(i, port, hosts)
            ctype = "application/atom+xml; charset=utf-8" if spec.atom else "application/rss+xml; charset=utf-8"
            # base shows the oldest M items; churn drops K of them and adds K newer ones on top.
            for state, first in (("base", 0), ("churn", self.k)):
                doc, updated = spec.document(url, first, self.m)
                gz = gzip.compress(doc, compresslevel=6, mtime=0)
                etag = '"' + hashlib.blake2b(doc, digest_size=8).hexdigest() + '"'
                self.states[state].append(_Entry(gz, etag, updated, ctype))
                self.raw_bytes[state] += len(doc)
                self.gz_bytes[state] += len(gz)

    def respond(self, method: str, target: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
        path, _, query = target.partition("?")
        if path.startswith("/_control/"):
            return self._control(path, query)
        if method not in ("GET", "HEAD"):
            return 405, [("Allow", "GET, HEAD")], b""
        try:
            i = int(path.rsplit("/", 1)[-1].split(".", 1)[0])
        except ValueError:
            i = -1
        if not (0 <= i < self.n) or path != feed_path(i):
            return 404, [("Content-Type", "text/plain")], b"not found\n"
        e = self.states[self.state][i]
        validators = [("ETag", e.etag), ("Last-Modified", e.last_modified), ("Cache-Control", "max-age=0")]
        inm = headers.get("if-none-match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            if e.etag in tags or "*" in tags:
                return 304, validators, b""
        elif (ims := headers.get("if-modified-since")) is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError):
                since = None
            if since is not None and e.lm_ts <= since:
                return 304, validators, b""
        hdrs = [("Content-Type", e.ctype), ("Vary", "Accept-Encoding"), *validators]
        if _accepts_gzip(headers.get("accept-encoding", "")):
            hdrs.append(("Content-Encoding", "gzip"))
            body = e.gz
            self.stats["gzip"] += 1
        else:
            body = gzip.decompress(e.gz)
        return 200, hdrs, body

    def _control(self, path: str, query: str) -> tuple[int, list[tuple[str, str]], bytes]:
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        if path == "/_control/state":
            want = params.get("set")
            if want is not None:
                if want not in self.states:
                    return 400, [("Content-Type", "text/plain")], b"unknown state\n"
                self.state = want
        elif path == "/_control/stats":
            if params.get("reset"):
                self.reset_stats()
        else:
            return 404, [("Content-Type", "text/plain")], b"not found\n"
        body = json.dumps({"state": self.state, "stats": self.stats, "raw_bytes": self.raw_bytes,
                           "gz_bytes": self.gz_bytes}).encode()
        return 200, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body


def _accepts_gzip(value: str) -> bool:
    for part in value.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


_REASONS = {200: "OK", 304: "Not Modified", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}


async def _handle_connection(server: FeedServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    counted = False
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            try:
                method, target, version = lines[0].split(" ", 2)
            except ValueError:
                writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if sep:
                    headers[name.strip().lower()] = value.strip()
            length = headers.get("content-length", "0")
            if length.isdigit() and int(length):
                await reader.readexactly(int(length))
            conn_hdr = headers.get("connection", "").lower()
            keep = ("close" not in conn_hdr) if version == "HTTP/1.1" else ("keep-alive" in conn_hdr)
            status, hdrs, body = server.respond(method, target, headers)
            st = server.stats
            if not target.startswith("/_control/"):
                if not counted:  # connections that carried feed requests (keep-alive reuse shows here)
                    st["connections"] += 1
                    counted = True
                st["requests"] += 1
                key = str(status) if status in (200, 304) else "other"
                st[key] += 1
            out = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}",
                   f"Date: {email.utils.formatdate(usegmt=True)}", "Server: cmdesk-bench"]
            out += [f"{k}: {v}" for k, v in hdrs]
            if status != 304:
                out.append(f"Content-Length: {len(body)}")
            out.append("Connection: keep-alive" if keep else "Connection: close")
            data = ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")
            if method != "HEAD" and status != 304:
                data += body
                if not target.startswith("/_control/"):
                    st["bytes_sent"] += len(body)
            writer.write(data)
            await writer.drain()
            if not keep:
                return
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


def serve_feeds(conn, n: int, m: int, k: int, hosts: int, seed: int, lifetime_s: float) -> None:
    """Server process entry point: bind, generate, report the port, serve until told or timed out."""
    parent = os.getppid()
    deadline = time.monotonic() + lifetime_s

    async def main() -> None:
        server = FeedServer(n, m, k, seed)
        handler = lambda r, w: _handle_connection(server, r, w)  # noqa: E731
        listeners = []
        for _attempt in range(20):
            first = await asyncio.start_server(handler, "127.0.0.1", 0, backlog=1024)
            port = first.sockets[0].getsockname()[1]
            listeners = [first]
            try:
                for h in range(2, hosts + 1):
                    listeners.append(await asyncio.start_server(handler, f"127.0.0.{h}", port, backlog=1024))
                break
            except OSError:  # the port is taken on another loopback address: pick another
                for srv in listeners:
                    srv.close()
                listeners = []
        if not listeners:
            conn.send(("error", "could not bind the same port on every loopback address"))
            return
        t0 = time.perf_counter()
        server.generate(port, hosts)
        conn.send(("ready", port, {"raw_bytes": server.raw_bytes, "gz_bytes": server.gz_bytes,
                                   "generate_s": time.perf_counter() - t0}))
        while time.monotonic() < deadline and os.getppid() == parent:
            if conn.poll():
                try:
                    if conn.recv() == "stop":
                        break
                except EOFError:
                    break
            await asyncio.sleep(0.2)
        for srv in listeners:
            srv.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


class ServerHandle:
    """The feed server process, started for one N and always stopped."""

    def __init__(self, n: int, m: int, k: int, hosts: int, seed: int, lifetime_s: float):
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=serve_feeds, args=(child, n, m, k, hosts, seed, lifetime_s),
                                name="bench-feed-server", daemon=True)
        self.proc.start()
        child.close()
        if not self._conn.poll(600):
            self.stop()
            raise RuntimeError("the feed server did not start within 600 s")
        msg = self._conn.recv()
        if msg[0] != "ready":
            self.stop()
            raise RuntimeError(f"the feed server failed: {msg[1]}")
        _, self.port, self.info = msg
        self.pid = self.proc.pid
        self.n, self.hosts = n, hosts

    def url(self, i: int) -> str:
        return feed_url(i, self.port, self.hosts)

    def control(self, what: str) -> dict:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"http://127.0.0.1:{self.port}/_control/{what}", timeout=10) as resp:
            return json.loads(resp.read())

    def stop(self) -> None:
        try:
            self._conn.send("stop")
        except (OSError, ValueError):
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self._conn.close()


# --- measuring -----------------------------------------------------------------

class Measured:
    def __init__(self, wall_s: float, cpu_s: float, peak_rss_mb: float, returncode: int, stdout: str,
                 stderr: str, other_cores: float):
        self.wall_s = wall_s
        self.cpu_s = cpu_s  # user + system, the process and every child it waited for
        # CPU the rest of the machine used meanwhile, in cores (other programs
        # compete with the measured one: the wall times are then pessimistic)
        self.other_cores = other_cores
        self.peak_rss_mb = peak_rss_mb
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def _tree_rss(proc: psutil.Process) -> int:
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _busy_cpu_s() -> float:
    t = psutil.cpu_times()
    return sum(getattr(t, f) for f in t._fields if f not in ("idle", "iowait", "guest", "guest_nice"))


def _proc_cpu_s(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        t = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return t.user + t.system


def run_measured(cmd: list[str], env: dict[str, str], cwd: str | None = None,
                 timeout_s: float = RUN_TIMEOUT_S, server_pid: int | None = None) -> Measured:
    """Run a command; wall time, CPU time, and the peak of the summed RSS of its process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy0, server0 = _busy_cpu_s(), _proc_cpu_s(server_pid)
        self0 = resource.getrusage(resource.RUSAGE_SELF)
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        popen = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            try:
                proc = psutil.Process(popen.pid)
            except psutil.Error:
                return
            while not stop.is_set():
                peak = max(peak, _tree_rss(proc))
                stop.wait(SAMPLE_EVERY_S)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            rc = popen.wait(timeout_s)
        except subprocess.TimeoutExpired:
            popen.kill()
            rc = popen.wait()
            err.write(f"\n(benchmark: killed after {timeout_s:g} s)\n".encode())
        wall = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Children of the benchmark are reaped only here, so the delta is this
        # command's tree (the feed server is still running, hence not counted).
        cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        stop.set()
        sampler.join()
        self1 = resource.getrusage(resource.RUSAGE_SELF)
        own = (self1.ru_utime - self0.ru_utime) + (self1.ru_stime - self0.ru_stime)
        other = _busy_cpu_s() - busy0 - cpu - own - (_proc_cpu_s(server_pid) - server0)
        out.seek(0)
        err.seek(0)
        return Measured(wall, cpu, peak / (1024 * 1024), rc, out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"), max(0.0, other) / wall if wall > 0 else 0.0)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != "CMDESK_PROFILE"}
    env.update(extra)
    return env


def write_opml(path: Path, urls: list[str]) -> None:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
             "<head><title>cmdesk refresh benchmark</title></head>", "<body>"]
    folders: dict[str, list[str]] = {}
    for i, url in enumerate(urls):
        folders.setdefault(_TOPICS[i % len(_TOPICS)], []).append(
            f'    <outline type="rss" text="Feed {i:04d}" title="Feed {i:04d}" xmlUrl="{escape(url)}"/>')
    for name, outlines in folders.items():
        lines.append(f'  <outline text="{name}" title="{name}">')
        lines += outlines
        lines.append("  </outline>")
    lines += ["</body>", "</opml>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def cmdesk_cmd(profile: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cmdesk", "--profile", str(profile), *args]


NEWSBOAT_CONFIG = """\
reload-threads {threads}
download-timeout 60
download-retries 1
max-items 0
show-read-feeds yes
"""


class NewsboatRunner:
    """newsboat -x reload on the same feeds, with its own home, config and cache."""

    def __init__(self, workdir: Path, urls: list[str], threads: int):
        self.exe = shutil.which("newsboat")
        self.home = workdir / "newsboat-home"
        self.home.mkdir()
        self.urls = workdir / "newsboat-urls"
        self.urls.write_text("\n".join(urls) + "\n", encoding="utf-8")
        self.config = workdir / "newsboat-config"
        self.config.write_text(NEWSBOAT_CONFIG.format(threads=threads), encoding="utf-8")
        self.cache = workdir / "newsboat-cache.db"
        self.env = clean_env(HOME=str(self.home), XDG_CONFIG_HOME=str(self.home / ".config"),
                             XDG_DATA_HOME=str(self.home / ".local/share"))

    def item_count(self) -> int:
        if not self.cache.exists():
            return 0
        with sqlite3.connect(self.cache) as db:
            return db.execute("SELECT count(*) FROM rss_item").fetchone()[0]

    def reload(self, server_pid: int | None = None) -> tuple[Measured, int]:
        before = self.item_count()
        m = run_measured([self.exe, "-q", "-u", str(self.urls), "-c", str(self.cache), "-C", str(self.config),
                          "-x", "reload"], self.env, cwd=str(self.home), server_pid=server_pid)
        return m, self.item_count() - before


# --- one N ---------------------------------------------------------------------

class PhaseResult:
    def __init__(self, n: int, phase: str):
        self.n = n
        self.phase = phase
        self.cm: Measured | None = None
        self.summary: dict = {}
        self.server: dict = {}
        self.nb: Measured | None = None
        self.nb_new: int | None = None
        self.nb_server: dict = {}
        self.correct = False  # cmdesk ran and its summary is what the phase must give


def check_summary(n: int, m: int, k: int, phase: str, s: dict) -> list[str]:
    problems = []
    if phase == "cold":
        expect = {"new_items": n * m, "errors": 0, "ok": n}
    elif phase == "warm":
        expect = {"new_items": 0, "not_modified": n, "errors": 0}
    else:
        expect = {"new_items": n * k, "errors": 0, "ok": n}
    for key, want in expect.items():
        if s.get(key) != want:
            problems.append(f"{key} = {s.get(key)} (expected {want})")
    return problems


def run_n(n: int, args, workdir: Path, results: list[PhaseResult], failures: list[str]) -> None:
    m, k = args.items, args.churn
    print(f"\n== N = {n} feeds × {m} items (churn +{k}), {args.hosts} loopback host(s) ==", flush=True)
    server = ServerHandle(n, m, k, args.hosts, args.seed, args.server_lifetime)
    try:
        info = server.info
        print(f"server: port {server.port}, generated in {info['generate_s']:.1f} s; base state "
              f"{info['raw_bytes']['base'] / 1e6:.1f} MB XML, {info['gz_bytes']['base'] / 1e6:.1f} MB gzipped",
              flush=True)
        ndir = workdir / f"n{n}"
        ndir.mkdir()
        urls = [server.url(i) for i in range(n)]
        opml = ndir / "feeds.opml"
        write_opml(opml, urls)
        profile = ndir / "profile"
        env = clean_env()
        if args.pyc:
            # An installed cmdesk runs from bytecode (pip and the frozen app compile it);
            # a shell with PYTHONDONTWRITEBYTECODE would recompile every module of
            # cmdesk at each start (~0.4 s CPU, in each parse worker too). The cache
            # goes to the work directory, primed by the import below.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        imp = subprocess.run(cmdesk_cmd(profile, "feeds", "import", str(opml), "--json"), env=env,
                             capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        if imp.returncode != 0:
            failures.append(f"FAIL N={n} import: cmdesk exited {imp.returncode}: {_last_line(imp.stderr)}")
            print(failures[-1], flush=True)
            return
        added = json.loads(imp.stdout).get("added")
        print(f"imported {added} feeds into {profile}", flush=True)
        if added != n:
            failures.append(f"FAIL N={n} import: added = {added} (expected {n})")

        nb = None
        if args.newsboat:
            nb = NewsboatRunner(ndir, urls, args.newsboat_threads)

        server.control("state?set=base")
        for phase in PHASES:
            if phase == "churn":
                server.control("state?set=churn")
            r = PhaseResult(n, phase)
            server.control("stats?reset=1")
            r.cm = run_measured(cmdesk_cmd(profile, "refresh", "--json", "--quiet"), env, server_pid=server.pid)
            r.server = server.control("stats")["stats"]
            if r.cm.returncode != 0:
                failures.append(f"FAIL N={n} {phase}: cmdesk exited {r.cm.returncode}: {_last_line(r.cm.stderr)}")
                print(failures[-1], flush=True)
            else:
                try:
                    r.summary = json.loads(r.cm.stdout)
                except json.JSONDecodeError:
                    failures.append(f"FAIL N={n} {phase}: cmdesk printed no JSON summary: {r.cm.stdout[:200]!r}")
                else:
                    problems = check_summary(n, m, k, phase, r.summary)
                    r.correct = not problems
                    for p in problems:
                        failures.append(f"FAIL N={n} {phase}: {p}")
                    for f in r.summary.get("failed", [])[:3]:
                        failures.append(f"     feed {f.get('feed_id')}: {f.get('error')}")
            s = r.summary
            print(f"cmdesk   {phase:<5} wall {r.cm.wall_s:6.2f} s (refresh {s.get('duration_s', float('nan')):6.2f} s)"
                  f"  CPU {r.cm.cpu_s:6.2f} s  others {r.cm.other_cores:.1f} cores"
                  f"  new {s.get('new_items', '?'):>6}  ok {s.get('ok', '?')}  304 {s.get('not_modified', '?')}"
                  f"  errors {s.get('errors', '?')}  peak RSS {r.cm.peak_rss_mb:6.1f} MB"
                  f"  | server: {r.server['200']}×200 {r.server['304']}×304 {r.server['other']} other,"
                  f" {r.server['connections']} connections, {r.server['bytes_sent'] / 1e6:.1f} MB sent", flush=True)
            if nb is not None:
                server.control("stats?reset=1")
                r.nb, r.nb_new = nb.reload(server.pid)
                r.nb_server = server.control("stats")["stats"]
                expect = {"cold": n * m, "warm": 0, "churn": n * k}[phase]
                note = "" if r.nb_new == expect else f"  (WARNING: expected {expect} new items)"
                if r.nb.returncode != 0:
                    note += f"  (WARNING: exited {r.nb.returncode}: {r.nb.stderr.strip()[-200:]})"
                print(f"newsboat {phase:<5} wall {r.nb.wall_s:6.2f} s{'':20}  CPU {r.nb.cpu_s:6.2f} s  others"
                      f" {r.nb.other_cores:.1f} cores  new {r.nb_new:>6}{'':23}"
                      f"peak RSS {r.nb.peak_rss_mb:6.1f} MB  | server: {r.nb_server['200']}×200"
                      f" {r.nb_server['304']}×304 {r.nb_server['other']} other, {r.nb_server['connections']} connections,"
                      f" {r.nb_server['bytes_sent'] / 1e6:.1f} MB sent{note}", flush=True)
                if phase == "cold":
                    # newsboat stores a feed's ETag / Last-Modified only from its second
                    # fetch on (the first UPDATE runs before the feed's row exists), so
                    # one untimed reload primes them; warm then measures its 304 path.
                    server.control("stats?reset=1")
                    prime, _ = nb.reload(server.pid)
                    st = server.control("stats")["stats"]
                    print(f"newsboat prime (untimed, stores validators) wall {prime.wall_s:6.2f} s"
                          f"  | server: {st['200']}×200 {st['304']}×304", flush=True)
            results.append(r)

        if args.cprofile and n == max(args.feeds):
            server.control("state?set=base")
            cprofile_cold(n, server, opml, ndir, env)
    finally:
        server.stop()


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:300] if lines else "(no message)"


def cprofile_cold(n: int, server: ServerHandle, opml: Path, ndir: Path, env: dict[str, str]) -> None:
    """An extra cold refresh under cProfile (main process only); prints the top entries."""
    import pstats

    profile = ndir / "profile-cprofile"
    imp = subprocess.run(cmdesk_cmd(profile, "feeds", "import", str(opml)), env=env, capture_output=True, text=True)
    if imp.returncode != 0:
        print(f"\n-- cProfile skipped: cmdesk feeds import exited {imp.returncode}: {_last_line(imp.stderr)}")
        return
    prof = ndir / "cold.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "cmdesk", "--profile", str(profile),
           "refresh", "--json", "--quiet"]
    m = run_measured(cmd, env)
    print(f"\n-- cProfile of a cold refresh, N = {n} (main process only; wall {m.wall_s:.2f} s under the profiler)")
    if m.returncode != 0 or not prof.exists():
        print(f"cProfile run failed ({m.returncode}): {m.stderr.strip()[-500:]}")
        return
    keep = Path(tempfile.gettempdir()) / f"cmdesk-refresh-cold-{n}.prof"
    shutil.copy(prof, keep)
    stats = pstats.Stats(str(prof))
    stats.sort_stats("cumulative").print_stats(15)
    print(f"(profile kept in {keep})")


# --- report ----------------------------------------------------------------------

def print_table(results: list[PhaseResult], newsboat: bool) -> None:
    head = ["N", "phase", "cmdesk s", "refresh s", "CPU s", "new items", "items/s", "peak RSS MB",
            "newsboat s", "nb CPU s", "nb RSS MB", "ratio", "others", "target", "time", "RSS"]
    left = {1, 13}
    rows = []
    busy = False
    for r in results:
        s = r.summary
        new = s.get("new_items")
        ips = f"{new / r.cm.wall_s:,.0f}" if isinstance(new, int) and r.cm.wall_s > 0 else "-"
        nb_s = f"{r.nb.wall_s:.2f}" if r.nb else "-"
        nb_cpu = f"{r.nb.cpu_s:.2f}" if r.nb else "-"
        nb_rss = f"{r.nb.peak_rss_mb:.0f}" if r.nb else "-"
        ratio = f"{r.cm.wall_s / r.nb.wall_s:.2f}" if r.nb and r.nb.wall_s > 0 else "-"
        if r.n == TARGET_N:
            tgt = f"≤{TARGET_WALL_S[r.phase]:g} s, ≤{TARGET_RSS_MB:g} MB"
            t_ok = "PASS" if r.cm.wall_s <= TARGET_WALL_S[r.phase] else "MISS"
            m_ok = "PASS" if r.cm.peak_rss_mb <= TARGET_RSS_MB else "MISS"
        else:
            tgt, t_ok, m_ok = "-", "-", "-"
        if not r.correct:  # a wrong or failed refresh is not a timing
            t_ok = m_ok = "FAIL"
        busy = busy or r.cm.other_cores >= 0.25
        rows.append([str(r.n), r.phase, f"{r.cm.wall_s:.2f}", f"{s.get('duration_s', float('nan')):.2f}",
                     f"{r.cm.cpu_s:.2f}", str(new if new is not None else "-"), ips, f"{r.cm.peak_rss_mb:.0f}",
                     nb_s, nb_cpu, nb_rss, ratio, f"{r.cm.other_cores:.1f}", tgt, t_ok, m_ok])
    widths = [max(len(h), *(len(row[c]) for row in rows)) for c, h in enumerate(head)]

    def fmt(values: list[str]) -> str:
        return "  ".join(v.ljust(w) if c in left else v.rjust(w) for c, (v, w) in enumerate(zip(values, widths)))

    line = fmt(head)
    print("\n" + line)
    print("-" * len(line))
    for row in rows:
        print(fmt(row))
    print("\ncmdesk s / newsboat s: wall time of the whole command (interpreter start included);"
          " refresh s: cmdesk's own duration_s;\nCPU s: user + system time of the command and its children"
          " (parse workers); items/s: new items / cmdesk wall s;\npeak RSS: max over 20 ms samples of the"
          " summed RSS of the process and its children; ratio: cmdesk s / newsboat s (above 1: cmdesk"
          " slower);\nothers: cores that other programs used during the cmdesk run; targets apply to"
          " N = 1000 only.")
    if busy:
        print(f"NOTE: other programs used CPU during some runs (see 'others'; this machine has {os.cpu_count()}"
              " CPUs): wall times are pessimistic there.")
    if not newsboat:
        print("(no newsboat column: newsboat skipped)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--feeds", default="200,1000", help="comma-separated feed counts (default: 200,1000)")
    p.add_argument("--items", type=int, default=50, help="items per feed (default: 50)")
    p.add_argument("--churn", type=int, default=3, help="new items per feed in the churn phase (default: 3)")
    p.add_argument("--no-newsboat", dest="newsboat", action="store_false", help="do not run newsboat")
    p.add_argument("--newsboat-threads", type=int, default=8, help="newsboat reload-threads (default: 8)")
    p.add_argument("--hosts", type=int, default=1,
                   help="spread feeds over this many loopback addresses 127.0.0.1..H (default: 1)")
    p.add_argument("--cprofile", action="store_true",
                   help="also run one cold refresh of the largest N under cProfile and print the top 15")
    p.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    p.add_argument("--no-pyc", dest="pyc", action="store_false",
                   help="keep PYTHONDONTWRITEBYTECODE if set (cmdesk then compiles its modules at every start)")
    p.add_argument("--server-lifetime", type=float, default=3600, help="the feed server stops after this (s)")
    args = p.parse_args(argv)
    try:
        args.feeds = [int(x) for x in args.feeds.split(",") if x.strip()]
    except ValueError:
        p.error("--feeds takes numbers separated by commas, e.g. 200,1000")
    if not args.feeds or min(args.feeds) < 1 or args.items < 1 or args.churn < 1:
        p.error("--feeds, --items and --churn must be at least 1")
    if args.churn > args.items:
        p.error("--churn cannot exceed --items")
    if not 1 <= args.hosts <= 254:
        p.error("--hosts must be between 1 and 254")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.newsboat and not shutil.which("newsboat"):
        print("newsboat not installed: skipped")
        args.newsboat = False
    version = subprocess.run([sys.executable, "-m", "cmdesk", "--version"], capture_output=True, text=True,
                             env=clean_env()).stdout.strip()
    nb_version = ""
    if args.newsboat:
        nb_version = subprocess.run(["newsboat", "-v"], capture_output=True, text=True).stdout.splitlines()[0:1]
        nb_version = nb_version[0] if nb_version else "newsboat"
    print(f"{version or 'cmdesk ?'} on Python {platform.python_version()}, {platform.system()} "
          f"{platform.machine()}, {os.cpu_count()} CPUs" + (f"; {nb_version}, reload-threads "
                                                           f"{args.newsboat_threads}" if args.newsboat else ""))
    results: list[PhaseResult] = []
    failures: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="cmdesk-bench-"))
    interrupted = False
    try:
        for n in args.feeds:
            run_n(n, args, workdir, results, failures)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        interrupted = True
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if results:
        print_table(results, args.newsboat)
    for f in failures:
        print(f)
    if interrupted:
        return 130
    if failures:
        return 1
    print("\nall refresh results as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
