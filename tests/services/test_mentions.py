"""The mention engine through its services, with feeds served on loopback."""

from __future__ import annotations

import pytest

from cmdesk.app import open_profile
from cmdesk.core.models import TERM_PALETTES, MentionFilter, MentionState
from cmdesk.services.mentions import MentionServiceError
from cmdesk.services.refresh import RefreshOptions

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Forum</title><link>https://forum.example/</link>
<item><title>J'adore l'appli d'Acme, bravo à l'équipe !</title><link>https://forum.example/t/1?utm_source=x</link>
 <guid>1</guid><dc:creator>Julie</dc:creator><pubDate>Mon, 02 Nov 2026 09:00:00 +0100</pubDate>
 <description>Franchement super, l'application d'Acme est au top. Merci !</description></item>
<item><title>Acme support is terrible</title><link>https://news.example/acme-support</link><guid>2</guid>
 <dc:creator>bob</dc:creator><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate>
 <description>I have been waiting three weeks for a refund from Acme. Worst customer service ever, really disappointed.</description></item>
<item><title>Globex opens a new office</title><link>https://news.example/globex</link><guid>3</guid>
 <pubDate>Wed, 04 Nov 2026 10:00:00 GMT</pubDate><description>The competitor Globex announced an office in Lyon.</description></item>
<item><title>Acmeville town fair</title><link>https://news.example/fair</link><guid>4</guid>
 <pubDate>Wed, 04 Nov 2026 11:00:00 GMT</pubDate><description>Nothing to do with the brand.</description></item>
<item><title>Jobs at Acme</title><link>https://jobs.example/acme</link><guid>5</guid>
 <pubDate>Thu, 05 Nov 2026 11:00:00 GMT</pubDate><description>Acme is hiring: jobs in Paris.</description></item>
</channel></rss>"""

MIRROR = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Mirror</title><link>https://mirror.example/</link>
<item><title>Acme support is terrible</title><link>https://news.example/acme-support?utm_medium=rss&amp;utm_campaign=z</link>
 <guid>m1</guid><pubDate>Tue, 03 Nov 2026 12:00:00 GMT</pubDate>
 <description>I have been waiting three weeks for a refund from Acme. Worst customer service ever, really disappointed.</description></item>
</channel></rss>"""


@pytest.fixture
def svc(profile_dir, feed_server):
    feed_server.route("/forum.xml", FEED)
    feed_server.route("/mirror.xml", MIRROR)
    s = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))
    s.feeds.subscribe(feed_server.url("/forum.xml"))
    s.feeds.subscribe(feed_server.url("/mirror.xml"))
    return s


def titles(page):
    return [m.title for m in page.mentions]


def test_refresh_turns_matching_items_into_mentions(svc):
    acme = svc.mentions.add_term("Acme", "acme -jobs").term
    svc.mentions.add_term("Globex", "globex", kind="competitor")
    summary = svc.refresh_feeds()
    assert summary.new_items == 6 and summary.new_mentions == 4
    page = svc.mentions.list_mentions(MentionFilter(term_ids=(acme.id,)))
    assert set(titles(page)) == {"J'adore l'appli d'Acme, bravo à l'équipe !", "Acme support is terrible"}
    assert len(page.mentions) == 3  # the mirror copy too
    fr = next(m for m in page.mentions if m.title.startswith("J'adore"))
    assert fr.lang == "fr" and fr.sentiment == "positive" and fr.author == "Julie"
    assert fr.source == "forum.example" and fr.state is MentionState.NEW
    assert fr.sentiment_cues  # explainable
    en = [m for m in page.mentions if m.title == "Acme support is terrible"]
    assert all(m.lang == "en" and m.sentiment == "negative" for m in en)
    # the mirror copy (utm parameters) is grouped with the original
    assert en[0].dup_group == en[1].dup_group
    assert [d.id for d in svc.mentions.duplicates_of(en[0].id)] == [en[1].id]


def test_adding_a_term_rescans_history_and_editing_narrows_it(svc):
    svc.refresh_feeds()  # items stored before any term exists
    res = svc.mentions.add_term("Acme", "acme")
    assert res.matched == 4 and res.new_mentions == 4  # two forum posts, jobs, mirror; never Acmeville
    res = svc.mentions.edit_term(res.term.id, query="acme -jobs")
    assert res.matched == 3 and res.removed == 1
    assert svc.mentions.count_mentions() == 3


def test_editing_only_notify_or_colour_does_not_rescan(svc, monkeypatch):
    svc.refresh_feeds()
    term = svc.mentions.add_term("Acme", "acme").term
    monkeypatch.setattr(type(svc.mentions), "_rescan", lambda *a, **k: pytest.fail("re-scanned"))
    res = svc.mentions.edit_term(term.id, notify=True, color="#ff0000", name="ACME")
    assert res.matched == 4 and res.new_mentions == 0 and res.removed == 0
    assert res.term.notify and res.term.color == "#ff0000" and res.term.name == "ACME"


def test_edit_keeps_mentions_the_user_worked_on(svc):
    svc.refresh_feeds()
    term = svc.mentions.add_term("Acme", "acme").term
    jobs = next(m for m in svc.mentions.list_mentions().mentions if m.title == "Jobs at Acme")
    svc.mentions.set_state([jobs.id], "done")
    svc.mentions.edit_term(term.id, query="acme -jobs")
    kept = svc.mentions.get_mention(jobs.id)
    assert kept.state is MentionState.DONE and kept.term_ids == ()


def test_query_errors_are_reported_with_position(svc):
    with pytest.raises(MentionServiceError, match="position"):
        svc.mentions.add_term("Bad", '"acme corp')
    assert svc.mentions.list_terms() == []


def test_triage_undo_and_response_time(svc):
    clock = [1_800_000_000]
    svc.mentions.clock = lambda: clock[0]
    svc.mentions.add_term("Acme", "acme")
    svc.refresh_feeds()
    ids = [m.id for m in svc.mentions.list_mentions().mentions]
    assert svc.mentions.set_state(ids[:2], "to_reply") == 2
    assert svc.mentions.count_mentions(MentionFilter(states=(MentionState.TO_REPLY,))) == 2
    svc.mentions.set_state(ids[:2], "spam")
    assert sorted(svc.mentions.undo()) == sorted(ids[:2])
    assert {svc.mentions.get_mention(i).state for i in ids[:2]} == {MentionState.TO_REPLY}
    assert sorted(svc.mentions.undo()) == sorted(ids[:2])
    assert {svc.mentions.get_mention(i).state for i in ids[:2]} == {MentionState.NEW}
    assert svc.mentions.undo() == []

    m = svc.mentions.get_mention(ids[0])
    clock[0] = m.found_at + 3600
    svc.mentions.mark_replied([ids[0]])
    replied = svc.mentions.get_mention(ids[0])
    assert replied.state is MentionState.REPLIED and replied.response_time_s == 3600
    # Closing a replied mention keeps its reply on record; reopening it clears it.
    svc.mentions.set_state([ids[0]], "done")
    closed = svc.mentions.get_mention(ids[0])
    assert closed.state is MentionState.DONE and closed.response_time_s == 3600
    svc.mentions.set_state([ids[0]], "to_reply")
    assert svc.mentions.get_mention(ids[0]).replied_at is None
    svc.mentions.undo()
    assert svc.mentions.get_mention(ids[0]).response_time_s == 3600
    with pytest.raises(MentionServiceError, match="unknown state"):
        svc.mentions.set_state(ids, "archived")
    with pytest.raises(MentionServiceError, match="no mention with id 999"):
        svc.mentions.set_state([999], "done")


def test_filters_and_keyset_pages(svc):
    svc.mentions.add_term("Acme", "acme")
    svc.mentions.add_term("Globex", "globex", kind="competitor")
    svc.refresh_feeds()
    every = svc.mentions.list_mentions(limit=100).mentions
    assert len(every) == 5
    seen, cursor = [], None
    while True:
        page = svc.mentions.list_mentions(limit=2, cursor=cursor)
        seen += [m.id for m in page.mentions]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [m.id for m in every]
    assert [m.published_at for m in every] == sorted((m.published_at for m in every), reverse=True)
    neg = svc.mentions.list_mentions(MentionFilter(sentiment="negative")).mentions
    assert neg and all(m.sentiment == "negative" for m in neg)
    assert {m.lang for m in svc.mentions.list_mentions(MentionFilter(lang="fr")).mentions} == {"fr"}
    assert titles(svc.mentions.list_mentions(MentionFilter(text="refund", source="mirror.example"))) == []
    assert titles(svc.mentions.list_mentions(MentionFilter(text="lyon"))) == ["Globex opens a new office"]

    target = every[0].id
    svc.mentions.set_starred([target])
    svc.mentions.add_tags([target], ["lead"])
    assert [m.id for m in svc.mentions.list_mentions(MentionFilter(starred=True)).mentions] == [target]
    assert [m.id for m in svc.mentions.list_mentions(MentionFilter(tag="lead")).mentions] == [target]


def test_manual_sentiment_wins(svc):
    svc.mentions.add_term("Acme", "acme")
    svc.refresh_feeds()
    m = svc.mentions.list_mentions(MentionFilter(sentiment="negative")).mentions[0]
    svc.mentions.set_sentiment(m.id, "positive")
    again = svc.mentions.get_mention(m.id)
    assert again.sentiment == "positive" and again.sentiment_auto == "negative"
    assert m.id in [x.id for x in svc.mentions.list_mentions(MentionFilter(sentiment="positive")).mentions]
    svc.mentions.set_sentiment(m.id, None)
    assert svc.mentions.get_mention(m.id).sentiment == "negative"


def test_templates_and_drafts(svc):
    svc.mentions.add_term("Acme", "acme")
    svc.refresh_feeds()
    with pytest.raises(MentionServiceError, match="unknown"):
        svc.mentions.add_template("Bad", "Hello {customer}")
    svc.mentions.add_template("Thanks", "Hi {author}, thanks for your words about {brand}! {link}", "en")
    m = next(x for x in svc.mentions.list_mentions().mentions if x.author == "Julie")
    draft = svc.mentions.draft_from_template(m.id, "Thanks")
    assert draft.body == f"Hi Julie, thanks for your words about Acme! {m.url}"
    anonymous = next(x for x in svc.mentions.list_mentions().mentions if not x.author)
    body = svc.mentions.draft_from_template(anonymous.id, "Thanks").body
    assert "{" not in body and "}" not in body and body.startswith("Hi,")
    svc.settings.set("brand.name", "Acme SA")  # the brand name setting wins over the first brand term
    assert "about Acme SA!" in svc.mentions.draft_from_template(m.id, "Thanks").body
    svc.mentions.save_draft(m.id, "edited by hand")
    assert svc.mentions.get_draft(m.id).body == "edited by hand"


def test_retention_never_purges_mentions(feed_server, profile_dir):
    from cmdesk.services.refresh import RetentionPolicy

    feed_server.route("/f.xml", FEED)
    s = open_profile(profile_dir, options=RefreshOptions(parse_workers=0, retention=RetentionPolicy(keep_items=1)))
    s.mentions.add_term("Acme", "acme")
    s.feeds.subscribe(feed_server.url("/f.xml"))
    s.refresh_feeds()
    assert s.mentions.count_mentions() == 3


def test_recipes_for_a_term(svc):
    term = svc.mentions.add_term("Acme", '"acme corp" OR acme').term
    feeds = svc.mentions.recipes(term.id, lang="fr", country="FR", mastodon_instance="mastodon.social")
    kinds = {f.kind for f in feeds}
    assert {"google_news", "reddit", "hacker_news", "mastodon"} <= kinds
    assert all(f.url.startswith("https://") for f in feeds)


def test_new_terms_of_one_kind_get_different_colours(svc):
    a = svc.mentions.add_term("Wayfolio", "wayfolio", kind="competitor").term
    b = svc.mentions.add_term("Itineo", "itineo", kind="competitor").term
    c = svc.mentions.add_term("Chosen", "chosen", kind="competitor", color="#123456").term
    assert a.color != b.color and {a.color, b.color} <= set(TERM_PALETTES["competitor"])
    assert c.color == "#123456"


def test_spikes_need_a_week_of_watching(feed_server, profile_dir):
    import sqlite3
    from email.utils import formatdate

    from cmdesk.store.database import db_path_for

    import time

    now = int(time.time())  # refresh stamps items with the real clock (future dates are clamped to it)
    items = "".join(
        f"<item><title>Acme news {k}</title><link>https://n.example/{k}</link><guid>s{k}</guid>"
        f"<pubDate>{formatdate(now - 60 * k, usegmt=True)}</pubDate></item>" for k in range(8))
    feed_server.route("/burst.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>{items}'
                                    "</channel></rss>")
    s = open_profile(profile_dir, options=RefreshOptions(parse_workers=0))
    s.mentions.clock = lambda: now
    s.mentions.add_term("Acme", "acme")
    s.feeds.subscribe(feed_server.url("/burst.xml"))
    s.refresh_feeds()
    assert s.mentions.count_mentions() == 8
    # Day one: 8 mentions today and no history yet. Not a spike: nothing is known of the days before.
    assert s.mentions.check_spikes() == []
    # Watched for ten quiet days, the same day is a spike.
    conn = sqlite3.connect(db_path_for(profile_dir))
    with conn:
        conn.execute("UPDATE items SET fetched_at = ?", (now - 10 * 86400,))
    conn.close()
    alerts = s.mentions.check_spikes()
    assert [a.count for a in alerts] == [8]


def test_term_colours_are_checked(svc):
    with pytest.raises(MentionServiceError, match="not a colour"):
        svc.mentions.add_term("Acme", "acme", color="notacolor")
    term = svc.mentions.add_term("Acme", "acme", color="#ABCDEF").term
    assert term.color == "#abcdef"
    with pytest.raises(MentionServiceError, match="not a colour"):
        svc.mentions.edit_term(term.id, color="red")
    assert svc.mentions.edit_term(term.id, color="#123").term.color == "#123"


def test_a_corrected_sentiment_keeps_a_mention_when_its_term_goes(svc):
    svc.mentions.add_term("Acme", "acme")
    svc.refresh_feeds()
    ids = [m.id for m in svc.mentions.list_mentions().mentions]
    svc.mentions.set_sentiment(ids[0], "neutral")  # the user worked on it
    term = svc.mentions.list_terms()[0][0]
    svc.mentions.remove_term(term.id)
    assert [m.id for m in svc.mentions.list_mentions().mentions] == [ids[0]]
