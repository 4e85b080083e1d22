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
    # a draft typed with variables is shown filled in; --json everywhere
    typed = run_json("mentions", "draft", str(neg["id"]), "--text", "Merci {author} !", profile=profile)
    assert typed["draft"] == "Merci {author} !" and typed["text"] == "Merci bob !"
    assert run_json("mentions", "star", str(neg["id"]), profile=profile) == {"ids": [neg["id"]], "starred": True}
    assert run_json("mentions", "tag", str(neg["id"]), "--tag", "lead", profile=profile)["added"] is True
    corrected = run_json("mentions", "sentiment", str(neg["id"]), "neutral", profile=profile)
    assert corrected["sentiment"] == "neutral" and corrected["automatic"] == "negative"
    # reach weights per source domain
    sources = {s["source"]: s for s in run_json("sources", "list", profile=profile)}
    assert sources[neg["source"]]["weight"] == 1.0 and not sources[neg["source"]]["custom"]
    assert run_json("sources", "weight", neg["source"], "4", profile=profile)["mentions_updated"] >= 1
    assert run_json("mentions", "show", str(neg["id"]), profile=profile)["reach"] == 4.0
    bad_weight = run("sources", "weight", neg["source"], "nan", profile=profile, ok=False)
    assert bad_weight.returncode == 1 and "Traceback" not in bad_weight.stderr

    # narrowing a term re-scans; a syntax error says where
    run_json("terms", "edit", str(term["term"]["id"]), "--query", "acme -jobs -refund", profile=profile)
    bad = run("terms", "add", "Bad", "--query", "(acme OR", profile=profile, ok=False)
    assert bad.returncode == 1 and "position" in bad.stderr and "Traceback" not in bad.stderr

    recipes = run_json("recipes", "Acme", "--lang", "fr", "--country", "FR", "--add", profile=profile)
    assert recipes["feeds"] and len(recipes["added"]) == len(recipes["feeds"])
    assert any("news.google.com" in f["url"] and "hl=fr" in f["url"] for f in recipes["feeds"])


def test_redirects_move_the_feed_only_when_permanent(feed_server, tmp_path):
    profile = tmp_path / "p"
    feed_server.route("/moving.xml", rss("Moving", 2))
    feed_server.route("/temp.xml", rss("Temp", 2))
    run("feeds", "add", feed_server.url("/moving.xml"), profile=profile)
    run("feeds", "add", feed_server.url("/temp.xml"), profile=profile)
    # The sites reorganise: one moves for good (301), the other only for now (302).
    feed_server.route("/new-home.xml", rss("Moving", 3))
    feed_server.redirect("/moving.xml", feed_server.url("/new-home.xml"), status=301)
    feed_server.route("/elsewhere.xml", rss("Temp", 3))
    feed_server.redirect("/temp.xml", feed_server.url("/elsewhere.xml"), status=302)

    summary = run_json("refresh", profile=profile)
    assert (summary["ok"], summary["errors"], summary["new_items"]) == (2, 0, 2)
    urls = {f["title"]: f["url"] for f in run_json("feeds", "list", profile=profile)}
    assert urls == {"Moving": feed_server.url("/new-home.xml"), "Temp": feed_server.url("/temp.xml")}
    assert feed_server.url("/new-home.xml") in run("feeds", "list", profile=profile).stdout

    old_hits, temp_hits = feed_server.hits("/moving.xml"), feed_server.hits("/temp.xml")
    run_json("refresh", profile=profile)
    assert feed_server.hits("/moving.xml") == old_hits  # the new address is asked directly
    assert feed_server.hits("/temp.xml") == temp_hits + 1  # the temporary one still goes through the old


def test_settings_and_deferrals_apply_on_the_command_line(feed_server, tmp_path):
    profile = tmp_path / "p"
    run("settings", "set", "retention.keep_items", "5", profile=profile)
    feed_server.route("/thirty.xml", rss("Thirty", 30))
    added = run_json("feeds", "add", feed_server.url("/thirty.xml"), profile=profile)
    assert added["new_items"] == 30
    feed_server.route("/thirty.xml", rss("Thirty", 30, start=30))
    assert run_json("refresh", profile=profile)["new_items"] == 30
    [listing] = run_json("feeds", "list", profile=profile)
    assert listing["items"] == 5

    feed_server.route("/thirty.xml", status=429, body="slow down", headers={"Retry-After": "3600"})
    assert run_json("refresh", profile=profile)["deferred"] == 1
    [listing] = run_json("feeds", "list", profile=profile)
    assert listing["status"] == "deferred" and listing["deferred_until"] > 0
    assert "deferred until" in run("feeds", "list", profile=profile).stdout


def test_another_programs_database_is_a_one_line_error(tmp_path):
    import sqlite3

    profile = tmp_path / "p"
    profile.mkdir()
    raw = sqlite3.connect(profile / "cmdesk.sqlite3")
    raw.execute("CREATE TABLE things (x)")
    raw.execute("PRAGMA user_version = 2")
    raw.commit()
    raw.close()
    proc = run("feeds", "list", profile=profile, ok=False)
    assert proc.returncode == 1 and "not a usable cmdesk store" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_database_errors_are_one_line_unless_debug(tmp_path, monkeypatch, capsys):
    import sqlite3

    from cmdesk import cli
    from cmdesk.services.feeds import FeedService

    def disk_full(self):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(FeedService, "list_feeds", disk_full)
    profile = str(tmp_path / "p")
    assert cli.main(["feeds", "list", "--profile", profile]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err == "cmdesk: error: the database could not be written: database or disk is full\n"
    with pytest.raises(sqlite3.OperationalError):
        cli.main(["feeds", "list", "--profile", profile, "--debug"])
