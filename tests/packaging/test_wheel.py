"""The wheel as a user installs it: built from pyproject.toml, installed into a fresh
virtual environment, run from outside the repository.

The venv sees the test environment's packages (--system-site-packages) so PySide6
and the other dependencies are not downloaded; the wheel is installed with
--no-deps --no-index, and every check asserts that the `cmdesk` that runs is the
wheel's copy, not the repository's editable install.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# What a build needs: the same set MANIFEST.in puts in an sdist (packaging/ aside).
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "cmdesk", "resources")
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300,
         ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if ok:
        assert proc.returncode == 0, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel without build isolation from a copy of the sources, so the
    repository's build/ and egg-info are neither used nor touched."""
    root = tmp_path_factory.mktemp("wheel-build")
    src = root / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(path, src / name)
    out = root / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--disable-pip-version-check", "-w", out, src], cwd=root)
    (built,) = out.glob("cmdesk-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("wheel-venv")
    env_dir = root / "venv"
    # No pip of its own: the test environment's pip is visible through the system site-packages.
    _run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", env_dir], cwd=root)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    _run([python, "-m", "pip", "install", "--no-deps", "--force-reinstall", "--no-index",
          "--disable-pip-version-check", wheel], cwd=root)
    work = root / "work"  # cwd outside the repository, so the repository is not importable
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "CMDESK_PROFILE", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}")
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(root / var.lower())  # logs, caches and settings stay in the test's folder
    cmdesk = bindir / ("cmdesk.exe" if os.name == "nt" else "cmdesk")
    return {"dir": env_dir, "python": python, "cmdesk": cmdesk, "cwd": work, "env": env}


def _run_in(venv: dict, *args, **kw) -> subprocess.CompletedProcess:
    return _run(list(args), cwd=venv["cwd"], env=venv["env"], **kw)


def test_wheel_carries_every_resource(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "cmdesk/_resources/" + p.relative_to(REPO / "resources").as_posix()
        for p in (REPO / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }
    assert expected, "resources/ is empty?"
    missing = sorted(expected - names)
    assert not missing, f"resources missing from the wheel: {missing[:20]}"
    for needed in ("lexicons/fr.tsv", "lexicons/en.tsv", "icons/cmdesk.svg",
                   "icons/hicolor/16x16/apps/cmdesk.png", "icons/hicolor/512x512/apps/cmdesk.png"):
        assert f"cmdesk/_resources/{needed}" in names
    # The wheel carries the package and its resources, nothing of the repository's tooling.
    assert not [n for n in names if n.startswith(("tests/", "packaging/", "benchmarks/", "resources/"))]


def test_installed_wheel_runs_from_its_own_copy(venv):
    probe = _run_in(venv, venv["python"], "-c", (
        "import json, cmdesk, cmdesk.resources as r; "
        "print(json.dumps({'file': cmdesk.__file__, 'resources': str(r.resources_root()), "
        "'version': cmdesk.__version__}))"))
    info = json.loads(probe.stdout)
    venv_dir = venv["dir"].resolve()
    assert Path(info["file"]).resolve().is_relative_to(venv_dir), f"imported {info['file']}, not the wheel's copy"
    resources = Path(info["resources"])
    assert resources.name == "_resources" and resources.resolve().is_relative_to(venv_dir)
    assert (resources / "lexicons" / "fr.tsv").is_file()
    assert (resources / "icons" / "hicolor" / "48x48" / "apps" / "cmdesk.png").is_file()
    assert info["version"] == VERSION

    assert _run_in(venv, venv["cmdesk"], "--version").stdout.strip() == f"cmdesk {VERSION}"


def test_translations_compiled_when_lrelease_is_available(wheel):
    sources = sorted((REPO / "resources" / "translations").glob("*.ts"))
    if not sources:
        pytest.skip("no translations in resources/translations yet")
    spec = importlib.util.spec_from_file_location("cmdesk_setup", REPO / "setup.py")
    build_helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_helpers)  # setup() itself only runs as __main__
    if build_helpers.find_lrelease() is None:
        pytest.skip("Qt lrelease is not installed: translations are compiled at run time")
    names = set(zipfile.ZipFile(wheel).namelist())
    for ts in sources:
        assert f"cmdesk/_resources/translations/{ts.stem}.qm" in names


def test_demo_profile_from_the_wheel_lists_mentions(venv, tmp_path):
    if " demo " not in _run_in(venv, venv["cmdesk"], "--help").stdout.replace("\n", " "):
        pytest.skip("`cmdesk demo` does not exist yet (issue 6, demo workspace)")
    profile = tmp_path / "demo-profile"
    _run_in(venv, venv["cmdesk"], "demo", "--profile", profile, "--no-open", timeout=600)
    listed = json.loads(_run_in(venv, venv["cmdesk"], "mentions", "list", "--profile", profile, "--json",
                                "--limit", "50").stdout)
    assert len(listed) > 0, "the demo profile has no mention"
    assert all(m.get("id") for m in listed)
