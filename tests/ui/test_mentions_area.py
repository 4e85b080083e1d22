"""The Mentions area driven as a user would: keys, typing, filters, refresh."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from cmdesk.app import open_profile
from cmdesk.core.models import MentionFilter, MentionState
from cmdesk.services.refresh import RefreshOptions
from cmdesk.ui.mentions.area import MentionsArea, period_bounds, shortcuts_help
from cmdesk.ui.mentions.model import MentionInboxModel
from tests.ui.mentions_fixtures import feed_xml, make_profile


@pytest.fixture
def services(profile_dir, feed_server):
    return make_profile(profile_dir, feed_server, n=12)


@pytest.fixture
def area(qtbot, services):
    a = MentionsArea(services)
    qtbot.addWidget(a)
    a.resize(1200, 700)
    a.show()
    qtbot.waitExposed(a)
    a.activateWindow()
    a.list.setFocus()
    return a


def ids_in(model) -> list[int]:
    return [model.mention_at(r).id for r in range(model.rowCount())]


def key(qtbot, area, k, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(area.list, k, modifier)


# -- model -------------------------------------------------------------------

def test_model_pages_lazily_and_passes_the_model_tester(qtmodeltester, services):
    model = MentionInboxModel(services.mentions, page_size=5)
    model.set_filter(MentionFilter())
    assert model.rowCount() == 5 and model.canFetchMore()
    qtmodeltester.check(model)
    model.fetch_all()
    assert model.rowCount() == services.mentions.count_mentions() == 12
    assert not model.canFetchMore()
    keys = [(m.published_at, m.id) for m in (model.mention_at(r) for r in range(12))]
    assert keys == sorted(keys, reverse=True)
    qtmodeltester.check(model)


def test_model_syncs_changed_rows_without_reloading(services):
    model = MentionInboxModel(services.mentions, page_size=5)
    model.set_filter(MentionFilter(states=(MentionState.NEW,)))
    first = model.mention_at(0).id
    services.mentions.set_state([first], "done")
    model.sync_ids([first])
    assert first not in ids_in(model) and model.rowCount() == 4
    services.mentions.undo()
    model.sync_ids([first])
    assert ids_in(model)[0] == first


# -- keyboard triage -----------------------------------------------------------

def test_triage_flow_by_keys_only(qtbot, area, services):
    svc = services.mentions
    model = area.model
    assert area.views.currentItem().data(Qt.ItemDataRole.UserRole) == "new"
    order = ids_in(model)
    assert len(order) == 12 and area.current_mention().id == order[0]

    key(qtbot, area, "j")
    key(qtbot, area, "j")
    assert area.current_mention().id == order[2]
    key(qtbot, area, "k")
    assert area.current_mention().id == order[1]

    key(qtbot, area, "e")  # done: leaves the New view, the next mention is selected
    assert svc.get_mention(order[1]).state is MentionState.DONE
    assert order[1] not in ids_in(model)
    assert area.current_mention().id == order[2]

    key(qtbot, area, "i")
    assert svc.get_mention(order[2]).state is MentionState.IGNORED
    assert area.current_mention().id == order[3]

    key(qtbot, area, "!")
    assert svc.get_mention(order[3]).state is MentionState.SPAM
    assert area.current_mention().id == order[4]

    key(qtbot, area, "s")
    assert svc.get_mention(order[4]).starred
    assert area.current_mention().id == order[4]  # a star does not move the selection
    assert "Starred  (1)" in area.views.item(2).text()

    key(qtbot, area, "u")  # undo the last state change: the spam one comes back, selected
    assert svc.get_mention(order[3]).state is MentionState.NEW
    assert area.current_mention().id == order[3]
    assert ids_in(model) == [order[0]] + order[3:]

    key(qtbot, area, "a", Qt.KeyboardModifier.ControlModifier)  # Ctrl+A then e: bulk
    assert len(area.list.selectionModel().selectedRows()) == 10
    key(qtbot, area, "e")
    assert model.rowCount() == 0
    assert svc.count_mentions(MentionFilter(states=(MentionState.NEW,))) == 0
    assert svc.count_mentions(MentionFilter(states=(MentionState.DONE,))) == 11
    assert area.views.item(0).text().endswith("(0)")

    key(qtbot, area, "u")  # the bulk change is one undo step
    assert svc.count_mentions(MentionFilter(states=(MentionState.NEW,))) == 10
    assert model.rowCount() == 10


def test_keys_do_not_fire_while_typing_and_escape_returns_to_the_list(qtbot, area, services):
    m = area.current_mention()
    key(qtbot, area, "r")
    assert area.reply.draft.hasFocus()
    qtbot.keyClicks(area.reply.draft, "see you")
    assert services.mentions.get_mention(m.id).state is MentionState.NEW  # the "e" was typed, not triaged
    qtbot.keyClick(area.reply.draft, Qt.Key.Key_Escape)
    assert area.list.hasFocus()
    key(qtbot, area, "/")
    assert area.search.hasFocus()
    qtbot.keyClick(area.search, Qt.Key.Key_Escape)
    assert area.list.hasFocus()
    assert "j / k" in shortcuts_help()


def test_tag_key_tags_the_selection(qtbot, area, services):
    m = area.current_mention()
    key(qtbot, area, "t")
    assert area.detail.tag_edit.hasFocus()
    qtbot.keyClicks(area.detail.tag_edit, "urgent")
    qtbot.keyClick(area.detail.tag_edit, Qt.Key.Key_Return)
    assert services.mentions.get_mention(m.id).tags == ("urgent",)
    assert area.list.hasFocus()


# -- drafts and notes -------------------------------------------------------------

def test_draft_is_saved_as_typed_and_survives_a_restart(qtbot, area, services, profile_dir):
    services.mentions.add_template("Thanks", "Hi {author}, thanks for your post about {brand}!", "en")
    area.reply.reload_templates()
    key(qtbot, area, "j")
    m = area.current_mention()
    key(qtbot, area, "r")
    qtbot.keyClicks(area.reply.draft, "Hi {author}, we are on it")
    qtbot.waitUntil(lambda: (services.mentions.get_draft(m.id) or None) is not None
                    and services.mentions.get_draft(m.id).body == "Hi {author}, we are on it", timeout=3000)
    qtbot.waitUntil(lambda: area.reply.preview.toPlainText().startswith(f"Hi {m.author}, we are on it"),
                    timeout=3000)
    area.close()

    again = MentionsArea(open_profile(profile_dir, options=RefreshOptions(parse_workers=0)))
    qtbot.addWidget(again)
    assert again.select_mention(m.id)
    assert again.reply.draft.toPlainText() == "Hi {author}, we are on it"


def test_changing_mention_saves_the_pending_draft_and_note_at_once(qtbot, area, services):
    m = area.current_mention()
    area.reply.draft.setPlainText("pending")  # no wait for the debounce
    area.detail.note.setPlainText("call back")
    key(qtbot, area, "j")
    assert services.mentions.get_draft(m.id).body == "pending"
    assert services.mentions.get_mention(m.id).note == "call back"


def test_template_picker_fills_draft_and_mark_replied(qtbot, area, services):
    services.mentions.add_template("Thanks", "Thanks {author} for your post about {brand}!", "en")
    area.reply.reload_templates()
    m = area.current_mention()
    area.reply.templates.setCurrentIndex(1)
    area.reply.templates.activated.emit(1)
    assert area.reply.draft.toPlainText() == "Thanks {author} for your post about {brand}!"
    area.reply.update_preview()
    assert area.reply.preview.toPlainText() == f"Thanks {m.author} for your post about Acme!"
    area.reply.mark_replied.click()
    got = services.mentions.get_mention(m.id)
    assert got.state is MentionState.REPLIED and got.replied_at is not None
    assert services.mentions.get_draft(m.id).template_id is not None


def test_sentiment_correction_and_detail(qtbot, area, services):
    m = area.current_mention()
    assert "Acme" in area.detail.body.toHtml() or "acme" in area.detail.body.toHtml().lower()
    i = area.detail.sentiment_fix.findData("negative")
    area.detail.sentiment_fix.setCurrentIndex(i)
    area.detail.sentiment_fix.activated.emit(i)
    assert services.mentions.get_mention(m.id).sentiment == "negative"
    assert area.current_mention().sentiment == "negative"


def test_reach_weight_of_a_source_is_edited_in_the_detail(qtbot, area, services):
    m = area.current_mention()
    assert area.detail.reach.value() == 1.0 and m.source in area.detail.reach_hint.text()
    area.detail.reach.setFocus()
    area.detail.reach.lineEdit().selectAll()
    qtbot.keyClicks(area.detail.reach.lineEdit(), "5")
    qtbot.keyClick(area.detail.reach.lineEdit(), Qt.Key.Key_Return)
    same_source = [x for x in services.mentions.list_mentions().mentions if x.source == m.source]
    assert same_source and all(x.reach == 5.0 for x in same_source)
    assert area.current_mention().reach == 5.0
    assert "5" in {s.source: str(s.weight) for s in services.mentions.list_sources()}[m.source]


# -- filters -------------------------------------------------------------------------

def test_views_filters_and_state_round_trip(qtbot, area, services, tmp_path):
    globex = services.mentions.get_term("Globex")
    area.select_view(f"term:{globex.id}")
    assert area.model.rowCount() == 4
    assert all(globex.id in area.model.mention_at(r).term_ids for r in range(4))

    area.select_view("all")
    area.sentiment_combo.setCurrentIndex(area.sentiment_combo.findData("negative"))
    rows = [area.model.mention_at(r) for r in range(area.model.rowCount())]
    assert rows and all(m.sentiment == "negative" for m in rows)

    area.sentiment_combo.setCurrentIndex(0)
    qtbot.keyClicks(area.search, "refund")
    qtbot.waitUntil(lambda: area.model.rowCount() == 2, timeout=3000)
    area.period_combo.setCurrentIndex(area.period_combo.findData("today"))
    area.source_combo.setCurrentIndex(area.source_combo.findData("forum.example"))

    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    area.save_state(settings)
    settings.sync()
    other = MentionsArea(services)
    qtbot.addWidget(other)
    other.restore_state(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert other.search.text() == "refund"
    assert other.period_combo.currentData() == "today"
    assert other.source_combo.currentData() == "forum.example"
    assert other.current_filter() == area.current_filter()


def test_a_search_with_no_hit_says_so(qtbot, area):
    area.search.setText('"no such words" AND (')
    area.apply_filters()
    assert area.model.rowCount() == 0 and area.model.error is None
    assert area.empty_label.text() == "No mentions here. Change the view or the filters."
    assert area.detail.mention is None and not area.reply.draft.isEnabled()


def test_period_bounds():
    import datetime as dt
    today = dt.date(2026, 3, 15)
    since, until = period_bounds("month", today)
    assert dt.datetime.fromtimestamp(since).date() == dt.date(2026, 3, 1) and until is None
    since, until = period_bounds("custom", today, (dt.date(2026, 3, 1), dt.date(2026, 3, 2)))
    assert until - since == 2 * 86400 or abs(until - since - 2 * 86400) <= 3600  # DST tolerant
    assert period_bounds("any", today) == (None, None)


# -- refresh -------------------------------------------------------------------------

def test_new_mentions_arrive_at_the_top_keeping_selection(qtbot, area, services, feed_server):
    key(qtbot, area, "j")
    key(qtbot, area, "j")
    selected = area.current_mention().id
    before = ids_in(area.model)
    feed_server.route("/more.xml", feed_xml(3, start=100, now=2_000_000_000, host="blog.example"))
    services.feeds.subscribe(feed_server.url("/more.xml"))
    summary = services.refresh_feeds()
    assert summary.new_mentions == 3
    for result in summary.results:
        area.on_refresh_progress(result)
    qtbot.waitUntil(lambda: area.model.rowCount() == 15, timeout=3000)
    after = ids_in(area.model)
    assert after[3:] == before
    assert area.current_mention().id == selected
    assert "New  (15)" in area.views.item(0).text()


def test_reload_after_a_new_term_shows_its_view(qtbot, area, services):
    services.mentions.add_term("Pricing", "pricing OR discount", kind="topic")
    area.reload()
    labels = [area.views.item(i).text() for i in range(area.views.count())]
    assert any(label.startswith("\u25cf Pricing  (2)") for label in labels)
    assert area.term_combo.findText("Pricing") >= 0
