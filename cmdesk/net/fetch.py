"""HTTP fetching for feeds: limits, conditional GET, redirects, size caps.

Follows the "Feed Reader Best Practices" that Liferea's net.c implements:
conditional GET with ETag / Last-Modified, permanent redirects reported so the
stored URL can move, Retry-After read on 429 / 503. Redirects are followed by
hand so each hop is checked (http/https only, a hop limit, credentials never
sent to another host) and so we know whether every hop was permanent.

Bodies are read raw and decompressed here with a running cap on the
decompressed size: httpx would inflate a whole chunk at once, which a
gzip bomb turns into hundreds of megabytes.

file:// URLs are read only inside the directories listed in
`FetchLimits.file_roots` (the demo workspace's rendered feeds); by default
there are none and file:// is refused like any other scheme. A redirect
never leads to a file.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import stat
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from cmdesk import __version__
from cmdesk.core.models import ErrorCode

USER_AGENT = f"cmdesk/{__version__} (feed reader; +https://cmdesk.invalid)"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
ALLOWED_SCHEMES = {"http", "https"}


@dataclass(frozen=True)
class FetchLimits:
    max_connections: int = 24  # all hosts together
    per_host: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # one feed, redirects and body included
    max_compressed_bytes: int = 10 * 1024 * 1024
    max_decoded_bytes: int = 40 * 1024 * 1024
    max_redirects: int = 5
    # Directories whose regular files may be read through file:// URLs.
    file_roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchRequest:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    auth: tuple[str, str] | None = None  # (user, password) for HTTP basic auth


@dataclass(frozen=True)
class FetchResponse:
    status: int
    url: str  # where the body came from, after redirects
    moved_to: str | None  # set when every redirect hop was permanent (301/308)
    body: bytes | None  # only for 2xx
    etag: str | None
    last_modified: str | None
    content_type: str | None
    bytes_received: int  # on the wire (compressed)
    retry_after_s: int | None
    elapsed_ms: int


@dataclass(frozen=True)
class _Answer:
    """A non-redirect answer to one request, before it becomes a FetchResponse."""

    status: int
    body: bytes | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    received: int
    retry_after_s: int | None


class FetchError(Exception):
    """A fetch that produced no usable HTTP answer; `message` is one clear line."""

    def __init__(self, code: ErrorCode, message: str, http_status: int | None = None, bytes_received: int = 0,
                 elapsed_ms: int = 0):
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.bytes_received = bytes_received  # on the wire before it failed, every hop included
        self.elapsed_ms = elapsed_ms  # time spent on the fetch before it failed (like FetchResponse's)

    def __reduce__(self):  # keep it picklable across processes
        return (FetchError, (self.code, self.message, self.http_status, self.bytes_received, self.elapsed_ms))


def redact_url(url: str) -> str:
    """The URL without any user:password@ part, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL, the port made explicit for http/https."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return "", "", None


def _same_origin(first: tuple[str, str, int | None], other: tuple[str, str, int | None]) -> bool:
    """Whether credentials given for `first` may be sent to `other`.

    Only to the same scheme, host and port (RFC 7617's protection space),
    or to the https upgrade of the same host; never to another host or port,
    and never in clear text after a redirect from https to http.
    """
    if first == other:
        return True
    return (first[0], first[2]) == ("http", 80) and other == ("https", first[1], 443)


def check_scheme(url: str) -> None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        raise FetchError(ErrorCode.BAD_SCHEME, f"invalid URL: {exc}") from exc
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme + ":" if scheme else "no scheme"
        raise FetchError(ErrorCode.BAD_SCHEME, f"only http and https URLs are fetched, not {shown}")


def parse_retry_after(value: str | None, now: float) -> int | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    # str.isdigit() is also true for "²" and other non-ASCII digits that int() refuses.
    if value.isascii() and value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0, int(when.timestamp() - now))


class _Decoder:
    """Incremental Content-Encoding decoder with a cap on the decoded size."""

    def __init__(self, encoding: str, cap: int):
        self.cap = cap
        self.size = 0
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            self.kind = "identity"
        elif enc in ("gzip", "x-gzip"):
            self.kind = "gzip"
        elif enc == "deflate":
            self.kind = "deflate"
        else:
            raise FetchError(ErrorCode.HTTP, f"unsupported Content-Encoding {encoding!r}")
        self._z = self._new()
        self._deflate_probe = self.kind == "deflate"

    def _new(self):
        if self.kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.kind == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        return None

    def _take(self, out: bytes) -> bytes:
        self.size += len(out)
        if self.size > self.cap:
            raise FetchError(ErrorCode.TOO_LARGE, f"the feed is larger than {self.cap // (1024 * 1024)} MB once decompressed")
        return out

    def feed(self, data: bytes) -> bytes:
        if self._z is None:
            return self._take(data)
        try:
            out = self._inflate(data)
        except zlib.error:
            if not self._deflate_probe:
                raise FetchError(ErrorCode.MALFORMED, "the compressed response is corrupt") from None
            # "deflate" is sent both zlib-wrapped (per the RFC) and raw; retry raw.
            self._deflate_probe = False
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = self._inflate(data)
            except zlib.error:
                raise FetchError(ErrorCode.MALFORMED, "the compressed response is corrupt") from None
        self._deflate_probe = False
        return out

    def _inflate(self, data: bytes) -> bytes:
        chunks = []
        while data:
            room = self.cap - self.size + 1
            out = self._z.decompress(data, room)
            chunks.append(self._take(out))
            data = self._z.unconsumed_tail
            if self._z.eof and self._z.unused_data:
                # concatenated gzip members
                data = self._z.unused_data
                self._z = self._new()
        return b"".join(chunks)

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        return self._take(self._z.flush())


class _FetchProgress:
    """How far one fetch got, so a failure can report its cost like an answer does."""

    __slots__ = ("active", "received", "response")

    def __init__(self):
        self.active = 0.0  # seconds spent holding a connection slot, every hop included
        self.received = 0  # bytes on the wire of the hops that completed
        self.response: httpx.Response | None = None  # the hop in flight


class Fetcher:
    """Fetches feeds concurrently with global and per-host limits.

    Use as an async context manager; one instance per refresh.
    """

    def __init__(self, limits: FetchLimits = FetchLimits(), *, user_agent: str = USER_AGENT, proxy: str | None = None):
        self.limits = limits
        self.user_agent = user_agent
        self.proxy = proxy
        self._client: httpx.AsyncClient | None = None
        self._entered = False
        self._global = asyncio.Semaphore(limits.max_connections)
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(limits.per_host))

    async def __aenter__(self) -> "Fetcher":
        self._entered = True
        return self

    def _http_client(self) -> httpx.AsyncClient:
        # Made at the first HTTP fetch: building the TLS context costs ~0.1 s,
        # which a refresh of file:// feeds only (the demo) does not need.
        assert self._entered, "use Fetcher as an async context manager"
        if self._client is None:
            self._client = self._new_client()
        return self._client

    def _new_client(self) -> httpx.AsyncClient:
        lim = self.limits
        return httpx.AsyncClient(
            timeout=httpx.Timeout(lim.read_timeout, connect=lim.connect_timeout),
            limits=httpx.Limits(max_connections=lim.max_connections, max_keepalive_connections=lim.max_connections),
            follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            proxy=self.proxy,
            trust_env=self.proxy is None,
        )

    async def __aexit__(self, *exc) -> None:
        self._entered = False
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(self, req: FetchRequest) -> FetchResponse:
        """Fetch one URL; raises FetchError for anything that is not an HTTP answer.

        A FetchError carries the time spent and the bytes received before it
        failed, so the fetch log shows what a timeout or an oversized feed cost.
        """
        assert self._entered, "use Fetcher as an async context manager"
        progress = _FetchProgress()
        try:
            return await self._fetch(req, progress)
        except FetchError as exc:
            hop = exc.bytes_received
            if not hop and progress.response is not None:  # cut off mid-hop (total timeout)
                hop = progress.response.num_bytes_downloaded
            exc.bytes_received = progress.received + hop
            exc.elapsed_ms = int(progress.active * 1000)
            raise

    async def _fetch(self, req: FetchRequest, progress: "_FetchProgress") -> FetchResponse:
        url = req.url
        if self.limits.file_roots and _scheme_of(url) == "file":
            started = time.monotonic()
            try:
                return await asyncio.to_thread(read_file_feed, req, self.limits)
            finally:
                progress.active = time.monotonic() - started
        check_scheme(url)
        first_origin = _origin(url)
        permanent = True
        hops = 0
        while True:
            headers = {"Accept": "application/rss+xml, application/atom+xml, application/feed+json,"
                                 " application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"}
            # The validators we hold came from the last hop of the previous
            # fetch (feeds often sit behind a temporary redirect), so every
            # hop carries them.
            if req.etag:
                headers["If-None-Match"] = req.etag
            if req.last_modified:
                headers["If-Modified-Since"] = req.last_modified
            auth = None
            if req.auth is not None and _same_origin(first_origin, _origin(url)):
                auth = httpx.BasicAuth(*req.auth)
            host = host_of(url)
            # Host slot first: a task waiting for a busy host must not hold
            # one of the global slots that other hosts could use.
            async with self._hosts[host], self._global:
                hop_start = time.monotonic()
                try:
                    # Time spent holding a connection slot. Waiting for a slot (other
                    # feeds of the same host, or the global limit) is not this feed's
                    # fault, so it does not count against total_timeout.
                    async with asyncio.timeout(self.limits.total_timeout - progress.active):
                        resp_or_hop = await self._one_hop(url, headers, auth, progress)
                except TimeoutError:
                    raise FetchError(ErrorCode.TIMEOUT,
                                     f"no complete answer within {self.limits.total_timeout:g} s") from None
                finally:
                    progress.active += time.monotonic() - hop_start
            progress.response = None
            active, received = progress.active, progress.received
            if isinstance(resp_or_hop, _Answer):
                a = resp_or_hop
                received += a.received
                return FetchResponse(
                    status=a.status,
                    url=url,
                    moved_to=url if (hops and permanent and url != req.url) else None,
                    body=a.body,
                    etag=a.etag,
                    last_modified=a.last_modified,
                    content_type=a.content_type,
                    bytes_received=received,
                    retry_after_s=a.retry_after_s,
                    elapsed_ms=int(active * 1000),
                )
            status, location, hop_bytes = resp_or_hop
            progress.received += hop_bytes
            hops += 1
            if hops > self.limits.max_redirects:
                raise FetchError(ErrorCode.TOO_MANY_REDIRECTS, f"more than {self.limits.max_redirects} redirects")
            if status not in PERMANENT_REDIRECTS:
                permanent = False
            try:
                url = urljoin(url, location.strip())
            except ValueError:
                raise FetchError(ErrorCode.HTTP, "the server redirected to an invalid URL") from None
            check_scheme(url)

    async def _one_hop(self, url: str, headers: dict[str, str], auth,
                       progress: "_FetchProgress | None" = None) -> "_Answer | tuple[int, str, int]":
        """One request: the answer, or (status, Location, bytes) for a redirect."""
        client = self._http_client()
        resp = None
        try:
            async with client.stream("GET", url, headers=headers, auth=auth) as resp:
                if progress is not None:
                    progress.response = resp  # what came in so far, should the hop fail
                if resp.status_code in REDIRECT_STATUSES and "location" in resp.headers:
                    await _drain(resp)
                    return resp.status_code, resp.headers["location"], resp.num_bytes_downloaded
                body = None
                if 200 <= resp.status_code < 300:
                    body = await self._read_body(resp)
                else:
                    await _drain(resp)
                retry_after = None
                if resp.status_code in (429, 503):
                    retry_after = parse_retry_after(resp.headers.get("retry-after"), time.time())
                return _Answer(
                    status=resp.status_code,
                    body=body,
                    etag=resp.headers.get("etag"),
                    last_modified=resp.headers.get("last-modified"),
                    content_type=resp.headers.get("content-type"),
                    received=resp.num_bytes_downloaded,
                    retry_after_s=retry_after,
                )
        except FetchError as exc:
            if exc.http_status is None and resp is not None:  # a body too large or corrupt: say what answered
                exc.http_status = resp.status_code
            raise
        except httpx.TimeoutException:
            raise FetchError(ErrorCode.TIMEOUT, "the server did not answer in time") from None
        except httpx.InvalidURL as exc:
            raise FetchError(ErrorCode.BAD_SCHEME, f"invalid URL: {exc}") from None
        except (httpx.TransportError, OSError) as exc:
            raise FetchError(ErrorCode.NETWORK, _network_message(exc)) from None

    async def _read_body(self, resp: httpx.Response) -> bytes:
        lim = self.limits
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > lim.max_compressed_bytes:
            raise FetchError(ErrorCode.TOO_LARGE, f"the feed is larger than {lim.max_compressed_bytes // (1024 * 1024)} MB",
                             bytes_received=0)
        decoder = _Decoder(resp.headers.get("content-encoding", ""), lim.max_decoded_bytes)
        parts = []
        async for chunk in resp.aiter_raw():
            if resp.num_bytes_downloaded > lim.max_compressed_bytes:
                raise FetchError(ErrorCode.TOO_LARGE,
                                 f"the feed is larger than {lim.max_compressed_bytes // (1024 * 1024)} MB",
                                 bytes_received=resp.num_bytes_downloaded)
            parts.append(decoder.feed(chunk))
        parts.append(decoder.flush())
        return b"".join(parts)


def _scheme_of(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def file_url_path(url: str) -> Path:
    """The local path of a file:// URL (host empty or localhost)."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(ErrorCode.BAD_SCHEME, f"file URLs on another host are not read: {parts.netloc}")
    if parts.query or parts.fragment:
        raise FetchError(ErrorCode.BAD_SCHEME, "a file URL cannot have a query or a fragment")
    path = unquote(parts.path)
    if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]  # file:///C:/x -> C:/x
    return Path(path)


def file_validator(st: os.stat_result) -> str:
    """An ETag-like validator for a local file: its size and modification time."""
    return f'"file-{st.st_size}-{st.st_mtime_ns}"'


def read_file_feed(req: FetchRequest, limits: FetchLimits) -> FetchResponse:
    """Read a feed from a local file inside `limits.file_roots`, like a GET.

    Only regular files are read (not devices, FIFOs or directories), with the
    same size cap as a download; a request carrying the file's current
    validator gets a 304, so an unchanged file is not parsed again.
    """
    started = time.monotonic()
    path = file_url_path(req.url)
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise FetchError(ErrorCode.NETWORK, f"the feed file {path} does not exist") from None
    except (OSError, RuntimeError) as exc:
        raise FetchError(ErrorCode.NETWORK, f"cannot read the feed file {path}: {exc}") from None
    roots = []
    for r in limits.file_roots:
        try:
            roots.append(Path(r).resolve())
        except (OSError, RuntimeError):
            continue
    if not any(real.is_relative_to(root) for root in roots):
        raise FetchError(ErrorCode.BAD_SCHEME, f"file URLs are only read from the demo feeds folder, not {path}")
    # O_NONBLOCK: opening a FIFO must not hang; fstat then refuses it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise FetchError(ErrorCode.NETWORK, f"cannot read the feed file {path}: {exc.strerror}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise FetchError(ErrorCode.NOT_A_FEED, f"{path} is not a regular file")
    with os.fdopen(fd, "rb") as fh:
        cap = limits.max_compressed_bytes
        if st.st_size > cap:
            raise FetchError(ErrorCode.TOO_LARGE, f"the feed file is larger than {cap // (1024 * 1024)} MB")
        etag = file_validator(st)
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        if req.etag == etag:
            return FetchResponse(status=304, url=req.url, moved_to=None, body=None, etag=etag,
                                 last_modified=last_modified, content_type=None, bytes_received=0,
                                 retry_after_s=None, elapsed_ms=int((time.monotonic() - started) * 1000))
        body = fh.read(cap + 1)
    if len(body) > cap:  # it grew while we read it
        raise FetchError(ErrorCode.TOO_LARGE, f"the feed file is larger than {cap // (1024 * 1024)} MB")
    return FetchResponse(status=200, url=req.url, moved_to=None, body=body, etag=etag, last_modified=last_modified,
                         content_type=None, bytes_received=len(body), retry_after_s=None,
                         elapsed_ms=int((time.monotonic() - started) * 1000))


DRAIN_LIMIT = 64 * 1024


async def _drain(resp: httpx.Response) -> None:
    """Read a small unused body (304, redirect, error page) so the connection
    goes back to the pool: leaving it unread closes it, and every 304 of a
    warm refresh would pay a new TCP (and TLS) handshake."""
    declared = resp.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > DRAIN_LIMIT):
        return
    read = 0
    async for chunk in resp.aiter_raw():
        read += len(chunk)
        if read > DRAIN_LIMIT:
            return


def _network_message(exc: BaseException) -> str:
    text = str(exc).strip()
    # httpx wraps OS errors like "[Errno 111] Connection refused"; keep the useful tail.
    if "] " in text:
        text = text.split("] ", 1)[1]
    return f"network error: {text or type(exc).__name__}"
