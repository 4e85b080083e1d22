"""First launch: open the demo workspace, set up one's brand in a short wizard, or skip.

`maybe_run_first_run(services, parent)` shows the welcome dialog when the
profile has no feeds and no watch terms and the choice was never made
(setting `ui.first_run_done`). The wizard goes: brand and competitors →
language → watch terms (editable queries) → starter monitoring feeds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton, QRadioButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from cmdesk.core.recipes import KIND_GOOGLE_NEWS, KIND_HACKER_NEWS, KIND_MASTODON, KIND_REDDIT
from cmdesk.ui.settings_dialog import settings_of

__all__ = [
    "FirstRunDialog", "BrandWizard", "PlannedTerm", "maybe_run_first_run", "needs_first_run", "term_query",
    "split_names", "apply_brand_setup",
]

log = logging.getLogger(__name__)

LANG_CHOICES = ("fr", "en", "both")
GOOGLE_NEWS_EDITIONS = {"fr": ("fr", "FR"), "en": ("en", "US")}


# -- pure helpers (tested without widgets) ---------------------------------------

def split_names(text: str) -> list[str]:
    """Names typed one per line or separated by commas; blanks and repeats dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for line in text.replace(";", ",").replace("\n", ",").split(","):
        name = " ".join(line.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def term_query(name: str, lang: str | None = None) -> str:
    """A sensible query for a name: a phrase in quotes when it has several words
    (or punctuation), plus an optional `lang:` filter ("fr", "en" or "both")."""
    words = name.replace('"', " ").split()
    if not words:
        raise ValueError("empty name")
    clean = " ".join(words)
    simple = len(words) == 1 and all(ch.isalnum() for ch in clean)
    query = clean if simple else f'"{clean}"'
    if lang in ("fr", "en"):
        query += f" lang:{lang}"
    elif lang == "both":
        query += " lang:fr,en"
    return query


@dataclass(frozen=True)
class PlannedTerm:
    name: str
    kind: str  # "brand" or "competitor"
    query: str


@dataclass(frozen=True)
class SetupResult:
    terms: int
    feeds: int
    problems: tuple[str, ...]


def apply_brand_setup(services, brand: str, terms: list[PlannedTerm], *, lang: str, recipe_kinds: set[str],
                      recipes_for_competitors: bool = False, mastodon_instance: str | None = None) -> SetupResult:
    """Create the watch terms, subscribe the chosen monitoring feeds, store the brand name.

    Problems (a name already taken, a feed already followed) are collected, not raised."""
    from cmdesk.services.mentions import MentionServiceError

    problems: list[str] = []
    created: list[tuple[int, str]] = []
    for t in terms:
        try:
            r = services.mentions.add_term(t.name, t.query, kind=t.kind, notify=t.kind == "brand")
            created.append((r.term.id, t.kind))
        except MentionServiceError as exc:
            problems.append(f"{t.name}: {exc}")
    editions = [GOOGLE_NEWS_EDITIONS[code] for code in (("fr", "en") if lang == "both" else (lang,))]
    urls: set[str] = set()
    feeds = 0
    for term_id, kind in created:
        if kind != "brand" and not recipes_for_competitors:
            continue
        for hl, gl in editions:
            try:
                options = {"lang": hl, "country": gl}
                if KIND_MASTODON in recipe_kinds and mastodon_instance:
                    options["mastodon_instance"] = mastodon_instance
                recipes = services.mentions.recipes(term_id, **options)
            except (MentionServiceError, ValueError) as exc:
                problems.append(str(exc))
                continue
            for recipe in recipes:
                if recipe.kind not in recipe_kinds or recipe.url in urls:
                    continue
                urls.add(recipe.url)
                try:
                    services.feeds.subscribe(recipe.url, title=recipe.title, folder="Monitoring")
                    feeds += 1
                except Exception as exc:  # a feed already followed, a bad URL: say it, keep going
                    problems.append(f"{recipe.title}: {exc}")
    settings = settings_of(services)
    if brand.strip():
        settings.set("brand.name", brand.strip())
    settings.set("ui.first_run_done", True)
    return SetupResult(len(created), feeds, tuple(problems))


def needs_first_run(services) -> bool:
    """True for a profile with no feeds and no watch terms where the choice was never made."""
    if settings_of(services).get("ui.first_run_done"):
        return False
    return not services.feeds.list_feeds() and not services.mentions.list_terms()


def maybe_run_first_run(services, parent: QWidget | None = None) -> bool:
    """Show the welcome dialog when the profile is new. Returns True when the
    workspace changed (demo installed or terms/feeds created): the window should
    reload its views and start a refresh."""
    if not needs_first_run(services):
        return False
    dialog = FirstRunDialog(services, parent)
    dialog.exec()
    return dialog.changed


# -- demo installation off the GUI thread -------------------------------------------

class DemoInstaller(QThread):
    """Runs `cmdesk.services.demo.install_demo` in its own thread (it refreshes feeds)."""

    succeeded = Signal(object)  # DemoSummary
    failed = Signal(str)

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services

    def run(self):
        try:
            from cmdesk.services.demo import install_demo

            summary = install_demo(self.services)
        except Exception as exc:  # shown to the user in the dialog; nothing is half-hidden
            log.exception("demo installation failed")
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.succeeded.emit(summary)


class FirstRunDialog(QDialog):
    """Welcome: demo workspace, brand wizard, or skip."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.changed = False
        self.choice: str | None = None  # "demo", "wizard", "skip"
        self._installer: DemoInstaller | None = None
        self.setObjectName("firstRunDialog")
        self.setMinimumWidth(520)

        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.demo_button = QPushButton()
        self.demo_button.setObjectName("demoButton")
        self.demo_hint = QLabel()
        self.demo_hint.setWordWrap(True)
        self.wizard_button = QPushButton()
        self.wizard_button.setObjectName("wizardButton")
        self.wizard_hint = QLabel()
        self.wizard_hint.setWordWrap(True)
        self.skip_button = QPushButton()
        self.skip_button.setObjectName("skipButton")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the demo gives no step count: a busy bar
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        for button, hint in ((self.demo_button, self.demo_hint), (self.wizard_button, self.wizard_hint)):
            layout.addWidget(button)
            hint.setContentsMargins(12, 0, 0, 8)
            layout.addWidget(hint)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.skip_button)
        layout.addLayout(row)

        self.demo_button.clicked.connect(self.open_demo)
        self.wizard_button.clicked.connect(self.open_wizard)
        self.skip_button.clicked.connect(self.skip)
        self.retranslate()

    def retranslate(self):
        self.setWindowTitle(self.tr("Welcome to cmdesk"))
        self.title.setText(self.tr("Welcome to cmdesk"))
        self.intro.setText(self.tr("Your profile is empty. How would you like to start?"))
        self.demo_button.setText(self.tr("Open the demo workspace"))
        self.demo_hint.setText(self.tr("A fictional brand with a month of feeds, mentions, replies and statistics, "
                                       "read offline. Ideal to look around."))
        self.wizard_button.setText(self.tr("Set up my brand…"))
        self.wizard_hint.setText(self.tr("Name your brand and competitors; cmdesk creates the watch terms and "
                                         "subscribes to starter monitoring feeds."))
        self.skip_button.setText(self.tr("Skip"))
        self.progress.setFormat(self.tr("Preparing the demo workspace…"))

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _busy(self, busy: bool):
        for b in (self.demo_button, self.wizard_button, self.skip_button):
            b.setEnabled(not busy)
        self.progress.setVisible(busy)

    def open_demo(self):
        self.choice = "demo"
        self._busy(True)
        self.status.setText(self.tr("Preparing the demo workspace: reading its feeds and finding mentions. "
                                    "This takes a few seconds…"))
        self.status.show()
        # grow to fit the progress bar and message instead of squashing the hints
        self.layout().activate()
        self.adjustSize()
        self._installer = DemoInstaller(self.services, self)
        self._installer.succeeded.connect(self._demo_done)
        self._installer.failed.connect(self._demo_failed)
        self._installer.start()

    def _demo_done(self, summary):
        self._installer.wait()
        settings_of(self.services).set("ui.first_run_done", True)
        self.changed = True
        self.accept()

    def _demo_failed(self, message: str):
        self._installer.wait()
        self._busy(False)
        self.status.setText(self.tr("The demo workspace could not be opened: %1").replace("%1", message))

    def open_wizard(self):
        self.choice = "wizard"
        wizard = BrandWizard(self.services, self)
        if wizard.exec() == QDialog.DialogCode.Accepted:
            self.changed = True
            self.accept()

    def skip(self):
        self.choice = "skip"
        settings_of(self.services).set("ui.first_run_done", True)
        self.accept()

    def reject(self):
        if self._installer is not None and self._installer.isRunning():
            return  # the demo is being written: closing now would leave half a workspace
        super().reject()


# -- the brand wizard -------------------------------------------------------------

class _BrandPage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.brand = QLineEdit()
        self.brand.setObjectName("brandEdit")
        self.competitors = QPlainTextEdit()
        self.competitors.setObjectName("competitorsEdit")
        self.competitors.setTabChangesFocus(True)
        self.competitors.setMaximumHeight(110)
        self.form = QFormLayout(self)
        self.brand_label = QLabel()
        self.competitors_label = QLabel()
        self.form.addRow(self.brand_label, self.brand)
        self.form.addRow(self.competitors_label, self.competitors)
        self.registerField("brand*", self.brand)
        self.retranslate()

    def retranslate(self):
        self.setTitle(self.tr("Your brand"))
        self.setSubTitle(self.tr("The name people use when they talk about you, and your main competitors."))
        self.brand_label.setText(self.tr("Brand name:"))
        self.brand.setPlaceholderText(self.tr("e.g. Acme Corp"))
        self.competitors_label.setText(self.tr("Competitors:"))
        self.competitors.setPlaceholderText(self.tr("One per line, or separated by commas"))

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _LanguagePage(QWizardPage):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.fr = QRadioButton()
        self.en = QRadioButton()
        self.both = QRadioButton()
        self.both.setChecked(True)
        self.restrict = QCheckBox()
        self.restrict.setObjectName("restrictLanguage")
        layout = QVBoxLayout(self)
        for b in (self.fr, self.en, self.both):
            layout.addWidget(b)
        layout.addSpacing(8)
        layout.addWidget(self.restrict)
        self.restrict_hint = QLabel()
        self.restrict_hint.setWordWrap(True)
        layout.addWidget(self.restrict_hint)
        layout.addStretch(1)
        self.retranslate()

    def language(self) -> str:
        return "fr" if self.fr.isChecked() else "en" if self.en.isChecked() else "both"

    def retranslate(self):
        self.setTitle(self.tr("Language"))
        self.setSubTitle(self.tr("Which languages do your audience and your press write in?"))
        self.fr.setText(self.tr("French"))
        self.en.setText(self.tr("English"))
        self.both.setText(self.tr("French and English"))
        self.restrict.setText(self.tr("Keep only mentions written in these languages"))
        self.restrict_hint.setText(self.tr("Adds a lang: filter to each watch term. Useful when your brand name is "
                                           "also a common word in other languages."))

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _TermsPage(QWizardPage):
    COLUMNS = 3

    def __init__(self, wizard: "BrandWizard"):
        super().__init__(wizard)
        self._wizard = wizard
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("termsTable")
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        self.retranslate()

    def retranslate(self):
        self.setTitle(self.tr("Watch terms"))
        self.setSubTitle(self.tr("Each term is a search query matched against every new item. Untick a term to "
                                 "leave it out; edit a query to refine it."))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Kind"), self.tr("Query")])
        self.hint.setText(self.tr('Syntax: "several words" for a phrase, OR between alternatives, -word to exclude, '
                                  "lang:fr for a language."))
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 1)
            if isinstance(combo, QComboBox):
                combo.setItemText(0, self.tr("Brand"))
                combo.setItemText(1, self.tr("Competitor"))

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def initializePage(self):
        w = self._wizard
        lang = w.language_page.language() if w.language_page.restrict.isChecked() else None
        brand = " ".join(self.field("brand").split())
        names = [(brand, "brand")] + [(n, "competitor") for n in split_names(w.brand_page.competitors.toPlainText())
                                      if n.casefold() != brand.casefold()]
        self.table.setRowCount(0)
        for name, kind in names:
            row = self.table.rowCount()
            self.table.insertRow(row)
            item = QTableWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem(self.tr("Brand"), "brand")
            combo.addItem(self.tr("Competitor"), "competitor")
            combo.setCurrentIndex(0 if kind == "brand" else 1)
            self.table.setCellWidget(row, 1, combo)
            self.table.setItem(row, 2, QTableWidgetItem(term_query(name, lang)))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)

    def planned_terms(self) -> list[PlannedTerm]:
        out = []
        for row in range(self.table.rowCount()):
            name_item = self.table.item(row, 0)
            if name_item.checkState() != Qt.CheckState.Checked:
                continue
            name = name_item.text().strip()
            query = (self.table.item(row, 2).text() or "").strip()
            if name and query:
                out.append(PlannedTerm(name, self.table.cellWidget(row, 1).currentData(), query))
        return out

    def validatePage(self) -> bool:
        from cmdesk.core.query import QuerySyntaxError, parse_query

        for t in self.planned_terms():
            try:
                parse_query(t.query)
            except QuerySyntaxError as exc:
                QMessageBox.warning(self, self.tr("Watch terms"),
                                    self.tr("The query of “%1” is not valid: %2").replace("%1", t.name)
                                    .replace("%2", str(exc)))
                return False
        return True


class _RecipesPage(QWizardPage):
    def __init__(self, wizard: "BrandWizard"):
        super().__init__(wizard)
        self._wizard = wizard
        self.boxes: dict[str, QCheckBox] = {}
        self.group = QGroupBox()
        group_layout = QVBoxLayout(self.group)
        for kind in (KIND_GOOGLE_NEWS, KIND_REDDIT, KIND_HACKER_NEWS, KIND_MASTODON):
            box = QCheckBox()
            box.setObjectName(f"recipe_{kind}")
            box.setChecked(kind != KIND_MASTODON)
            self.boxes[kind] = box
            group_layout.addWidget(box)
        self.instance = QLineEdit("mastodon.social")
        self.instance.setObjectName("mastodonInstance")
        instance_row = QHBoxLayout()
        instance_row.setContentsMargins(24, 0, 0, 0)
        self.instance_label = QLabel()
        instance_row.addWidget(self.instance_label)
        instance_row.addWidget(self.instance, 1)
        group_layout.addLayout(instance_row)
        self.boxes[KIND_MASTODON].toggled.connect(self.instance.setEnabled)
        self.instance.setEnabled(False)
        self.competitors = QCheckBox()
        self.competitors.setObjectName("recipesForCompetitors")
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.group)
        layout.addWidget(self.competitors)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self):
        self.setTitle(self.tr("Starter monitoring feeds"))
        self.setSubTitle(self.tr("cmdesk turns your terms into search feeds of these services. You can add or "
                                 "remove feeds at any time in Veille."))
        self.group.setTitle(self.tr("Search in"))
        self.boxes[KIND_GOOGLE_NEWS].setText(self.tr("Google News (in the chosen languages)"))
        self.boxes[KIND_REDDIT].setText(self.tr("Reddit"))
        self.boxes[KIND_HACKER_NEWS].setText(self.tr("Hacker News"))
        self.boxes[KIND_MASTODON].setText(self.tr("Mastodon hashtag"))
        self.instance_label.setText(self.tr("Instance:"))
        self.competitors.setText(self.tr("Also subscribe to these searches for competitors"))
        self.note.setText(self.tr("The feeds are read at the next refresh."))

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def kinds(self) -> set[str]:
        return {k for k, b in self.boxes.items() if b.isChecked()}


class BrandWizard(QWizard):
    """Brand and competitors → language → watch terms → starter monitoring feeds."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.result_summary: SetupResult | None = None
        self.setObjectName("brandWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(620, 460)
        self.brand_page = _BrandPage(self)
        self.language_page = _LanguagePage(self)
        self.terms_page = _TermsPage(self)
        self.recipes_page = _RecipesPage(self)
        for page in (self.brand_page, self.language_page, self.terms_page, self.recipes_page):
            self.addPage(page)
        self.retranslate()

    def retranslate(self):
        self.setWindowTitle(self.tr("Set up my brand"))

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def accept(self):
        lang = self.language_page.language()
        result = apply_brand_setup(
            self.services, " ".join(self.field("brand").split()), self.terms_page.planned_terms(), lang=lang,
            recipe_kinds=self.recipes_page.kinds(),
            recipes_for_competitors=self.recipes_page.competitors.isChecked(),
            mastodon_instance=self.recipes_page.instance.text().strip() or None,
        )
        self.result_summary = result
        if result.problems:
            QMessageBox.information(
                self, self.tr("Set up my brand"),
                self.tr("%1 watch terms and %2 feeds were added. Some could not be:").replace("%1", str(result.terms))
                .replace("%2", str(result.feeds)) + "\n\n" + "\n".join(result.problems))
        super().accept()
