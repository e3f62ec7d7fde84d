"""Icons and other files under `resources/`, tinted to the current theme.

Icons are single-colour SVG line drawings stroked in black; they are recoloured
with the palette's text colour when loaded, so one set serves light and dark.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

_ICON_SIZES = (16, 20, 24, 32, 48)


@cache
def resources_folder() -> Path:
    """`resources/` of a source checkout, or the copy installed with the package."""
    override = os.environ.get("CX_MAPPER_RESOURCES")
    candidates = [Path(override)] if override else []
    candidates += [
        Path(__file__).resolve().parents[3] / "resources",
        Path(sys.prefix) / "share" / "cx-mapper" / "resources",
    ]
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    raise FileNotFoundError(
        "CX Mapper's resources folder is missing (looked in "
        + ", ".join(str(c) for c in candidates) + "). Reinstall CX Mapper."
    )


def samples_folder() -> Path | None:
    """The sample projects: `projects/` of a source checkout, or the installed copy."""
    for candidate in (resources_folder().parent / "projects",
                      Path(sys.prefix) / "share" / "cx-mapper" / "projects"):
        if candidate.is_dir():
            return candidate
    return None


def sample_projects() -> list[Path]:
    """The sample project files, one per sample (the JSON source, which every version
    of the app reads)."""
    folder = samples_folder()
    return sorted(folder.glob("*.json")) if folder is not None else []


def icon_names() -> list[str]:
    return sorted(p.stem for p in (resources_folder() / "icons").glob("*.svg"))


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The named icon drawn in `colour` (default: the palette's button text colour)."""
    if colour is None:
        palette = QApplication.palette()
        colour = palette.color(QPalette.ColorRole.ButtonText)
    disabled = QApplication.palette().color(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    result = QIcon()
    for size in _ICON_SIZES:
        for mode, tint in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled)):
            result.addPixmap(_pixmap(name, tint.name(), size), mode)
    return result


@cache
def _svg(name: str) -> bytes:
    path = resources_folder() / "icons" / f"{name}.svg"
    return path.read_bytes()


def _pixmap(name: str, colour: str, size: int) -> QPixmap:
    data = _svg(name).replace(b"#000000", colour.encode())
    renderer = QSvgRenderer(QByteArray(data))
    # Drawn at twice the size for high-DPI screens; Qt scales down when it must.
    ratio = 2
    image = QImage(QSize(size * ratio, size * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap
