"""Writing the PNG summary: the same bytes from the app and from `cx-mapper export`."""

from __future__ import annotations

import os

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageWriter

from cx_mapper.persistence.atomic import write_atomically


def png_bytes(image: QImage, quality: int = -1) -> bytes:
    """The image encoded as PNG (with the text keys render_summary set). `quality` is
    Qt's: -1 its default compression, 80 a light one (zlib level 1: a third faster,
    a tenth larger)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    writer.setQuality(quality)
    if not writer.write(image):
        raise RuntimeError(f"the PNG encoder failed: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def write_png(image: QImage, path: str | os.PathLike[str]) -> None:
    """Replace `path` with the PNG in one step, so a failure leaves the old file as it was."""
    write_atomically(os.fspath(path), png_bytes(image))
