"""The one build step pyproject.toml cannot declare: ship `resources/` in the wheel.

Everything under the repository's top-level `resources/` (lexicons, icons,
translations, demo data, report templates) is copied into the built package
as `cmdesk/_resources`, where `cmdesk.resources` looks first. When Qt's
`lrelease` is at hand at build time, the translations' `.ts` files are also
compiled to `.qm` beside them; when it is not, the app compiles missing `.qm`
files at run time, so the build never needs PySide6.

Editable installs skip the copy: they keep reading the repository's
`resources/` in place, so an edited lexicon is live without reinstalling.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ROOT / "resources"
PACKAGED_NAME = "_resources"


def find_lrelease() -> list[str] | None:
    """The command that runs Qt's lrelease, or None when none is installed."""
    for name in ("pyside6-lrelease", "lrelease-qt6", "lrelease"):
        found = shutil.which(name)
        if found:
            return [found]
    # PySide6 ships the binary inside the package even when its scripts are not on PATH.
    spec = importlib.util.find_spec("PySide6")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for candidate in (Path(folder) / "lrelease", Path(folder) / "lrelease.exe",
                              Path(folder) / "Qt" / "libexec" / "lrelease"):
                if candidate.is_file():
                    return [str(candidate)]
    return None


def compile_translations(folder: Path, log=print) -> int:
    """Compile every `*.ts` in `folder` to a `.qm` beside it; returns how many were compiled."""
    sources = sorted(folder.glob("*.ts")) if folder.is_dir() else []
    if not sources:
        return 0
    lrelease = find_lrelease()
    if lrelease is None:
        log("cmdesk build: lrelease not found, translations are compiled at run time instead")
        return 0
    compiled = 0
    for ts in sources:
        qm = ts.with_suffix(".qm")
        result = subprocess.run([*lrelease, str(ts), "-qm", str(qm)], capture_output=True, text=True)
        if result.returncode == 0 and qm.is_file():
            compiled += 1
        else:  # a broken catalogue must not break the build: the runtime fallback still has the .ts
            log(f"cmdesk build: lrelease failed on {ts.name}: {result.stderr.strip() or result.stdout.strip()}")
    return compiled


class build_py_with_resources(build_py):
    """build_py that also lays `resources/` into the package as `cmdesk/_resources`."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not RESOURCES.is_dir():
            sys.exit("cmdesk build: the resources/ folder is missing (an sdist without MANIFEST.in?)")
        target = Path(self.build_lib) / "cmdesk" / PACKAGED_NAME
        if target.exists():  # a stale copy could keep files deleted from resources/
            shutil.rmtree(target)
        shutil.copytree(RESOURCES, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]", ".*"))
        compiled = compile_translations(target / "translations", log=lambda m: self.announce(m, level=2))
        self.announce(f"cmdesk build: resources copied to {target} ({compiled} translation(s) compiled)", level=2)


# setuptools runs this file as __main__; the PyInstaller spec imports it for
# compile_translations() without starting a build.
if __name__ == "__main__":
    setup(cmdclass={"build_py": build_py_with_resources})
