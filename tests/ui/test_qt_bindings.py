"""The installed Qt bindings must not corrupt Python's reference counts.

PySide6 6.12.0 over-releases None in QSettings.setValue and True/False in
QSettings.value(type=bool); after a few thousand calls (a day of use, or this
test suite) the interpreter aborts with "none_dealloc"/"bool_dealloc". The
version is excluded in pyproject.toml; this test catches a regression in a
future release before users do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from PySide6.QtCore import QCoreApplication, QSettings
    app = QCoreApplication([])
    s = QSettings({path!r}, QSettings.Format.IniFormat)
    for i in range(3000):
        s.setValue("flag", i % 2 == 0)
        s.value("flag", False, type=bool)
        s.value("missing", True, type=bool)
    s.sync()
    print("ok")
""")


def test_qsettings_round_trips_do_not_break_refcounts(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(path=str(tmp_path / "s.ini"))],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
