#!/usr/bin/env bash
# Install the frozen app (dist/cmdesk/, from packaging/build.sh) for the current user:
#   ~/.local/opt/cmdesk/             the one-folder app
#   ~/.local/bin/cmdesk              a link to its executable
#   ~/.local/share/applications/     the .desktop launcher
#   ~/.local/share/icons/hicolor/    the icon in every size
#   ~/.local/share/metainfo/         the AppStream metadata (software centres)
#
#   packaging/linux/install.sh [--uninstall]
# PREFIX (default ~/.local) changes where everything goes. Your profile
# (database, settings) is never touched: it lives in the user data directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
prefix="${PREFIX:-$HOME/.local}"
app_id=io.github.cmdesk.Cmdesk
sizes="16 22 24 32 48 64 128 256 512"

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$prefix/opt/cmdesk"
  rm -f "$prefix/bin/cmdesk" "$prefix/share/applications/$app_id.desktop" "$prefix/share/metainfo/$app_id.metainfo.xml"
  for s in $sizes; do rm -f "$prefix/share/icons/hicolor/${s}x${s}/apps/cmdesk.png"; done
  rm -f "$prefix/share/icons/hicolor/scalable/apps/cmdesk.svg"
  echo "cmdesk removed from $prefix"
  exit 0
fi

[ -x dist/cmdesk/cmdesk ] || { echo "install.sh: build first (packaging/build.sh)" >&2; exit 1; }
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications" "$prefix/share/metainfo"
rm -rf "$prefix/opt/cmdesk"
cp -a dist/cmdesk "$prefix/opt/cmdesk"
ln -sfn "$prefix/opt/cmdesk/cmdesk" "$prefix/bin/cmdesk"
sed "s|^Exec=cmdesk|Exec=$prefix/bin/cmdesk|" packaging/linux/$app_id.desktop > "$prefix/share/applications/$app_id.desktop"
cp packaging/linux/$app_id.metainfo.xml "$prefix/share/metainfo/"
for s in $sizes; do
  install -D -m 644 resources/icons/hicolor/${s}x${s}/apps/cmdesk.png "$prefix/share/icons/hicolor/${s}x${s}/apps/cmdesk.png"
done
install -D -m 644 resources/icons/cmdesk.svg "$prefix/share/icons/hicolor/scalable/apps/cmdesk.svg"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
echo "cmdesk installed in $prefix (run: $prefix/bin/cmdesk)"
