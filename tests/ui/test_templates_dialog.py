"""The reply-template editor: problems reported on save, preview on a mention, edit and delete."""

from __future__ import annotations

import pytest

from cmdesk.ui.mentions.templates_dialog import ReplyTemplatesDialog
from tests.ui.mentions_fixtures import make_profile


@pytest.fixture
def services(profile_dir, feed_server):
    s = make_profile(profile_dir, feed_server, n=6)
    s.mentions.add_template("Thanks", "Hi {author}, thanks!", "en")
    return s


def test_unknown_variable_is_reported_and_not_saved(qtbot, services):
    d = ReplyTemplatesDialog(services)
    qtbot.addWidget(d)
    d.new_template()
    d.name.setText("Oops")
    d.body.setPlainText("Hello {autor}, see {link}")
    assert d.save() is False
    assert "unknown variable {autor} at 7" in d.problems.text()
    assert d.result.text() == "Not saved: fix the problems above."
    assert [t.name for t in services.mentions.list_templates()] == ["Thanks"]


def test_preview_on_the_chosen_mention_and_edit(qtbot, services):
    m = services.mentions.list_mentions().mentions[0]
    d = ReplyTemplatesDialog(services, mention_id=m.id)
    qtbot.addWidget(d)
    assert d.mention_pick.currentData() == m.id
    assert d.name.text() == "Thanks"
    d.body.setPlainText("Hi {author}, about {brand}: {link}")
    d.update_preview()
    assert d.preview.toPlainText() == f"Hi {m.author}, about Acme: {m.url}"
    assert d.save() is True
    assert services.mentions.list_templates()[0].body == "Hi {author}, about {brand}: {link}"


def test_add_then_delete(qtbot, services, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    d = ReplyTemplatesDialog(services)
    qtbot.addWidget(d)
    d.new_template()
    d.name.setText("Merci")
    d.lang.setCurrentIndex(d.lang.findData("fr"))
    d.body.setPlainText("Merci {author} !")
    assert d.save()
    assert {t.name: t.lang for t in services.mentions.list_templates()} == {"Merci": "fr", "Thanks": "en"}
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    d.delete_template()
    assert [t.name for t in services.mentions.list_templates()] == ["Thanks"]
