"""Fetching over real loopback HTTP: encodings, validators, redirects, limits, errors."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import gzip
import pickle
import socket
import sys
import threading
import time
import tracemalloc
import zlib

import pytest

from cmdesk.core.models import ErrorCode
from cmdesk.net.fetch import (
    FetchError,
    Fetcher,
    FetchLimits,
    FetchRequest,
    FetchResponse,
    parse_retry_after,
    redact_url,
)
from tests.support.feedserver import FeedServer, rss

FEED = rss("Example", 30)
FAST = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10)


@pytest.fixture(autouse=True)
def _no_proxy_from_environment(monkeypatch):
    # Fetcher trusts the environment when no proxy is given; loopback must stay direct.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


class QuickFeedServer(FeedServer):
    """The shared loopback server, stopping in milliseconds rather than half a second.

    `serve_forever` polls for shutdown every 0.5 s by default, which would
    add half a second to each of these tests. Clients that hang up early on
    purpose (size caps, timeouts) are not server errors worth printing.
    """

    def __init__(self):
        super().__init__()
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01},
                                       daemon=True)
        default_handle_error = self.httpd.handle_error

        def handle_error(request, client_address):
            if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                default_handle_error(request, client_address)

        self.httpd.handle_error = handle_error


@pytest.fixture
def feed_server():
    server = QuickFeedServer().start()
    try:
        yield server
    finally:
        server.stop()


def fetch(url: str, limits: FetchLimits = FAST, **kw) -> FetchResponse:
    async def go():
        async with Fetcher(limits) as f:
            return await f.fetch(FetchRequest(url, **kw))

    return asyncio.run(go())


def fetch_error(url: str, limits: FetchLimits = FAST, **kw) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, limits, **kw)
    return info.value


def headers_for(server: FeedServer, path: str) -> list[dict[str, str]]:
    return [h for p, h in server.requests if p == path]


# -- bodies and encodings ----------------------------------------------------------

def test_plain_200(feed_server):
    feed_server.route("/feed.xml", FEED, etag='"abc"', last_modified="Mon, 01 Jun 2026 10:00:00 GMT")
    resp = fetch(feed_server.url("/feed.xml"))
    assert resp.status == 200
    assert resp.body == FEED.encode()
    assert resp.url == feed_server.url("/feed.xml")
    assert resp.moved_to is None
    assert resp.etag == '"abc"'
    assert resp.last_modified == "Mon, 01 Jun 2026 10:00:00 GMT"
    assert resp.content_type.startswith("application/rss+xml")
    assert resp.retry_after_s is None
    (sent,) = headers_for(feed_server, "/feed.xml")
    assert sent["user-agent"].startswith("cmdesk/")
    assert "if-none-match" not in sent and "if-modified-since" not in sent
    assert "authorization" not in sent


def test_gzip_is_decoded(feed_server):
    big = rss("Big", 400)
    feed_server.route("/feed.xml", big, gzip=True)
    resp = fetch(feed_server.url("/feed.xml"))
    assert resp.body == big.encode()
    assert resp.bytes_received < len(big.encode()) // 3  # what came over the wire was compressed
    (sent,) = headers_for(feed_server, "/feed.xml")
    assert "gzip" in sent["accept-encoding"]


def test_concatenated_gzip_members_are_decoded(feed_server):
    body = gzip.compress(b"<rss>first half ") + gzip.compress(b"second half</rss>")
    feed_server.route("/feed.xml", body, headers={"Content-Encoding": "gzip"})
    assert fetch(feed_server.url("/feed.xml")).body == b"<rss>first half second half</rss>"


@pytest.mark.parametrize("wrapped", [True, False], ids=["zlib-wrapped", "raw"])
def test_deflate_is_decoded(feed_server, wrapped):
    data = rss("Deflated", 400).encode()
    if wrapped:
        body = zlib.compress(data)
    else:
        c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = c.compress(data) + c.flush()
    feed_server.route("/feed.xml", body, headers={"Content-Encoding": "deflate"})
    assert fetch(feed_server.url("/feed.xml")).body == data


def test_corrupt_gzip_is_malformed(feed_server):
    feed_server.route("/feed.xml", b"\x1f\x8b\x08\x00garbage that is not deflate", headers={"Content-Encoding": "gzip"})
    assert fetch_error(feed_server.url("/feed.xml")).code is ErrorCode.MALFORMED


def test_unknown_content_encoding_is_an_error(feed_server):
    feed_server.route("/feed.xml", b"whatever", headers={"Content-Encoding": "br"})
    assert fetch_error(feed_server.url("/feed.xml")).code is ErrorCode.HTTP


# -- conditional GET -------------------------------------------------------------------

def test_etag_round_trip_gives_304(feed_server):
    feed_server.route("/feed.xml", FEED, etag='"v42"')
    first = fetch(feed_server.url("/feed.xml"))
    assert first.status == 200 and first.etag == '"v42"'
    second = fetch(feed_server.url("/feed.xml"), etag=first.etag)
    assert second.status == 304
    assert second.body is None
    sent = headers_for(feed_server, "/feed.xml")
    assert "if-none-match" not in sent[0]
    assert sent[1]["if-none-match"] == '"v42"'


def test_last_modified_round_trip_gives_304(feed_server):
    lm = "Tue, 02 Jun 2026 08:00:00 GMT"
    feed_server.route("/feed.xml", FEED, last_modified=lm)
    first = fetch(feed_server.url("/feed.xml"))
    assert first.status == 200 and first.last_modified == lm
    second = fetch(feed_server.url("/feed.xml"), last_modified=first.last_modified)
    assert second.status == 304 and second.body is None
    assert headers_for(feed_server, "/feed.xml")[1]["if-modified-since"] == lm


def test_changed_etag_gives_a_new_body(feed_server):
    feed_server.route("/feed.xml", FEED, etag='"new"')
    resp = fetch(feed_server.url("/feed.xml"), etag='"old"')
    assert resp.status == 200 and resp.body == FEED.encode() and resp.etag == '"new"'


def test_validators_are_sent_on_every_hop(feed_server):
    feed_server.redirect("/old", "/feed.xml", 302)
    feed_server.route("/feed.xml", FEED, etag='"e"')
    resp = fetch(feed_server.url("/old"), etag='"e"')
    assert resp.status == 304
    assert headers_for(feed_server, "/feed.xml")[0]["if-none-match"] == '"e"'


# -- redirects --------------------------------------------------------------------------

def test_permanent_redirect_chain_reports_the_final_url(feed_server):
    feed_server.redirect("/a", "/b", 301)
    feed_server.redirect("/b", feed_server.url("/c"), 308)  # relative and absolute Locations
    feed_server.route("/c", FEED)
    resp = fetch(feed_server.url("/a"))
    assert resp.status == 200
    assert resp.body == FEED.encode()
    assert resp.url == feed_server.url("/c")
    assert resp.moved_to == feed_server.url("/c")
    assert [p for p, _ in feed_server.requests] == ["/a", "/b", "/c"]


@pytest.mark.parametrize("temporary", [302, 303, 307])
def test_a_temporary_hop_means_no_move(feed_server, temporary):
    feed_server.redirect("/a", "/b", 301)
    feed_server.redirect("/b", "/c", temporary)
    feed_server.route("/c", FEED)
    resp = fetch(feed_server.url("/a"))
    assert resp.status == 200
    assert resp.url == feed_server.url("/c")
    assert resp.moved_to is None


def test_redirect_limit(feed_server):
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10, max_redirects=3)
    for i in range(4):
        feed_server.redirect(f"/r{i}", f"/r{i + 1}", 301)
    feed_server.route("/r4", FEED)
    # three hops are fine ...
    assert fetch(feed_server.url("/r1"), limits).status == 200
    # ... four are not
    err = fetch_error(feed_server.url("/r0"), limits)
    assert err.code is ErrorCode.TOO_MANY_REDIRECTS


def test_redirect_loop_stops(feed_server):
    feed_server.redirect("/loop", "/loop", 302)
    err = fetch_error(feed_server.url("/loop"))
    assert err.code is ErrorCode.TOO_MANY_REDIRECTS
    assert feed_server.hits("/loop") == FAST.max_redirects + 1


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://x/",
                                    "javascript:alert(1)"])
def test_redirect_to_another_scheme_is_refused(feed_server, target):
    feed_server.redirect("/a", target, 301)
    err = fetch_error(feed_server.url("/a"))
    assert err.code is ErrorCode.BAD_SCHEME
    assert [p for p, _ in feed_server.requests] == ["/a"]


@pytest.mark.parametrize("url", ["ftp://{host}/feed.xml", "file:///etc/passwd", "{host}/feed.xml",
                                 "data:text/plain,hello"])
def test_non_http_url_is_refused_before_any_request(feed_server, url):
    feed_server.route("/feed.xml", FEED)
    err = fetch_error(url.format(host=f"127.0.0.1:{feed_server.port}"))
    assert err.code is ErrorCode.BAD_SCHEME
    assert feed_server.requests == []


def test_http_errors_are_answers_not_exceptions(feed_server):
    feed_server.route("/gone", "bye", status=410)
    resp = fetch(feed_server.url("/gone"))
    assert resp.status == 410 and resp.body is None
    resp = fetch(feed_server.url("/missing"))
    assert resp.status == 404 and resp.body is None


# -- size limits ------------------------------------------------------------------------------

def test_declared_length_over_the_limit_is_too_large(feed_server):
    feed_server.route("/big", b"x" * 300_000)
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10, max_compressed_bytes=100_000)
    err = fetch_error(feed_server.url("/big"), limits)
    assert err.code is ErrorCode.TOO_LARGE
    assert err.bytes_received == 0  # refused on the header, before reading the body


def test_plain_body_over_decoded_limit_is_too_large(feed_server):
    feed_server.route("/big", b"x" * 300_000)
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10, max_decoded_bytes=100_000)
    assert fetch_error(feed_server.url("/big"), limits).code is ErrorCode.TOO_LARGE
    # exactly at the limit is fine
    feed_server.route("/exact", b"y" * 100_000)
    assert len(fetch(feed_server.url("/exact"), limits).body) == 100_000


def _gzipped_zeros(total: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [c.compress(block) for _ in range(total // len(block))]
    parts.append(c.flush())
    return b"".join(parts)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compression_bomb_is_stopped_early(feed_server, encoding):
    if encoding == "gzip":
        bomb = _gzipped_zeros(50 * 1024 * 1024)
    else:
        bomb = zlib.compress(bytes(50 * 1024 * 1024), 9)
    assert len(bomb) < 200_000  # small on the wire
    feed_server.route("/bomb", bomb, headers={"Content-Encoding": encoding})
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10, max_decoded_bytes=1024 * 1024)

    tracemalloc.start()
    started = time.monotonic()
    try:
        err = fetch_error(feed_server.url("/bomb"), limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.code is ErrorCode.TOO_LARGE
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while refusing a bomb"
    assert time.monotonic() - started < 5


# -- timeouts and network errors -----------------------------------------------------------------

def test_read_timeout(feed_server):
    feed_server.route("/slow", FEED, delay_s=2.0)
    limits = FetchLimits(connect_timeout=5, read_timeout=0.3, total_timeout=30)
    started = time.monotonic()
    err = fetch_error(feed_server.url("/slow"), limits)
    assert err.code is ErrorCode.TIMEOUT
    assert time.monotonic() - started < 1.8


def test_total_timeout(feed_server):
    feed_server.route("/slow", FEED, delay_s=2.0)
    limits = FetchLimits(connect_timeout=5, read_timeout=30, total_timeout=0.4)
    started = time.monotonic()
    err = fetch_error(feed_server.url("/slow"), limits)
    assert err.code is ErrorCode.TIMEOUT
    assert time.monotonic() - started < 1.8


def test_total_timeout_covers_the_whole_redirect_chain(feed_server):
    # each hop is well within the read timeout, together they are not
    for i in range(4):
        feed_server.route(f"/h{i}", status=301, location=f"/h{i + 1}", delay_s=0.25)
    feed_server.route("/h4", FEED)
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=0.6)
    err = fetch_error(feed_server.url("/h0"), limits)
    assert err.code is ErrorCode.TIMEOUT
    assert feed_server.hits("/h4") == 0


def test_waiting_for_a_slot_does_not_count_against_total_timeout(feed_server):
    feed_server.route("/slow", FEED, delay_s=0.25)
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=0.7, per_host=1)

    async def go():
        async with Fetcher(limits) as f:
            return await asyncio.gather(*(f.fetch(FetchRequest(feed_server.url("/slow"))) for _ in range(4)),
                                        return_exceptions=True)

    results = asyncio.run(go())
    # the fourth waits ~0.75 s for its turn but takes only ~0.25 s itself
    assert [getattr(r, "status", r) for r in results] == [200, 200, 200, 200]
    assert all(r.elapsed_ms < 700 for r in results)


def _closed_port() -> int:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_connection_refused_is_a_network_error_with_a_clean_message():
    err = fetch_error(f"http://127.0.0.1:{_closed_port()}/feed.xml")
    assert err.code is ErrorCode.NETWORK
    assert err.message.startswith("network error")
    assert "\n" not in err.message
    assert "Traceback" not in err.message and 'File "' not in err.message
    assert str(err) == err.message


def test_unresolvable_host_is_a_network_error():
    err = fetch_error("http://no-such-host.invalid/feed.xml")
    assert err.code is ErrorCode.NETWORK
    assert "\n" not in err.message


# -- Retry-After ------------------------------------------------------------------------------------

def test_429_with_retry_after_seconds(feed_server):
    feed_server.route("/limited", "slow down", status=429, headers={"Retry-After": "120"})
    resp = fetch(feed_server.url("/limited"))
    assert resp.status == 429
    assert resp.retry_after_s == 120
    assert resp.body is None


def test_503_with_retry_after_http_date(feed_server):
    when = email.utils.formatdate(time.time() + 300, usegmt=True)
    feed_server.route("/busy", "busy", status=503, headers={"Retry-After": when})
    resp = fetch(feed_server.url("/busy"))
    assert resp.status == 503
    assert 290 <= resp.retry_after_s <= 300


def test_retry_after_only_read_on_429_and_503(feed_server):
    feed_server.route("/ok", FEED, headers={"Retry-After": "60"})
    assert fetch(feed_server.url("/ok")).retry_after_s is None
    feed_server.route("/limited", "no header", status=429)
    assert fetch(feed_server.url("/limited")).retry_after_s is None


def test_hostile_retry_after_does_not_crash(feed_server):
    # "\xb2" is "²" in latin-1, which str.isdigit() accepts and int() refuses
    feed_server.route("/limited", "x", status=429, headers={"Retry-After": "\xb2"})
    assert fetch(feed_server.url("/limited")).retry_after_s is None


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    ("120", 120),
    ("  7 ", 7),
    ("0", 0),
    ("-5", None),
    ("1.5", None),
    ("soon", None),
    ("²", None),
    ("١٢", None),
    ("Wed, 21 Oct 2015 07:28:60 GMT", None),
])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value, time.time()) == expected


def test_parse_retry_after_http_dates():
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    at = email.utils.parsedate_to_datetime(date).timestamp()
    assert parse_retry_after(date, at - 90) == 90
    assert parse_retry_after(date, at + 3600) == 0  # in the past: no wait, never negative


# -- credentials ------------------------------------------------------------------------------------

def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_auth_sent_to_the_same_host(feed_server):
    feed_server.redirect("/private", "/private/feed.xml", 302)
    feed_server.route("/private/feed.xml", FEED)
    resp = fetch(feed_server.url("/private"), auth=("alice", "s3cr3t"))
    assert resp.status == 200
    for _, headers in feed_server.requests:
        assert headers.get("authorization") == _basic("alice", "s3cr3t")


def test_basic_auth_not_sent_to_another_host(feed_server):
    other_host = f"http://localhost:{feed_server.port}/elsewhere.xml"
    feed_server.redirect("/private", other_host, 301)
    feed_server.route("/elsewhere.xml", FEED)
    resp = fetch(feed_server.url("/private"), auth=("alice", "s3cr3t"))
    assert resp.status == 200
    assert resp.url == other_host
    assert headers_for(feed_server, "/private")[0]["authorization"] == _basic("alice", "s3cr3t")
    (sent,) = headers_for(feed_server, "/elsewhere.xml")
    assert sent["host"].startswith("localhost")
    assert "authorization" not in sent


def test_basic_auth_not_sent_to_another_port():
    first, second = QuickFeedServer().start(), QuickFeedServer().start()
    try:
        first.redirect("/private", second.url("/feed.xml"), 302)
        second.route("/feed.xml", FEED)
        resp = fetch(first.url("/private"), auth=("alice", "s3cr3t"))
        assert resp.status == 200
        assert "authorization" in headers_for(first, "/private")[0]
        assert "authorization" not in headers_for(second, "/feed.xml")[0]
    finally:
        first.stop()
        second.stop()


# -- concurrency limits -------------------------------------------------------------------------------

def _track_concurrency(server: FeedServer) -> dict:
    """Count requests the server is working on: from arrival until it starts answering.

    The count drops before the answer is written, so a client can never start
    its next request before the previous one has left the count.
    """
    state = {"now": 0, "max": 0, "lock": threading.Lock()}
    handle, send = server._handle, server._send

    def tracked_handle(h):
        with state["lock"]:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        handle(h)

    def tracked_send(h, *args):
        with state["lock"]:
            state["now"] -= 1
        send(h, *args)

    server._handle = tracked_handle
    server._send = tracked_send
    return state


def test_per_host_limit(feed_server):
    state = _track_concurrency(feed_server)
    feed_server.route("/slow", FEED, delay_s=0.15)
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10, per_host=2)

    async def go():
        async with Fetcher(limits) as f:
            return await asyncio.gather(*(f.fetch(FetchRequest(feed_server.url("/slow"))) for _ in range(6)))

    results = asyncio.run(go())
    assert [r.status for r in results] == [200] * 6
    assert feed_server.hits("/slow") == 6
    assert state["max"] == 2


def test_a_busy_host_does_not_hold_slots_other_hosts_need(feed_server):
    """Queued requests for one host must not take the global slots another host could use."""
    feed_server.route("/slow", FEED, delay_s=0.3)
    feed_server.route("/fast", FEED)
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10, max_connections=2, per_host=1)
    done: list[str] = []

    async def one(f, url, name):
        await f.fetch(FetchRequest(url))
        done.append(name)

    async def go():
        async with Fetcher(limits) as f:
            tasks = [one(f, feed_server.url("/slow"), f"slow{i}") for i in range(3)]
            tasks.append(one(f, f"http://localhost:{feed_server.port}/fast", "fast"))
            await asyncio.gather(*tasks)

    asyncio.run(go())
    assert done[0] == "fast", done


# -- helpers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://user:pa55@example.com/feed", "https://example.com/feed"),
    ("https://user:pa55@example.com:8443/feed?x=1#top", "https://example.com:8443/feed?x=1#top"),
    ("https://onlyuser@example.com/feed", "https://example.com/feed"),
    ("http://u:p@[::1]:8080/feed", "http://[::1]:8080/feed"),
    ("https://example.com/feed?user=x", "https://example.com/feed?user=x"),
    ("http://[::1", "<invalid URL>"),
])
def test_redact_url(url, expected):
    assert redact_url(url) == expected
    assert "pa55" not in redact_url(url)


def test_fetch_error_survives_pickle():
    err = FetchError(ErrorCode.TOO_LARGE, "the feed is larger than 10 MB", http_status=200, bytes_received=1234)
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, FetchError)
    assert back.code is ErrorCode.TOO_LARGE
    assert back.message == "the feed is larger than 10 MB"
    assert str(back) == str(err)
    assert (back.http_status, back.bytes_received) == (200, 1234)


def test_fetch_errors_carry_the_time_and_bytes_they_cost(feed_server):
    # A read timeout: the time spent waiting is reported.
    feed_server.route("/slow", FEED, delay_s=1.0)
    err = fetch_error(feed_server.url("/slow"), FetchLimits(connect_timeout=5, read_timeout=0.3, total_timeout=10))
    assert err.code is ErrorCode.TIMEOUT and 250 <= err.elapsed_ms < 1500
    # Too large once decompressed: what came over the wire so far, every hop included, and the status.
    feed_server.route("/big", FEED * 20, gzip=True)
    feed_server.redirect("/to-big", feed_server.url("/big"), status=302)
    limits = FetchLimits(connect_timeout=5, read_timeout=5, total_timeout=10, max_decoded_bytes=len(FEED))
    err = fetch_error(feed_server.url("/to-big"), limits)
    assert err.code is ErrorCode.TOO_LARGE and err.http_status == 200
    assert err.bytes_received > 0 and err.elapsed_ms >= 0
    back = pickle.loads(pickle.dumps(FetchError(ErrorCode.TIMEOUT, "slow", elapsed_ms=321)))
    assert back.elapsed_ms == 321
