"""First launch: the welcome dialog, the brand wizard, the demo installed off the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from cmdesk.app import open_profile
from cmdesk.core.recipes import KIND_GOOGLE_NEWS, KIND_HACKER_NEWS, KIND_MASTODON, KIND_REDDIT
from cmdesk.ui.first_run import (
    BrandWizard, FirstRunDialog, PlannedTerm, apply_brand_setup, needs_first_run, split_names, term_query,
)


@pytest.fixture
def services(profile_dir):
    return open_profile(profile_dir)


def test_queries_quote_multi_word_names_and_add_language_filters():
    assert term_query("Acme") == "acme" or term_query("Acme") == "Acme"
    assert term_query("Acme Corp") == '"Acme Corp"'
    assert term_query("Acme  Corp", "fr") == '"Acme Corp" lang:fr'
    assert term_query("Globex", "both") == "Globex lang:fr,en"
    assert term_query("acme.io") == '"acme.io"'
    assert split_names("Globex, Initech\n  Umbrella Corp ;globex\n\n") == ["Globex", "Initech", "Umbrella Corp"]


def test_needs_first_run_only_for_an_empty_profile(services):
    assert needs_first_run(services)
    services.mentions.add_term("Acme", "acme")
    assert not needs_first_run(services)


def test_skip_is_remembered(qtbot, services):
    d = FirstRunDialog(services)
    qtbot.addWidget(d)
    d.skip_button.click()
    assert d.choice == "skip" and not d.changed
    assert not needs_first_run(services)


def test_wizard_creates_terms_and_subscribes_recipes(qtbot, services):
    wizard = BrandWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.brand_page.brand.setText("Acme Corp")
    wizard.brand_page.competitors.setPlainText("Globex, Initech\nacme corp")
    wizard.next()
    wizard.language_page.fr.setChecked(True)
    wizard.language_page.restrict.setChecked(True)
    wizard.next()
    table = wizard.terms_page.table
    rows = [(table.item(r, 0).text(), table.cellWidget(r, 1).currentData(), table.item(r, 2).text())
            for r in range(table.rowCount())]
    assert rows == [("Acme Corp", "brand", '"Acme Corp" lang:fr'), ("Globex", "competitor", "Globex lang:fr"),
                    ("Initech", "competitor", "Initech lang:fr")]
    table.item(2, 0).setCheckState(Qt.CheckState.Unchecked)  # leave Initech out
    table.item(1, 2).setText("globex -jobs lang:fr")
    wizard.next()
    boxes = wizard.recipes_page.boxes
    assert boxes[KIND_GOOGLE_NEWS].isChecked() and not boxes[KIND_MASTODON].isChecked()
    boxes[KIND_HACKER_NEWS].setChecked(False)
    boxes[KIND_MASTODON].setChecked(True)
    wizard.accept()
    terms = {t.name: t for t, _n in services.mentions.list_terms()}
    assert set(terms) == {"Acme Corp", "Globex"}
    assert terms["Acme Corp"].kind == "brand" and terms["Acme Corp"].notify
    assert terms["Globex"].query == "globex -jobs lang:fr" and terms["Globex"].kind == "competitor"
    urls = sorted(f.feed.url for f in services.feeds.list_feeds())
    assert len(urls) == 3  # brand only: Google News (fr), Reddit, Mastodon
    assert any("news.google.com" in u and "hl=fr" in u and "%22Acme+Corp%22" in u for u in urls)
    assert any("reddit.com" in u for u in urls) and any("mastodon.social/tags/acmecorp" in u for u in urls)
    assert services.settings.get("brand.name") == "Acme Corp"
    assert not needs_first_run(services)


def test_wizard_refuses_a_broken_query(qtbot, services, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    wizard = BrandWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.brand_page.brand.setText("Acme")
    wizard.next()
    wizard.next()
    wizard.terms_page.table.item(0, 2).setText('"unclosed')
    wizard.next()
    assert wizard.currentPage() is wizard.terms_page and shown


def test_both_languages_give_two_google_news_editions(services):
    result = apply_brand_setup(services, "Acme", [PlannedTerm("Acme", "brand", "acme"),
                                                  PlannedTerm("Globex", "competitor", "globex")],
                               lang="both", recipe_kinds={KIND_GOOGLE_NEWS, KIND_REDDIT},
                               recipes_for_competitors=True)
    assert result.terms == 2 and not result.problems
    urls = [f.feed.url for f in services.feeds.list_feeds()]
    assert sum("news.google.com" in u for u in urls) == 4  # fr and en, for both terms
    assert sum("reddit.com" in u for u in urls) == 2


def test_demo_runs_off_the_gui_thread(qtbot, services, monkeypatch):
    import cmdesk.services.demo as demo

    threads = []

    def fake_install(svc, **kw):
        threads.append(threading.current_thread())
        svc.mentions.add_term("Cartavo", "cartavo")
        return "summary"

    monkeypatch.setattr(demo, "install_demo", fake_install)
    d = FirstRunDialog(services)
    qtbot.addWidget(d)
    d.show()
    with qtbot.waitSignal(d.accepted, timeout=10_000):
        d.demo_button.click()
        assert d.progress.isVisible() and not d.wizard_button.isEnabled()
    assert threads and threads[0] is not threading.main_thread()
    assert d.changed and not needs_first_run(services)


def test_demo_failure_is_shown_and_the_dialog_stays(qtbot, services, monkeypatch):
    import cmdesk.services.demo as demo

    def broken(svc, **kw):
        raise demo.DemoError("the profile is not empty")

    monkeypatch.setattr(demo, "install_demo", broken)
    d = FirstRunDialog(services)
    qtbot.addWidget(d)
    d.show()
    d.demo_button.click()
    qtbot.waitUntil(lambda: d.demo_button.isEnabled(), timeout=10_000)
    assert "not empty" in d.status.text() and d.isVisible() and not d.changed


def test_the_real_demo_workspace_opens_from_the_dialog(qtbot, services):
    d = FirstRunDialog(services)
    qtbot.addWidget(d)
    d.show()
    with qtbot.waitSignal(d.accepted, timeout=120_000):
        d.demo_button.click()
    assert d.changed
    assert services.feeds.list_feeds() and services.mentions.list_terms()
    assert services.mentions.count_mentions() > 0
