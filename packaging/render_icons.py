"""Render the app icon from its SVG into the PNG sizes desktops use, plus .ico and .icns.

    python packaging/render_icons.py          # rewrite every rendered icon
    python packaging/render_icons.py --check  # exit 1 if a committed PNG is missing or stale in size

Sources: `resources/icons/cmdesk.svg`, and `resources/icons/cmdesk-small.svg` for
16–24 px (fewer, thicker shapes that stay readable on a panel). Outputs:
`resources/icons/hicolor/<n>x<n>/apps/cmdesk.png` (freedesktop icon theme layout,
installed as is on Linux), `packaging/windows/cmdesk.ico` and
`packaging/macos/cmdesk.icns` (PNG-compressed entries, written here so no
platform tool is needed). Rendering uses QtSvg onto a QImage, offscreen.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ICONS = REPO / "resources" / "icons"
SVG = ICONS / "cmdesk.svg"
SMALL_SVG = ICONS / "cmdesk-small.svg"
SMALL_MAX = 24
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns entry types holding PNG data, by pixel size (several types can share a size).
ICNS_TYPES = (("icp4", 16), ("ic11", 32), ("icp5", 32), ("ic12", 64), ("icp6", 64),
              ("ic07", 128), ("ic08", 256), ("ic13", 256), ("ic09", 512), ("ic14", 512), ("ic10", 1024))


def render(size: int) -> QImage:
    source = SMALL_SVG if size <= SMALL_MAX and SMALL_SVG.is_file() else SVG
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {source}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("PNG encoding failed")
    buffer.close()
    return bytes(data)


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / "cmdesk.png"


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNGs (read by Windows Vista and later)."""
    sizes = sorted(pngs)
    out = io.BytesIO()
    out.write(struct.pack("<HHH", 0, 1, len(sizes)))
    offset = 6 + 16 * len(sizes)
    for s in sizes:
        # Width/height 0 means 256 in the ICO directory.
        out.write(struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(pngs[s]), offset))
        offset += len(pngs[s])
    for s in sizes:
        out.write(pngs[s])
    return out.getvalue()


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns made of PNG entries (what iconutil writes)."""
    body = b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                    for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the committed PNGs exist with the right size")
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QPainter needs it)

    if args.check:
        bad = [p for s in PNG_SIZES for p in [png_path(s)] if not p.is_file() or QImage(str(p)).width() != s]
        for p in bad:
            print(f"missing or wrong size: {p.relative_to(REPO)}")
        return 1 if bad else 0

    pngs = {s: png_bytes(render(s)) for s in sorted(set(PNG_SIZES) | set(ICO_SIZES) | {1024})}
    for s in PNG_SIZES:
        target = png_path(s)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[s])
        print(f"{target.relative_to(REPO)}  {len(pngs[s])} bytes")
    for target, data in ((REPO / "packaging" / "windows" / "cmdesk.ico", ico_bytes({s: pngs[s] for s in ICO_SIZES})),
                         (REPO / "packaging" / "macos" / "cmdesk.icns", icns_bytes(pngs))):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"{target.relative_to(REPO)}  {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
