"""file:// feeds (the demo's path): read only inside the allowed folders, regular files, capped, validated."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from cmdesk.core.models import ErrorCode
from cmdesk.net.fetch import Fetcher, FetchError, FetchLimits, FetchRequest
from tests.support.feedserver import rss


def fetch(url: str, limits: FetchLimits, etag: str | None = None):
    async def go():
        async with Fetcher(limits) as f:
            return await f.fetch(FetchRequest(url, etag=etag))
    return asyncio.run(go())


def fetch_error(url: str, limits: FetchLimits) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, limits)
    return info.value


@pytest.fixture
def root(tmp_path):
    d = tmp_path / "demo-feeds"
    d.mkdir()
    return d


def test_file_inside_root_is_read_then_not_modified_until_it_changes(root):
    limits = FetchLimits(file_roots=(str(root),))
    path = root / "a.xml"
    path.write_text(rss("A", 3))
    first = fetch(path.as_uri(), limits)
    assert first.status == 200 and first.body == path.read_bytes() and first.etag
    again = fetch(path.as_uri(), limits, etag=first.etag)
    assert again.status == 304 and again.body is None
    path.write_text(rss("A", 4))
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    changed = fetch(path.as_uri(), limits, etag=first.etag)
    assert changed.status == 200 and b"A item 3" in changed.body and changed.etag != first.etag


def test_file_urls_are_refused_without_roots(root):
    path = root / "a.xml"
    path.write_text(rss("A", 1))
    assert fetch_error(path.as_uri(), FetchLimits()).code is ErrorCode.BAD_SCHEME


def test_file_outside_the_roots_is_refused(root, tmp_path):
    outside = tmp_path / "secret.xml"
    outside.write_text(rss("S", 1))
    limits = FetchLimits(file_roots=(str(root),))
    err = fetch_error(outside.as_uri(), limits)
    assert err.code is ErrorCode.BAD_SCHEME
    # nor through a symlink inside the root, nor with ../
    (root / "link.xml").symlink_to(outside)
    assert fetch_error((root / "link.xml").as_uri(), limits).code is ErrorCode.BAD_SCHEME
    assert fetch_error(root.as_uri() + "/../secret.xml", limits).code is ErrorCode.BAD_SCHEME


def test_missing_file_has_a_clear_error(root):
    err = fetch_error((root / "gone.xml").as_uri(), FetchLimits(file_roots=(str(root),)))
    assert err.code is ErrorCode.NETWORK and "does not exist" in err.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_directory_are_not_read(root):
    limits = FetchLimits(file_roots=(str(root),))
    os.mkfifo(root / "pipe.xml")
    started = time.monotonic()
    assert fetch_error((root / "pipe.xml").as_uri(), limits).code is ErrorCode.NOT_A_FEED
    assert time.monotonic() - started < 5  # did not block waiting for a writer
    (root / "dir.xml").mkdir()
    assert fetch_error((root / "dir.xml").as_uri(), limits).code in (ErrorCode.NOT_A_FEED, ErrorCode.NETWORK)


def test_size_cap_applies_to_files(root):
    path = root / "big.xml"
    path.write_bytes(b"x" * 5000)
    err = fetch_error(path.as_uri(), FetchLimits(file_roots=(str(root),), max_compressed_bytes=1000))
    assert err.code is ErrorCode.TOO_LARGE


def test_file_url_with_a_host_is_refused(root):
    (root / "a.xml").write_text(rss("A", 1))
    err = fetch_error("file://otherhost" + str(root / "a.xml"), FetchLimits(file_roots=(str(root),)))
    assert err.code is ErrorCode.BAD_SCHEME


def test_redirect_to_a_file_is_refused_even_with_roots(feed_server, root):
    (root / "a.xml").write_text(rss("A", 1))
    feed_server.redirect("/r", (root / "a.xml").as_uri(), 301)
    err = fetch_error(feed_server.url("/r"), FetchLimits(file_roots=(str(root),), connect_timeout=5,
                                                         read_timeout=5, total_timeout=10))
    assert err.code is ErrorCode.BAD_SCHEME
