"""The interface language: which one, and loading its Qt translation catalogues.

cmdesk's strings are written in English in the code (``self.tr(...)``) and
translated by Qt Linguist catalogues in ``resources/translations/``
(``cmdesk_<lang>.ts`` sources; ``.qm`` compiled files). A wheel or a frozen app
carries the ``.qm`` files built at build time; an editable install may have only
the ``.ts``: the catalogue is then compiled once with Qt's ``lrelease`` into the
user cache directory, keyed by the source's content, and loaded from there.

Qt's own strings (standard buttons, context menus of line edits...) come from
``qtbase_<lang>.qm`` in PySide6's translations folder.

Installing or removing a translator makes Qt send ``QEvent.LanguageChange`` to
every widget; widgets rebuild their texts in ``changeEvent`` (``retranslate``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import shutil
import subprocess
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from cmdesk.resources import resource_path

__all__ = [
    "SUPPORTED_LANGUAGES", "system_language", "resolve_language", "catalogue_path", "install_translator",
    "current_language", "find_lrelease",
]

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("en", "fr")  # "en" is the source language: no catalogue needed
SOURCE_LANGUAGE = "en"

# Translators must outlive the call that installs them (Qt keeps only a pointer).
_installed: list[QTranslator] = []
_current = SOURCE_LANGUAGE


def system_language() -> str:
    """The system's UI language if cmdesk speaks it, else English."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in SUPPORTED_LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def resolve_language(setting: str | None) -> str:
    """The language to use for the `ui.language` setting ("system", "en", "fr" or None)."""
    if setting in SUPPORTED_LANGUAGES:
        return setting
    return system_language()


def find_lrelease() -> list[str] | None:
    """The command that runs Qt's lrelease (PySide6 ships one), or None."""
    for name in ("pyside6-lrelease", "lrelease-qt6", "lrelease"):
        found = shutil.which(name)
        if found:
            return [found]
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for candidate in (Path(folder) / "lrelease", Path(folder) / "lrelease.exe",
                          Path(folder) / "Qt" / "libexec" / "lrelease"):
            if candidate.is_file():
                return [str(candidate)]
    return None


def _cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("cmdesk", appauthor=False)) / "translations"


def catalogue_path(lang: str, *, translations_dir: Path | None = None, cache_dir: Path | None = None) -> Path | None:
    """The `.qm` file for `lang`: the bundled one when it is up to date with its
    `.ts`, else one compiled from the `.ts` into the cache. None when there is
    no catalogue (or it cannot be compiled)."""
    folder = translations_dir or resource_path("translations")
    qm = folder / f"cmdesk_{lang}.qm"
    ts = folder / f"cmdesk_{lang}.ts"
    if not ts.is_file():
        return qm if qm.is_file() else None
    if qm.is_file() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    source = ts.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    cached = (cache_dir or _cache_dir()) / f"cmdesk_{lang}-{digest}.qm"
    if cached.is_file():
        return cached
    lrelease = find_lrelease()
    if lrelease is None:
        log.warning("no lrelease found to compile %s; using %s", ts, qm if qm.is_file() else "English")
        return qm if qm.is_file() else None
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp.qm")
    try:
        result = subprocess.run([*lrelease, "-silent", str(ts), "-qm", str(tmp)], capture_output=True, text=True,
                                timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("lrelease failed on %s: %s", ts, exc)
        return qm if qm.is_file() else None
    if result.returncode != 0 or not tmp.is_file():
        log.warning("lrelease failed on %s: %s", ts, (result.stderr or result.stdout).strip())
        return qm if qm.is_file() else None
    tmp.replace(cached)  # atomic: another instance never reads half a file
    return cached


def install_translator(app: QCoreApplication, language: str | None = None) -> str:
    """Load the catalogues for `language` (a `ui.language` value: "system", "en",
    "fr"; None means "system") into `app`, replacing the previous ones.

    Returns the language in effect. Every widget receives a LanguageChange event.
    """
    global _current
    lang = resolve_language(language)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang != SOURCE_LANGUAGE:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_tr = QTranslator(app)
        if qt_tr.load(f"qtbase_{lang}", qt_dir):
            app.installTranslator(qt_tr)
            _installed.append(qt_tr)
        path = catalogue_path(lang)
        ours = QTranslator(app)
        if path is not None and ours.load(str(path)):
            app.installTranslator(ours)
            _installed.append(ours)
        elif path is not None:
            log.warning("could not load the %s catalogue %s", lang, path)
    _current = lang
    # Dates and numbers follow the interface language; "system" keeps the system's own formats.
    QLocale.setDefault(QLocale(lang) if language in SUPPORTED_LANGUAGES else QLocale.system())
    # Qt posts LanguageChange to every window; deliver now so texts are updated on return.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return lang


def current_language() -> str:
    """The language `install_translator` last put in effect."""
    return _current
