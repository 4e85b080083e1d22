#!/usr/bin/env bash
# Build the frozen one-folder app with PyInstaller into dist/cmdesk/.
#
#   packaging/build.sh                 # use the current Python (cmdesk and its deps installed)
#   packaging/build.sh --venv DIR      # create/reuse a venv in DIR, install cmdesk + PyInstaller there
#   packaging/build.sh --clean         # also drop PyInstaller's cache and the previous build
#
# PYTHON=python3.12 picks the interpreter used (or that creates the venv).
# Prints the build time and the size of dist/cmdesk/ at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"
venv=""
clean=()
while [ $# -gt 0 ]; do
  case "$1" in
    --venv) venv="${2:?--venv needs a folder}"; shift 2 ;;
    --clean) clean=(--clean); shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ -n "$venv" ]; then
  [ -x "$venv/bin/python" ] || [ -x "$venv/Scripts/python.exe" ] || "$python" -m venv "$venv"
  if [ -x "$venv/bin/python" ]; then python="$venv/bin/python"; else python="$venv/Scripts/python.exe"; fi
  "$python" -m pip install --quiet --upgrade pip
  "$python" -m pip install --quiet . pyinstaller
elif ! "$python" -c "import PyInstaller" 2>/dev/null; then
  echo "installing PyInstaller into $("$python" -c 'import sys; print(sys.prefix)')"
  "$python" -m pip install --quiet pyinstaller
fi
"$python" -c "import cmdesk, PySide6" || { echo "build.sh: cmdesk and its dependencies must be installed in $python" >&2; exit 1; }

if [ ${#clean[@]} -gt 0 ]; then rm -rf build/pyinstaller dist/cmdesk; fi
start=$(date +%s)
"$python" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/cmdesk.spec
end=$(date +%s)

exe=dist/cmdesk/cmdesk
[ -x "$exe" ] || exe=dist/cmdesk/cmdesk.exe
[ -x "$exe" ] || [ -d dist/cmdesk.app ] || { echo "build.sh: no executable in dist/cmdesk" >&2; exit 1; }
echo "built dist/cmdesk in $((end - start)) s, size $(du -sh dist/cmdesk | cut -f1)"
