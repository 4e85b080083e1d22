"""The settings dialog, over the typed declarations of `cmdesk.core.settings`.

Each page edits declared keys through `SettingsService`; an empty optional
field means "not set" (a missing ROI input stays missing, never 0). Language
and theme apply at once when the dialog is accepted; other keys are announced
by `settings_changed(keys)` so the window can re-read them (refresh timer...).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QMessageBox, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from cmdesk.core.settings import InvalidSettingValue, SettingSpec, parse_value, spec

__all__ = ["SettingsDialog", "settings_of", "SETTINGS_PAGES"]


def settings_of(services):
    """The profile's SettingsService (the composition root's, else one on its store)."""
    existing = getattr(services, "settings", None)
    if existing is not None:
        return existing
    from cmdesk.services.settings import SettingsService

    return SettingsService(services.db_path)


# Which keys each page shows, in order.
SETTINGS_PAGES: dict[str, tuple[str, ...]] = {
    "general": ("ui.language", "ui.theme", "brand.name"),
    "refresh": ("refresh.auto", "refresh.interval_minutes", "refresh.concurrency", "retention.keep_items",
                "retention.keep_days", "network.proxy"),
    "notifications": ("notify.mentions", "notify.spikes"),
    "roi": ("roi.currency", "roi.hourly_cost", "roi.hours_per_month", "roi.tool_costs", "roi.other_costs",
            "roi.value_per_reply", "roi.value_per_positive", "roi.value_per_lead", "roi.lead_tag", "roi.cpm",
            "report.lang", "report.top_mentions"),
}

# Keys whose widget is a spin box (always set); every other int/float/str is a line edit
# where empty means "not set".
_SPIN_KEYS = {"refresh.interval_minutes": (5, 24 * 60), "refresh.concurrency": (1, 64),
              "retention.keep_items": (1, 1_000_000), "report.top_mentions": (1, 100)}


class _Field:
    """One editor widget bound to one setting."""

    def __init__(self, s: SettingSpec, parent: QWidget):
        self.spec = s
        self.label = QLabel(parent)
        if s.type is bool:
            self.widget: QWidget = QCheckBox(parent)
        elif s.choices:
            self.widget = QComboBox(parent)
            for choice in s.choices:
                self.widget.addItem(choice, choice)
        elif s.key in _SPIN_KEYS:
            self.widget = QSpinBox(parent)
            self.widget.setRange(*_SPIN_KEYS[s.key])
        else:
            self.widget = QLineEdit(parent)
            self.widget.setClearButtonEnabled(True)
        self.widget.setObjectName(s.key)
        self.label.setBuddy(self.widget)

    def set_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            w.setCurrentIndex(i if i >= 0 else 0)
        elif isinstance(w, QSpinBox):
            w.setValue(int(value if value is not None else self.spec.default or w.minimum()))
        else:
            w.setText(_display(self.spec, value))

    def value(self) -> Any:
        """The typed value, None for an empty optional field; raises InvalidSettingValue."""
        w = self.widget
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QSpinBox):
            return w.value()
        text = w.text().strip()
        if not text:
            return None
        if self.spec.key == "network.proxy":
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
                raise InvalidSettingValue(text)
        if self.spec.type is float:
            # "1 234,5" as a French user types it; the group separator is dropped
            text = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        return parse_value(self.spec, text)


def _display(s: SettingSpec, value: Any) -> str:
    if value is None:
        return ""
    if s.type is float:
        text = QLocale().toString(float(value), "f", 2)
        # keep what the user typed recognisable: 25,00 → 25 ; 12,50 stays
        dec = QLocale().decimalPoint()
        if text.endswith(dec + "00"):
            text = text[: -3]
        return text.replace(QLocale().groupSeparator(), "")
    return str(value)


class SettingsDialog(QDialog):
    """Preferences: general (language, theme, brand), refresh and network, notifications, ROI inputs."""

    settings_changed = Signal(list)  # keys whose stored value changed

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.settings = settings_of(services)
        self.changed_keys: list[str] = []
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(560)

        self.fields: dict[str, _Field] = {}
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        self.pages: dict[str, QWidget] = {}
        self.page_notes: dict[str, QLabel] = {}
        for name, keys in SETTINGS_PAGES.items():
            page = QWidget()
            page.setObjectName(f"page_{name}")
            form = QFormLayout(page)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            note = QLabel(page)
            note.setWordWrap(True)
            note.setForegroundRole(note.foregroundRole())
            self.page_notes[name] = note
            form.addRow(note)
            for key in keys:
                f = _Field(spec(key), page)
                self.fields[key] = f
                form.addRow(f.label, f.widget)
            if name == "notifications":
                self.term_list = QListWidget(page)
                self.term_list.setObjectName("notifyTerms")
                self.term_list_label = QLabel(page)
                self.term_list_label.setWordWrap(True)
                form.addRow(self.term_list_label)
                form.addRow(self.term_list)
            self.pages[name] = page
            self.tabs.addTab(page, "")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)

        self.retranslate()
        self.load()

    # -- texts ---------------------------------------------------------------
    def retranslate(self):
        self.setWindowTitle(self.tr("Settings"))
        titles = {"general": self.tr("General"), "refresh": self.tr("Refresh and network"),
                  "notifications": self.tr("Notifications"), "roi": self.tr("Monthly summary and ROI")}
        for i, name in enumerate(SETTINGS_PAGES):
            self.tabs.setTabText(i, titles[name])
        self.page_notes["general"].setText(self.tr("Language and theme apply as soon as you press OK."))
        self.page_notes["refresh"].setText(self.tr("These settings apply from the next refresh. An empty field "
                                                   "means: not set."))
        self.page_notes["notifications"].setText(self.tr("Notifications appear in the system tray after a "
                                                         "refresh."))
        self.page_notes["roi"].setText(self.tr("Used by the monthly summary. Leave a field empty when you do not "
                                               "know it: it is reported as missing, never counted as zero."))
        labels = {
            "ui.language": self.tr("Interface language:"),
            "ui.theme": self.tr("Theme:"),
            "brand.name": self.tr("Brand name:"),
            "refresh.auto": self.tr("Refresh automatically"),
            "refresh.interval_minutes": self.tr("Refresh every:"),
            "refresh.concurrency": self.tr("Feeds fetched at once:"),
            "retention.keep_items": self.tr("Keep per feed at most:"),
            "retention.keep_days": self.tr("Delete items older than (days):"),
            "network.proxy": self.tr("Proxy:"),
            "notify.mentions": self.tr("New mentions of the terms ticked below"),
            "notify.spikes": self.tr("Spikes in a term's daily volume"),
            "roi.currency": self.tr("Currency:"),
            "roi.hourly_cost": self.tr("Hourly cost:"),
            "roi.hours_per_month": self.tr("Hours spent per month:"),
            "roi.tool_costs": self.tr("Tool costs per month:"),
            "roi.other_costs": self.tr("Other costs per month:"),
            "roi.value_per_reply": self.tr("Value per replied mention:"),
            "roi.value_per_positive": self.tr("Value per positive mention:"),
            "roi.value_per_lead": self.tr("Value per lead:"),
            "roi.lead_tag": self.tr("Tag that marks a lead:"),
            "roi.cpm": self.tr("CPM (value per 1,000 reach):"),
            "report.lang": self.tr("Language of the monthly summary:"),
            "report.top_mentions": self.tr("Top mentions listed in the summary:"),
        }
        for key, f in self.fields.items():
            text = labels.get(key, key)
            if isinstance(f.widget, QCheckBox):
                f.widget.setText(text)
                f.label.setText("")
            else:
                f.label.setText(text)
            f.widget.setToolTip(self._doc(key))
        choice_names = {
            "system": self.tr("System"), "en": "English", "fr": "Français",
            "light": self.tr("Light"), "dark": self.tr("Dark"),
        }
        for key in ("ui.language", "ui.theme", "report.lang"):
            combo = self.fields[key].widget
            for i in range(combo.count()):
                combo.setItemText(i, choice_names.get(combo.itemData(i), combo.itemData(i)))
        self.fields["refresh.interval_minutes"].widget.setSuffix(self.tr(" min"))
        self.fields["retention.keep_items"].widget.setSuffix(self.tr(" items"))
        self.fields["network.proxy"].widget.setPlaceholderText(self.tr("System settings (e.g. http://proxy:3128)"))
        self.fields["retention.keep_days"].widget.setPlaceholderText(self.tr("Never"))
        self.fields["brand.name"].widget.setPlaceholderText(self.tr("The first brand watch term"))
        for key in SETTINGS_PAGES["roi"]:
            w = self.fields[key].widget
            if isinstance(w, QLineEdit) and spec(key).type is float:
                w.setPlaceholderText(self.tr("Missing"))
        self.term_list_label.setText(self.tr("Terms that notify:"))

    def _doc(self, key: str) -> str:
        docs = {
            "ui.language": self.tr("System follows the language of your computer."),
            "refresh.concurrency": self.tr("How many feeds are fetched at the same time, all sites together."),
            "retention.keep_items": self.tr("Older items beyond this number are deleted at refresh (feeds with "
                                            "their own retention keep theirs)."),
            "network.proxy": self.tr("An http://, https:// or socks5:// URL. Empty: the system's proxy settings."),
            "roi.cpm": self.tr("Optional advertising-value estimate: reach / 1,000 × CPM."),
            "roi.lead_tag": self.tr("Mentions carrying this tag are counted as leads."),
        }
        return docs.get(key, "")

    def changeEvent(self, event):
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- load / save -----------------------------------------------------------
    def load(self):
        values = self.settings.get_many(list(self.fields))
        self._loaded = dict(values)
        for key, f in self.fields.items():
            f.set_value(values[key])
        self.term_list.clear()
        self._term_notify: dict[int, bool] = {}
        for term, count in self.services.mentions.list_terms():
            item = QListWidgetItem(self.tr("%1 (%2 mentions)").replace("%1", term.name).replace("%2", str(count)))
            item.setData(Qt.ItemDataRole.UserRole, term.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if term.notify else Qt.CheckState.Unchecked)
            self.term_list.addItem(item)
            self._term_notify[term.id] = term.notify

    def restore_defaults(self):
        """Put the declared defaults in the fields of the current page (nothing is saved before OK)."""
        name = list(SETTINGS_PAGES)[self.tabs.currentIndex()]
        for key in SETTINGS_PAGES[name]:
            self.fields[key].set_value(spec(key).default)

    def collect(self) -> dict[str, Any] | None:
        """Typed values of every field, or None after telling the user which field is wrong."""
        out = {}
        for key, f in self.fields.items():
            try:
                out[key] = f.value()
            except InvalidSettingValue:
                self.tabs.setCurrentWidget(f.widget.parentWidget())
                f.widget.setFocus()
                QMessageBox.warning(self, self.tr("Settings"),
                                    self.tr("“%1” is not a valid value for %2").replace("%1", _field_text(f))
                                    .replace("%2", f.label.text().rstrip(":") or f.widget.text()))
                return None
        return out

    def save(self) -> bool:
        values = self.collect()
        if values is None:
            return False
        from cmdesk.services.settings import SettingsError

        changed = []
        for key, value in values.items():
            if value == self._loaded.get(key):
                continue
            try:
                if value is None:
                    self.settings.unset(key)
                else:
                    self.settings.set(key, value)
            except SettingsError as exc:
                QMessageBox.warning(self, self.tr("Settings"), str(exc))
                return False
            changed.append(key)
        for i in range(self.term_list.count()):
            item = self.term_list.item(i)
            term_id = item.data(Qt.ItemDataRole.UserRole)
            notify = item.checkState() == Qt.CheckState.Checked
            if notify != self._term_notify.get(term_id):
                self.services.mentions.edit_term(term_id, notify=notify)
                self._term_notify[term_id] = notify
                if "terms.notify" not in changed:
                    changed.append("terms.notify")
        self._loaded.update(values)
        self.changed_keys = changed
        return True

    def accept(self):
        if not self.save():
            return
        app = QApplication.instance()
        if "ui.theme" in self.changed_keys:
            from cmdesk.ui.theme import apply_theme

            apply_theme(app, self.fields["ui.theme"].value())
        if "ui.language" in self.changed_keys:
            from cmdesk.ui.i18n import install_translator

            install_translator(app, self.fields["ui.language"].value())
        if self.changed_keys:
            self.settings_changed.emit(list(self.changed_keys))
        super().accept()


def _field_text(f: _Field) -> str:
    w = f.widget
    return w.text() if isinstance(w, QLineEdit) else ""
