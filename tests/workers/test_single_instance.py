"""One instance per profile: primary/secondary, activation ping, stale lock and socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir

from cmdesk.workers.single_instance import LOCK_FILENAME, SingleInstance, server_name_for


@pytest.fixture
def instances(qtbot):
    made = []

    def make(profile: Path) -> SingleInstance:
        inst = SingleInstance(profile)
        made.append(inst)
        return inst

    yield make
    for inst in made:
        inst.release()


def test_first_is_primary_second_pings_it(qtbot, tmp_path, instances):
    first = instances(tmp_path / "p")
    assert first.claim() is True and first.is_primary
    second = instances(tmp_path / "p")
    with qtbot.waitSignal(first.activation_requested, timeout=3000):
        assert second.claim(timeout_ms=1000) is False
    assert not second.is_primary


def test_profiles_are_independent(qtbot, tmp_path, instances):
    a = instances(tmp_path / "a")
    b = instances(tmp_path / "b")
    assert a.claim() and b.claim()
    assert server_name_for(tmp_path / "a") != server_name_for(tmp_path / "b")
    # the same profile written differently is the same profile
    assert server_name_for(tmp_path / "a") == server_name_for(tmp_path / "x" / ".." / "a")


def test_release_lets_the_next_launch_be_primary(qtbot, tmp_path, instances):
    first = instances(tmp_path / "p")
    assert first.claim()
    first.release()
    assert instances(tmp_path / "p").claim() is True


def test_lock_of_a_dead_process_and_stale_socket_are_taken_over(qtbot, tmp_path, instances):
    profile = tmp_path / "p"
    profile.mkdir()
    # A process that is gone left its lock file (QLockFile format: pid, app name, host name)...
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (profile / LOCK_FILENAME).write_text(f"{pid}\ncmdesk\n{socket.gethostname()}\n")
    # ...and its socket file, with nobody listening.
    name = server_name_for(profile)
    stale = None
    if os.name != "nt":
        path = os.path.join(QDir.tempPath(), name)
        stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        stale.bind(path)
        stale.close()
        assert os.path.exists(path)
    inst = instances(profile)
    assert inst.claim() is True
    second = instances(profile)
    with qtbot.waitSignal(inst.activation_requested, timeout=3000):
        assert second.claim(timeout_ms=1000) is False


def test_other_process_sees_the_primary(qtbot, tmp_path, instances):
    profile = tmp_path / "p"
    first = instances(profile)
    assert first.claim()
    code = ("import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
            "from cmdesk.workers.single_instance import SingleInstance;"
            f"print(SingleInstance(r'{profile}').claim(timeout_ms=2000))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    with qtbot.waitSignal(first.activation_requested, timeout=15000):
        pass
    out, _ = proc.communicate(timeout=30)
    assert out.strip() == "False"
