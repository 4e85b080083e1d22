#!/usr/bin/env bash
# Validate the Linux desktop integration files and the rendered icons.
# Needs appstreamcli (package appstream) and desktop-file-validate (desktop-file-utils).
set -euo pipefail
cd "$(dirname "$0")/../.."
appstreamcli validate --no-net packaging/linux/io.github.cmdesk.Cmdesk.metainfo.xml
desktop-file-validate packaging/linux/io.github.cmdesk.Cmdesk.desktop
python3 packaging/render_icons.py --check
echo "linux desktop files OK"
