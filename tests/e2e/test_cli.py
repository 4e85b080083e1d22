"""The command line, driven as a user would: a real process, a real loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.feedserver import rss

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, profile: Path | None = None, env: dict | None = None, stdin: str | None = None,
        ok: bool = True) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "CMDESK_PROFILE"}
    full_env.update(env or {})
    cmd = [sys.executable, "-m", "cmdesk", *args]
    if profile is not None:
        cmd += ["--profile", str(profile)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, input=stdin, cwd=REPO, timeout=120)
    if ok:
        assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def run_json(*args: str, profile: Path):
    return json.loads(run(*args, "--json", profile=profile).stdout)


def test_version_and_help():
    out = run("--version").stdout
    assert out.startswith("cmdesk ")
    assert "feeds" in run("--help").stdout


def test_full_workflow(feed_server, tmp_path):
    profile = tmp_path / "p"
    feed_server.route("/acme.xml", rss("Acme news", 4), etag='"a1"', gzip=True)
    feed_server.route("/", "<!doctype html><html><head>"
                           '<link rel="alternate" type="application/atom+xml" href="/site.atom"></head></html>',
                      content_type="text/html")
    feed_server.route("/site.atom", """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
        <title>Site</title><entry><id>e1</id><title>Competitor Globex wins</title><link href="/e1"/>
        <updated>2026-11-01T00:00:00Z</updated></entry></feed>""", content_type="application/atom+xml")
    feed_server.route("/broken.xml", status=500, body="boom")
    opml = tmp_path / "in.opml"
    opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><body>
        <outline text="Watch"><outline type="rss" text="Broken" xmlUrl="{feed_server.url('/broken.xml')}"/></outline>
        <outline type="rss" text="No URL"/></body></opml>""")

    added = run_json("feeds", "add", feed_server.url("/acme.xml"), "--folder", "Brand", profile=profile)
    assert added["new_items"] == 4 and added["feed"]["title"] == "Acme news"
    out = run("feeds", "add", feed_server.url("/"), profile=profile).stdout
    assert "Added feed 2" in out and "site.atom" in out

    imported = run_json("feeds", "import", str(opml), profile=profile)
    assert imported["added"] == 1 and len(imported["skipped"]) == 1

    summary = run_json("refresh", profile=profile)
    assert summary["total"] == 3 and summary["errors"] == 1 and summary["new_items"] == 0
    assert summary["not_modified"] == 2
    assert summary["failed"][0]["error"] == "HTTP 500 Internal Server Error"

    listing = {f["title"]: f for f in run_json("feeds", "list", profile=profile)}
    assert listing["Acme news"]["folder"] == "Brand" and listing["Acme news"]["unread"] == 4
    assert listing["Broken"]["status"] == "error" and listing["Broken"]["folder"] == "Watch"
    text = run("feeds", "list", profile=profile).stdout
    assert "HTTP 500" in text

    hits = run_json("items", "search", "globex", profile=profile)
    assert [h["title"] for h in hits] == ["Competitor Globex wins"]
    assert len(run_json("items", "search", "acme", "--limit", "2", profile=profile)) == 2

    exported = tmp_path / "out.opml"
    run("feeds", "export", str(exported), profile=profile)
    again = tmp_path / "q"
    assert run_json("feeds", "import", str(exported), profile=again)["added"] == 3

    log = run_json("feeds", "log", str(listing["Broken"]["id"]), profile=profile)
    assert log[0]["http_status"] == 500


def test_profile_from_environment(tmp_path):
    env = {"CMDESK_PROFILE": str(tmp_path / "envprofile")}
    run("feeds", "list", env=env)
    assert (tmp_path / "envprofile" / "cmdesk.sqlite3").exists()


@pytest.mark.parametrize("args,message", [
    (("feeds", "import", "/does/not/exist.opml"), "cannot read"),
    (("feeds", "add", "ftp://example.com/x"), "only http and https"),
    (("refresh", "--feed", "99"), "no feed with id 99"),
    (("feeds", "remove", "42"), "no feed with id 42"),
])
def test_errors_are_one_line_without_traceback(tmp_path, args, message):
    proc = run(*args, profile=tmp_path / "p", ok=False)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_corrupt_store_is_reported_not_overwritten(tmp_path):
    profile = tmp_path / "p"
    profile.mkdir()
    db = profile / "cmdesk.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    proc = run("feeds", "list", profile=profile, ok=False)
    assert proc.returncode == 1 and "not a usable cmdesk store" in proc.stderr
    assert db.read_bytes() == b"this is not a database" * 100


def test_debug_shows_traceback(tmp_path):
    proc = run("--debug", "feeds", "import", "/nope.opml", profile=tmp_path / "p", ok=False)
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_every_shared_feed_refreshes_without_crash(feed_server, shared_data, tmp_path):
    """Real captured feeds: each refreshes, and each a lenient parser can read yields items."""
    import feedparser

    files = sorted(p for p in (shared_data / "feeds").rglob("*") if p.is_file())
    assert files
    lines = []
    expected = {}
    for p in files:
        path = "/" + p.relative_to(shared_data / "feeds").as_posix()
        body = p.read_bytes()
        ctype = "application/json" if p.suffix == ".json" else "application/xml"
        feed_server.route(path, body, content_type=ctype)
        lines.append(f'<outline type="rss" text="{p.name}" xmlUrl="{feed_server.url(path)}"/>')
        expected[feed_server.url(path)] = len(feedparser.parse(body).entries) if p.suffix != ".json" else None
    opml = tmp_path / "shared.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>' + "".join(lines) + "</body></opml>")
    profile = tmp_path / "p"
    run("feeds", "import", str(opml), profile=profile)
    summary = run_json("refresh", profile=profile)
    assert summary["total"] == len(files)
    listing = {f["url"]: f for f in run_json("feeds", "list", profile=profile)}
    for url, n in expected.items():
        f = listing[url]
        if n:  # feedparser reads entries: so must we
            assert f["status"] == "ok" and f["items"] > 0, (url, f["last_error"])
        if f["status"] == "error":
            assert f["last_error"] and "Traceback" not in f["last_error"]


def test_mention_workflow_from_the_command_line(feed_server, tmp_path):
    from tests.services.test_mentions import FEED

    profile = tmp_path / "p"
    feed_server.route("/forum.xml", FEED)
    term = run_json("terms", "add", "Acme", "--query", "acme -jobs", profile=profile)
    assert term["matched"] == 0
    run_json("terms", "add", "Globex", "--query", "globex", "--kind", "competitor", profile=profile)
    run("feeds", "add", feed_server.url("/forum.xml"), profile=profile)
    terms = {t["name"]: t for t in run_json("terms", "list", profile=profile)}
    assert terms["Acme"]["mentions"] == 2 and terms["Globex"]["mentions"] == 1

    mentions = run_json("mentions", "list", "--term", "Acme", profile=profile)
    assert {m["sentiment"] for m in mentions} == {"positive", "negative"}
    neg = next(m for m in mentions if m["sentiment"] == "negative")
    assert run_json("mentions", "list", "--sentiment", "negative", "--term", "Acme", profile=profile)[0]["id"] == neg["id"]

    run("mentions", "set-state", str(neg["id"]), "to_reply", profile=profile)
    assert [m["id"] for m in run_json("mentions", "list", "--state", "to_reply", profile=profile)] == [neg["id"]]
    run("templates", "add", "Sorry", "--body", "Hi {author}, sorry about that. DM us: {link}", profile=profile)
    draft = run_json("mentions", "draft", str(neg["id"]), "--template", "Sorry", profile=profile)
    assert draft["draft"] == f"Hi bob, sorry about that. DM us: {neg['url']}"
    run("mentions", "replied", str(neg["id"]), profile=profile)
    shown = run_json("mentions", "show", str(neg["id"]), profile=profile)
    assert shown["state"] == "replied" and shown["response_time_s"] is not None
    assert shown["draft"].startswith("Hi bob") and shown["sentiment_cues"]
    run("mentions", "undo", profile=profile)
    assert run_json("mentions", "show", str(neg["id"]), profile=profile)["state"] == "to_reply"

    # narrowing a term re-scans; a syntax error says where
    run_json("terms", "edit", str(term["term"]["id"]), "--query", "acme -jobs -refund", profile=profile)
    bad = run("terms", "add", "Bad", "--query", "(acme OR", profile=profile, ok=False)
    assert bad.returncode == 1 and "position" in bad.stderr and "Traceback" not in bad.stderr

    recipes = run_json("recipes", "Acme", "--lang", "fr", "--country", "FR", "--add", profile=profile)
    assert recipes["feeds"] and len(recipes["added"]) == len(recipes["feeds"])
    assert any("news.google.com" in f["url"] and "hl=fr" in f["url"] for f in recipes["feeds"])
